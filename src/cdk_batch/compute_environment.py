"""Compute environments: the EC2, Spot or Fargate capacity that runs Batch jobs.

A managed compute environment lets AWS Batch launch and scale instances (or
Fargate tasks) in a VPC; an unmanaged one leaves the capacity to you.

See: https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import jsii
from aws_cdk import (
    Duration,
    FeatureFlags,
    Fn,
    IStableAnyProducer,
    Lazy,
    Resource,
    Stack,
)
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from . import flags
from ._core.flags import flags_on
from ._core.registry import validate
from ._core.structs import coerce_optional
from ._props.compute_environment import (
    DEFAULT_MAXV_CPUS,
    DEFAULT_TO_AL2023_FLAG,
    FARGATE_TYPES,
    NVIDIA_GPU_FAMILY,
    AllocationStrategy,
    ComputeEnvironmentProps,
    ComputeResources,
    ComputeResourceType,
    DefaultInstanceClass,
    EcsMachineImage,
    EcsMachineImageType,
    IComputeEnvironment,
    InheritedTags,
    LaunchTemplateSpecification,
    LaunchTemplateVersion,
)
from ._props.corrected import mark_corrected_defaults
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, js_struct, new
from ._render.shared import (
    arn_attribute,
    aws_managed_policy,
    internet_connectivity,
    service_principal,
    subnet_ids,
)
from .rules.compute_environment import fargate_default_subnet_type

__all__ = [
    "AllocationStrategy",
    "ComputeEnvironment",
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
        replace_compute_environment: bool | None = None,
        terminate_on_update: bool | None = None,
        update_timeout: Duration | None = None,
        unmanagedv_cpus: float | None = None,
        inherited_tags: InheritedTags | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=compute_environment_name)
        # The corrected-defaults flags on here (cdk_batch.flags); read once.
        self._corrected = flags_on(scope)
        resources = coerce_optional(ComputeResources, compute_resources)
        ec2_managed = (
            resources is not None and managed is not False and resources.type not in FARGATE_TYPES
        )
        if ec2_managed and resources is not None:
            resources = self._with_flag_defaults(resources)
        props = ComputeEnvironmentProps(
            compute_environment_name=compute_environment_name,
            compute_resources=self._with_image_type_defaults(scope, resources),
            enabled=enabled,
            managed=managed,
            service_role=service_role,
            replace_compute_environment=replace_compute_environment,
            terminate_on_update=terminate_on_update,
            update_timeout=update_timeout,
            unmanagedv_cpus=unmanagedv_cpus,
            inherited_tags=inherited_tags,
        )
        if ec2_managed and self._corrected:
            props = self._with_update_and_tag_defaults(props)
        validate(self, "ComputeEnvironment", mark_corrected_defaults(props, self._corrected))
        self._props = props

        cr = props.compute_resources
        precise_vpc_dependency = flags.PRECISE_VPC_DEPENDENCY in self._corrected
        if cr is not None and not precise_vpc_dependency:
            # Kept from the alpha: the environment depends on the whole VPC.
            self.node.add_dependency(cr.vpc)

        security_groups = self._render_security_groups(cr) if cr is not None else []
        self._security_groups = security_groups
        self._connections: ec2.Connections | None = None
        rendered_resources = (
            self._render_compute_resources(props, cr, security_groups) if cr is not None else None
        )
        role = self._render_service_role(props.service_role)
        self._resource = new(
            cfn.CfnComputeEnvironment,
            self,
            "Resource",
            compute_environment_name=compute_environment_name,
            compute_resources=rendered_resources,
            service_role=role,
            state="DISABLED" if enabled is False else "ENABLED",
            type="MANAGED" if props.is_managed else "UNMANAGED",
            replace_compute_environment=props.replace_compute_environment,
            unmanagedv_cpus=unmanagedv_cpus,
            update_policy=_render_update_policy(props),
        )
        how = props.inherited_tags
        if how is not None and how is not InheritedTags.RESOURCE:
            self._render_inherited_tags(how, cr)
        if props.service_role is not None and flags.SERVICE_LINKED_ROLE in self._corrected:
            # The role and the policies under it (its DefaultPolicy) exist before
            # the environment, and are deleted after it.
            self._resource.node.add_dependency(props.service_role)
        if cr is not None and precise_vpc_dependency:
            self._render_subnet_dependency(props, cr)
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

    def _with_image_type_defaults(
        self, scope: Construct, cr: ComputeResources | None
    ) -> ComputeResources | None:
        """``cr`` with each image entry's missing type filled in from the context flags."""
        if cr is None or not cr.images or all(i.image_type is not None for i in cr.images):
            return cr
        al2023 = flags.DEFAULT_TO_AL2023 in self._corrected or _aws_cdk_al2023(scope)
        default = EcsMachineImageType.ECS_AL2023 if al2023 else EcsMachineImageType.ECS_AL2
        images = tuple(
            i if i.image_type is not None else EcsMachineImage(image=i.image, image_type=default)
            for i in cr.images
        )
        return dataclasses.replace(cr, images=images)

    def _with_flag_defaults(self, cr: ComputeResources) -> ComputeResources:
        """``cr`` of a managed EC2 or Spot environment with the flagged defaults filled in.

        D7 (``default_x86_64`` for no instance types), D8 (the allocation
        strategy) and D10 (an Amazon Linux 2023 image type for no ``images``).
        Filled in before the rules run, so that they check what is rendered.
        """
        on = self._corrected
        changes: dict[str, Any] = {}
        if (
            flags.DEFAULT_INSTANCE_CLASS in on
            and cr.instance_types is None
            and cr.default_instance_classes is None
        ):
            changes["default_instance_classes"] = (DefaultInstanceClass.X86_64,)
        if flags.ALLOCATION_STRATEGY in on and cr.allocation_strategy is None:
            changes["allocation_strategy"] = (
                AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
                if cr.type is ComputeResourceType.SPOT
                else AllocationStrategy.BEST_FIT_PROGRESSIVE
            )
        if (
            cr.images is None
            and cr.image is None
            # Only our flag: aws-cdk-lib's defaultToAL2023, which `cdk init` writes
            # into new cdk.json files, never changed the alpha's template.
            and flags.DEFAULT_TO_AL2023 in on
        ):
            gpu = any(
                NVIDIA_GPU_FAMILY.match(name)
                for name in (t.to_string() for t in cr.instance_types or ())
                if isinstance(name, str)
            )
            image_type = (
                EcsMachineImageType.ECS_AL2023_NVIDIA if gpu else EcsMachineImageType.ECS_AL2023
            )
            changes["images"] = (EcsMachineImage(image_type=image_type),)
        return dataclasses.replace(cr, **changes) if changes else cr

    def _with_update_and_tag_defaults(
        self, props: ComputeEnvironmentProps
    ) -> ComputeEnvironmentProps:
        """``props`` of a managed EC2 or Spot environment with D9 and D15 filled in."""
        on = self._corrected
        changes: dict[str, Any] = {}
        cr = props.compute_resources
        if (
            flags.UPDATE_POLICY in on
            and cr is not None
            and _rendered_strategy(cr) is not AllocationStrategy.BEST_FIT
            and self._uses_service_linked_role(props.service_role)
        ):
            if props.replace_compute_environment is None:
                changes["replace_compute_environment"] = False
            if props.terminate_on_update is None:
                changes["terminate_on_update"] = False
            if props.update_timeout is None and props.terminate_on_update is not True:
                changes["update_timeout"] = Duration.minutes(_UPDATE_TIMEOUT_MINUTES)
        if flags.TAGS_NO_REPLACEMENT in on and props.inherited_tags is None:
            changes["inherited_tags"] = InheritedTags.INSTANCES
        return dataclasses.replace(props, **changes) if changes else props

    def _uses_service_linked_role(self, role: iam.IRole | None) -> bool:
        """Whether Batch acts through AWSServiceRoleForBatch, which in-place updates need."""
        if role is None:
            return flags.SERVICE_LINKED_ROLE in self._corrected
        return _BATCH_SERVICE_LINKED_ROLE in role.role_arn

    def _render_inherited_tags(self, how: InheritedTags, cr: ComputeResources | None) -> None:
        # Inherited tags arrive through aspects, after construction, so the
        # instance tags are produced at synth time.
        self._resource.add_property_deletion_override("Tags")
        if how is InheritedTags.INSTANCES and cr is not None:
            explicit = dict(cr.compute_resources_tags or {})
            tag_manager = self._resource.tags

            def instance_tags() -> Mapping[str, str] | None:
                merged = {**tag_manager.tag_values(), **explicit}
                return merged or None

            self._resource.add_property_override(
                "ComputeResources.Tags", Lazy.any(_Producer(instance_tags))
            )

    def _render_service_role(self, role: iam.IRole | None) -> iam.IRole | None:
        if role is not None:
            return role
        if flags.SERVICE_LINKED_ROLE in self._corrected:
            # No ServiceRole: AWS Batch uses its service-linked role AWSServiceRoleForBatch.
            return None
        return new(
            iam.Role,
            self,
            "Resource-Service-Instance-Role",
            assumed_by=service_principal("batch.amazonaws.com"),
            managed_policies=[aws_managed_policy("service-role/AWSBatchServiceRole")],
        )

    def _vpc_subnets(
        self, props: ComputeEnvironmentProps, cr: ComputeResources
    ) -> ec2.SubnetSelection | None:
        """The subnet selection rendered: the user's, or the one the fargateSubnets flag picks."""
        if (
            cr.vpc_subnets is not None
            or not props.is_fargate
            or flags.FARGATE_SUBNETS not in self._corrected
        ):
            return cr.vpc_subnets
        # None only when the rule ce-fargate-subnets-none has refused the props.
        kind = fargate_default_subnet_type(cr.vpc)
        return ec2.SubnetSelection(subnet_type=kind) if kind is not None else None

    def _render_subnet_dependency(
        self, props: ComputeEnvironmentProps, cr: ComputeResources
    ) -> None:
        # The environment waits for the selected subnets' routes to the internet
        # (and is deleted before them, so its instances can still reach Batch
        # while they are shut down). Refs order everything else.
        dependencies = internet_connectivity(cr.vpc, self._vpc_subnets(props, cr))
        self._resource.node.add_dependency(*dependencies)

    def _render_security_groups(self, cr: ComputeResources) -> list[ec2.ISecurityGroup]:
        if cr.security_groups is not None:
            return list(cr.security_groups)
        if _uses_network_interface_security_groups(cr):
            return []
        return [new(ec2.SecurityGroup, self, "Resource-Security-Group", vpc=cr.vpc)]

    def _render_compute_resources(
        self,
        props: ComputeEnvironmentProps,
        cr: ComputeResources,
        security_groups: Sequence[ec2.ISecurityGroup],
    ) -> Any:  # the ComputeResourcesProperty, as a map for new() (see js_struct)
        kind = props.resource_type
        subnets = subnet_ids(cr.vpc, self._vpc_subnets(props, cr))
        sg_ids = (
            None
            if _uses_network_interface_security_groups(cr)
            else [sg.security_group_id for sg in security_groups]
        )
        # Kept from the alpha: a maxv_cpus of 0 means the default.
        maxv_cpus = cr.maxv_cpus or DEFAULT_MAXV_CPUS
        tags = dict(cr.compute_resources_tags) if cr.compute_resources_tags is not None else None
        if props.is_fargate:
            return js_struct(
                cfn.CfnComputeEnvironment.ComputeResourcesProperty,
                maxv_cpus=maxv_cpus,
                security_group_ids=sg_ids,
                subnets=subnets,
                tags=tags,
                type=kind.value,
            )

        instance_role = cr.instance_role
        if instance_role is None:
            ecs_role = new(
                iam.Role,
                self,
                "Ecs-Instance-Role",
                assumed_by=service_principal("ec2.amazonaws.com"),
                managed_policies=[
                    aws_managed_policy("service-role/AmazonEC2ContainerServiceforEC2Role")
                ],
            )
            profile = new(iam.CfnInstanceProfile, self, "Instance-Profile", roles=[ecs_role])
            instance_role = profile.attr_arn

        strategy = _rendered_strategy(cr)

        lt = cr.launch_template
        launch_template = (
            cfn.CfnComputeEnvironment.LaunchTemplateSpecificationProperty(
                launch_template_id=lt.launch_template_id,
                launch_template_name=lt.launch_template_name,
                version=_render_launch_template_version(lt),
            )
            if lt is not None
            else None
        )
        image_ids = _ImageIds(self)
        image_id = image_ids.of(cr.image)  # first, so the classic image keeps its scope
        ec2_configuration = (
            [
                cfn.CfnComputeEnvironment.Ec2ConfigurationObjectProperty(
                    image_type=_value(i.image_type), image_id_override=image_ids.of(i.image)
                )
                for i in cr.images
            ]
            if cr.images
            else None
        )
        return js_struct(
            cfn.CfnComputeEnvironment.ComputeResourcesProperty,
            allocation_strategy=strategy.value,
            bid_percentage=cr.bid_percentage,
            desiredv_cpus=cr.desiredv_cpus,
            ec2_configuration=ec2_configuration,
            ec2_key_pair=cr.ec2_key_pair,
            image_id=image_id,
            instance_role=instance_role,
            instance_types=_render_instance_types(cr),
            launch_template=launch_template,
            maxv_cpus=maxv_cpus,
            minv_cpus=cr.minv_cpus or 0,
            placement_group=cr.placement_group,
            security_group_ids=sg_ids,
            spot_iam_fleet_role=self._render_spot_fleet_role(kind, cr, strategy),
            subnets=subnets,
            tags=tags,
            type="EC2" if kind is ComputeResourceType.ON_DEMAND else kind.value,
            update_to_latest_image_version=cr.update_to_latest_image_version,
        )

    def _render_spot_fleet_role(
        self, kind: ComputeResourceType, cr: ComputeResources, strategy: AllocationStrategy
    ) -> str | None:
        if cr.spot_fleet_role is None and flags.SPOT_FLEET_ROLE in self._corrected:
            return self._render_new_spot_fleet_role(kind, strategy)
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

    def _render_new_spot_fleet_role(
        self, kind: ComputeResourceType, strategy: AllocationStrategy
    ) -> str | None:
        # The spotFleetRole flag: AWS Batch needs a fleet role only for Spot with
        # BEST_FIT (the strategy rendered); the tagging policy lets the fleet tag
        # the instances it launches.
        if kind is not ComputeResourceType.SPOT or strategy is not AllocationStrategy.BEST_FIT:
            return None
        role = new(
            iam.Role,
            self,
            "SpotFleetRole",
            assumed_by=service_principal("spotfleet.amazonaws.com"),
            managed_policies=[aws_managed_policy("service-role/AmazonEC2SpotFleetTaggingRole")],
        )
        return role.role_arn


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


class _ImageIds:
    """The AMI ids of machine images, each image resolved once.

    Some images (``MachineImage.generic_linux``) add a mapping named ``AmiMap``
    to the scope they are resolved in, so a second image is resolved in a
    scope of its own.
    """

    def __init__(self, scope: Construct) -> None:
        self._scope = scope
        self._ids: dict[int, str] = {}

    def of(self, image: ec2.IMachineImage | None) -> str | None:
        if image is None:
            return None
        found = self._ids.get(id(image))
        if found is None:
            scope = self._scope
            if self._ids:
                scope = Construct(self._scope, f"Image{len(self._ids)}")
            found = self._ids[id(image)] = image.get_image(scope).image_id
        return found


@jsii.implements(IStableAnyProducer)
class _Producer:
    """A ``Lazy`` producer around a Python function, called once at synth."""

    def __init__(self, produce: Any) -> None:
        self._produce = produce

    def produce(self) -> Any:
        return self._produce()


def _value(member: Any) -> str:
    """The rendered string of an enum member (or of a plain string)."""
    return str(member.value) if isinstance(member, Enum) else str(member)


def _rendered_strategy(cr: ComputeResources) -> AllocationStrategy:
    """The allocation strategy rendered for EC2 or Spot: the given one, else the classic default."""
    if cr.allocation_strategy is not None:
        return cr.allocation_strategy
    if cr.type is ComputeResourceType.SPOT:
        return AllocationStrategy.SPOT_CAPACITY_OPTIMIZED
    return AllocationStrategy.BEST_FIT


_AL2023_READ: weakref.WeakKeyDictionary[Construct, bool] = weakref.WeakKeyDictionary()


def _aws_cdk_al2023(scope: Construct) -> bool:
    """Whether aws-cdk-lib's ``@aws-cdk/aws-batch:defaultToAL2023`` is on for children of ``scope``.

    Read as ``aws_cdk.FeatureFlags`` reads it (any value that is true in
    JavaScript), once per parent scope.
    """
    try:
        return _AL2023_READ[scope]
    except KeyError:
        pass
    on = bool(FeatureFlags.of(scope).is_enabled(DEFAULT_TO_AL2023_FLAG))
    _AL2023_READ[scope] = on
    return on


def _render_instance_types(cr: ComputeResources) -> list[str]:
    types = [t.to_string() for t in cr.instance_types] if cr.instance_types is not None else []
    if cr.default_instance_classes is not None:
        types.extend(_value(c) for c in cr.default_instance_classes)
    elif cr.instance_types is None:
        # The classic default: both unset.
        types = ["optimal"]
    return types


def _render_launch_template_version(lt: LaunchTemplateSpecification) -> str | None:
    version = lt.version
    if version is None:
        return None
    template = lt.template
    if template is not None and isinstance(template, ec2.LaunchTemplate):
        if version == LaunchTemplateVersion.LATEST_NUMBER:
            return template.latest_version_number
        if version == LaunchTemplateVersion.DEFAULT_NUMBER:
            return template.default_version_number
    return _value(version)


def _render_update_policy(
    props: ComputeEnvironmentProps,
) -> cfn.CfnComputeEnvironment.UpdatePolicyProperty | None:
    if props.terminate_on_update is None and props.update_timeout is None:
        return None
    minutes: float | None = None
    timeout = props.update_timeout
    if timeout is not None:
        # A token duration must be given in minutes (Duration.minutes(token)).
        minutes = (
            timeout.to_minutes() if timeout.is_unresolved() else int(timeout.to_seconds()) // 60
        )
    return cfn.CfnComputeEnvironment.UpdatePolicyProperty(
        job_execution_timeout_minutes=minutes,
        terminate_jobs_on_update=props.terminate_on_update,
    )


def _uses_network_interface_security_groups(cr: ComputeResources) -> bool:
    lt = cr.launch_template
    return lt is not None and bool(lt.use_network_interface_security_groups)


_UPDATE_TIMEOUT_MINUTES = 30
"""The ``JobExecutionTimeoutMinutes`` the updatePolicy flag renders (AWS Batch's own default)."""
_BATCH_SERVICE_LINKED_ROLE = "aws-service-role/batch.amazonaws.com/"
_SPOT_FLEET_SERVICE_LINKED_ROLE = (
    "aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet"
)
