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
