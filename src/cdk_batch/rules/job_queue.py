"""The rules of JobQueue props."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .._core.checks import in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.compute_environment import ComputeEnvironmentProps
from .._props.job_queue import JobQueueProps

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
    summary="a job queue needs at least one compute environment",
    source=_JQ_API,
    alpha_checks=True,
)
def _needs_environments(p: JobQueueProps) -> Iterator[Finding]:
    if not p.compute_environments:
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
