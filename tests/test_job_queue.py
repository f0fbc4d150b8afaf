"""JobQueue: rendering, attributes, importers and the refused props."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


@pytest.fixture
def ce(stack: cdk.Stack) -> batch.ComputeEnvironment:
    return batch.ComputeEnvironment(stack, "CE", managed=False)


def queue_props(stack: cdk.Stack) -> dict:
    return only_resource(stack, "AWS::Batch::JobQueue")["Properties"]


def test_defaults(stack, ce) -> None:
    batch.JobQueue(
        stack,
        "Q",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    assert queue_props(stack) == {
        "ComputeEnvironmentOrder": [{"ComputeEnvironment": {"Ref": "CE1BFE03A1"}, "Order": 1}],
        "Priority": 1,
        "State": "ENABLED",
    }


def test_priority_zero_is_kept(stack, ce) -> None:
    # The alpha rendered an explicit 0 as 1.
    batch.JobQueue(
        stack,
        "Q",
        priority=0,
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    assert queue_props(stack)["Priority"] == 0


def test_entries_may_be_dicts(stack, ce) -> None:
    batch.JobQueue(stack, "Q", compute_environments=[{"compute_environment": ce, "order": 3}])
    assert queue_props(stack)["ComputeEnvironmentOrder"][0]["Order"] == 3


def test_disabled_and_named(stack, ce) -> None:
    batch.JobQueue(
        stack,
        "Q",
        enabled=False,
        job_queue_name="nightly",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    props = queue_props(stack)
    assert props["State"] == "DISABLED"
    assert props["JobQueueName"] == "nightly"


def test_arn_and_name_attributes(stack, ce) -> None:
    q = batch.JobQueue(
        stack,
        "Q",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    assert stack.resolve(q.job_queue_arn) == {"Ref": "Q63C6E3AB"}
    assert stack.resolve(q.job_queue_name) == {
        "Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "Q63C6E3AB"}]}]
    }


def test_cross_environment_arn_uses_the_given_name() -> None:
    app = cdk.App()
    a = cdk.Stack(app, "A", env=cdk.Environment(account="111111111111", region="us-east-1"))
    b = cdk.Stack(app, "B", env=cdk.Environment(account="222222222222", region="us-east-1"))
    ce = batch.ComputeEnvironment(a, "CE", managed=False)
    q = batch.JobQueue(
        a,
        "Q",
        job_queue_name="shared",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    assert b.resolve(q.job_queue_name) == "shared"
    assert "job-queue/shared" in str(b.resolve(q.job_queue_arn))


def test_import_reads_the_name_from_the_arn(stack) -> None:
    q = batch.JobQueue.from_job_queue_arn(
        stack, "Imported", "arn:aws:batch:us-east-1:555555555555:job-queue/High-Prio-Queue"
    )
    assert q.job_queue_name == "High-Prio-Queue"
    assert q.job_queue_arn == "arn:aws:batch:us-east-1:555555555555:job-queue/High-Prio-Queue"


def test_import_refuses_a_malformed_arn(stack) -> None:
    with pytest.raises(
        BatchValidationError, match=r"^JobQueue 'Stack/Imported': job_queue_arn must look"
    ):
        batch.JobQueue.from_job_queue_arn(stack, "Imported", "job-queue/x")


def test_queue_needs_a_compute_environment(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.JobQueue(stack, "Q", compute_environments=[])
    assert str(exc.value) == (
        "JobQueue 'Stack/Q': compute_environments must hold at least 1 entry, got 0 "
        "[rule: jq-compute-environments-required]"
    )
