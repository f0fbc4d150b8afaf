"""The rules of the JobDefinition keywords of the classic API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aws_cdk import Stack

from ..._core.checks import duration_at_least, in_range, is_integer, name_format
from ..._core.registry import Finding, rule
from ..._core.tokens import fmt, is_unknown
from ..._props.corrected import corrected_defaults
from ..._props.job_definition import (
    EcsTaskProperties,
    IMultiNodeProps,
    JobDefinitionContainer,
    JobDefinitionProps,
    LogDriver,
    TaskContainer,
    default_resources,
)
from ...flags import SANE_MEMORY
from .common import CONTAINER_API, JD, fargate_containers, task_level

_FARGATE_GUIDE = "https://docs.aws.amazon.com/batch/latest/userguide/fargate.html"
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
    construct=JD,
    properties=("job_definition_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html",
)
def _name_format(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from name_format(p.job_definition_name, "job_definition_name")


@rule(
    "jd-retry-attempts-range",
    construct=JD,
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
    construct=JD,
    properties=("timeout",),
    summary="a timeout is at least 60 seconds",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_JobTimeout.html",
)
def _timeout_minimum(p: JobDefinitionProps) -> Iterator[Finding]:
    yield from duration_at_least(p.timeout, "timeout", 60)


# --- values the alpha replaced by a default --------------------------------------
# These read the corrected-defaults flags marked on the props, since a flag can
# change the default that is rendered.


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
    construct=JD,
    properties=("container.vcpus",),
    summary="a vcpus of 0 is rendered as the default (1 on EC2, 0.25 on Fargate)",
    source=_RESOURCES_API,
    level="warning",
)
def _zero_vcpus(p: JobDefinitionProps) -> Iterator[Finding]:
    sane = SANE_MEMORY in corrected_defaults(p)
    vcpus, _ = default_resources(p.is_fargate, sane_memory=sane)
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
    construct=JD,
    properties=("container.memory_limit_mib",),
    summary=(
        "a memory_limit_mib of 0 is rendered as the default (512 MiB on Fargate; on EC2 4, "
        "or 2048 with saneMemory)"
    ),
    source=_RESOURCES_API,
    level="warning",
)
def _zero_memory(p: JobDefinitionProps) -> Iterator[Finding]:
    sane = SANE_MEMORY in corrected_defaults(p)
    _, memory = default_resources(p.is_fargate, sane_memory=sane)
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
    construct=JD,
    properties=("retry_attempts",),
    summary="a retry_attempts of 0 is rendered as 1 (one attempt, no retry)",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RetryStrategy.html",
    level="warning",
)
def _zero_attempts(p: JobDefinitionProps) -> Iterator[Finding]:
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
    construct=JD,
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
    construct=JD,
    properties=("container.environment",),
    summary="environment variable names must not start with AWS_BATCH",
    source=CONTAINER_API,
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
    construct=JD,
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
    construct=JD,
    properties=("container.instance_type",),
    summary="instance_type only applies to the node ranges of a multi-node job",
    source=CONTAINER_API,
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
    construct=JD,
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
    construct=JD,
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
    construct=JD,
    properties=("container.assign_public_ip", "platform_capabilities"),
    summary="assign_public_ip is not allowed when the job can run on EC2",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_NetworkConfiguration.html",
    alpha_checks=True,
)
def _public_ip_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        if t.assign_public_ip is not None and p.is_ec2:
            yield Finding(
                f"{path}.assign_public_ip",
                "must not be set when the job can run on EC2 (platform_capabilities includes "
                "EC2, the default); it only applies to Fargate",
                t.assign_public_ip,
            )


@rule(
    "jd-platform-version-fargate-only",
    construct=JD,
    properties=("container.platform_version", "platform_capabilities"),
    summary="platform_version is only for Fargate job definitions",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_FargatePlatformConfiguration.html",
)
def _platform_version_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        if t.platform_version is not None and _ec2_only(p):
            yield Finding(
                f"{path}.platform_version",
                "must not be set for an EC2 job definition; it only applies to Fargate",
                t.platform_version,
            )


# --- Fargate -----------------------------------------------------------------------


@rule(
    "jd-fargate-execution-role-required",
    construct=JD,
    properties=("container.execution_role", "platform_capabilities"),
    summary="a Fargate job definition needs an execution role (the executionRole flag makes one)",
    source=_FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_needs_execution_role(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
        if p.is_fargate and t.execution_role is None:
            yield Finding(
                f"{path}.execution_role",
                "is required when platform_capabilities includes FARGATE; give one, or turn on "
                "the executionRole flag (cdk_batch.flags.EXECUTION_ROLE) to have one created",
            )


@rule(
    "jd-fargate-gpu-absent",
    construct=JD,
    properties=("container.gpu_count", "platform_capabilities"),
    summary="a Fargate job definition cannot reserve GPUs",
    source=_FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_without_gpu(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in fargate_containers(p):
        if c.gpu_count is not None:
            yield Finding(
                f"{path}.gpu_count",
                "must not be set when platform_capabilities includes FARGATE; Fargate has no GPUs",
                c.gpu_count,
            )


@rule(
    "jd-fargate-resources-combination",
    construct=JD,
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
    construct=JD,
    properties=("container.privileged",),
    summary="a Fargate container cannot be privileged",
    source=_FARGATE_GUIDE,
)
def _fargate_not_privileged(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in fargate_containers(p):
        if c.privileged:
            yield Finding(f"{path}.privileged", "must not be true on Fargate", True)


@rule(
    "jd-fargate-ulimits-absent",
    construct=JD,
    properties=("container.ulimits",),
    summary="a Fargate container takes no ulimits",
    source=_FARGATE_GUIDE,
)
def _fargate_no_ulimits(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in fargate_containers(p):
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
    construct=JD,
    properties=("container.linux_params",),
    summary="on Fargate, Linux parameters take only init_process_enabled",
    source=_LINUX_API,
)
def _fargate_linux(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in fargate_containers(p):
        linux = _linux(c)
        for key, name in _FARGATE_LINUX:
            if linux.get(key) not in (None, []):
                yield Finding(
                    f"{path}.linux_params.{name}",
                    "must not be set on Fargate; only init_process_enabled applies there",
                )


@rule(
    "jd-fargate-log-driver",
    construct=JD,
    properties=("container.log_configuration.log_driver",),
    summary="on Fargate the log driver is AWSLOGS or SPLUNK",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_LogConfiguration.html",
)
def _fargate_log_driver(p: JobDefinitionProps) -> Iterator[Finding]:
    if not p.is_fargate:
        return
    for path, c in fargate_containers(p):
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
    construct=JD,
    properties=("container.platform_version",),
    summary="the Fargate platform version is LATEST, 1.3.0 or 1.4.0",
    source="https://docs.aws.amazon.com/batch/latest/userguide/fargate.html",
)
def _fargate_platform_version(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, t in task_level(p):
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
    construct=JD,
    properties=("node_props", "platform_capabilities"),
    summary="multi-node parallel jobs cannot run on Fargate",
    source=_NODES_API,
)
def _multinode_not_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.node_props is not None and p.is_fargate:
        yield Finding("node_props", "must not be set when platform_capabilities includes FARGATE")


@rule(
    "jd-multinode-main-node",
    construct=JD,
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
    construct=JD,
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
    construct=JD,
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
    construct=JD,
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
    construct=JD,
    properties=("node_props.range_props[].container.instance_type",),
    summary="every node range of a multi-node job uses the same instance type",
    source=CONTAINER_API,
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
