"""The rules of the JobDefinition keywords added in 0.2.0.

Retry strategies, scheduling priority, consumable resources, the Fargate
runtime platform and ephemeral storage, and multi-container jobs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aws_cdk import SizeRoundingBehavior

from ..._core.checks import in_range, is_integer
from ..._core.registry import Finding, rule
from ..._core.tokens import fmt, is_unknown
from ..._props.job_definition import (
    EcsTaskProperties,
    JobDefinitionContainer,
    JobDefinitionProps,
    cpu_architecture_name,
    os_family_name,
)
from .common import CONTAINER_API, JD, fargate_containers, task_level

# --- 0.2.0: retry strategies, priority, consumable resources --------------------

_EVALUATE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html"
_EXIT_CODE = re.compile(r"^[0-9]*\*?$")
_REASON = re.compile(r"^[A-Za-z0-9.:\s]*\*?$")


@rule(
    "jd-retry-strategies-count",
    construct=JD,
    properties=("retry_strategies",),
    summary="at most 5 retry strategies (EvaluateOnExit conditions)",
    source=_EVALUATE_API,
)
def _retry_count(p: JobDefinitionProps) -> Iterator[Finding]:
    n = len(p.retry_strategies or ())
    if n > 5:
        yield Finding("retry_strategies", f"must hold at most 5 strategies, got {n}", n)


@rule(
    "jd-retry-reason-condition",
    construct=JD,
    properties=("retry_strategies[].on",),
    summary="a retry reason sets at least one of on_exit_code, on_reason, on_status_reason",
    source=_EVALUATE_API,
)
def _retry_condition(p: JobDefinitionProps) -> Iterator[Finding]:
    for i, r in enumerate(p.retry_strategies or ()):
        on = r.on
        if on.on_exit_code is None and on.on_reason is None and on.on_status_reason is None:
            yield Finding(
                f"retry_strategies[{i}].on",
                "must set at least one of on_exit_code, on_reason and on_status_reason",
            )


@rule(
    "jd-retry-exit-code-format",
    construct=JD,
    properties=("retry_strategies[].on.on_exit_code",),
    summary="on_exit_code is 1 to 512 digits, optionally ending with *",
    source=_EVALUATE_API,
)
def _retry_exit_code(p: JobDefinitionProps) -> Iterator[Finding]:
    for i, r in enumerate(p.retry_strategies or ()):
        code = r.on.on_exit_code
        if code is None or is_unknown(code):
            continue
        if not 1 <= len(code) <= 512 or not _EXIT_CODE.match(code):
            yield Finding(
                f"retry_strategies[{i}].on.on_exit_code",
                f"must be 1 to 512 digits, optionally ending with *, got {code!r}",
                code,
            )


@rule(
    "jd-retry-reason-format",
    construct=JD,
    properties=("retry_strategies[].on.on_reason", "retry_strategies[].on.on_status_reason"),
    summary=(
        "on_reason and on_status_reason are 1 to 512 letters, digits, periods, colons and "
        "white space, optionally ending with *"
    ),
    source=_EVALUATE_API,
)
def _retry_reason(p: JobDefinitionProps) -> Iterator[Finding]:
    for i, r in enumerate(p.retry_strategies or ()):
        for name, value in (
            ("on_reason", r.on.on_reason),
            ("on_status_reason", r.on.on_status_reason),
        ):
            if value is None or is_unknown(value):
                continue
            if not 1 <= len(value) <= 512 or not _REASON.match(value):
                yield Finding(
                    f"retry_strategies[{i}].on.{name}",
                    "must be 1 to 512 letters, digits, periods, colons and white space, "
                    f"optionally ending with *, got {value!r}",
                    value,
                )


@rule(
    "jd-scheduling-priority-range",
    construct=JD,
    properties=("scheduling_priority",),
    summary="scheduling_priority is a whole number from 0 to 9999",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html",
)
def _priority_range(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from in_range(p.scheduling_priority, "scheduling_priority", 0, 9999)
    yield from is_integer(p.scheduling_priority, "scheduling_priority")


@rule(
    "jd-fair-share-priority-missing",
    construct=JD,
    properties=("scheduling_priority",),
    summary=(
        "a definition granted for a queue with a scheduling policy has no scheduling_priority, "
        "so every submission must give one"
    ),
    source="https://docs.aws.amazon.com/batch/latest/userguide/job_scheduling.html",
    level="warning",
    on="grant",
)
def _fair_share_priority(subject: tuple[Any, Any]) -> Iterator[Finding]:
    priority, policy = subject
    if policy is not None and priority is None:
        yield Finding(
            "scheduling_priority",
            "is not set, but the queue has a scheduling policy: each job then needs "
            "scheduling_priority_override at submission",
        )


_CONSUMABLE_GUIDE = "https://docs.aws.amazon.com/batch/latest/userguide/resource-aware-scheduling-how-to-for-jobs.html"


def _resource_key(resource: Any) -> str | None:
    if isinstance(resource, str):
        return None if is_unknown(resource) else resource.rsplit("/", 1)[-1]
    arn = getattr(resource, "consumable_resource_arn", None)
    if isinstance(arn, str) and not is_unknown(arn):
        return arn.rsplit("/", 1)[-1]
    return f"object:{id(resource)}"


@rule(
    "jd-consumable-resources-count",
    construct=JD,
    properties=("consumable_resources",),
    summary="at most 5 consumable resources per job definition",
    source=_CONSUMABLE_GUIDE,
)
def _consumable_count(p: JobDefinitionProps) -> Iterator[Finding]:
    n = len(p.consumable_resources or ())
    if n > 5:
        yield Finding("consumable_resources", f"must hold at most 5 resources, got {n}", n)


@rule(
    "jd-consumable-quantity-range",
    construct=JD,
    properties=("consumable_resources[].quantity",),
    summary=(
        "a quantity is a whole number of at least 1 (the pages give only the type, an "
        "integer; a quantity of 0 would reserve nothing)"
    ),
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-batch-jobdefinition-consumableresourcerequirement.html",
)
def _consumable_quantity(p: JobDefinitionProps) -> Iterator[Finding]:
    for i, r in enumerate(p.consumable_resources or ()):
        yield from in_range(r.quantity, f"consumable_resources[{i}].quantity", low=1)
        yield from is_integer(r.quantity, f"consumable_resources[{i}].quantity")


@rule(
    "jd-consumable-quantity-total",
    construct=JD,
    properties=("consumable_resources[].quantity",),
    summary="a quantity above the resource's total_quantity keeps the job RUNNABLE forever",
    source=_CONSUMABLE_GUIDE,
    level="warning",
)
def _consumable_total(p: JobDefinitionProps) -> Iterator[Finding]:
    for i, r in enumerate(p.consumable_resources or ()):
        props = getattr(r.resource, "_props", None)
        total = getattr(props, "total_quantity", None)
        if (
            isinstance(total, int | float)
            and not is_unknown(total)
            and not is_unknown(r.quantity)
            and r.quantity > total
        ):
            yield Finding(
                f"consumable_resources[{i}].quantity",
                f"exceeds the resource's total_quantity ({fmt(total)}), got {fmt(r.quantity)}",
                r.quantity,
            )


@rule(
    "jd-consumable-resources-duplicate",
    construct=JD,
    properties=("consumable_resources[].resource",),
    summary="each consumable resource appears once in a job definition",
    source=_CONSUMABLE_GUIDE,
)
def _consumable_duplicate(p: JobDefinitionProps) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, r in enumerate(p.consumable_resources or ()):
        key = _resource_key(r.resource)
        if key is None:
            continue
        if key in seen:
            yield Finding(
                f"consumable_resources[{i}].resource",
                f"names the same resource as consumable_resources[{seen[key]}]",
            )
        else:
            seen[key] = i


# --- 0.2.0: Fargate runtime platform and ephemeral storage --------------------------

_RUNTIME_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_RuntimePlatform.html"
_SUPPORTED_FAMILIES = (
    "LINUX",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
)


def _family(t: JobDefinitionContainer | EcsTaskProperties) -> str | None:
    f = t.fargate_operating_system_family
    return None if f is None else (os_family_name(f) or "(custom)")


@rule(
    "jd-runtime-platform-fargate-only",
    construct=JD,
    properties=(
        "container.fargate_cpu_architecture",
        "container.fargate_operating_system_family",
        "container.ephemeral_storage_size",
    ),
    summary="the runtime platform and ephemeral storage are only for Fargate job definitions",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_EphemeralStorage.html",
)
def _platform_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.is_fargate:
        return
    places: list[tuple[str, Any]] = list(task_level(p))
    if p.node_props is not None:
        places += [
            (f"node_props.range_props[{i}].container", r.container)
            for i, r in enumerate(p.node_props.range_props)
        ]
    for path, t in places:
        for name in (
            "fargate_cpu_architecture",
            "fargate_operating_system_family",
            "ephemeral_storage_size",
        ):
            if getattr(t, name) is not None:
                yield Finding(
                    f"{path}.{name}",
                    "must not be set unless platform_capabilities includes FARGATE",
                )


@rule(
    "jd-ephemeral-storage-range",
    construct=JD,
    properties=("container.ephemeral_storage_size",),
    summary="ephemeral storage is a whole number of GiB from 21 to 200",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_EphemeralStorage.html",
)
def _ephemeral_range(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        size = t.ephemeral_storage_size
        if size is None or size.is_unresolved():
            continue
        gib = size.to_gibibytes(rounding=SizeRoundingBehavior.NONE)
        yield from in_range(gib, f"{path}.ephemeral_storage_size (GiB)", 21, 200)
        yield from is_integer(gib, f"{path}.ephemeral_storage_size (GiB)")


@rule(
    "jd-os-family-supported",
    construct=JD,
    properties=("container.fargate_operating_system_family",),
    summary=(
        "Batch on Fargate runs LINUX and WINDOWS_SERVER_2019/2022 CORE or FULL only (not the "
        "other aws_ecs families)"
    ),
    source=_RUNTIME_API,
)
def _os_family(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        family = _family(t)
        if family is not None and family not in _SUPPORTED_FAMILIES:
            yield Finding(
                f"{path}.fargate_operating_system_family",
                f"must be one of {', '.join(_SUPPORTED_FAMILIES)}, got {family}",
            )


@rule(
    "jd-windows-x86-only",
    construct=JD,
    properties=("container.fargate_cpu_architecture",),
    summary="Windows containers run on X86_64 only",
    source=_RUNTIME_API,
)
def _windows_x86(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        family = _family(t) or ""
        arch = t.fargate_cpu_architecture
        if (
            family.startswith("WINDOWS")
            and arch is not None
            and cpu_architecture_name(arch) != "X86_64"
        ):
            yield Finding(
                f"{path}.fargate_cpu_architecture",
                f"must be X86_64 with {family}, got {cpu_architecture_name(arch)}",
            )


@rule(
    "jd-windows-linux-settings",
    construct=JD,
    properties=(
        "container.linux_params",
        "container.privileged",
        "container.user",
        "container.ulimits",
        "container.read_only",
        "container.volumes",
    ),
    summary=(
        "a Windows container takes no linux_params, privileged, user, ulimits, read_only or "
        "EFS volumes"
    ),
    source=CONTAINER_API,
)
def _windows_settings(p: JobDefinitionProps) -> Iterator[Finding]:
    for tpath, t in task_level(p):
        family = _family(t) or ""
        if not family.startswith("WINDOWS"):
            continue
        for path, c in fargate_containers(p):
            for name, bad in (
                ("linux_params", c.linux_params is not None),
                ("privileged", bool(c.privileged)),
                ("user", c.user is not None),
                ("ulimits", bool(c.ulimits)),
                ("read_only", bool(c.read_only)),
            ):
                if bad:
                    yield Finding(f"{path}.{name}", f"must not be set with {family}")
        volumes = t.volumes or ()
        for i, v in enumerate(volumes):
            if v.efs_volume_configuration is not None:
                yield Finding(f"{tpath}.volumes[{i}]", f"must not be an EFS volume with {family}")


# --- 0.2.0: multi-container jobs (ecs_properties) -----------------------------------

_ECS_PROPS_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EcsProperties.html"
_TASK_CONTAINER_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_TaskContainerProperties.html"
)
_CONDITIONS = ("START", "COMPLETE", "SUCCESS", "HEALTHY")


@rule(
    "jd-container-or-ecs-properties",
    construct=JD,
    properties=("container", "ecs_properties", "node_props"),
    summary="exactly one of container and ecs_properties; ecs_properties not with node_props",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-batch-jobdefinition.html",
)
def _container_or_task(p: JobDefinitionProps) -> Iterator[Finding]:
    if (p.container is None) == (p.ecs_properties is None):
        given = "both" if p.container is not None else "neither"
        yield Finding("container", f"or ecs_properties must be given (exactly one), got {given}")
    if p.ecs_properties is not None and p.node_props is not None:
        yield Finding(
            "ecs_properties",
            "must not be set with node_props (multi-node jobs take containers per range)",
        )


@rule(
    "jd-task-containers-count",
    construct=JD,
    properties=("ecs_properties.containers",),
    summary=(
        "a task has 1 to 10 containers (EcsProperties holds exactly one task, and a task "
        "runs up to 10 containers)"
    ),
    source=_ECS_PROPS_API,
)
def _task_count(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.ecs_properties is None:
        return
    n = len(p.ecs_properties.containers)
    if not 1 <= n <= 10:
        yield Finding("ecs_properties.containers", f"must hold 1 to 10 containers, got {n}", n)


@rule(
    "jd-task-container-names",
    construct=JD,
    properties=("ecs_properties.containers[].name",),
    summary=(
        "with more than one container each has a name, unique in the task, of up to 255 "
        "letters, digits, hyphens and underscores"
    ),
    source=_TASK_CONTAINER_API,
)
def _task_names(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.ecs_properties is None:
        return
    containers = p.ecs_properties.containers
    seen: dict[str, int] = {}
    for i, c in enumerate(containers):
        path = f"ecs_properties.containers[{i}].name"
        if c.name is None:
            if len(containers) > 1:
                yield Finding(path, "is required when the task has more than one container")
            continue
        if is_unknown(c.name):
            continue
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,255}", c.name):
            yield Finding(
                path,
                f"must be 1 to 255 letters, digits, hyphens and underscores, got {c.name!r}",
                c.name,
            )
        if c.name in seen:
            yield Finding(
                path, f"must be unique, got {c.name!r} again (containers[{seen[c.name]}])"
            )
        else:
            seen[c.name] = i


@rule(
    "jd-task-essential-container",
    construct=JD,
    properties=("ecs_properties.containers[].essential",),
    summary="at least one container of a task is essential (unset counts as essential)",
    source=_TASK_CONTAINER_API,
)
def _task_essential(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.ecs_properties is None or not p.ecs_properties.containers:
        return
    if all(c.essential is False for c in p.ecs_properties.containers):
        yield Finding(
            "ecs_properties.containers", "must hold at least one essential container, got none"
        )


@rule(
    "jd-task-depends-on",
    construct=JD,
    properties=("ecs_properties.containers[].depends_on",),
    summary=(
        "depends_on names other containers of the task, with START, COMPLETE, SUCCESS or "
        "HEALTHY, and the dependencies form no cycle"
    ),
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_TaskContainerDependency.html",
)
def _task_depends_on(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.ecs_properties is None:
        return
    containers = p.ecs_properties.containers
    names = {c.name for c in containers if c.name is not None}
    graph: dict[str, list[str]] = {}
    for i, c in enumerate(containers):
        for j, d in enumerate(c.depends_on or ()):
            path = f"ecs_properties.containers[{i}].depends_on[{j}]"
            if d.condition not in _CONDITIONS:
                yield Finding(
                    f"{path}.condition",
                    f"must be one of {', '.join(_CONDITIONS)}, got {d.condition!r}",
                    d.condition,
                )
            target = d.container_name
            if is_unknown(target):
                continue
            if target == c.name:
                yield Finding(
                    f"{path}.container_name", f"must not name the container itself ({target!r})"
                )
            elif target not in names:
                yield Finding(
                    f"{path}.container_name",
                    f"must name a container of the task, got {target!r}",
                    target,
                )
            elif c.name is not None:
                graph.setdefault(c.name, []).append(target)
    cycle = _find_cycle(graph)
    if cycle:
        yield Finding(
            "ecs_properties.containers",
            "must not depend on each other in a cycle, got " + " -> ".join(cycle),
        )


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None
