"""The local_aws fixture: an emulator per test, empty at the start of each.

The two deploy tests deploy the same app, whose queue has a fixed name: in
one shared emulator the second deploy fails (test_deploy shows that), so both
passing shows that each test got an emulator of its own.
"""

from __future__ import annotations

import os

import pytest

from cdk_batch.local import LocalAws


@pytest.mark.parametrize("attempt", [1, 2])
def test_same_fixed_names_in_each_test(local_aws: LocalAws, assembly, attempt: int) -> None:
    batch = local_aws.client("batch")
    assert batch.describe_job_queues()["jobQueues"] == []

    result = local_aws.deploy(assembly("queue_app"), run_jobs=True)

    assert result.ok, result.failures
    names = [q["jobQueueName"] for q in batch.describe_job_queues()["jobQueues"]]
    assert names == ["fixed-name-queue"]


def test_session_ends_with_the_test() -> None:
    with LocalAws() as aws:
        aws.client("sqs").create_queue(QueueName="left-over")
    with LocalAws() as aws:
        assert aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_a_session_inside_another_is_refused(local_aws: LocalAws) -> None:
    # moto keeps one state per process: a nested session would not start empty.
    with pytest.raises(RuntimeError, match="already active"), LocalAws():
        pass
    assert local_aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_account_from_the_environment_is_the_default(monkeypatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "222222222222")
    with LocalAws() as aws:
        identity = aws.client("sts").get_caller_identity()
        assert os.environ.get("MOTO_ACCOUNT_ID") is None
    assert identity["Account"] == "222222222222"
    assert os.environ["MOTO_ACCOUNT_ID"] == "222222222222"
