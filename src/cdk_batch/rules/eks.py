"""The rules of AWS Batch on Amazon EKS.

The rules of :class:`ManagedEc2EksComputeEnvironment`, :class:`EksContainerDefinition`
and :class:`EksJobDefinition` props, and the rule that keeps EKS and ECS
compute environments out of one :class:`JobQueue`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from aws_cdk import Size, SizeRoundingBehavior

from .._core.checks import duration_at_least, in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.compute_environment import AllocationStrategy, ComputeEnvironmentProps
from .._props.eks import (
    DnsPolicy,
    EksContainerDefinitionProps,
    EksJobDefinitionProps,
    EksMachineImageType,
    EmptyDirVolume,
    ManagedEc2EksComputeEnvironmentProps,
)
from .._props.job_queue import JobQueueProps

_CE = "ManagedEc2EksComputeEnvironment"
_CONTAINER = "EksContainerDefinition"
_JD = "EksJobDefinition"
_V2_CE = "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_batch.ManagedEc2EksComputeEnvironment.html"
_COMPUTE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html"
_EC2_CONFIG_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html"
_EKS_CONFIG_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EksConfiguration.html"
_RESOURCES_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EksContainerResourceRequirements.html"
_CONTAINER_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EksContainer.html"
_VOLUME_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EksVolume.html"
_POD_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_EksPodProperties.html"
_REGISTER_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html"
)
_SPOT_STRATEGIES = (
    AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
    AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
)
_NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_CLUSTER_ARN = re.compile(r"^arn:[a-z-]+:eks:[a-z0-9-]+:\d{12}:cluster/[A-Za-z0-9][A-Za-z0-9_-]*$")


# --- compute environments --------------------------------------------------


@rule(
    "eks-ce-allocation-strategy-best-fit",
    construct=_CE,
    properties=("allocation_strategy",),
    summary="BEST_FIT is not an allocation strategy of EKS compute environments",
    source=_V2_CE,
)
def _no_best_fit(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    if p.allocation_strategy is AllocationStrategy.BEST_FIT:
        yield Finding(
            "allocation_strategy",
            "must be BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED or "
            "SPOT_PRICE_CAPACITY_OPTIMIZED on an EKS compute environment, got BEST_FIT",
            p.allocation_strategy,
        )


@rule(
    "eks-ce-spot-strategy-needs-spot",
    construct=_CE,
    properties=("allocation_strategy", "spot"),
    summary="the SPOT_* allocation strategies need spot=True",
    source="https://docs.aws.amazon.com/batch/latest/userguide/allocation-strategies.html",
)
def _spot_strategy(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    if p.allocation_strategy in _SPOT_STRATEGIES and not p.is_spot:
        assert p.allocation_strategy is not None
        yield Finding(
            "allocation_strategy",
            f"{p.allocation_strategy.value} needs spot=True, got spot={p.spot}",
            p.allocation_strategy,
        )


@rule(
    "eks-ce-bid-percentage-spot",
    construct=_CE,
    properties=("spot_bid_percentage", "spot"),
    summary="spot_bid_percentage needs spot=True and lies between 0 and 100",
    source=_COMPUTE_API,
)
def _bid(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    if p.spot_bid_percentage is None:
        return
    if not p.is_spot:
        yield Finding(
            "spot_bid_percentage",
            f"must not be set unless spot=True, got spot={p.spot}",
            p.spot_bid_percentage,
        )
    yield from in_range(p.spot_bid_percentage, "spot_bid_percentage", 0, 100)


@rule(
    "eks-ce-vcpus-order",
    construct=_CE,
    properties=("minv_cpus", "maxv_cpus"),
    summary="0 <= minv_cpus <= maxv_cpus (maxv_cpus defaults to 256)",
    source=_COMPUTE_API,
)
def _vcpus(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    yield from in_range(p.minv_cpus, "minv_cpus", 0)
    yield from in_range(p.maxv_cpus, "maxv_cpus", 0)
    low, high = p.minv_cpus, 256 if p.maxv_cpus is None else p.maxv_cpus
    if low is None or is_unknown(low) or is_unknown(high):
        return
    if low > high:
        yield Finding("minv_cpus", f"must be <= maxv_cpus ({fmt(high)}), got {fmt(low)}", low)


@rule(
    "eks-ce-instance-types-required",
    construct=_CE,
    properties=("instance_types", "instance_classes", "use_optimal_instance_classes"),
    summary="with use_optimal_instance_classes=False, give instance types or classes",
    source=_COMPUTE_API,
)
def _instance_types(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    if p.use_optimal_instance_classes is False and not p.instance_types and not p.instance_classes:
        yield Finding(
            "instance_types",
            "must hold at least one entry (or instance_classes must) when "
            "use_optimal_instance_classes is False, got none",
        )


@rule(
    "eks-ce-namespace-format",
    construct=_CE,
    properties=("kubernetes_namespace",),
    summary="the namespace is 1 to 63 of [a-z0-9-], not 'default', not starting with 'kube-'",
    source=_EKS_CONFIG_API,
)
def _namespace(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    ns = p.kubernetes_namespace
    if is_unknown(ns):
        return
    if not (1 <= len(ns) <= 63 and _NAMESPACE.match(ns)):
        yield Finding(
            "kubernetes_namespace",
            "must be 1 to 63 lowercase letters, digits and inner hyphens, got " + repr(ns),
            ns,
        )
    elif ns == "default" or ns.startswith("kube-"):
        yield Finding(
            "kubernetes_namespace",
            f"must not be 'default' or start with 'kube-', got {ns!r}",
            ns,
        )


@rule(
    "eks-ce-cluster-arn-format",
    construct=_CE,
    properties=("eks_cluster",),
    summary="a cluster given by ARN has an EKS cluster ARN",
    source=_EKS_CONFIG_API,
)
def _cluster_arn(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    arn = p.eks_cluster
    if isinstance(arn, str) and not is_unknown(arn) and not _CLUSTER_ARN.match(arn):
        yield Finding(
            "eks_cluster",
            "must be an eks.ICluster or an ARN like "
            f"arn:aws:eks:REGION:ACCOUNT:cluster/NAME, got {arn!r}",
            arn,
        )


@rule(
    "eks-ce-name-format",
    construct=_CE,
    properties=("compute_environment_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateComputeEnvironment.html",
)
def _ce_name(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    yield from name_format(p.compute_environment_name, "compute_environment_name")


@rule(
    "eks-ce-images-eks-types",
    construct=_CE,
    properties=("images", "images[].image_type"),
    summary="one or two images, each of an EKS image type",
    source=_EC2_CONFIG_API,
)
def _images(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    if p.images is None:
        return
    if not 1 <= len(p.images) <= 2:
        yield Finding("images", f"must hold 1 or 2 entries, got {len(p.images)}", len(p.images))
    allowed = ", ".join(t.value for t in EksMachineImageType)
    for i, image in enumerate(p.images):
        kind = image.image_type
        if kind is None or isinstance(kind, EksMachineImageType) or is_unknown(kind):
            continue
        shown = getattr(kind, "value", kind)
        yield Finding(f"images[{i}].image_type", f"must be one of {allowed}, got {shown!r}", kind)


@rule(
    "eks-ce-image-al2",
    construct=_CE,
    properties=("images[].image_type",),
    summary="EKS_AL2 images no longer get updates from AWS (since 26 November 2025)",
    source="https://docs.aws.amazon.com/batch/latest/userguide/mixed-ami-environments.html",
    level="warning",
)
def _al2(p: ManagedEc2EksComputeEnvironmentProps) -> Iterator[Finding]:
    al2 = (EksMachineImageType.EKS_AL2, EksMachineImageType.EKS_AL2_NVIDIA)
    for i, image in enumerate(p.images or ()):
        if image.image_type in al2:
            yield Finding(
                f"images[{i}].image_type",
                f"is {EksMachineImageType(image.image_type).value}: AWS ended support for the "
                "EKS-optimized AL2 AMIs on 26 November 2025; use EKS_AL2023 or EKS_AL2023_NVIDIA",
                image.image_type,
            )


# --- containers ------------------------------------------------------------


def _mebibytes(size: Size | None) -> float | None:
    """The size in MiB, exact (a fraction when it is not whole), or None for a token."""
    if size is None or size.is_unresolved():
        return None
    return size.to_kibibytes(rounding=SizeRoundingBehavior.NONE) / 1024


@rule(
    "eks-container-cpu-order",
    construct=_CONTAINER,
    properties=("cpu_limit", "cpu_reservation"),
    summary="CPU values are multiples of 0.25, and cpu_limit >= cpu_reservation",
    source=_RESOURCES_API,
)
def _cpu(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    for prop in ("cpu_limit", "cpu_reservation"):
        value = getattr(p, prop)
        if value is None or is_unknown(value):
            continue
        if value <= 0 or not float(value * 4).is_integer():
            yield Finding(prop, f"must be a positive multiple of 0.25, got {fmt(value)}", value)
    limit, request = p.cpu_limit, p.cpu_reservation
    if None in (limit, request) or is_unknown(limit) or is_unknown(request):
        return
    assert limit is not None and request is not None
    if request > limit:
        yield Finding(
            "cpu_reservation",
            f"must be <= cpu_limit ({fmt(limit)}), got {fmt(request)}",
            request,
        )


@rule(
    "eks-container-memory-match",
    construct=_CONTAINER,
    properties=("memory_limit", "memory_reservation"),
    summary="memory is whole MiB, at least 4, and the limit equals the reservation",
    source=_RESOURCES_API,
)
def _memory(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    found: dict[str, float] = {}
    for prop in ("memory_limit", "memory_reservation"):
        mib = _mebibytes(getattr(p, prop))
        if mib is None:
            continue
        found[prop] = mib
        if not mib.is_integer():
            yield Finding(prop, f"must be a whole number of MiB, got {fmt(mib)} MiB", mib)
        elif mib < 4:
            yield Finding(prop, f"must be at least 4 MiB, got {fmt(mib)} MiB", mib)
    if len(found) == 2 and found["memory_limit"] != found["memory_reservation"]:
        yield Finding(
            "memory_reservation",
            f"must equal memory_limit ({fmt(found['memory_limit'])} MiB) when both are set, "
            f"got {fmt(found['memory_reservation'])} MiB",
            found["memory_reservation"],
        )


@rule(
    "eks-container-gpu-match",
    construct=_CONTAINER,
    properties=("gpu_limit", "gpu_reservation"),
    summary="GPU counts are whole numbers, and the limit equals the reservation",
    source=_RESOURCES_API,
)
def _gpu(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    yield from is_integer(p.gpu_limit, "gpu_limit")
    yield from is_integer(p.gpu_reservation, "gpu_reservation")
    limit, request = p.gpu_limit, p.gpu_reservation
    if None in (limit, request) or is_unknown(limit) or is_unknown(request):
        return
    if limit != request:
        yield Finding(
            "gpu_reservation",
            f"must equal gpu_limit ({fmt(limit)}) when both are set, got {fmt(request)}",
            request,
        )


@rule(
    "eks-container-env-reserved",
    construct=_CONTAINER,
    properties=("env",),
    summary="environment variable names do not start with AWS_BATCH",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_EksContainerEnvironmentVariable.html",
)
def _env(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    bad = sorted(k for k in (p.env or {}) if not is_unknown(k) and k.startswith("AWS_BATCH"))
    if bad:
        yield Finding("env", f"must not name variables starting with AWS_BATCH, got {bad}", bad)


@rule(
    "eks-container-volume-names",
    construct=_CONTAINER,
    properties=("volumes[].name",),
    summary="volume names are DNS subdomain names, each used once",
    source=_VOLUME_API,
)
def _volume_names(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    volumes = p.volumes or ()
    for i, v in enumerate(volumes):
        if is_unknown(v.name):
            continue
        if not (len(v.name) <= 253 and _DNS_SUBDOMAIN.match(v.name)):
            yield Finding(
                f"volumes[{i}].name",
                "must be a DNS subdomain name (lowercase letters, digits, '-' and '.'), "
                f"got {v.name!r}",
                v.name,
            )
    names = Counter(v.name for v in volumes if not is_unknown(v.name))
    for name, n in names.items():
        if n > 1:
            yield Finding("volumes", f"must name each volume once, got {name!r} {n} times", name)


@rule(
    "eks-container-mount-paths-unique",
    construct=_CONTAINER,
    properties=("volumes[].mount_path",),
    summary="no two volumes are mounted at the same path",
    source="https://kubernetes.io/docs/concepts/storage/volumes/",
)
def _mount_paths(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    paths = Counter(
        v.mount_path
        for v in p.volumes or ()
        if v.mount_path is not None and not is_unknown(v.mount_path)
    )
    for path, n in paths.items():
        if n > 1:
            yield Finding(
                "volumes", f"must mount one volume per path, got {path!r} {n} times", path
            )


@rule(
    "eks-container-empty-dir-size",
    construct=_CONTAINER,
    properties=("volumes[].size_limit",),
    summary="an emptyDir size_limit is a whole number of MiB",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_EksEmptyDir.html",
)
def _empty_dir_size(p: EksContainerDefinitionProps) -> Iterator[Finding]:
    for i, v in enumerate(p.volumes or ()):
        if isinstance(v, EmptyDirVolume):
            mib = _mebibytes(v.size_limit)
            if mib is not None and (not mib.is_integer() or mib < 1):
                yield Finding(
                    f"volumes[{i}].size_limit",
                    f"must be a whole number of MiB, at least 1, got {fmt(mib)} MiB",
                    mib,
                )


# --- job definitions -------------------------------------------------------


@rule(
    "eks-jd-dns-policy-network",
    construct=_JD,
    properties=("dns_policy", "use_host_network"),
    summary="ClusterFirstWithHostNet goes with the host network, ClusterFirst without it",
    source=_POD_API,
    level="warning",
)
def _dns(p: EksJobDefinitionProps) -> Iterator[Finding]:
    host_network = p.use_host_network is not False  # AWS Batch's default is true
    if p.dns_policy is DnsPolicy.CLUSTER_FIRST and host_network:
        yield Finding(
            "dns_policy",
            "should be CLUSTER_FIRST_WITH_HOST_NET for a pod on the host network "
            "(use_host_network is true or unset): with CLUSTER_FIRST Kubernetes falls back "
            "to the DEFAULT policy",
            p.dns_policy,
        )
    if p.dns_policy is DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET and not host_network:
        yield Finding(
            "dns_policy",
            "should be CLUSTER_FIRST when use_host_network is False: "
            "CLUSTER_FIRST_WITH_HOST_NET is meant for pods on the host network",
            p.dns_policy,
        )


@rule(
    "eks-jd-name-format",
    construct=_JD,
    properties=("job_definition_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source=_REGISTER_API,
)
def _jd_name(p: EksJobDefinitionProps) -> Iterator[Finding]:
    yield from name_format(p.job_definition_name, "job_definition_name")


@rule(
    "eks-jd-retry-attempts-range",
    construct=_JD,
    properties=("retry_attempts",),
    summary="retry_attempts is a whole number from 1 to 10",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_RetryStrategy.html",
)
def _retry(p: EksJobDefinitionProps) -> Iterator[Finding]:
    yield from in_range(p.retry_attempts, "retry_attempts", 1, 10)
    yield from is_integer(p.retry_attempts, "retry_attempts")


@rule(
    "eks-jd-timeout-minimum",
    construct=_JD,
    properties=("timeout",),
    summary="timeout is at least 60 seconds",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_JobTimeout.html",
)
def _timeout(p: EksJobDefinitionProps) -> Iterator[Finding]:
    yield from duration_at_least(p.timeout, "timeout", 60)


# --- job queues ------------------------------------------------------------


@rule(
    "jq-eks-ecs-mix",
    construct="JobQueue",
    properties=("compute_environments[].compute_environment",),
    summary="a queue's compute environments are all EKS or all ECS (EC2, Spot, Fargate)",
    source="https://docs.aws.amazon.com/batch/latest/userguide/create-job-queue-eks.html",
)
def _no_eks_ecs_mix(p: JobQueueProps) -> Iterator[Finding]:
    eks_entries: list[int] = []
    ecs_entries: list[int] = []
    for i, e in enumerate(p.compute_environments):
        props = getattr(e.compute_environment, "_props", None)
        if isinstance(props, ManagedEc2EksComputeEnvironmentProps):
            eks_entries.append(i)
        elif isinstance(props, ComputeEnvironmentProps):
            ecs_entries.append(i)
    if eks_entries and ecs_entries:
        yield Finding(
            "compute_environments",
            "must not mix EKS environments (entries "
            + ", ".join(map(str, eks_entries))
            + ") with ECS environments (entries "
            + ", ".join(map(str, ecs_entries))
            + ")",
        )
