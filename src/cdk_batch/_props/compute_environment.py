"""The props of compute environments: enums, structs and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from aws_cdk import Duration, IResource
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from .._core.structs import Struct

__all__ = [
    "DEFAULT_MAXV_CPUS",
    "DEFAULT_TO_AL2023_FLAG",
    "FARGATE_TYPES",
    "NVIDIA_GPU_FAMILY",
    "AllocationStrategy",
    "ComputeEnvironmentProps",
    "ComputeResourceType",
    "ComputeResources",
    "DefaultInstanceClass",
    "EcsMachineImage",
    "EcsMachineImageType",
    "IComputeEnvironment",
    "InheritedTags",
    "LaunchTemplateSpecification",
    "LaunchTemplateVersion",
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
    SPOT_PRICE_CAPACITY_OPTIMIZED = "SPOT_PRICE_CAPACITY_OPTIMIZED"
    """Spot only: pools that are both unlikely to be interrupted and cheap.

    .. versionadded:: 0.2.0
    """


class EcsMachineImageType(str, Enum):
    """The kind of Amazon ECS-optimized AMI that AWS Batch picks for the instances.

    Each value is the ``ImageType`` rendered into ``Ec2Configuration``.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html

    .. versionadded:: 0.2.0
    """

    ECS_AL2 = "ECS_AL2"
    """Amazon Linux 2; AWS is ending support for the ECS-optimized AL2 AMIs."""
    ECS_AL2023 = "ECS_AL2023"
    """Amazon Linux 2023, the default AWS Batch gives new ECS environments since January 2026."""
    ECS_AL2_NVIDIA = "ECS_AL2_NVIDIA"
    """Amazon Linux 2 with NVIDIA drivers, for GPU instance families."""
    ECS_AL2023_NVIDIA = "ECS_AL2023_NVIDIA"
    """Amazon Linux 2023 with NVIDIA drivers, for GPU instance families."""


@dataclass(frozen=True, kw_only=True, repr=False)
class EcsMachineImage(Struct):
    """One entry of ``Ec2Configuration``: an image type, optionally with an AMI of your own.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html

    .. versionadded:: 0.2.0
    """

    image: ec2.IMachineImage | None = None
    """An AMI to use for the instances that match ``image_type`` (``ImageIdOverride``).

    Default: the latest AMI of ``image_type`` that AWS Batch supports
    """
    image_type: EcsMachineImageType | str | None = None
    """The kind of image: a member, or its value as a string (``"ECS_AL2023"``).

    Default: ``ECS_AL2``, or ``ECS_AL2023`` when the aws-cdk-lib context flag
    ``@aws-cdk/aws-batch:defaultToAL2023`` is true
    """


class DefaultInstanceClass(str, Enum):
    """A family bundle AWS Batch chooses instance types from, rendered into ``InstanceTypes``.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html

    .. versionadded:: 0.2.0
    """

    X86_64 = "default_x86_64"
    """Current x86_64 families (m6i, c6i, r6i, c7i and newer)."""
    ARM64 = "default_arm64"
    """Current Graviton (arm64) families (m6g, c6g, r6g, c7g and newer)."""


class LaunchTemplateVersion(str, Enum):
    """Which version of a launch template a compute environment uses.

    The two ``*_NUMBER`` members render the version number of a template
    defined in this app, so that editing the template changes the
    environment's ``Version`` and so updates the environment. The two literals
    are resolved by AWS Batch once, when the environment is created, and again
    only on an infrastructure update.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecification.html

    .. versionadded:: 0.2.0
    """

    LATEST_NUMBER = "latest"
    """The number of the template's latest version (``Fn::GetAtt LatestVersionNumber``)."""
    DEFAULT_NUMBER = "default"
    """The number of the template's default version (``Fn::GetAtt DefaultVersionNumber``)."""
    DEFAULT = "$Default"
    """The literal ``$Default``: not pinned."""
    LATEST = "$Latest"
    """The literal ``$Latest``: not pinned."""


class InheritedTags(str, Enum):
    """Where the tags a compute environment or job queue inherits (``Tags.of(scope).add``) go.

    A change of the environment's own ``Tags`` replaces the environment (and
    fails for a named one); a change of ``ComputeResources.Tags``, the tags of
    its instances, is an infrastructure update. A job queue takes ``RESOURCE``
    or ``IGNORE``.

    See: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-batch-computeenvironment.html

    .. versionadded:: 0.2.0
    """

    RESOURCE = "RESOURCE"
    """On the resource's own ``Tags``, as the alpha did (a change replaces an environment)."""
    INSTANCES = "INSTANCES"
    """On ``ComputeResources.Tags`` (EC2 and Spot only), under ``compute_resources_tags``."""
    IGNORE = "IGNORE"
    """Nowhere on this environment or queue."""


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
    """The template version to use.

    Built with :meth:`from_launch_template`, a :class:`LaunchTemplateVersion`
    ``*_NUMBER`` member renders the template's version number.
    Default: the template's default version, resolved once when the environment is created
    """
    template: ec2.ILaunchTemplate | None = None
    """The launch template object, set by :meth:`from_launch_template`.

    It lets the version be rendered as a number and the template's user data
    be checked. Default: none (the id or name alone)

    .. versionadded:: 0.2.0
    """

    @staticmethod
    def from_launch_template(
        template: ec2.ILaunchTemplate,
        *,
        version: LaunchTemplateVersion | str | None = LaunchTemplateVersion.LATEST_NUMBER,
        use_network_interface_security_groups: bool | None = None,
    ) -> LaunchTemplateSpecification:
        """Use ``template``, pinned by default to its latest version number.

        With the default, the environment renders
        ``Version: {Fn::GetAtt: [Template, LatestVersionNumber]}``: every edit of
        the template's data makes a new version number, so the edit reaches the
        environment as an infrastructure update (or a replacement, see
        ``docs/updates.md``) instead of being ignored.

        Args:
            template: The launch template; one defined in this app
                (``ec2.LaunchTemplate``) can be pinned to its version numbers.
            version: A :class:`LaunchTemplateVersion`, a version number as a
                string, or ``None`` to render no ``Version`` (the template's
                default version, frozen when the environment is created).
            use_network_interface_security_groups: As on the struct. Default: false

        .. versionadded:: 0.2.0

        """
        template_id = template.launch_template_id
        return LaunchTemplateSpecification(
            launch_template_id=template_id,
            launch_template_name=None if template_id is not None else template.launch_template_name,
            use_network_interface_security_groups=use_network_interface_security_groups,
            version=version,
            template=template,
        )

    @property
    def is_pinned(self) -> bool:
        """Whether the rendered version is a number rather than ``$Default``/``$Latest``."""
        if self.version is None:
            return False
        if self.template is not None and self.version in _NUMBER_VERSIONS:
            return True
        return str(self.version) not in ("$Default", "$Latest")


_NUMBER_VERSIONS = (LaunchTemplateVersion.LATEST_NUMBER, LaunchTemplateVersion.DEFAULT_NUMBER)


@dataclass(frozen=True, kw_only=True, repr=False)
class ComputeResources(Struct):
    """The capacity of a managed compute environment.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
    """

    vpc: ec2.IVpc
    """The VPC the instances or tasks run in."""
    allocation_strategy: AllocationStrategy | None = None
    """How instance types are chosen when the best fit is short.

    Default: BEST_FIT for On-Demand, SPOT_CAPACITY_OPTIMIZED for Spot (with the flag
    ``cdk_batch.flags.ALLOCATION_STRATEGY`` on, BEST_FIT_PROGRESSIVE and
    SPOT_PRICE_CAPACITY_OPTIMIZED); not set on Fargate.
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
    """The instance types (or families) that may be launched.

    Default: ``optimal`` (``default_x86_64`` with the flag
    ``cdk_batch.flags.DEFAULT_INSTANCE_CLASS`` on)
    """
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
    service-linked role ``AWSServiceRoleForEC2SpotFleet``; otherwise none. With
    the context flag ``cdk_batch.flags.SPOT_FLEET_ROLE`` on: for Spot with a
    rendered strategy of BEST_FIT, a new role with the AWS managed policy
    ``service-role/AmazonEC2SpotFleetTaggingRole``; otherwise none
    """
    type: ComputeResourceType | None = None
    """The kind of capacity. Default: ON_DEMAND"""
    vpc_subnets: ec2.SubnetSelection | None = None
    """The subnets the instances or tasks run in.

    Default: the VPC's default selection (its private subnets, else its isolated
    ones, else its public ones). With the context flag
    ``cdk_batch.flags.FARGATE_SUBNETS`` on, a Fargate environment takes the
    ``PRIVATE_WITH_EGRESS`` subnets, else the ``PUBLIC`` ones (rule
    ``ce-fargate-subnets-public`` warns), never isolated ones
    """
    images: Sequence[EcsMachineImage] | None = None
    """EC2 and Spot only: one or two image types (``Ec2Configuration``).

    Default: none, so AWS Batch picks the image type (``ECS_AL2023`` for new
    environments since January 2026); with the flag
    ``cdk_batch.flags.DEFAULT_TO_AL2023`` on, and no ``image``, one entry of type
    ``ECS_AL2023`` (``ECS_AL2023_NVIDIA`` when ``instance_types`` has GPU types)

    .. versionadded:: 0.2.0
    """
    default_instance_classes: Sequence[DefaultInstanceClass] | None = None
    """EC2 and Spot only: family bundles added after ``instance_types``.

    Default: none; when ``instance_types`` is also unset, ``optimal``

    .. versionadded:: 0.2.0
    """
    update_to_latest_image_version: bool | None = None
    """EC2 and Spot only: move to the latest supported AMI on each infrastructure update.

    Ignored when an AMI id is given (``image``, an ``images`` entry's
    ``image``). An AMI named by a launch template changes on an update only
    when this is true. Default: none (AWS Batch treats it as false)

    .. versionadded:: 0.2.0
    """


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

    Default: a role with the AWS managed policy ``service-role/AWSBatchServiceRole``;
    with the context flag ``cdk_batch.flags.SERVICE_LINKED_ROLE`` on, none, so
    AWS Batch uses its service-linked role ``AWSServiceRoleForBatch``
    """
    replace_compute_environment: bool | None = None
    """Whether a change that needs new instances replaces the environment.

    Rendered as ``ReplaceComputeEnvironment``.

    ``False`` lets AWS Batch make such changes as infrastructure updates, in
    place. Change it to ``False`` in a deployment of its own. Default: none
    (CloudFormation treats it as true); ``False`` with the flag
    ``cdk_batch.flags.UPDATE_POLICY`` on, for an EC2 or Spot environment that can
    be updated in place

    .. versionadded:: 0.2.0
    """
    terminate_on_update: bool | None = None
    """Whether running jobs are terminated when the infrastructure is updated.

    Default: none (AWS Batch treats it as false); ``False`` where the flag
    ``cdk_batch.flags.UPDATE_POLICY`` applies

    .. versionadded:: 0.2.0
    """
    update_timeout: Duration | None = None
    """How long running jobs may keep running during an infrastructure update, in whole minutes.

    Default: none (AWS Batch waits 30 minutes); 30 minutes where the flag
    ``cdk_batch.flags.UPDATE_POLICY`` applies
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_UpdatePolicy.html

    .. versionadded:: 0.2.0
    """
    unmanagedv_cpus: float | None = None
    """Unmanaged only: the vCPUs to reserve for fair-share scheduling (``UnmanagedvCpus``).

    Default: none, so no capacity is reserved for new share identifiers

    .. versionadded:: 0.2.0
    """
    inherited_tags: InheritedTags | None = None
    """Where inherited tags are rendered.

    Default: none, which is ``InheritedTags.RESOURCE`` (``INSTANCES`` for an EC2 or
    Spot environment with the flag ``cdk_batch.flags.TAGS_NO_REPLACEMENT`` on)

    .. versionadded:: 0.2.0
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
DEFAULT_TO_AL2023_FLAG = "@aws-cdk/aws-batch:defaultToAL2023"
"""aws-cdk-lib's context flag that makes ``ECS_AL2023`` the default image type."""
NVIDIA_GPU_FAMILY = re.compile(r"^(p|g|gr)\d")
"""Instance type names of the NVIDIA GPU families (p3, p4d, p5, g4dn, g5, g5g, g6, gr6 ...)."""
