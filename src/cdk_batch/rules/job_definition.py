"""The rules of JobDefinition props.

Resource rules check the value that would be rendered: a ``vcpus`` or
``memory_limit_mib`` of 0 (or none) is the platform's default and a
``retry_attempts`` of 0 is 1, as in the template. A multi-node definition is
checked container by container, each under its ``node_props.range_props[i]``
path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aws_cdk import Stack

from .._core.checks import in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.job_definition import (
    IMultiNodeProps,
    JobDefinitionContainer,
    JobDefinitionProps,
    LogDriver,
)

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


def _containers(p: JobDefinitionProps) -> Iterator[tuple[str, JobDefinitionContainer]]:
    """The containers that are rendered, with their property paths."""
    if p.node_props is None:
        yield "container", p.container
        return
    for i, r in enumerate(p.node_props.range_props):
        yield f"node_props.range_props[{i}].container", r.container


def _ec2_only(p: JobDefinitionProps) -> bool:
    return p.is_ec2 and not p.is_fargate


def _linux(c: JobDefinitionContainer) -> dict[str, Any]:
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
    if p.timeout is None or p.timeout.is_unresolved():
        return
    seconds = p.timeout.to_seconds()
    if seconds < 60:
        yield Finding(
            "timeout", f"must be at least 60 seconds, got {fmt(seconds)} seconds", seconds
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
    for path, c in _containers(p):
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
    for path, c in _containers(p):
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
    for path, c in _containers(p):
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
    if p.node_props is None and p.container.instance_type is not None:
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
    for path, c in _containers(p):
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
    for path, c in _containers(p):
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
    if p.container.assign_public_ip is not None and p.is_ec2:
        yield Finding(
            "container.assign_public_ip",
            "must not be set when the job can run on EC2 (platform_capabilities includes "
            "EC2, the default); it only applies to Fargate",
            p.container.assign_public_ip,
        )


@rule(
    "jd-platform-version-fargate-only",
    construct=_JD,
    properties=("container.platform_version", "platform_capabilities"),
    summary="platform_version is only for Fargate job definitions",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_FargatePlatformConfiguration.html",
)
def _platform_version_needs_fargate(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.container.platform_version is not None and _ec2_only(p):
        yield Finding(
            "container.platform_version",
            "must not be set for an EC2 job definition; it only applies to Fargate",
            p.container.platform_version,
        )


# --- Fargate -----------------------------------------------------------------------


@rule(
    "jd-fargate-execution-role-required",
    construct=_JD,
    properties=("container.execution_role", "platform_capabilities"),
    summary="a Fargate job definition needs an execution role",
    source=_FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_needs_execution_role(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.is_fargate and p.container.execution_role is None:
        yield Finding(
            "container.execution_role",
            "is required when platform_capabilities includes FARGATE",
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
    if p.is_fargate and p.container.gpu_count is not None:
        yield Finding(
            "container.gpu_count",
            "must not be set when platform_capabilities includes FARGATE; Fargate has no GPUs",
            p.container.gpu_count,
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
    c = p.container
    vcpus = c.vcpus or 0.25
    memory = c.memory_limit_mib or 512
    if is_unknown(vcpus):
        return
    if vcpus not in FARGATE_MEMORY:
        allowed = ", ".join(fmt(v) for v in FARGATE_MEMORY)
        yield Finding("container.vcpus", f"must be one of {allowed} on Fargate, got {fmt(vcpus)}")
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
            "container.memory_limit_mib",
            f"must be {allowed} with {fmt(vcpus)} vCPU on Fargate, got {fmt(memory)}",
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
    if p.is_fargate and p.container.privileged:
        yield Finding("container.privileged", "must not be true on Fargate", True)


@rule(
    "jd-fargate-ulimits-absent",
    construct=_JD,
    properties=("container.ulimits",),
    summary="a Fargate container takes no ulimits",
    source=_FARGATE_GUIDE,
)
def _fargate_no_ulimits(p: JobDefinitionProps) -> Iterator[Finding]:
    if p.is_fargate and p.container.ulimits:
        yield Finding(
            "container.ulimits", f"must be empty on Fargate, got {len(p.container.ulimits)}"
        )


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
    linux = _linux(p.container)
    for key, name in _FARGATE_LINUX:
        if linux.get(key) not in (None, []):
            yield Finding(
                f"container.linux_params.{name}",
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
    log = p.container.log_configuration
    if (
        p.is_fargate
        and log is not None
        and log.log_driver not in (LogDriver.AWSLOGS, LogDriver.SPLUNK, LogDriver.LOGENTRIES)
    ):
        yield Finding(
            "container.log_configuration.log_driver",
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
    version = p.container.platform_version
    if p.is_fargate and version is not None and version.name not in _PLATFORM_VERSIONS:
        yield Finding(
            "container.platform_version",
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
