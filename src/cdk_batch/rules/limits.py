"""Upper bounds that AWS documents for numbers the other rules only bound below.

A value above a hard limit fails at deploy time, so it is an error; a value
past a limit whose effect depends on the environment warns.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._core.checks import in_range
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.compute_environment import ComputeEnvironmentProps
from .._props.job_definition import JobDefinitionProps

INT32_MAX = 2**31 - 1
"""The largest value of the AWS APIs' ``Integer`` type (a 32-bit signed integer)."""

CPU_SHARES_PER_VCPU = 1024
"""AWS Batch hands a container's vCPUs to Amazon ECS as CPU shares, 1,024 per vCPU."""

LINUX_MAX_CPU_SHARES = 262144
"""The largest CPU share value the Linux kernel allows (256 vCPUs)."""

_CE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html"
_ECS_CONTAINER = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
)


@rule(
    "ce-vcpus-maximum",
    construct="ComputeEnvironment",
    properties=(
        "compute_resources.minv_cpus",
        "compute_resources.maxv_cpus",
        "compute_resources.desiredv_cpus",
    ),
    summary="minv_cpus, maxv_cpus and desiredv_cpus fit the API's Integer (at most 2147483647)",
    source=_CE_API,
)
def _ce_vcpus_maximum(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is None:
        return
    for name in ("minv_cpus", "maxv_cpus", "desiredv_cpus"):
        yield from in_range(getattr(cr, name), f"compute_resources.{name}", high=INT32_MAX)


@rule(
    "jd-resources-maximum",
    construct="JobDefinition",
    properties=("container.memory_limit_mib", "container.vcpus", "container.gpu_count"),
    summary=(
        "memory_limit_mib and gpu_count fit the API's Integer (at most 2147483647), "
        "and so do the vCPUs as CPU shares (vcpus at most 2097151)"
    ),
    source=_ECS_CONTAINER,
)
def _jd_resources_maximum(p: JobDefinitionProps) -> Iterator[Finding]:
    for path, c in p.rendered_containers():
        yield from in_range(c.memory_limit_mib, f"{path}.memory_limit_mib", high=INT32_MAX)
        yield from in_range(c.gpu_count, f"{path}.gpu_count", high=INT32_MAX)
        yield from in_range(c.vcpus, f"{path}.vcpus", high=INT32_MAX // CPU_SHARES_PER_VCPU)


@rule(
    "jd-ec2-vcpus-cpu-shares",
    construct="JobDefinition",
    properties=("container.vcpus",),
    summary=(
        "on EC2, more than 256 vCPUs is more than the 262144 CPU shares Linux allows; "
        "what happens then depends on the ECS agent version"
    ),
    source=_ECS_CONTAINER,
    level="warning",
)
def _jd_vcpus_cpu_shares(p: JobDefinitionProps) -> Iterator[Finding]:
    if not (p.is_ec2 and not p.is_fargate):
        return
    limit = LINUX_MAX_CPU_SHARES // CPU_SHARES_PER_VCPU
    for path, c in p.rendered_containers():
        v = c.vcpus
        if v is None or is_unknown(v) or v <= limit:
            continue
        if v > INT32_MAX // CPU_SHARES_PER_VCPU:
            continue  # refused by jd-resources-maximum
        yield Finding(
            f"{path}.vcpus",
            f"should be at most {limit} (the {LINUX_MAX_CPU_SHARES} CPU shares the Linux "
            f"kernel allows, at {CPU_SHARES_PER_VCPU} per vCPU), got {fmt(v)}; above that "
            "the share Amazon ECS applies depends on its agent version",
            v,
        )
