"""Compute environments: the EC2, Spot or Fargate capacity that runs Batch jobs.

A managed compute environment lets AWS Batch launch and scale instances (or
Fargate tasks) in a VPC; an unmanaged one leaves the capacity to you.

See: https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import jsii
from aws_cdk import Fn, IResource, Resource, Stack
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._arns import resource_name_from_arn
from ._shared import arn_attribute, aws_managed_policy, service_principal, subnet_ids
from ._structs import Struct, coerce_optional
from ._validation import validate

__all__ = [
    "AllocationStrategy",
    "ComputeEnvironment",
    "ComputeEnvironmentProps",
    "ComputeResourceType",
    "ComputeResources",
    "IComputeEnvironment",
    "LaunchTemplateSpecification",
]


class ComputeResourceType(Enum):
    """The kind of capacity a managed compute environment provisions."""

    ON_DEMAND = "ON_DEMAND"
    """EC2 On-Demand instances (rendered as ``EC2``)."""
    SPOT = "SPOT"
    """EC2 Spot instances."""
    FARGATE = "FARGATE"
    """AWS Fargate tasks."""
    FARGATE_SPOT = "FARGATE_SPOT"
    """AWS Fargate Spot tasks."""


class AllocationStrategy(Enum):
    """How AWS Batch picks instance types when the best fit is not available.

    See: https://docs.aws.amazon.com/batch/latest/userguide/allocation-strategies.html
    """

    BEST_FIT = "BEST_FIT"
    """Only the best fitting instance type; jobs wait for capacity of that type."""
    BEST_FIT_PROGRESSIVE = "BEST_FIT_PROGRESSIVE"
    """Larger instance types too, preferring a lower cost per vCPU."""
    SPOT_CAPACITY_OPTIMIZED = "SPOT_CAPACITY_OPTIMIZED"
    """Spot only: larger instance types too, preferring the least likely to be interrupted."""


@dataclass(frozen=True, kw_only=True, repr=False)
class LaunchTemplateSpecification(Struct):
    """The EC2 launch template that instances of the compute environment start from.

    Give either the id or the name of the template.
    """

    launch_template_id: str | None = None
    """The id of the launch template. Default: none; give this or the name."""
    launch_template_name: str | None = None
    """The name of the launch template. Default: none; give this or the id."""
    use_network_interface_security_groups: bool | None = None
    """Take the security groups from the template's network interfaces.

    When true the compute environment creates no security group of its own,
    which is what a template that declares network interfaces (for an Elastic
    Fabric Adapter, say) requires. Default: false
    """
    version: str | None = None
    """The template version to use. Default: the template's default version."""


@dataclass(frozen=True, kw_only=True, repr=False)
class ComputeResources(Struct):
    """The capacity of a managed compute environment.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
    """

    vpc: ec2.IVpc
    """The VPC the instances or tasks run in."""
    allocation_strategy: AllocationStrategy | None = None
    """How instance types are chosen when the best fit is short.

    Default: BEST_FIT for On-Demand, SPOT_CAPACITY_OPTIMIZED for Spot; not set on Fargate.
    """
    bid_percentage: float | None = None
    """Spot only: the highest Spot price, as a percentage of the On-Demand price.

    Default: none, which AWS Batch treats as 100
    """
    compute_resources_tags: Mapping[str, str] | None = None
    """Tags applied to the instances the environment launches. Default: no tags"""
    desiredv_cpus: float | None = None
    """The number of vCPUs the environment starts with. Default: none"""
    ec2_key_pair: str | None = None
    """The EC2 key pair for SSH access to the instances. Default: no key pair"""
    image: ec2.IMachineImage | None = None
    """The AMI of the instances. Default: the AMI AWS Batch chooses"""
    instance_role: str | None = None
    """The name or ARN of the ECS instance profile the instances use.

    Default: an instance role and profile are created
    """
    instance_types: Sequence[ec2.InstanceType] | None = None
    """The instance types (or families) that may be launched. Default: ``optimal``"""
    launch_template: LaunchTemplateSpecification | None = None
    """A launch template for the instances. Default: no launch template"""
    maxv_cpus: float | None = None
    """The most vCPUs the environment may run. Default: 256"""
    minv_cpus: float | None = None
    """The vCPUs the environment keeps running even when idle. Default: 0 (not set on Fargate)"""
    placement_group: str | None = None
    """The EC2 placement group of the instances. Default: no placement group"""
    security_groups: Sequence[ec2.ISecurityGroup] | None = None
    """The security groups of the instances. Default: one security group is created"""
    spot_fleet_role: iam.IRole | None = None
    """Spot only: the role that lets Spot Fleet launch instances.

    Default: for Spot with BEST_FIT or no allocation strategy, the ARN of the
    service-linked role ``AWSServiceRoleForEC2SpotFleet``; otherwise none
    """
    type: ComputeResourceType | None = None
    """The kind of capacity. Default: ON_DEMAND"""
    vpc_subnets: ec2.SubnetSelection | None = None
    """The subnets the instances or tasks run in. Default: the VPC's private subnets"""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "launch_template",
            coerce_optional(LaunchTemplateSpecification, self.launch_template),
        )
        object.__setattr__(
            self, "vpc_subnets", coerce_optional(ec2.SubnetSelection, self.vpc_subnets)
        )


@dataclass(frozen=True, kw_only=True, repr=False)
class ComputeEnvironmentProps(Struct):
    """The props of :class:`ComputeEnvironment`."""

    compute_environment_name: str | None = None
    """The name of the compute environment. Default: a name CloudFormation generates"""
    compute_resources: ComputeResources | None = None
    """The capacity; required when managed, refused when unmanaged. Default: none"""
    enabled: bool | None = None
    """Whether the environment accepts jobs. Default: true"""
    managed: bool | None = None
    """Whether AWS Batch manages the capacity. Default: true"""
    service_role: iam.IRole | None = None
    """The role AWS Batch uses to call other services.

    Default: a role with the AWS managed policy ``service-role/AWSBatchServiceRole``
    """

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "compute_resources", coerce_optional(ComputeResources, self.compute_resources)
        )

    @property
    def is_managed(self) -> bool:
        """Whether the environment is managed (the default)."""
        return self.managed is None or self.managed

    @property
    def resource_type(self) -> ComputeResourceType:
        """The compute resource type, defaulting to ON_DEMAND."""
        cr = self.compute_resources
        if cr is None or cr.type is None:
            return ComputeResourceType.ON_DEMAND
        return cr.type

    @property
    def is_fargate(self) -> bool:
        """Whether the environment runs Fargate or Fargate Spot tasks."""
        return self.resource_type in _FARGATE_TYPES


class IComputeEnvironment(IResource, Protocol):
    """A compute environment: one defined here, or one imported by ARN."""

    @property
    def compute_environment_arn(self) -> str:
        """The ARN of the compute environment."""
        ...

    @property
    def compute_environment_name(self) -> str:
        """The name of the compute environment."""
        ...


# --- the construct ---------------------------------------------------------


@jsii.implements(ec2.IConnectable)
class ComputeEnvironment(Resource):
    """An AWS Batch compute environment.

    Creates an ``AWS::Batch::ComputeEnvironment`` and, unless you supply your
    own, the service role, the ECS instance role and instance profile (EC2 and
    Spot) and a security group (managed environments).

    The environment is an ``ec2.IConnectable``: open access to other resources
    with their ``connections``, for example
    ``file_system.connections.allow_default_port_from(compute_environment)``.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        compute_environment_name: str | None = None,
        compute_resources: ComputeResources | Mapping[str, Any] | None = None,
        enabled: bool | None = None,
        managed: bool | None = None,
        service_role: iam.IRole | None = None,
    ) -> None:
        super().__init__(scope, id, physical_name=compute_environment_name)
        props = ComputeEnvironmentProps(
            compute_environment_name=compute_environment_name,
            compute_resources=coerce_optional(ComputeResources, compute_resources),
            enabled=enabled,
            managed=managed,
            service_role=service_role,
        )
        validate(self, "ComputeEnvironment", props)
        self._props = props

        cr = props.compute_resources
        if cr is not None:
            # Kept from the alpha: the environment depends on the whole VPC.
            self.node.add_dependency(cr.vpc)

        security_groups = self._render_security_groups(cr) if cr is not None else []
        self._security_groups = security_groups
        self._connections: ec2.Connections | None = None
        rendered_resources = (
            self._render_compute_resources(props, cr, security_groups) if cr is not None else None
        )
        role = props.service_role or iam.Role(
            self,
            "Resource-Service-Instance-Role",
            assumed_by=service_principal("batch.amazonaws.com"),
            managed_policies=[aws_managed_policy("service-role/AWSBatchServiceRole")],
        )
        self._resource = cfn.CfnComputeEnvironment(
            self,
            "Resource",
            compute_environment_name=compute_environment_name,
            compute_resources=rendered_resources,
            service_role=role,
            state="DISABLED" if enabled is False else "ENABLED",
            type="MANAGED" if props.is_managed else "UNMANAGED",
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_compute_environment_arn(
        scope: Construct, id: str, compute_environment_arn: str
    ) -> IComputeEnvironment:
        """Refer to an existing compute environment by its ARN.

        The name is read from the ARN (``...:compute-environment/NAME``).
        """
        return _ImportedComputeEnvironment(scope, id, compute_environment_arn)

    @property
    def compute_environment_arn(self) -> str:
        """The ARN of the compute environment."""
        if self._arn is None:
            self._arn = arn_attribute(
                self, self._resource, "compute-environment", self._props.compute_environment_name
            )
        return self._arn

    @property
    def compute_environment_name(self) -> str:
        """The name of the compute environment.

        Read from the ARN that CloudFormation returns, so that a consumer of the
        name depends on the environment. (The alpha returned the ARN here; see
        ``docs/differences.md``.)
        """
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.ref))
            )
        return self._name

    @property
    def connections(self) -> ec2.Connections:
        """The security groups of the environment, for opening network access."""
        if self._connections is None:
            self._connections = ec2.Connections(security_groups=self._security_groups)
        return self._connections

    # --- rendering ---------------------------------------------------------

    def _render_security_groups(self, cr: ComputeResources) -> list[ec2.ISecurityGroup]:
        if cr.security_groups is not None:
            return list(cr.security_groups)
        if _uses_network_interface_security_groups(cr):
            return []
        return [ec2.SecurityGroup(self, "Resource-Security-Group", vpc=cr.vpc)]

    def _render_compute_resources(
        self,
        props: ComputeEnvironmentProps,
        cr: ComputeResources,
        security_groups: Sequence[ec2.ISecurityGroup],
    ) -> cfn.CfnComputeEnvironment.ComputeResourcesProperty:
        kind = props.resource_type
        subnets = subnet_ids(cr.vpc, cr.vpc_subnets)
        sg_ids = (
            None
            if _uses_network_interface_security_groups(cr)
            else [sg.security_group_id for sg in security_groups]
        )
        # Kept from the alpha: a maxv_cpus of 0 means the default.
        maxv_cpus = cr.maxv_cpus or DEFAULT_MAXV_CPUS
        tags = dict(cr.compute_resources_tags) if cr.compute_resources_tags is not None else None
        if props.is_fargate:
            return cfn.CfnComputeEnvironment.ComputeResourcesProperty(
                maxv_cpus=maxv_cpus,
                security_group_ids=sg_ids,
                subnets=subnets,
                tags=tags,
                type=kind.value,
            )

        instance_role = cr.instance_role
        if instance_role is None:
            ecs_role = iam.Role(
                self,
                "Ecs-Instance-Role",
                assumed_by=service_principal("ec2.amazonaws.com"),
                managed_policies=[
                    aws_managed_policy("service-role/AmazonEC2ContainerServiceforEC2Role")
                ],
            )
            profile = iam.CfnInstanceProfile(self, "Instance-Profile", roles=[ecs_role])
            instance_role = profile.attr_arn

        if kind is ComputeResourceType.SPOT:
            strategy = cr.allocation_strategy or AllocationStrategy.SPOT_CAPACITY_OPTIMIZED
        else:
            strategy = cr.allocation_strategy or AllocationStrategy.BEST_FIT

        lt = cr.launch_template
        launch_template = (
            cfn.CfnComputeEnvironment.LaunchTemplateSpecificationProperty(
                launch_template_id=lt.launch_template_id,
                launch_template_name=lt.launch_template_name,
                version=lt.version,
            )
            if lt is not None
            else None
        )
        return cfn.CfnComputeEnvironment.ComputeResourcesProperty(
            allocation_strategy=strategy.value,
            bid_percentage=cr.bid_percentage,
            desiredv_cpus=cr.desiredv_cpus,
            ec2_key_pair=cr.ec2_key_pair,
            image_id=cr.image.get_image(self).image_id if cr.image is not None else None,
            instance_role=instance_role,
            instance_types=(
                [t.to_string() for t in cr.instance_types]
                if cr.instance_types is not None
                else ["optimal"]
            ),
            launch_template=launch_template,
            maxv_cpus=maxv_cpus,
            minv_cpus=cr.minv_cpus or 0,
            placement_group=cr.placement_group,
            security_group_ids=sg_ids,
            spot_iam_fleet_role=self._render_spot_fleet_role(kind, cr),
            subnets=subnets,
            tags=tags,
            type="EC2" if kind is ComputeResourceType.ON_DEMAND else kind.value,
        )

    def _render_spot_fleet_role(
        self, kind: ComputeResourceType, cr: ComputeResources
    ) -> str | None:
        best_fit = cr.allocation_strategy in (None, AllocationStrategy.BEST_FIT)
        if cr.spot_fleet_role is not None:
            # A role the user gives is rendered as the alpha did (with BEST_FIT
            # or no strategy, whatever the type), and also for Spot with any
            # other strategy, where the alpha dropped it (docs/differences.md).
            if best_fit or kind is ComputeResourceType.SPOT:
                return cr.spot_fleet_role.role_arn
            return None
        if kind is ComputeResourceType.SPOT and best_fit:
            # Kept for compatibility: the ARN of the Spot Fleet service-linked role.
            return Stack.of(self).format_arn(
                service="iam",
                region="",
                resource="role",
                resource_name=_SPOT_FLEET_SERVICE_LINKED_ROLE,
            )
        return None


class _ImportedComputeEnvironment(Resource):
    """A compute environment that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "ComputeEnvironment", arn)

    @property
    def compute_environment_arn(self) -> str:
        """The ARN the environment was imported with."""
        return self._arn

    @property
    def compute_environment_name(self) -> str:
        """The name part of the ARN."""
        return self._name


def _uses_network_interface_security_groups(cr: ComputeResources) -> bool:
    lt = cr.launch_template
    return lt is not None and bool(lt.use_network_interface_security_groups)


_FARGATE_TYPES = (ComputeResourceType.FARGATE, ComputeResourceType.FARGATE_SPOT)
DEFAULT_MAXV_CPUS = 256
_SPOT_FLEET_SERVICE_LINKED_ROLE = (
    "aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet"
)
