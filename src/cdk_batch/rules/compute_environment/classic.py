"""The rules of the ComputeEnvironment keywords of the classic API."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from aws_cdk import aws_ec2 as ec2

from ... import flags
from ..._core.checks import in_range, name_format
from ..._core.registry import Finding, rule
from ..._core.tokens import fmt, is_unknown
from ..._props.compute_environment import (
    DEFAULT_MAXV_CPUS,
    AllocationStrategy,
    ComputeEnvironmentProps,
    ComputeResourceType,
)
from ..._props.corrected import corrected_defaults
from .common import CE, CE_API, CR_API, FARGATE_GUIDE, TAGS_GUIDE, ec2_resources


@rule(
    "ce-name-format",
    construct=CE,
    properties=("compute_environment_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source="https://docs.aws.amazon.com/batch/latest/userguide/compute_environment_parameters.html",
)
def _name_format(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    yield from name_format(p.compute_environment_name, "compute_environment_name")


@rule(
    "ce-managed-compute-resources-required",
    construct=CE,
    properties=("compute_resources",),
    summary="a managed compute environment needs compute_resources",
    source=CE_API,
    alpha_checks=True,
)
def _managed_needs_resources(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.is_managed and p.compute_resources is None:
        yield Finding("compute_resources", "is required when managed is true (the default)")


@rule(
    "ce-unmanaged-compute-resources-absent",
    construct=CE,
    properties=("compute_resources", "managed"),
    summary="an unmanaged compute environment takes no compute_resources",
    source=CE_API,
    alpha_checks=True,
)
def _unmanaged_has_no_resources(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if not p.is_managed and p.compute_resources is not None:
        yield Finding(
            "compute_resources",
            "must not be set when managed is false; AWS Batch only takes compute "
            "resources for managed environments",
        )


@rule(
    "ce-minv-cpus-nonnegative",
    construct=CE,
    properties=("compute_resources.minv_cpus",),
    summary="minv_cpus must be at least 0",
    source=CR_API,
    alpha_checks="yes (also refuses tokens)",
)
def _minv_nonnegative(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is not None:
        yield from in_range(cr.minv_cpus, "compute_resources.minv_cpus", low=0)


@rule(
    "ce-maxv-cpus-nonnegative",
    construct=CE,
    properties=("compute_resources.maxv_cpus",),
    summary="maxv_cpus must be at least 0",
    source=CR_API,
)
def _maxv_nonnegative(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is not None:
        yield from in_range(cr.maxv_cpus, "compute_resources.maxv_cpus", low=0)


@rule(
    "ce-maxv-cpus-zero",
    construct=CE,
    properties=("compute_resources.maxv_cpus",),
    summary="a maxv_cpus of 0 is rendered as the default 256",
    source=CR_API,
    level="warning",
)
def _maxv_zero(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is not None and cr.maxv_cpus == 0 and not is_unknown(cr.maxv_cpus):
        yield Finding(
            "compute_resources.maxv_cpus",
            f"of 0 is rendered as the default {DEFAULT_MAXV_CPUS}, as the alpha did; "
            "give the limit you want",
            0,
        )


@rule(
    "ce-vcpus-order",
    construct=CE,
    properties=("compute_resources.minv_cpus", "compute_resources.maxv_cpus"),
    summary="minv_cpus must not exceed maxv_cpus (default 256)",
    source=CR_API,
    alpha_checks="partly (only when both are given and not 0)",
)
def _vcpus_order(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or cr.minv_cpus is None:
        return
    maxv = cr.maxv_cpus or DEFAULT_MAXV_CPUS
    if is_unknown(cr.minv_cpus) or is_unknown(maxv):
        return
    if cr.minv_cpus > maxv:
        yield Finding(
            "compute_resources.minv_cpus",
            f"must not exceed maxv_cpus ({fmt(maxv)}), got {fmt(cr.minv_cpus)}",
            cr.minv_cpus,
        )


@rule(
    "ce-desiredv-cpus-range",
    construct=CE,
    properties=(
        "compute_resources.desiredv_cpus",
        "compute_resources.minv_cpus",
        "compute_resources.maxv_cpus",
    ),
    summary="desiredv_cpus must lie between minv_cpus (default 0) and maxv_cpus (default 256)",
    source=CR_API,
)
def _desired_between(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or cr.desiredv_cpus is None:
        return
    low = cr.minv_cpus or 0
    high = cr.maxv_cpus or DEFAULT_MAXV_CPUS
    if is_unknown(low) or is_unknown(high):
        return
    yield from in_range(cr.desiredv_cpus, "compute_resources.desiredv_cpus", low, high)


_SPOT_STRATEGIES = (
    AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
    AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
)


@rule(
    "ce-allocation-strategy-spot-only",
    construct=CE,
    properties=("compute_resources.allocation_strategy", "compute_resources.type"),
    summary="SPOT_CAPACITY_OPTIMIZED and SPOT_PRICE_CAPACITY_OPTIMIZED need type SPOT",
    source=CR_API,
    alpha_checks="partly (only when type is given)",
)
def _spot_strategy_needs_spot(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if (
        cr is not None
        and cr.allocation_strategy in _SPOT_STRATEGIES
        and p.resource_type is ComputeResourceType.ON_DEMAND
    ):
        yield Finding(
            "compute_resources.allocation_strategy",
            f"{cr.allocation_strategy.name} is only allowed with type SPOT, got type ON_DEMAND",
            cr.allocation_strategy,
        )


@rule(
    "ce-bid-percentage-spot-only",
    construct=CE,
    properties=("compute_resources.bid_percentage", "compute_resources.type"),
    summary="bid_percentage is only for type SPOT",
    source=CR_API,
    alpha_checks="partly (only when type is given)",
)
def _bid_needs_spot(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if (
        cr is not None
        and cr.bid_percentage is not None
        and p.resource_type is ComputeResourceType.ON_DEMAND
    ):
        yield Finding(
            "compute_resources.bid_percentage",
            "is only allowed with type SPOT, got type ON_DEMAND",
            cr.bid_percentage,
        )


@rule(
    "ce-bid-percentage-range",
    construct=CE,
    properties=("compute_resources.bid_percentage",),
    summary="bid_percentage must be between 0 and 100",
    source=CR_API,
    alpha_checks="partly (also refuses tokens)",
)
def _bid_range(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is not None and p.resource_type is ComputeResourceType.SPOT:
        yield from in_range(cr.bid_percentage, "compute_resources.bid_percentage", 0, 100)


@rule(
    "ce-spot-fleet-role-service-linked",
    construct=CE,
    properties=(
        "compute_resources.spot_fleet_role",
        "compute_resources.allocation_strategy",
        "compute_resources.type",
    ),
    summary=(
        "Spot with BEST_FIT (or no strategy) and no spot_fleet_role gets the Spot Fleet "
        "service-linked role, which Batch may refuse (not with the flag spotFleetRole on)"
    ),
    source="https://docs.aws.amazon.com/batch/latest/userguide/spot_fleet_IAM_role.html",
    level="warning",
)
def _spot_fleet_role_default(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if (
        cr is not None
        and p.resource_type is ComputeResourceType.SPOT
        and cr.spot_fleet_role is None
        and cr.allocation_strategy in (None, AllocationStrategy.BEST_FIT)
        # With the flag on, the service-linked role's ARN is never rendered.
        and flags.SPOT_FLEET_ROLE not in corrected_defaults(p)
    ):
        yield Finding(
            "compute_resources.spot_fleet_role",
            "is not set, so the ARN of the service-linked role AWSServiceRoleForEC2SpotFleet "
            "is used, as the alpha did; the environment can become INVALID. Give "
            "spot_fleet_role a role with the AmazonEC2SpotFleetTaggingRole policy, or set "
            "allocation_strategy=AllocationStrategy.SPOT_CAPACITY_OPTIMIZED explicitly "
            "(left unset, it also gets this role), or turn on the context flag "
            f"{flags.SPOT_FLEET_ROLE} (a fleet role is then created for BEST_FIT, and other "
            "strategies get none)",
        )


@rule(
    "ce-launch-template-id-or-name",
    construct=CE,
    properties=(
        "compute_resources.launch_template.launch_template_id",
        "compute_resources.launch_template.launch_template_name",
    ),
    summary="a launch template is named by exactly one of its id and its name",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecification.html",
    alpha_checks=True,
)
def _launch_template_id_or_name(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    lt = cr.launch_template if cr is not None else None
    if lt is None:
        return
    has_id = lt.launch_template_id is not None
    has_name = lt.launch_template_name is not None
    if has_id == has_name:
        given = "both" if has_id else "neither"
        yield Finding(
            "compute_resources.launch_template",
            f"must set exactly one of launch_template_id and launch_template_name, got {given}",
        )


@rule(
    "ce-security-groups-network-interfaces",
    construct=CE,
    properties=(
        "compute_resources.security_groups",
        "compute_resources.launch_template.use_network_interface_security_groups",
    ),
    summary="security_groups and use_network_interface_security_groups exclude each other",
    source=CR_API,
    alpha_checks=True,
)
def _security_groups_or_interfaces(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or cr.launch_template is None:
        return
    if cr.launch_template.use_network_interface_security_groups and cr.security_groups is not None:
        yield Finding(
            "compute_resources.security_groups",
            "must not be set when launch_template.use_network_interface_security_groups "
            "is true; the launch template's network interfaces carry the security groups",
        )


@rule(
    "ce-security-groups-count",
    construct=CE,
    properties=("compute_resources.security_groups",),
    summary="at most 5 security groups; a Fargate environment needs at least 1",
    source=CR_API,
)
def _security_groups_count(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is None or cr.security_groups is None:
        return
    n = len(cr.security_groups)
    low = 1 if p.is_fargate else 0
    if n > 5 or n < low:
        allowed = "1 to 5" if p.is_fargate else "at most 5"
        yield Finding(
            "compute_resources.security_groups", f"must hold {allowed} entries, got {n}", n
        )


_FARGATE_FORBIDDEN: tuple[str, ...] = (
    "images",
    "default_instance_classes",
    "update_to_latest_image_version",
    "bid_percentage",
    "allocation_strategy",
    "desiredv_cpus",
    "image",
    "instance_types",
    "ec2_key_pair",
    "instance_role",
    "launch_template",
    "minv_cpus",
    "placement_group",
    "spot_fleet_role",
)


@rule(
    "ce-fargate-ec2-only-fields",
    construct=CE,
    properties=tuple(f"compute_resources.{name}" for name in _FARGATE_FORBIDDEN),
    summary="Fargate compute environments take none of the EC2-only compute resource fields",
    source=FARGATE_GUIDE,
    alpha_checks=True,
)
def _fargate_without_ec2_fields(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is None or not p.is_fargate:
        return
    for attr in _FARGATE_FORBIDDEN:
        value = getattr(cr, attr)
        if value is not None:
            yield Finding(
                f"compute_resources.{attr}",
                f"must not be set for type {p.resource_type.name}; it only applies "
                "to EC2 and Spot compute environments",
                value,
            )


@rule(
    "ce-fargate-tags",
    construct=CE,
    properties=("compute_resources.compute_resources_tags",),
    summary="Fargate compute environments should not set compute_resources_tags",
    source=FARGATE_GUIDE,
    level="warning",
)
def _fargate_tags(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    if cr is not None and p.is_fargate and cr.compute_resources_tags is not None:
        yield Finding(
            "compute_resources.compute_resources_tags",
            "is documented as not applicable to Fargate; tag the environment itself "
            "with Tags.of(...) instead",
        )


_NETWORK_CONFIGURATION = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_NetworkConfiguration.html"
)
_FARGATE_SUBNET_TYPES: weakref.WeakKeyDictionary[ec2.IVpc, ec2.SubnetType | None] = (
    weakref.WeakKeyDictionary()
)


def fargate_default_subnet_type(vpc: ec2.IVpc) -> ec2.SubnetType | None:
    """The subnets a Fargate environment without ``vpc_subnets`` uses with ``fargateSubnets`` on.

    ``PRIVATE_WITH_EGRESS`` when the VPC has any (the private subnets of a VPC
    imported with ``Vpc.from_vpc_attributes`` count as such), else ``PUBLIC``
    when it has any, else None: isolated subnets are never chosen implicitly.
    Read once per VPC.
    """
    if vpc in _FARGATE_SUBNET_TYPES:
        return _FARGATE_SUBNET_TYPES[vpc]
    found: ec2.SubnetType | None = None
    if vpc.private_subnets:
        found = ec2.SubnetType.PRIVATE_WITH_EGRESS
    elif vpc.public_subnets:
        found = ec2.SubnetType.PUBLIC
    _FARGATE_SUBNET_TYPES[vpc] = found
    return found


def _fargate_default_subnets(p: ComputeEnvironmentProps) -> tuple[bool, ec2.SubnetType | None]:
    """Whether the flag picks the subnets of this environment, and which kind it picks."""
    cr = p.compute_resources
    if (
        cr is None
        or not p.is_managed
        or not p.is_fargate
        or cr.vpc_subnets is not None
        or flags.FARGATE_SUBNETS not in corrected_defaults(p)
    ):
        return False, None
    return True, fargate_default_subnet_type(cr.vpc)


@rule(
    "ce-fargate-subnets-public",
    construct=CE,
    properties=("compute_resources.vpc_subnets",),
    summary=(
        "with the flag fargateSubnets on, a Fargate environment without vpc_subnets in a VPC "
        "with no PRIVATE_WITH_EGRESS subnets runs in the public subnets, where jobs need "
        "assign_public_ip=True"
    ),
    source=_NETWORK_CONFIGURATION,
    level="warning",
)
def _fargate_public_subnets(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    applies, kind = _fargate_default_subnets(p)
    if applies and kind is ec2.SubnetType.PUBLIC:
        yield Finding(
            "compute_resources.vpc_subnets",
            "is not set and the VPC has no PRIVATE_WITH_EGRESS subnets, so the environment "
            "uses the VPC's PUBLIC subnets: set assign_public_ip=True on the Fargate job "
            "definitions that run here (JobDefinitionContainer(assign_public_ip=True)), or "
            "their jobs cannot pull images and stay RUNNABLE. Give vpc_subnets to choose "
            "the subnets yourself",
        )


@rule(
    "ce-fargate-subnets-none",
    construct=CE,
    properties=("compute_resources.vpc_subnets",),
    summary=(
        "with the flag fargateSubnets on, a Fargate environment without vpc_subnets needs a "
        "VPC with PRIVATE_WITH_EGRESS or PUBLIC subnets; isolated subnets are never chosen "
        "implicitly"
    ),
    source=_NETWORK_CONFIGURATION,
)
def _fargate_no_subnets(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    applies, kind = _fargate_default_subnets(p)
    if applies and kind is None:
        yield Finding(
            "compute_resources.vpc_subnets",
            "must be given: the VPC has no PRIVATE_WITH_EGRESS and no PUBLIC subnets, and "
            "isolated subnets are not chosen implicitly (Fargate jobs there reach ECR and "
            "CloudWatch Logs only through VPC endpoints). If the VPC has those endpoints, pass "
            "vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)",
        )


@rule(
    "ce-tags-limits",
    construct=CE,
    properties=("compute_resources.compute_resources_tags",),
    summary=(
        "at most 50 instance tags; keys up to 128 and values up to 256 characters; no aws: prefix"
    ),
    source=TAGS_GUIDE,
)
def _tags_limits(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = p.compute_resources
    tags = cr.compute_resources_tags if cr is not None else None
    if not tags:
        return
    prop = "compute_resources.compute_resources_tags"
    if len(tags) > 50:
        yield Finding(prop, f"must hold at most 50 tags, got {len(tags)}", len(tags))
    for key, value in tags.items():
        if is_unknown(key):
            continue
        if len(key) > 128:
            yield Finding(prop, f"keys must be at most 128 characters, got {len(key)}", key)
        if key.lower().startswith("aws:"):
            yield Finding(prop, f"keys must not start with 'aws:', got {key!r}", key)
        if not is_unknown(value) and len(value) > 256:
            yield Finding(
                prop, f"values must be at most 256 characters, got {len(value)} for {key!r}", value
            )


@rule(
    "ce-instance-types-architecture",
    construct=CE,
    properties=("compute_resources.instance_types",),
    summary="instance types should not mix x86_64 and arm64 families",
    source=CR_API,
    level="warning",
)
def _one_architecture(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or not cr.instance_types or len(cr.instance_types) < 2:
        return
    try:
        architectures = {t.architecture.name for t in cr.instance_types}
    except RuntimeError:  # a type CDK cannot classify (a family name, say)
        return
    if len(architectures) > 1:
        yield Finding(
            "compute_resources.instance_types",
            "mix CPU architectures ("
            + ", ".join(sorted(a.lower() for a in architectures))
            + "); one AMI cannot serve both",
        )
