"""The rule cases of job queues and scheduling (0.2.0), collected by tests/test_rules.py.

Each case is ``(rule_id, bad, nearest_good)``: builders that take a stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk

import cdk_batch as batch

Builder = Callable[[cdk.Stack], Any]

D = cdk.Duration
ARN = "arn:aws:batch:us-east-1:123456789012"


def shares(*pairs: tuple[str, float]) -> Builder:
    return lambda s: batch.FairshareSchedulingPolicy(
        s,
        "Policy",
        shares=[batch.Share(share_identifier=i, weight_factor=w) for i, w in pairs],
    )


def sp(**props: Any) -> Builder:
    return lambda s: batch.FairshareSchedulingPolicy(s, "Policy", **props)


def cr(**props: Any) -> Builder:
    return lambda s: batch.ConsumableResource(s, "Resource", **props)


def se(**props: Any) -> Builder:
    return lambda s: batch.ServiceEnvironment(s, "Training", **props)


def ce_queue(
    *,
    with_policy: bool = False,
    unmanagedv_cpus: int | None = None,
    limits: list[dict[str, Any]] | None = None,
    **props: Any,
) -> Builder:
    def build(s: cdk.Stack) -> Any:
        ce = batch.ComputeEnvironment(s, "CE", managed=False)
        if unmanagedv_cpus is not None:
            # Stands for ComputeEnvironment(unmanagedv_cpus=...), read from the props.
            object.__setattr__(ce._props, "unmanagedv_cpus", unmanagedv_cpus)
        return batch.JobQueue(
            s,
            "Q",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)
            ],
            scheduling_policy=batch.FairshareSchedulingPolicy(s, "Policy") if with_policy else None,
            job_state_time_limit_actions=limits,
            **props,
        )

    return build


def sagemaker_queue(orders: list[float], *, with_ce: bool = False, limits: Any = None) -> Builder:
    def build(s: cdk.Stack) -> Any:
        envs = [
            batch.JobQueueServiceEnvironment(
                service_environment=batch.ServiceEnvironment(s, f"Env{i}", max_instances=1),
                order=order,
            )
            for i, order in enumerate(orders)
        ]
        ces = None
        if with_ce:
            ce = batch.ComputeEnvironment(s, "CE", managed=False)
            ces = [batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)]
        return batch.JobQueue(
            s,
            "Q",
            compute_environments=ces,
            service_environments=envs,
            job_state_time_limit_actions=limits,
        )

    return build


def limit(seconds: float = 600, reason: Any = "stuck", **kwargs: Any) -> dict[str, Any]:
    return {"max_time": D.millis(int(seconds * 1000)), "reason": reason, **kwargs}


def imported(owner: Any, factory: str, arn: str) -> Builder:
    return lambda s: getattr(owner, factory)(s, "Imported", arn)


A = batch.JobStateTimeLimitActionsAction
R = batch.JobStateTimeLimitActionsReason

CASES: list[tuple[str, Builder, Builder]] = [
    # fair-share scheduling policies
    ("sp-name-format", sp(scheduling_policy_name="a b"), sp(scheduling_policy_name="a_b")),
    ("sp-compute-reservation-range", sp(compute_reservation=100), sp(compute_reservation=99)),
    ("sp-share-decay-range", sp(share_decay=D.seconds(604801)), sp(share_decay=D.days(7))),
    ("sp-weight-factor-range", shares(("a", 1000)), shares(("a", 999.9999))),
    ("sp-share-identifier-format", shares(("team-a", 1)), shares(("teamA", 1))),
    (
        "sp-share-identifier-overlap",
        shares(("UserA*", 1), ("UserA1", 1)),
        shares(("UserA*", 1), ("UserB1", 1)),
    ),
    (
        "sp-import-arn-format",
        imported(
            batch.FairshareSchedulingPolicy,
            "from_fairshare_scheduling_policy_arn",
            f"{ARN}:scheduling-policy",
        ),
        imported(
            batch.FairshareSchedulingPolicy,
            "from_fairshare_scheduling_policy_arn",
            f"{ARN}:scheduling-policy/p",
        ),
    ),
    # consumable resources
    ("cr-total-quantity-range", cr(total_quantity=-1), cr(total_quantity=0)),
    (
        "cr-import-arn-format",
        imported(
            batch.ConsumableResource, "from_consumable_resource_arn", f"{ARN}:consumable-resource"
        ),
        imported(
            batch.ConsumableResource, "from_consumable_resource_arn", f"{ARN}:consumable-resource/r"
        ),
    ),
    # service environments
    (
        "se-name-format",
        se(max_instances=1, service_environment_name="x" * 129),
        se(max_instances=1, service_environment_name="x" * 128),
    ),
    ("se-max-instances-range", se(max_instances=0), se(max_instances=1)),
    (
        "se-import-arn-format",
        imported(
            batch.ServiceEnvironment, "from_service_environment_arn", f"{ARN}:service-environment"
        ),
        imported(
            batch.ServiceEnvironment, "from_service_environment_arn", f"{ARN}:service-environment/e"
        ),
    ),
    # job queues
    (
        "jq-scheduling-policy-named-queue",
        ce_queue(with_policy=True, job_queue_name="q"),
        ce_queue(with_policy=True),
    ),
    (
        "jq-fair-share-unmanaged-vcpus",
        ce_queue(with_policy=True),
        ce_queue(with_policy=True, unmanagedv_cpus=16),
    ),
    ("jq-state-time-limit-range", ce_queue(limits=[limit(599)]), ce_queue(limits=[limit(600)])),
    (
        "jq-state-time-limit-action",
        ce_queue(limits=[limit(action=A.TERMINATE)]),
        ce_queue(limits=[limit(action=A.CANCEL)]),
    ),
    (
        "jq-state-time-limit-state",
        ce_queue(limits=[limit(state="RUNNING")]),
        ce_queue(limits=[limit(state="RUNNABLE")]),
    ),
    (
        "jq-state-time-limit-reason-duplicate",
        ce_queue(
            limits=[
                limit(reason=R.JOB_RESOURCE_REQUIREMENT),
                limit(reason=R.JOB_RESOURCE_REQUIREMENT),
            ]
        ),
        ce_queue(
            limits=[
                limit(reason=R.JOB_RESOURCE_REQUIREMENT),
                limit(reason=R.INSUFFICIENT_INSTANCE_CAPACITY),
            ]
        ),
    ),
    ("jq-environments-exclusive", sagemaker_queue([1], with_ce=True), sagemaker_queue([1])),
    ("jq-service-environments-count", sagemaker_queue([1, 2]), sagemaker_queue([1])),
    ("jq-service-environment-order", sagemaker_queue([1.5]), sagemaker_queue([1])),
]

SAYS: dict[str, str] = {
    "sp-name-format": "scheduling_policy_name may only hold letters, digits, hyphens",
    "sp-compute-reservation-range": "compute_reservation must be between 0 and 99, got 100",
    "sp-share-decay-range": "share_decay must be a whole number of seconds from 0 to 604800, got 604801",
    "sp-weight-factor-range": "shares[0].weight_factor must be between 0.0001 and 999.9999, got 1000",
    "sp-share-identifier-format": "shares[0].share_identifier must be 1 to 255 letters and digits",
    "sp-share-identifier-overlap": "shares must not overlap: the prefix 'UserA*' also covers 'UserA1'",
    "sp-import-arn-format": "scheduling_policy_arn must look like",
    "cr-total-quantity-range": "total_quantity must be at least 0, got -1",
    "cr-import-arn-format": "consumable_resource_arn must look like",
    "se-name-format": "service_environment_name must be 1 to 128 characters long, got 129",
    "se-max-instances-range": "max_instances must be at least 1, got 0",
    "se-import-arn-format": "service_environment_arn must look like",
    "jq-scheduling-policy-named-queue": "scheduling_policy cannot be added to a queue that already exists",
    "jq-fair-share-unmanaged-vcpus": "compute_environments[0].compute_environment is an unmanaged environment",
    "jq-state-time-limit-range": (
        "job_state_time_limit_actions[0].max_time must be a whole number of seconds "
        "between 600 and 86400, got 599 seconds"
    ),
    "jq-state-time-limit-action": (
        "job_state_time_limit_actions[0].action must be CANCEL on a queue of compute "
        "environments, got 'TERMINATE'"
    ),
    "jq-state-time-limit-state": "job_state_time_limit_actions[0].state must be RUNNABLE, got 'RUNNING'",
    "jq-state-time-limit-reason-duplicate": "must give each action its own reason",
    "jq-environments-exclusive": "service_environments must not be set together with compute_environments",
    "jq-service-environments-count": "service_environments must hold at most 1 entry",
    "jq-service-environment-order": "service_environments[0].order must be a whole number, got 1.5",
}


def _number(s: cdk.Stack) -> float:
    param = s.node.try_find_child("QN") or cdk.CfnParameter(s, "QN", type="Number")
    return param.value_as_number  # type: ignore[attr-defined,no-any-return]


def _text(s: cdk.Stack) -> str:
    param = s.node.try_find_child("QT") or cdk.CfnParameter(s, "QT")
    return param.value_as_string  # type: ignore[attr-defined,no-any-return]


TOKEN_CASES: dict[str, Builder] = {
    "sp-ranges": lambda s: batch.FairshareSchedulingPolicy(
        s,
        "Policy",
        compute_reservation=_number(s),
        share_decay=D.seconds(_number(s)),
        scheduling_policy_name=_text(s),
        shares=[
            batch.Share(share_identifier=_text(s), weight_factor=_number(s)),
            batch.Share(share_identifier=_text(s), weight_factor=_number(s)),
        ],
    ),
    "cr-quantity": lambda s: batch.ConsumableResource(s, "R", total_quantity=_number(s)),
    "se-instances": lambda s: batch.ServiceEnvironment(
        s, "E", max_instances=_number(s), service_environment_name=_text(s)
    ),
    "jq-time-limits": lambda s: ce_queue(
        limits=[
            {
                "max_time": D.seconds(_number(s)),
                "reason": _text(s),
                "action": _text(s),
                "state": _text(s),
            },
            {"max_time": D.seconds(_number(s)), "reason": _text(s)},
        ]
    )(s),
    "jq-service-order": lambda s: sagemaker_queue([_number(s)])(s),
}
