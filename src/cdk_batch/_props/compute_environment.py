"""The props of compute environments: enums, structs and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from aws_cdk import IResource
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from .._core.structs import Struct

__all__ = [
    "DEFAULT_MAXV_CPUS",
    "AllocationStrategy",
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
        return self.resource_type in FARGATE_TYPES


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


FARGATE_TYPES = (ComputeResourceType.FARGATE, ComputeResourceType.FARGATE_SPOT)
DEFAULT_MAXV_CPUS = 256
