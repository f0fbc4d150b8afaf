"""The 0.2.0 constructs deploy locally, and what the emulator cannot create is said so."""

from __future__ import annotations

from pathlib import Path

from cdk_batch.local import deploy_locally
from examples import compute_app, job_definitions_app, queues_app


def test_fair_share_and_sagemaker_queues_deploy_with_their_gaps_reported(tmp_path: Path) -> None:
    result = deploy_locally(queues_app.build_app(str(tmp_path)), run_jobs=True)
    assert result.ok, result.failures
    gaps = {(n.stack, n.resource_type) for n in result.not_checked if n.what == "resource"}
    # The emulator has no scheduling policies, consumable resources or service
    # environments, and its queues take compute environments only.
    assert gaps >= {
        ("FairShareQueue", "AWS::Batch::SchedulingPolicy"),
        ("FairShareQueue", "AWS::Batch::ConsumableResource"),
        ("TrainingQueue", "AWS::Batch::ServiceEnvironment"),
        ("TrainingQueue", "AWS::Batch::JobQueue"),
    }
    assert any("placeholder values" in f for f in result.fixups)
    fair_share = [q for q in result.job_queues if q.stack == "FairShareQueue"]
    assert [(q.status, q.state) for q in fair_share] == [("VALID", "ENABLED")]


def test_multi_container_job_definitions_register_and_run(tmp_path: Path) -> None:
    result = deploy_locally(job_definitions_app.build_app(str(tmp_path)), run_jobs=True)
    assert result.ok, result.failures
    assert result.jobs and all(j.status == "SUCCEEDED" for j in result.jobs)


def test_service_linked_roles_and_instance_classes_are_prepared(tmp_path: Path) -> None:
    result = deploy_locally(compute_app.build_app(str(tmp_path)), run_jobs=True)
    assert result.ok, result.failures
    assert any("service-linked role AWSServiceRoleForBatch created" in f for f in result.fixups)
    assert any("default_arm64 -> m6g.large" in f for f in result.fixups)
    assert all(ce.status == "VALID" for ce in result.compute_environments)


def test_an_environment_without_a_service_role_uses_batchs_service_linked_role(
    tmp_path: Path,
) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2

    import cdk_batch as batch

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "NoServiceRole")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1, nat_gateways=0)
    env = batch.ComputeEnvironment(
        stack,
        "Fargate",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            type=batch.ComputeResourceType.FARGATE,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
        ),
    )
    env.node.default_child.add_property_deletion_override("ServiceRole")  # type: ignore[union-attr]
    batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    result = deploy_locally(app, run_jobs=False)
    assert result.ok, result.failures
    assert any("service-linked role AWSServiceRoleForBatch created" in f for f in result.fixups)
    assert [ce.status for ce in result.compute_environments] == ["VALID"]
