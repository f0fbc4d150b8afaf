"""deploy_locally against the embedded emulator: what it creates, reports and refuses."""

from __future__ import annotations

import pytest

from cdk_batch.local import AssemblyError, LocalAws, deploy_locally

BOOTSTRAP = "/cdk-bootstrap/hnb659fds/version"


def test_multi_stack_app_with_cross_stack_reference(assembly) -> None:
    result = deploy_locally(assembly("multi_stack_app"), run_jobs=True)

    assert result.ok, result.failures
    assert [(s.stack_name, s.status) for s in result.stacks] == [
        ("Network", "CREATE_COMPLETE"),
        ("Compute", "CREATE_COMPLETE"),
        ("Jobs", "CREATE_COMPLETE"),
    ]
    jobs_stack = result.stacks[2]
    # The output is the queue's ARN as the emulator created it, through Fn::ImportValue.
    assert jobs_stack.outputs["QueueArn"].startswith(
        "arn:aws:batch:us-east-1:123456789012:job-queue/"
    )
    (ce,) = result.compute_environments
    assert (ce.stack, ce.detail, ce.status, ce.state) == (
        "Compute",
        "MANAGED EC2",
        "VALID",
        "ENABLED",
    )
    (queue,) = result.job_queues
    assert (queue.stack, queue.status, queue.state) == ("Compute", "VALID", "ENABLED")
    assert queue.arn == jobs_stack.outputs["QueueArn"]
    (job,) = result.jobs
    assert (job.job_definition.split("/")[0], job.queue, job.status, job.probe) == (
        "Jobs",
        f"Compute/{queue.logical_id}",
        "SUCCEEDED",
        False,
    )
    network = result.stacks[0]
    assert {r.resource_type for r in network.resources} >= {"AWS::EC2::VPC", "AWS::EC2::Subnet"}
    assert all(r.status == "created" and r.physical_id for r in network.resources)
    assert any(BOOTSTRAP in f for f in result.fixups)
    assert result.not_checked == ()


def test_only_the_asked_stack_and_its_dependencies(assembly) -> None:
    result = deploy_locally(assembly("multi_stack_app"), stacks=["Compute"])
    assert [s.stack_name for s in result.stacks] == ["Network", "Compute"]
    with pytest.raises(AssemblyError, match="no stack named Nope"):
        deploy_locally(assembly("multi_stack_app"), stacks=["Nope"])


def test_queue_over_a_missing_environment_fails_with_stack_and_logical_id(assembly) -> None:
    result = deploy_locally(assembly("missing_environment_app"))

    assert not result.ok
    broken, after = result.stacks
    assert broken.status == "FAILED"
    assert broken.failed_logical_id is not None and broken.failed_logical_id.startswith("Queue")
    assert broken.error.startswith(f"{broken.failed_logical_id} (AWS::Batch::JobQueue): ")
    assert "Traceback" not in broken.error
    assert (after.status, after.error) == ("NOT_DEPLOYED", "it depends on Broken, which failed")
    assert result.failures[0].startswith("Broken: Queue")


def test_reference_to_an_undefined_logical_id_is_named(assembly) -> None:
    result = deploy_locally(assembly("undefined_reference_app"))

    (stack,) = result.stacks
    assert stack.status == "FAILED"
    assert stack.error == (
        f"{stack.failed_logical_id} (AWS::Batch::JobDefinition): "
        "refers to 'NoSuchResource', which the template does not define"
    )


def test_what_the_emulator_skips_is_not_checked_never_passing(assembly) -> None:
    result = deploy_locally(assembly("not_checked_app"), run_jobs=True)

    assert result.ok, result.failures
    gaps = {(n.logical_id[:-8], n.what) for n in result.not_checked}
    assert gaps == {
        ("Secret", "resource"),
        (
            "WithSecret",
            "references "
            + next(n.logical_id for n in result.not_checked if n.logical_id.startswith("Secret")),
        ),
        ("WithSecret", "ContainerProperties.Secrets"),
        ("MultiNode", "NodeProperties"),
        ("Unmanaged", "unmanaged compute environment"),
        ("FargateJD", "PlatformCapabilities"),
    }
    (stack,) = result.stacks
    secret = next(r for r in stack.resources if r.logical_id.startswith("Secret"))
    assert (secret.status, secret.physical_id) == ("not created", None)
    jobs = {j.job_definition.split("/")[1][:-8]: j for j in result.jobs}
    assert jobs["MultiNode"].status == "NOT_RUN"
    assert "multi-node" in jobs["MultiNode"].reason
    # The only queue is Fargate: the EC2 definition is not run on it, the Fargate one is.
    assert jobs["WithSecret"].status == "NOT_RUN"
    assert jobs["FargateJD"].status == "SUCCEEDED"
    assert jobs["FargateJD"].queue.split("/")[1].startswith("FargateQueue")
    unmanaged = next(c for c in result.compute_environments if c.detail == "UNMANAGED")
    assert (unmanaged.status, unmanaged.state) == ("VALID", "ENABLED")


def test_explicit_account_and_region(assembly) -> None:
    with LocalAws() as aws:
        result = aws.deploy(assembly("explicit_env_app"), run_jobs=True)
        pinned_queues = aws.client(
            "batch", region="eu-west-1", account="111111111111"
        ).describe_job_queues()["jobQueues"]
        default_queues = aws.client("batch").describe_job_queues()["jobQueues"]
        seeded = aws.client("ssm", region="eu-west-1", account="111111111111").get_parameter(
            Name=BOOTSTRAP
        )["Parameter"]["Value"]

    assert result.ok, result.failures
    (stack,) = result.stacks
    assert (stack.account, stack.region) == ("111111111111", "eu-west-1")
    (queue,) = result.job_queues
    assert queue.arn.startswith("arn:aws:batch:eu-west-1:111111111111:job-queue/")
    assert [q["jobQueueArn"] for q in pinned_queues] == [queue.arn]
    assert default_queues == []
    assert seeded == "6"
    assert any("dummy1a, dummy1b replaced by eu-west-1a, eu-west-1b" in f for f in stack.fixups)
    assert result.jobs[0].status == "SUCCEEDED"


def test_assets_are_reported_as_not_published(assembly) -> None:
    result = deploy_locally(assembly("asset_app"), run_jobs=True)

    assert result.ok
    (stack,) = result.stacks
    assert any("1 container image asset(s) not built or published" in f for f in stack.fixups)
    (job,) = result.jobs
    assert job.status == "NOT_RUN"
    assert (
        job.reason
        == "no enabled queue in aws://123456789012/us-east-1 has EC2 compute environments"
    )


def test_isolated_stacks_do_not_share_names(assembly) -> None:
    # Two copies of one fixed-name stack clash in one account, not in separate emulators.
    source = assembly("queue_app")
    with LocalAws() as aws:
        first = aws.deploy(source)
        second = aws.deploy(source)
    assert first.ok
    assert second.stacks[0].status == "FAILED"
    assert "already exists" in second.stacks[0].error
    isolated = deploy_locally(source, isolate_stacks=True, run_jobs=True)
    assert isolated.ok
    assert [j.status for j in isolated.jobs] == ["SUCCEEDED"]


def test_input_that_is_not_an_assembly(tmp_path) -> None:
    with pytest.raises(AssemblyError, match=r"has no manifest\.json"):
        deploy_locally(tmp_path)
    with pytest.raises(AssemblyError, match="got int"):
        deploy_locally(3)
