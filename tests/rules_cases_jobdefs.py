"""Rule cases of the 0.2.0 job definition keywords, collected by tests/test_rules.py.

Each case is (rule_id, bad builder, nearest good builder); SAYS holds what the
bad program's message must say; TOKEN_CASES build programs whose checked
values are tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

import cdk_batch as batch

Builder = Callable[[cdk.Stack], Any]

IMAGE = ecs.ContainerImage.from_registry("x")
FARGATE = [batch.PlatformCapabilities.FARGATE]
A, R = batch.Action, batch.Reason
RES_ARN = "arn:aws:batch:us-east-1:123456789012:consumable-resource/"


def _exec(s: cdk.Stack) -> iam.IRole:
    found = s.node.try_find_child("Exec")
    if found is not None:
        return found  # type: ignore[return-value]
    return iam.Role.from_role_arn(s, "Exec", "arn:aws:iam::123456789012:role/exec")


def jd(container: dict[str, Any] | None = None, *, fargate: bool = False, **props: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        fields = {k: v(s) if callable(v) else v for k, v in (container or {}).items()}
        if fargate:
            fields.setdefault("execution_role", _exec(s))
            props.setdefault("platform_capabilities", FARGATE)
        return batch.JobDefinition(
            s, "JD", container=batch.JobDefinitionContainer(image=IMAGE, **fields), **props
        )

    return build


def retry(*reasons: Any) -> Builder:
    return jd(retry_strategies=[batch.RetryStrategy.of(A.RETRY, r) for r in reasons])


def tc(name: str | None = "a", **kwargs: Any) -> batch.TaskContainer:
    return batch.TaskContainer(image=IMAGE, name=name, **kwargs)


def task(containers: list[batch.TaskContainer], *, fargate: bool = True, **kwargs: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        extra: dict[str, Any] = {}
        if fargate:
            extra["platform_capabilities"] = FARGATE
            kwargs.setdefault("execution_role", _exec(s))
        return batch.JobDefinition(
            s,
            "JD",
            ecs_properties=batch.EcsTaskProperties(containers=containers, **kwargs),
            **extra,
        )

    return build


def sized(name: str, **kwargs: Any) -> batch.TaskContainer:
    return tc(name, vcpus=0.25, memory_limit_mib=512, **kwargs)


def both(s: cdk.Stack) -> Any:
    return batch.JobDefinition(
        s,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        ecs_properties=batch.EcsTaskProperties(containers=[tc()], fargate_cpu_architecture=None),
    )


@jsii.implements(cdk.IResource)
class _Resource:
    def __init__(self, name: str, total: int) -> None:
        self.consumable_resource_arn = RES_ARN + name
        self.consumable_resource_name = name
        self._props = type("P", (), {"total_quantity": total})()


def consumable(*items: tuple[Any, int]) -> Builder:
    return jd(
        consumable_resources=[
            batch.ConsumableResourceRequirement(resource=r, quantity=q) for r, q in items
        ]
    )


class _Queue:
    job_queue_arn = "arn:aws:batch:us-east-1:123456789012:job-queue/q"

    def __init__(self) -> None:
        self._props = type("P", (), {"scheduling_policy": object()})()


def granted(priority: int | None) -> Builder:
    def build(s: cdk.Stack) -> Any:
        definition = jd(scheduling_priority=priority)(s)
        role = iam.Role(s, "Submitter", assumed_by=iam.AccountRootPrincipal())
        definition.grant_submit_job(role, _Queue())
        return definition

    return build


OS = ecs.OperatingSystemFamily
WIN = {"fargate_operating_system_family": OS.WINDOWS_SERVER_2019_CORE}

CASES: list[tuple[str, Builder, Builder]] = [
    (
        "jd-retry-strategies-count",
        retry(*[R.NON_ZERO_EXIT_CODE] * 6),
        retry(*[R.NON_ZERO_EXIT_CODE] * 5),
    ),
    ("jd-retry-reason-condition", retry(R.custom()), retry(R.custom(on_exit_code="1"))),
    (
        "jd-retry-exit-code-format",
        retry(R.custom(on_exit_code="1*2")),
        retry(R.custom(on_exit_code="12*")),
    ),
    (
        "jd-retry-reason-format",
        retry(R.custom(on_status_reason="Host EC2 (terminated)*")),
        retry(R.custom(on_status_reason="Host EC2 terminated*")),
    ),
    ("jd-scheduling-priority-range", jd(scheduling_priority=10000), jd(scheduling_priority=9999)),
    ("jd-fair-share-priority-missing", granted(None), granted(0)),
    (
        "jd-consumable-resources-count",
        consumable(*[(f"r{i}", 1) for i in range(6)]),
        consumable(*[(f"r{i}", 1) for i in range(5)]),
    ),
    ("jd-consumable-quantity-range", consumable(("r", 0)), consumable(("r", 1))),
    (
        "jd-consumable-quantity-total",
        consumable((_Resource("r", 4), 5)),
        consumable((_Resource("r", 4), 4)),
    ),
    (
        "jd-consumable-resources-duplicate",
        consumable(("licences", 1), (RES_ARN + "licences", 1)),
        consumable(("licences", 1), (RES_ARN + "seats", 1)),
    ),
    (
        "jd-runtime-platform-fargate-only",
        jd({"fargate_cpu_architecture": ecs.CpuArchitecture.ARM64}),
        jd({"fargate_cpu_architecture": ecs.CpuArchitecture.ARM64}, fargate=True),
    ),
    (
        "jd-ephemeral-storage-range",
        jd({"ephemeral_storage_size": cdk.Size.gibibytes(20)}, fargate=True),
        jd({"ephemeral_storage_size": cdk.Size.gibibytes(21)}, fargate=True),
    ),
    (
        "jd-os-family-supported",
        jd({"fargate_operating_system_family": OS.WINDOWS_SERVER_2025_CORE}, fargate=True),
        jd({"fargate_operating_system_family": OS.WINDOWS_SERVER_2022_CORE}, fargate=True),
    ),
    (
        "jd-windows-x86-only",
        jd({**WIN, "fargate_cpu_architecture": ecs.CpuArchitecture.ARM64}, fargate=True),
        jd({**WIN, "fargate_cpu_architecture": ecs.CpuArchitecture.X86_64}, fargate=True),
    ),
    ("jd-windows-linux-settings", jd({**WIN, "user": "app"}, fargate=True), jd(WIN, fargate=True)),
    ("jd-container-or-ecs-properties", both, task([sized("a")])),
    (
        "jd-task-containers-count",
        task([tc(f"c{i}", vcpus=1, essential=i == 0) for i in range(11)], fargate=False),
        task([tc(f"c{i}", vcpus=1, essential=i == 0) for i in range(10)], fargate=False),
    ),
    ("jd-task-container-names", task([sized("a"), sized("a")]), task([sized("a"), sized("b")])),
    (
        "jd-task-essential-container",
        task([sized("a", essential=False)]),
        task([sized("a", essential=True)]),
    ),
    (
        "jd-task-depends-on",
        task(
            [
                sized(
                    "a",
                    depends_on=[
                        batch.TaskContainerDependency(container_name="b", condition="START")
                    ],
                ),
                sized(
                    "b",
                    depends_on=[
                        batch.TaskContainerDependency(container_name="a", condition="START")
                    ],
                ),
            ]
        ),
        task(
            [
                sized(
                    "a",
                    depends_on=[
                        batch.TaskContainerDependency(container_name="b", condition="START")
                    ],
                ),
                sized("b"),
            ]
        ),
    ),
]

SAYS = {
    "jd-retry-strategies-count": "retry_strategies must hold at most 5 strategies, got 6",
    "jd-retry-reason-condition": "retry_strategies[0].on must set at least one of on_exit_code",
    "jd-retry-exit-code-format": "retry_strategies[0].on.on_exit_code must be 1 to 512 digits",
    "jd-retry-reason-format": "retry_strategies[0].on.on_status_reason must be 1 to 512 letters",
    "jd-scheduling-priority-range": "scheduling_priority must be between 0 and 9999, got 10000",
    "jd-fair-share-priority-missing": "scheduling_priority is not set, but the queue has a scheduling",
    "jd-consumable-resources-count": "consumable_resources must hold at most 5 resources, got 6",
    "jd-consumable-quantity-range": "consumable_resources[0].quantity must be at least 1, got 0",
    "jd-consumable-quantity-total": "exceeds the resource's total_quantity (4), got 5",
    "jd-consumable-resources-duplicate": "consumable_resources[1].resource names the same resource",
    "jd-runtime-platform-fargate-only": "container.fargate_cpu_architecture must not be set unless",
    "jd-ephemeral-storage-range": "ephemeral_storage_size (GiB) must be between 21 and 200, got 20",
    "jd-os-family-supported": "must be one of LINUX, WINDOWS_SERVER_2019_CORE",
    "jd-windows-x86-only": "must be X86_64 with WINDOWS_SERVER_2019_CORE, got ARM64",
    "jd-windows-linux-settings": "container.user must not be set with WINDOWS_SERVER_2019_CORE",
    "jd-container-or-ecs-properties": "container or ecs_properties must be given (exactly one), got both",
    "jd-task-containers-count": "ecs_properties.containers must hold 1 to 10 containers, got 11",
    "jd-task-container-names": "ecs_properties.containers[1].name must be unique, got 'a' again",
    "jd-task-essential-container": "must hold at least one essential container, got none",
    "jd-task-depends-on": "must not depend on each other in a cycle, got a -> b -> a",
}


def _n(s: cdk.Stack) -> Any:
    param = s.node.try_find_child("N") or cdk.CfnParameter(s, "N", type="Number")
    return param.value_as_number  # type: ignore[attr-defined]


TOKEN_CASES: dict[str, Builder] = {
    "jd-priority": lambda s: jd(scheduling_priority=_n(s))(s),
    "jd-ephemeral-storage": lambda s: jd(
        {"ephemeral_storage_size": cdk.Size.gibibytes(_n(s))}, fargate=True
    )(s),
    "jd-consumable-quantity": lambda s: consumable(("r", _n(s)))(s),
    "jd-retry-patterns": lambda s: retry(
        R.custom(
            on_exit_code=cdk.CfnParameter(s, "Code").value_as_string,
            on_reason=cdk.CfnParameter(s, "Why").value_as_string,
        )
    )(s),
    "jd-task-fargate-sum": lambda s: task([tc("a", vcpus=_n(s), memory_limit_mib=_n(s))])(s),
}
