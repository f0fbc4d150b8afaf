"""JobQueue's 0.2.0 keywords: scheduling policies and job state time limits.

Where the stable ``aws_cdk.aws_batch`` module has the same setting, the same
program is built through both modules and the rendered fragments compared.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as stable

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource

QUEUE = "AWS::Batch::JobQueue"
POLICY_ARN = "arn:aws:batch:us-east-1:123456789012:scheduling-policy/teams"


def queue_props(stack: cdk.Stack) -> dict[str, Any]:
    return only_resource(stack, QUEUE)["Properties"]


def ours_queue(stack: cdk.Stack, **kwargs: Any) -> batch.JobQueue:
    ce = batch.ComputeEnvironment(stack, "CE", managed=False)
    return batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
        **kwargs,
    )


def stable_queue(stack: cdk.Stack, **kwargs: Any) -> stable.JobQueue:
    ce = stable.UnmanagedComputeEnvironment(stack, "CE")
    return stable.JobQueue(
        stack,
        "Queue",
        compute_environments=[stable.OrderedComputeEnvironment(compute_environment=ce, order=1)],
        **kwargs,
    )


# (max_time, reason member or free text, action member, state member); None = left unset
LIMITS: dict[str, list[tuple[cdk.Duration, str, str | None, str | None]]] = {
    "defaults": [(cdk.Duration.minutes(10), "INSUFFICIENT_INSTANCE_CAPACITY", None, None)],
    "explicit": [(cdk.Duration.hours(24), "JOB_RESOURCE_REQUIREMENT", "CANCEL", "RUNNABLE")],
    "three": [
        (cdk.Duration.minutes(10), "INSUFFICIENT_INSTANCE_CAPACITY", None, None),
        (cdk.Duration.minutes(30), "COMPUTE_ENVIRONMENT_MAX_RESOURCE", "CANCEL", None),
        (cdk.Duration.seconds(3600), "JOB_RESOURCE_REQUIREMENT", None, "RUNNABLE"),
    ],
}


def _limits(module: Any, rows: list[tuple[cdk.Duration, str, str | None, str | None]]) -> list[Any]:
    out = []
    for max_time, reason, action, state in rows:
        kwargs: dict[str, Any] = {
            "max_time": max_time,
            "reason": getattr(module.JobStateTimeLimitActionsReason, reason),
        }
        if action is not None:
            kwargs["action"] = getattr(module.JobStateTimeLimitActionsAction, action)
        if state is not None:
            kwargs["state"] = getattr(module.JobStateTimeLimitActionsState, state)
        out.append(module.JobStateTimeLimitAction(**kwargs))
    return out


@pytest.mark.parametrize("rows", LIMITS.values(), ids=list(LIMITS))
def test_time_limits_match_the_stable_module(rows: Any) -> None:
    ours, theirs = new_stack(), new_stack()
    ours_queue(ours, job_state_time_limit_actions=_limits(batch, rows))
    stable_queue(theirs, job_state_time_limit_actions=_limits(stable, rows))
    key = "JobStateTimeLimitActions"
    assert queue_props(ours)[key] == queue_props(theirs)[key]
    assert len(queue_props(ours)[key]) == len(rows)


def test_time_limits_take_free_text_reasons_and_dicts() -> None:
    stack = new_stack()
    ours_queue(
        stack,
        job_state_time_limit_actions=[
            {"max_time": cdk.Duration.minutes(15), "reason": "waiting for licences"}
        ],
    )
    assert queue_props(stack)["JobStateTimeLimitActions"] == [
        {
            "Action": "CANCEL",
            "MaxTimeSeconds": 900,
            "Reason": "waiting for licences",
            "State": "RUNNABLE",
        }
    ]


def test_an_empty_list_of_time_limits_renders_nothing() -> None:
    stack = new_stack()
    ours_queue(stack, job_state_time_limit_actions=[])
    assert "JobStateTimeLimitActions" not in queue_props(stack)


def test_scheduling_policy_matches_the_stable_module() -> None:
    ours, theirs = new_stack(), new_stack()
    ours_queue(ours, scheduling_policy=batch.FairshareSchedulingPolicy(ours, "Policy"))
    stable_queue(theirs, scheduling_policy=stable.FairshareSchedulingPolicy(theirs, "Policy"))
    assert queue_props(ours)["SchedulingPolicyArn"] == queue_props(theirs)["SchedulingPolicyArn"]
    policy_id = ours.get_logical_id(ours.node.find_child("Policy").node.default_child)
    assert queue_props(ours)["SchedulingPolicyArn"] == {"Fn::GetAtt": [policy_id, "Arn"]}


def test_imported_scheduling_policy_matches_the_stable_module() -> None:
    ours, theirs = new_stack(), new_stack()
    ours_queue(
        ours,
        scheduling_policy=batch.FairshareSchedulingPolicy.from_fairshare_scheduling_policy_arn(
            ours, "Policy", POLICY_ARN
        ),
    )
    stable_queue(
        theirs,
        scheduling_policy=stable.FairshareSchedulingPolicy.from_fairshare_scheduling_policy_arn(
            theirs, "Policy", POLICY_ARN
        ),
    )
    assert queue_props(ours)["SchedulingPolicyArn"] == POLICY_ARN
    assert queue_props(theirs)["SchedulingPolicyArn"] == POLICY_ARN


def test_the_props_are_kept_on_the_queue() -> None:
    stack = new_stack()
    policy = batch.FairshareSchedulingPolicy(stack, "Policy")
    queue = ours_queue(stack, scheduling_policy=policy)
    assert queue._props.scheduling_policy is policy


def _warnings(stack: cdk.Stack, rule_id: str) -> list[str]:
    from aws_cdk.assertions import Annotations, Match

    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(".*"))
    return [str(w.entry.data) for w in found if f"[rule: {rule_id}]" in str(w.entry.data)]


def test_a_named_fair_share_queue_warns_that_a_policy_cannot_be_added_in_place() -> None:
    named, unnamed = new_stack(), new_stack()
    ours_queue(
        named, job_queue_name="q", scheduling_policy=batch.FairshareSchedulingPolicy(named, "P")
    )
    ours_queue(unnamed, scheduling_policy=batch.FairshareSchedulingPolicy(unnamed, "P"))
    assert _warnings(named, "jq-scheduling-policy-named-queue")
    assert not _warnings(unnamed, "jq-scheduling-policy-named-queue")


def test_an_unmanaged_environment_without_unmanaged_vcpus_warns_in_a_fair_share_queue() -> None:
    warned, quiet = new_stack(), new_stack()
    ours_queue(warned, scheduling_policy=batch.FairshareSchedulingPolicy(warned, "P"))
    # The unmanagedv_cpus keyword of ComputeEnvironment is read from its props
    # when it exists; set the attribute here to stand for it.
    ce = batch.ComputeEnvironment(quiet, "CE", managed=False)
    object.__setattr__(ce._props, "unmanagedv_cpus", 16)
    batch.JobQueue(
        quiet,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
        scheduling_policy=batch.FairshareSchedulingPolicy(quiet, "P"),
    )
    assert _warnings(warned, "jq-fair-share-unmanaged-vcpus")
    assert not _warnings(quiet, "jq-fair-share-unmanaged-vcpus")


def test_time_limit_problems_are_reported_together() -> None:
    with pytest.raises(BatchValidationError) as err:
        ours_queue(
            new_stack(),
            job_state_time_limit_actions=[
                batch.JobStateTimeLimitAction(
                    max_time=cdk.Duration.minutes(5),
                    reason="x",
                    action=batch.JobStateTimeLimitActionsAction.TERMINATE,
                ),
                batch.JobStateTimeLimitAction(max_time=cdk.Duration.minutes(20), reason="x"),
            ],
        )
    assert [(p.rule_id, p.property) for p in err.value.problems] == [
        ("jq-state-time-limit-range", "job_state_time_limit_actions[0].max_time"),
        ("jq-state-time-limit-action", "job_state_time_limit_actions[0].action"),
        ("jq-state-time-limit-reason-duplicate", "job_state_time_limit_actions"),
    ]
