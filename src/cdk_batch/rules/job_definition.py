"""The rules of JobDefinition props.

Resource rules check the value that would be rendered: a ``vcpus`` or
``memory_limit_mib`` of 0 (or none) is the platform's default and a
``retry_attempts`` of 0 is 1, as in the template. A multi-node definition is
checked container by container, each under its ``node_props.range_props[i]``
path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aws_cdk import SizeRoundingBehavior, Stack

from .._core.checks import duration_at_least, in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.job_definition import (
    EcsTaskProperties,
    IMultiNodeProps,
    JobDefinitionContainer,
    JobDefinitionProps,
    LogDriver,
    TaskContainer,
    cpu_architecture_name,
    default_resources,
    os_family_name,
)
from ..flags import SANE_MEMORY

_JD = "JobDefinition"
_FARGATE_GUIDE = "https://docs.aws.amazon.com/batch/latest/userguide/fargate.html"
_CONTAINER_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html"
)
_RESOURCES_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html"
)
_LINUX_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_LinuxParameters.html"
_NODES_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_NodeProperties.html"
_RANGE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_NodeRangeProperty.html"

# The vCPU values of a Fargate job and, for each, the memory sizes (MiB) allowed.
FARGATE_MEMORY: dict[float, tuple[int, ...]] = {
    0.25: (512, 1024, 2048),
    0.5: tuple(range(1024, 4096 + 1, 1024)),
    1: tuple(range(2048, 8192 + 1, 1024)),
    2: tuple(range(4096, 16384 + 1, 1024)),
    4: tuple(range(8192, 30720 + 1, 1024)),
    8: tuple(range(16384, 61440 + 1, 4096)),
    16: tuple(range(32768, 122880 + 1, 8192)),
}


def _fargate_containers(
    p: JobDefinitionProps,
) -> Iterator[tuple[str, JobDefinitionContainer | TaskContainer]]:
    """The containers the Fargate rules check: the job's container or the task's."""
    if p.ecs_properties is not None:
        yield from p.rendered_containers()
    elif p.container is not None:
        yield "container", p.container


def _task_level(
    p: JobDefinitionProps,
) -> Iterator[tuple[str, JobDefinitionContainer | EcsTaskProperties]]:
    """Where the task-level settings (roles, platform, network) are: container or task."""
    if p.ecs_properties is not None:
        yield "ecs_properties", p.ecs_properties
    elif p.container is not None:
        yield "container", p.container


def _ec2_only(p: JobDefinitionProps) -> bool:
    return p.is_ec2 and not p.is_fargate


def _linux(c: JobDefinitionContainer | TaskContainer) -> dict[str, Any]:
    """The rendered ECS form of the container's Linux parameters, resolved."""
    params = c.linux_params
    if params is None:
        return {}
    rendered = params.render_linux_parameters()
    resolved = Stack.of(params).resolve(rendered)
    return resolved if isinstance(resolved, dict) else {}


# --- names, retries, timeout ---------------------------------------------------


@rule(
    "jd-name-format",
    construct=_JD,
    properties=("job_definition_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html",
)
def _name_format(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from name_format(p.job_definition_name, "job_definition_name")


@rule(
    "jd-retry-attempts-range",
    construct=_JD,
    properties=("retry_attempts",),
    summary="retry_attempts is a whole number from 1 to 10 (0 means the default 1)",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RetryStrategy.html",
)
def _retry_range(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.retry_attempts:
        yield from in_range(p.retry_attempts, "retry_attempts", 1, 10)
        yield from is_integer(p.retry_attempts, "retry_attempts")


@rule(
    "jd-timeout-minimum",
    construct=_JD,
    properties=("timeout",),
    summary="a timeout is at least 60 seconds",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_JobTimeout.html",
)
def _timeout_minimum(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from duration_at_least(p.timeout, "timeout", 60)


# --- values the alpha replaced by a default --------------------------------------
# These read the props together with the corrected-defaults flags on the
# definition, since a flag can change the default that is rendered.

_Defaults = tuple[JobDefinitionProps, frozenset[str]]


def _coercible_containers(p: JobDefinitionProps) -> Iterator[tuple[str, JobDefinitionContainer]]:
    """The containers whose 0 values render the default: the job's and the node ranges'."""
    if p.ecs_properties is not None:
        return  # a task container renders what it is given
    for path, c in p.rendered_containers():
        if isinstance(c, JobDefinitionContainer):
            yield path, c


def _is_zero(value: object) -> bool:
    return not is_unknown(value) and isinstance(value, (int, float)) and value == 0


@rule(
    "jd-vcpus-zero",
    construct=_JD,
    properties=("container.vcpus",),
    summary="a vcpus of 0 is rendered as the default (1 on EC2, 0.25 on Fargate)",
    source=_RESOURCES_API,
    level="warning",
    on="defaults",
)
def _zero_vcpus(subject: _Defaults) -> Iterator[Finding]:
    p, corrected = subject
    vcpus, _ = default_resources(p.is_fargate, sane_memory=SANE_MEMORY in corrected)
    for path, c in _coercible_containers(p):
        if _is_zero(c.vcpus):
            yield Finding(
                f"{path}.vcpus",
                f"of 0 is rendered as the default {fmt(vcpus)} vCPU, as the alpha did; "
                "give the vCPUs you want",
                0,
            )


@rule(
    "jd-memory-zero",
    construct=_JD,
    properties=("container.memory_limit_mib",),
    summary=(
        "a memory_limit_mib of 0 is rendered as the default (512 MiB on Fargate; on EC2 4, "
        "or 2048 with saneMemory)"
    ),
    source=_RESOURCES_API,
    level="warning",
    on="defaults",
)
def _zero_memory(subject: _Defaults) -> Iterator[Finding]:
    p, corrected = subject
    _, memory = default_resources(p.is_fargate, sane_memory=SANE_MEMORY in corrected)
    for path, c in _coercible_containers(p):
        if _is_zero(c.memory_limit_mib):
            yield Finding(
                f"{path}.memory_limit_mib",
                f"of 0 is rendered as the default {memory} MiB, as the alpha did; "
                "give the memory you want",
                0,
            )


@rule(
    "jd-retry-attempts-zero",
    construct=_JD,
    properties=("retry_attempts",),
    summary="a retry_attempts of 0 is rendered as 1 (one attempt, no retry)",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RetryStrategy.html",
    level="warning",
    on="defaults",
)
def _zero_attempts(subject: _Defaults) -> Iterator[Finding]:
    p, _ = subject
    if _is_zero(p.retry_attempts):
        yield Finding(
            "retry_attempts",
            "of 0 is rendered as 1 (one attempt, no retry), as the alpha did; "
            "give 1 to 10 attempts",
            0,
        )


# --- containers on every platform ---------------------------------------------


@rule(
    "jd-log-driver-supported",
    construct=_JD,
    properties=("container.log_configuration.log_driver",),
    summary="the log driver must be one that AWS Batch supports (not LOGENTRIES)",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_LogConfiguration.html",
)
def _supported_log_driver(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, c in p.rendered_containers():
        log = c.log_configuration
        if log is not None and log.log_driver is LogDriver.LOGENTRIES:
            supported = ", ".join(d.name for d in LogDriver if d is not LogDriver.LOGENTRIES)
            yield Finding(
                f"{path}.log_configuration.log_driver",
                f"must be one of {supported}; AWS Batch does not support LOGENTRIES",
                log.log_driver,
            )


@rule(
    "jd-environment-reserved-names",
    construct=_JD,
    properties=("container.environment",),
    summary="environment variable names must not start with AWS_BATCH",
    source=_CONTAINER_API,
)
def _reserved_environment(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, c in p.rendered_containers():
        for name in c.environment or {}:
            if not is_unknown(name) and name.startswith("AWS_BATCH"):
                yield Finding(
                    f"{path}.environment",
                    f"must not name variables starting with AWS_BATCH (reserved), got {name!r}",
                    name,
                )


@rule(
    "jd-linux-parameters-capabilities",
    construct=_JD,
    properties=("container.linux_params",),
    summary="kernel capabilities are not supported by AWS Batch and are not rendered",
    source=_LINUX_API,
    level="warning",
)
def _capabilities(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, c in p.rendered_containers():
        caps = _linux(c).get("capabilities") or {}
        if caps.get("add") or caps.get("drop"):
            yield Finding(
                f"{path}.linux_params",
                "holds kernel capabilities, which AWS Batch does not support; they are "
                "not rendered",
            )


@rule(
    "jd-instance-type-multinode-only",
    construct=_JD,
    properties=("container.instance_type",),
    summary="instance_type only applies to the node ranges of a multi-node job",
    source=_CONTAINER_API,
    level="warning",
)
def _instance_type_single_node(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.node_props is None and p.container is not None and p.container.instance_type is not None:
        yield Finding(
            "container.instance_type",
            "only applies to the node ranges of a multi-node job and is not rendered "
            "(CloudFormation refuses it here)",
        )


# --- EC2 -------------------------------------------------------------------------


@rule(
    "jd-ec2-resources-minimum",
    construct=_JD,
    properties=("container.vcpus", "container.memory_limit_mib"),
    summary="on EC2 a container needs at least 1 vCPU and 4 MiB of memory",
    source=_RESOURCES_API,
)
def _ec2_minimum(p: JobDefinitionProps) -> Iterator[Finding]:
    if not _ec2_only(p):
        return
    for path, c in p.rendered_containers():
        if c.vcpus:
            for f in in_range(c.vcpus, f"{path}.vcpus", low=1):
                # Fractions are a Fargate size; say where the minimum comes from.
                yield Finding(
                    f.property,
                    f.message.replace(
                        "at least 1,",
                        "at least 1 on EC2 resources (0.25 and 0.5 are Fargate sizes),",
                    ),
                    f.value,
                )
        if c.memory_limit_mib:
            yield from in_range(c.memory_limit_mib, f"{path}.memory_limit_mib", low=4)


@rule(
    "jd-ec2-vcpus-whole",
    construct=_JD,
    properties=("container.vcpus",),
    summary="on EC2, vCPUs are whole numbers",
    source=_RESOURCES_API,
    level="warning",
)
def _ec2_whole_vcpus(p: JobDefinitionProps) -> Iterator[Finding]:
    if not _ec2_only(p):
        return
    for path, c in p.rendered_containers():
        if c.vcpus:
            yield from is_integer(c.vcpus, f"{path}.vcpus")


@rule(
    "jd-assign-public-ip-fargate-only",
    construct=_JD,
    properties=("container.assign_public_ip", "platform_capabilities"),
    summary="assign_public_ip is not allowed when the job can run on EC2",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_NetworkConfiguration.html",
    alpha_checks=True,
)
def _public_ip_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        if t.assign_public_ip is not None and p.is_ec2:
            yield Finding(
                f"{path}.assign_public_ip",
                "must not be set when the job can run on EC2 (platform_capabilities includes "
                "EC2, the default); it only applies to Fargate",
                t.assign_public_ip,
            )


@rule(
    "jd-platform-version-fargate-only",
    construct=_JD,
    properties=("container.platform_version", "platform_capabilities"),
    summary="platform_version is only for Fargate job definitions",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_FargatePlatformConfiguration.html",
)
def _platform_version_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        if t.platform_version is not None and _ec2_only(p):
            yield Finding(
                f"{path}.platform_version",
                "must not be set for an EC2 job definition; it only applies to Fargate",
                t.platform_version,
            )


# --- Fargate -----------------------------------------------------------------------


@rule(
    "jd-fargate-execution-role-required",
    construct=_JD,
    properties=("container.execution_role", "platform_capabilities"),
    summary="a Fargate job definition needs an execution role (the executionRole flag makes one)",
    source=_FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_needs_execution_role(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        if p.is_fargate and t.execution_role is None:
            yield Finding(
                f"{path}.execution_role",
                "is required when platform_capabilities includes FARGATE; give one, or turn on "
                "the executionRole flag (cdk_batch.flags.EXECUTION_ROLE) to have one created",
            )


@rule(
    "jd-fargate-gpu-absent",
    construct=_JD,
    properties=("container.gpu_count", "platform_capabilities"),
    summary="a Fargate job definition cannot reserve GPUs",
    source=_FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_without_gpu(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in _fargate_containers(p):
        if c.gpu_count is not None:
            yield Finding(
                f"{path}.gpu_count",
                "must not be set when platform_capabilities includes FARGATE; Fargate has no GPUs",
                c.gpu_count,
            )


@rule(
    "jd-fargate-resources-combination",
    construct=_JD,
    properties=("container.vcpus", "container.memory_limit_mib"),
    summary="on Fargate, vCPUs and memory form one of the supported pairs",
    source=_RESOURCES_API,
)
def _fargate_pairs(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    if p.ecs_properties is not None:
        yield from _fargate_task_pairs(p.ecs_properties)
        return
    c = p.container
    if c is None:
        return
    yield from _fargate_pair(c.vcpus or 0.25, c.memory_limit_mib or 512, "container", "")


def _fargate_task_pairs(task: EcsTaskProperties) -> Iterator[Finding]:
    # The task's size is the sum over its containers (unset counts as 0).
    vcpu_values = [c.vcpus or 0 for c in task.containers]
    memory_values = [c.memory_limit_mib or 0 for c in task.containers]
    if any(is_unknown(v) for v in vcpu_values + memory_values):
        return
    vcpus = round(sum(vcpu_values), 4)
    memory = sum(memory_values)
    yield from _fargate_pair(
        vcpus, memory, "ecs_properties.containers", " (the sum over the containers)"
    )


def _fargate_pair(vcpus: float, memory: float, path: str, total: str) -> Iterator[Finding]:
    if is_unknown(vcpus):
        return
    if vcpus not in FARGATE_MEMORY:
        allowed = ", ".join(fmt(v) for v in FARGATE_MEMORY)
        yield Finding(
            f"{path}.vcpus", f"must be one of {allowed} on Fargate{total}, got {fmt(vcpus)}"
        )
        return
    sizes = FARGATE_MEMORY[vcpus]
    if not is_unknown(memory) and memory not in sizes:
        step = sizes[1] - sizes[0]
        allowed = (
            ", ".join(map(str, sizes))
            if len(sizes) <= 4
            else f"{sizes[0]} to {sizes[-1]} in steps of {step}"
        )
        yield Finding(
            f"{path}.memory_limit_mib",
            f"must be {allowed} with {fmt(vcpus)} vCPU on Fargate{total}, got {fmt(memory)}",
            memory,
        )


@rule(
    "jd-fargate-privileged-absent",
    construct=_JD,
    properties=("container.privileged",),
    summary="a Fargate container cannot be privileged",
    source=_FARGATE_GUIDE,
)
def _fargate_not_privileged(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in _fargate_containers(p):
        if c.privileged:
            yield Finding(f"{path}.privileged", "must not be true on Fargate", True)


@rule(
    "jd-fargate-ulimits-absent",
    construct=_JD,
    properties=("container.ulimits",),
    summary="a Fargate container takes no ulimits",
    source=_FARGATE_GUIDE,
)
def _fargate_no_ulimits(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in _fargate_containers(p):
        if c.ulimits:
            yield Finding(f"{path}.ulimits", f"must be empty on Fargate, got {len(c.ulimits)}")


_FARGATE_LINUX = (
    ("devices", "devices"),
    ("tmpfs", "tmpfs"),
    ("sharedMemorySize", "shared_memory_size"),
    ("maxSwap", "max_swap"),
    ("swappiness", "swappiness"),
)


@rule(
    "jd-fargate-linux-parameters",
    construct=_JD,
    properties=("container.linux_params",),
    summary="on Fargate, Linux parameters take only init_process_enabled",
    source=_LINUX_API,
)
def _fargate_linux(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in _fargate_containers(p):
        linux = _linux(c)
        for key, name in _FARGATE_LINUX:
            if linux.get(key) not in (None, []):
                yield Finding(
                    f"{path}.linux_params.{name}",
                    "must not be set on Fargate; only init_process_enabled applies there",
                )


@rule(
    "jd-fargate-log-driver",
    construct=_JD,
    properties=("container.log_configuration.log_driver",),
    summary="on Fargate the log driver is AWSLOGS or SPLUNK",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_LogConfiguration.html",
)
def _fargate_log_driver(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in _fargate_containers(p):
        log = c.log_configuration
        if log is not None and log.log_driver not in (
            LogDriver.AWSLOGS,
            LogDriver.SPLUNK,
            LogDriver.LOGENTRIES,
        ):
            yield Finding(
                f"{path}.log_configuration.log_driver",
                f"must be AWSLOGS or SPLUNK on Fargate, got {log.log_driver.name}",
                log.log_driver,
            )


@rule(
    "jd-fargate-platform-version",
    construct=_JD,
    properties=("container.platform_version",),
    summary="the Fargate platform version is LATEST, 1.3.0 or 1.4.0",
    source="https://docs.aws.amazon.com/batch/latest/userguide/fargate.html",
)
def _fargate_platform_version(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        version = t.platform_version
        if p.is_fargate and version is not None and version.name not in _PLATFORM_VERSIONS:
            yield Finding(
                f"{path}.platform_version",
                f"must be LATEST, VERSION1_3 or VERSION1_4, got {version.name}",
                version,
            )


_PLATFORM_VERSIONS = ("LATEST", "VERSION1_3", "VERSION1_4")


# --- multi-node -------------------------------------------------------------------


def _node_counts(nodes: IMultiNodeProps) -> float | None:
    return None if is_unknown(nodes.count) else nodes.count


@rule(
    "jd-multinode-not-fargate",
    construct=_JD,
    properties=("node_props", "platform_capabilities"),
    summary="multi-node parallel jobs cannot run on Fargate",
    source=_NODES_API,
)
def _multinode_not_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.node_props is not None and p.is_fargate:
        yield Finding("node_props", "must not be set when platform_capabilities includes FARGATE")


@rule(
    "jd-multinode-main-node",
    construct=_JD,
    properties=("node_props.count", "node_props.main_node"),
    summary="a multi-node job has at least 1 node and its main node index is below count",
    source=_NODES_API,
)
def _main_node(p: JobDefinitionProps) -> Iterator[Finding]:
    nodes = p.node_props
    if nodes is None:
        return
    yield from in_range(nodes.count, "node_props.count", low=1)
    yield from is_integer(nodes.count, "node_props.count")
    count = _node_counts(nodes)
    high = count - 1 if count is not None and count >= 1 else None
    yield from in_range(nodes.main_node, "node_props.main_node", 0, high)


@rule(
    "jd-multinode-ranges",
    construct=_JD,
    properties=("node_props.range_props",),
    summary="node ranges lie within 0..count-1, start before they end and cover every node",
    source=_RANGE_API,
)
def _ranges(p: JobDefinitionProps) -> Iterator[Finding]:
    nodes = p.node_props
    if nodes is None:
        return
    count = _node_counts(nodes)
    if not nodes.range_props:
        yield Finding("node_props.range_props", "must hold at least 1 range, got 0", 0)
        return
    if count is None or count < 1:
        return
    last = count - 1
    covered: set[int] = set()
    for i, r in enumerate(nodes.range_props):
        start = 0 if r.from_node_index is None else r.from_node_index
        end = last if r.to_node_index is None else r.to_node_index
        path = f"node_props.range_props[{i}]"
        if is_unknown(start) or is_unknown(end):
            return
        if not (0 <= start <= last and 0 <= end <= last):
            yield Finding(
                path,
                f"must lie within nodes 0 to {fmt(last)}, got {fmt(start)}:{fmt(end)}",
            )
        elif start > end:
            yield Finding(path, f"must not start after it ends, got {fmt(start)}:{fmt(end)}")
        else:
            covered.update(range(int(start), int(end) + 1))
    missing = sorted(set(range(int(last) + 1)) - covered)
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        yield Finding("node_props.range_props", f"must cover every node, missing {shown}")


@rule(
    "jd-multinode-ranges-overlap",
    construct=_JD,
    properties=("node_props.range_props",),
    summary="node ranges are disjoint or nested (a nested range overrides the outer one)",
    source=_RANGE_API,
    level="warning",
)
def _ranges_overlap(p: JobDefinitionProps) -> Iterator[Finding]:
    nodes = p.node_props
    if nodes is None or is_unknown(nodes.count):
        return
    last = nodes.count - 1
    spans: list[tuple[float, float]] = []
    for r in nodes.range_props:
        start = 0 if r.from_node_index is None else r.from_node_index
        end = last if r.to_node_index is None else r.to_node_index
        if is_unknown(start) or is_unknown(end):
            return
        spans.append((start, end))
    for i, (a0, a1) in enumerate(spans):
        for j, (b0, b1) in enumerate(spans[i + 1 :], start=i + 1):
            overlap = a0 <= b1 and b0 <= a1
            nested = (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)
            if overlap and not nested:
                yield Finding(
                    "node_props.range_props",
                    f"ranges {i} ({fmt(a0)}:{fmt(a1)}) and {j} ({fmt(b0)}:{fmt(b1)}) overlap "
                    "without one containing the other; AWS Batch documents only nested ranges",
                )


@rule(
    "jd-multinode-range-count",
    construct=_JD,
    properties=("node_props.range_props",),
    summary="at most 5 node ranges",
    source="https://docs.aws.amazon.com/batch/latest/userguide/mnp-node-groups.html",
    level="warning",
)
def _range_count(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.node_props is not None and len(p.node_props.range_props) > 5:
        n = len(p.node_props.range_props)
        yield Finding("node_props.range_props", f"should hold at most 5 ranges, got {n}", n)


@rule(
    "jd-multinode-instance-type",
    construct=_JD,
    properties=("node_props.range_props[].container.instance_type",),
    summary="every node range of a multi-node job uses the same instance type",
    source=_CONTAINER_API,
)
def _same_instance_type(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.node_props is None:
        return
    types = {
        r.container.instance_type.to_string()
        for r in p.node_props.range_props
        if r.container.instance_type is not None
    }
    if len(types) > 1:
        yield Finding(
            "node_props.range_props",
            "must use one instance type in every range, got " + ", ".join(sorted(types)),
        )


# --- 0.2.0: retry strategies, priority, consumable resources --------------------

_EVALUATE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html"
_EXIT_CODE = re.compile(r"^[0-9]*\*?$")
_REASON = re.compile(r"^[A-Za-z0-9.:\s]*\*?$")


@rule(
    "jd-retry-strategies-count",
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
    properties=("scheduling_priority",),
    summary="scheduling_priority is a whole number from 0 to 9999",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html",
)
def _priority_range(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from in_range(p.scheduling_priority, "scheduling_priority", 0, 9999)
    yield from is_integer(p.scheduling_priority, "scheduling_priority")


@rule(
    "jd-fair-share-priority-missing",
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    places: list[tuple[str, Any]] = list(_task_level(p))
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
    construct=_JD,
    properties=("container.ephemeral_storage_size",),
    summary="ephemeral storage is a whole number of GiB from 21 to 200",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_EphemeralStorage.html",
)
def _ephemeral_range(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        size = t.ephemeral_storage_size
        if size is None or size.is_unresolved():
            continue
        gib = size.to_gibibytes(rounding=SizeRoundingBehavior.NONE)
        yield from in_range(gib, f"{path}.ephemeral_storage_size (GiB)", 21, 200)
        yield from is_integer(gib, f"{path}.ephemeral_storage_size (GiB)")


@rule(
    "jd-os-family-supported",
    construct=_JD,
    properties=("container.fargate_operating_system_family",),
    summary=(
        "Batch on Fargate runs LINUX and WINDOWS_SERVER_2019/2022 CORE or FULL only (not the "
        "other aws_ecs families)"
    ),
    source=_RUNTIME_API,
)
def _os_family(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
        family = _family(t)
        if family is not None and family not in _SUPPORTED_FAMILIES:
            yield Finding(
                f"{path}.fargate_operating_system_family",
                f"must be one of {', '.join(_SUPPORTED_FAMILIES)}, got {family}",
            )


@rule(
    "jd-windows-x86-only",
    construct=_JD,
    properties=("container.fargate_cpu_architecture",),
    summary="Windows containers run on X86_64 only",
    source=_RUNTIME_API,
)
def _windows_x86(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in _task_level(p):
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
    construct=_JD,
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
    source=_CONTAINER_API,
)
def _windows_settings(p: JobDefinitionProps) -> Iterator[Finding]:
    for tpath, t in _task_level(p):
        family = _family(t) or ""
        if not family.startswith("WINDOWS"):
            continue
        for path, c in _fargate_containers(p):
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
    construct=_JD,
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
