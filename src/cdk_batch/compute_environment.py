"""Compute environments: the EC2, Spot or Fargate capacity that runs Batch jobs.

A managed compute environment lets AWS Batch launch and scale instances (or
Fargate tasks) in a VPC; an unmanaged one leaves the capacity to you.

See: https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsii
from aws_cdk import Fn, Resource, Stack
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._core.registry import validate
from ._core.structs import coerce_optional
from ._props.compute_environment import (
    DEFAULT_MAXV_CPUS,
    AllocationStrategy,
    ComputeEnvironmentProps,
    ComputeResources,
    ComputeResourceType,
    IComputeEnvironment,
    LaunchTemplateSpecification,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import new
from ._render.shared import arn_attribute, aws_managed_policy, service_principal, subnet_ids

__all__ = [
    "AllocationStrategy",
    "ComputeEnvironment",
    "ComputeEnvironmentProps",
    "ComputeResourceType",
    "ComputeResources",
    "IComputeEnvironment",
    "LaunchTemplateSpecification",
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
        role = props.service_role or new(
            iam.Role,
            self,
            "Resource-Service-Instance-Role",
            assumed_by=service_principal("batch.amazonaws.com"),
            managed_policies=[aws_managed_policy("service-role/AWSBatchServiceRole")],
        )
        self._resource = new(
            cfn.CfnComputeEnvironment,
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
        return [new(ec2.SecurityGroup, self, "Resource-Security-Group", vpc=cr.vpc)]

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


_SPOT_FLEET_SERVICE_LINKED_ROLE = (
    "aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet"
)
