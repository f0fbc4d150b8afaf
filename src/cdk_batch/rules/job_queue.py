"""The rules of JobQueue props."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from enum import Enum

from .._core.checks import in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.compute_environment import ComputeEnvironmentProps, InheritedTags
from .._props.job_queue import (
    JobQueueProps,
    JobStateTimeLimitActionsAction,
    JobStateTimeLimitActionsState,
)

_JQ = "JobQueue"
_JQ_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html"
_ORDER_CFN = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "aws-properties-batch-jobqueue-computeenvironmentorder.html"
)


@rule(
    "jq-name-format",
    construct=_JQ,
    properties=("job_queue_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source=_JQ_API,
)
def _name_format(p: JobQueueProps) -> Iterator[Finding]:
    yield from name_format(p.job_queue_name, "job_queue_name")


@rule(
    "jq-compute-environments-required",
    construct=_JQ,
    properties=("compute_environments",),
    summary=(
        "a job queue needs at least one compute environment "
        "(a SageMaker Training queue, a service environment instead)"
    ),
    source=_JQ_API,
    alpha_checks=True,
)
def _needs_environments(p: JobQueueProps) -> Iterator[Finding]:
    if not p.compute_environments and not p.service_environments:
        yield Finding("compute_environments", "must hold at least 1 entry, got 0", 0)


@rule(
    "jq-compute-environments-count",
    construct=_JQ,
    properties=("compute_environments",),
    summary="at most 3 compute environments per queue (a quota that may be raised)",
    source="https://docs.aws.amazon.com/batch/latest/userguide/service_limits.html",
    level="warning",
)
def _at_most_three(p: JobQueueProps) -> Iterator[Finding]:
    n = len(p.compute_environments)
    if n > 3:
        yield Finding(
            "compute_environments",
            f"should hold at most 3 entries (the AWS Batch quota), got {n}",
            n,
        )


@rule(
    "jq-priority-range",
    construct=_JQ,
    properties=("priority",),
    summary="priority is a whole number from 0 to 1000",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-batch-jobqueue.html",
)
def _priority_range(p: JobQueueProps) -> Iterator[Finding]:
    yield from in_range(p.priority, "priority", 0, 1000)
    yield from is_integer(p.priority, "priority")


@rule(
    "jq-order-unique",
    construct=_JQ,
    properties=("compute_environments[].order",),
    summary="each compute environment of a queue has its own whole-number order",
    source=_ORDER_CFN,
)
def _orders_unique(p: JobQueueProps) -> Iterator[Finding]:
    orders = [e.order for e in p.compute_environments if not is_unknown(e.order)]
    for i, e in enumerate(p.compute_environments):
        yield from is_integer(e.order, f"compute_environments[{i}].order")
    for order, n in Counter(orders).items():
        if n > 1:
            yield Finding(
                "compute_environments",
                f"must give each entry its own order, got order {fmt(order)} {n} times",
                order,
            )


@rule(
    "jq-compute-environment-duplicate",
    construct=_JQ,
    properties=("compute_environments[].compute_environment",),
    summary="a compute environment is listed once per queue",
    source=_ORDER_CFN,
    level="warning",
)
def _environments_unique(p: JobQueueProps) -> Iterator[Finding]:
    seen: set[int] = set()
    for i, e in enumerate(p.compute_environments):
        key = id(e.compute_environment)
        if key in seen:
            yield Finding(
                f"compute_environments[{i}].compute_environment",
                "lists a compute environment that is already in the queue",
            )
        seen.add(key)


@rule(
    "jq-fargate-ec2-mix",
    construct=_JQ,
    properties=("compute_environments[].compute_environment",),
    summary="a queue's compute environments are all EC2/Spot or all Fargate",
    source=_ORDER_CFN,
)
def _no_mix(p: JobQueueProps) -> Iterator[Finding]:
    kinds: dict[bool, list[int]] = {True: [], False: []}
    for i, e in enumerate(p.compute_environments):
        props = getattr(e.compute_environment, "_props", None)
        if isinstance(props, ComputeEnvironmentProps) and props.is_managed:
            kinds[props.is_fargate].append(i)
    if kinds[True] and kinds[False]:
        yield Finding(
            "compute_environments",
            "must not mix Fargate environments (at index "
            + ", ".join(map(str, kinds[True]))
            + ") with EC2 or Spot environments (at index "
            + ", ".join(map(str, kinds[False]))
            + "; indexes count from 0)",
        )


# --- fair-share scheduling (0.2.0) ---------------------------------------------


@rule(
    "jq-scheduling-policy-named-queue",
    construct=_JQ,
    properties=("scheduling_policy", "job_queue_name"),
    summary=(
        "warns that a named queue cannot gain a scheduling policy in place: "
        "a queue deployed without one needs a new name"
    ),
    source=_JQ_API,
    level="warning",
)
def _policy_on_named_queue(p: JobQueueProps) -> Iterator[Finding]:
    if p.scheduling_policy is not None and p.job_queue_name is not None:
        yield Finding(
            "scheduling_policy",
            "cannot be added to a queue that already exists without one: AWS Batch keeps "
            "such a queue first in, first out. If this queue was deployed before without "
            "a policy, give it a new construct id and a new job_queue_name so that a new "
            "queue is created",
        )


@rule(
    "jq-fair-share-unmanaged-vcpus",
    construct=_JQ,
    properties=("scheduling_policy", "compute_environments[].compute_environment"),
    summary=(
        "warns about a fair-share queue with an unmanaged compute environment "
        "whose unmanagedv_cpus is not set"
    ),
    source=(
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-resource-batch-computeenvironment.html"
    ),
    level="warning",
)
def _unmanaged_vcpus(p: JobQueueProps) -> Iterator[Finding]:
    if p.scheduling_policy is None:
        return
    for i, e in enumerate(p.compute_environments):
        props = getattr(e.compute_environment, "_props", None)
        if not isinstance(props, ComputeEnvironmentProps) or props.is_managed:
            continue
        if getattr(props, "unmanagedv_cpus", None) is None:
            yield Finding(
                f"compute_environments[{i}].compute_environment",
                "is an unmanaged environment without unmanagedv_cpus: the fair-share "
                "scheduler cannot tell its capacity, so compute_reservation reserves nothing",
            )


# --- job state time limits (0.2.0) ---------------------------------------------

_TIME_LIMIT_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_JobStateTimeLimitAction.html"
)


def _value(x: object) -> object:
    return (
        x.value
        if isinstance(x, JobStateTimeLimitActionsAction | JobStateTimeLimitActionsState)
        else x
    )


@rule(
    "jq-state-time-limit-range",
    construct=_JQ,
    properties=("job_state_time_limit_actions[].max_time",),
    summary="max_time is a whole number of seconds from 600 (10 minutes) to 86400 (24 hours)",
    source=_TIME_LIMIT_API,
)
def _max_time_range(p: JobQueueProps) -> Iterator[Finding]:
    for i, a in enumerate(p.job_state_time_limit_actions or ()):
        if a.max_time.is_unresolved():
            continue
        seconds = a.max_time.to_seconds(integral=False)
        if not 600 <= seconds <= 86400 or not float(seconds).is_integer():
            yield Finding(
                f"job_state_time_limit_actions[{i}].max_time",
                "must be a whole number of seconds between 600 and 86400, "
                f"got {fmt(seconds)} seconds",
                seconds,
            )


@rule(
    "jq-state-time-limit-action",
    construct=_JQ,
    properties=("job_state_time_limit_actions[].action",),
    summary=(
        "the action is CANCEL on a queue of compute environments "
        "and TERMINATE on a SageMaker Training queue"
    ),
    source=_TIME_LIMIT_API,
)
def _action_fits_queue(p: JobQueueProps) -> Iterator[Finding]:
    wanted = "TERMINATE" if p.is_service_queue else "CANCEL"
    kind = "a SageMaker Training queue" if p.is_service_queue else "a queue of compute environments"
    for i, a in enumerate(p.job_state_time_limit_actions or ()):
        action = _value(a.action)
        if action is not None and not is_unknown(action) and action != wanted:
            yield Finding(
                f"job_state_time_limit_actions[{i}].action",
                f"must be {wanted} on {kind}, got {fmt(action)}",
                action,
            )


@rule(
    "jq-state-time-limit-state",
    construct=_JQ,
    properties=("job_state_time_limit_actions[].state",),
    summary="the state a time limit watches is RUNNABLE",
    source=_TIME_LIMIT_API,
)
def _state_runnable(p: JobQueueProps) -> Iterator[Finding]:
    for i, a in enumerate(p.job_state_time_limit_actions or ()):
        state = _value(a.state)
        if state is not None and not is_unknown(state) and state != "RUNNABLE":
            yield Finding(
                f"job_state_time_limit_actions[{i}].state",
                f"must be RUNNABLE, got {fmt(state)}",
                state,
            )


@rule(
    "jq-state-time-limit-reason-duplicate",
    construct=_JQ,
    properties=("job_state_time_limit_actions[].reason",),
    summary="each time limit of a queue has its own reason",
    source=_TIME_LIMIT_API,
)
def _reasons_unique(p: JobQueueProps) -> Iterator[Finding]:
    reasons = [
        r.value if isinstance(r, Enum) else r
        for r in (a.reason for a in p.job_state_time_limit_actions or ())
        if not is_unknown(r)
    ]
    for reason, n in Counter(reasons).items():
        if n > 1:
            yield Finding(
                "job_state_time_limit_actions",
                f"must give each action its own reason, got {reason!r} {n} times",
                reason,
            )


# --- service environments (0.2.0) ----------------------------------------------

_QUOTAS = "https://docs.aws.amazon.com/batch/latest/userguide/service_limits.html"


@rule(
    "jq-environments-exclusive",
    construct=_JQ,
    properties=("compute_environments", "service_environments"),
    summary="a queue has compute environments or service environments, not both",
    source=(
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-resource-batch-jobqueue.html"
    ),
)
def _one_kind_of_environment(p: JobQueueProps) -> Iterator[Finding]:
    if p.compute_environments and p.service_environments:
        yield Finding(
            "service_environments",
            "must not be set together with compute_environments: a queue sends its jobs "
            "either to compute environments or to service environments",
        )


@rule(
    "jq-service-environments-count",
    construct=_JQ,
    properties=("service_environments",),
    summary="a queue has at most 1 service environment (a quota that cannot be changed)",
    source=_QUOTAS,
)
def _one_service_environment(p: JobQueueProps) -> Iterator[Finding]:
    n = len(p.service_environments or ())
    if n > 1:
        yield Finding(
            "service_environments",
            f"must hold at most 1 entry (an AWS Batch quota that cannot be raised), got {n}",
            n,
        )


@rule(
    "jq-service-environment-order",
    construct=_JQ,
    properties=("service_environments[].order",),
    summary="each service environment of a queue has its own whole-number order",
    source=(
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-properties-batch-jobqueue-serviceenvironmentorder.html"
    ),
)
def _service_orders(p: JobQueueProps) -> Iterator[Finding]:
    entries = p.service_environments or ()
    for i, e in enumerate(entries):
        yield from is_integer(e.order, f"service_environments[{i}].order")
    orders = [e.order for e in entries if not is_unknown(e.order)]
    for order, n in Counter(orders).items():
        if n > 1:
            yield Finding(
                "service_environments",
                f"must give each entry its own order, got order {fmt(order)} {n} times",
                order,
            )


# --- inherited tags (0.2.0) -----------------------------------------------------


@rule(
    "jq-inherited-tags-instances",
    construct=_JQ,
    properties=("inherited_tags",),
    summary="a job queue takes inherited_tags RESOURCE or IGNORE, not INSTANCES",
    source=(
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-resource-batch-jobqueue.html"
    ),
)
def _queue_inherited_tags(p: JobQueueProps) -> Iterator[Finding]:
    if p.inherited_tags is InheritedTags.INSTANCES:
        yield Finding(
            "inherited_tags",
            "must be RESOURCE or IGNORE for a job queue, which has no instances to tag, "
            "got INSTANCES",
            p.inherited_tags,
        )
