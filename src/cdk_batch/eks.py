"""AWS Batch on Amazon EKS: compute environments on a cluster, and pod job definitions.

:class:`ManagedEc2EksComputeEnvironment` lets AWS Batch add EC2 nodes to an
existing EKS cluster and run jobs as pods in one namespace; it joins a
classic :class:`JobQueue` like any compute environment (a queue holds EKS
environments only). :class:`EksJobDefinition` describes the pod: one
:class:`EksContainerDefinition` with its :class:`EksVolume` volumes, the DNS
policy, the network mode and the service account.

Names, props and defaults follow ``aws_cdk.aws_batch`` (aws-cdk-lib 2.x), and
for the same props the ``EksConfiguration``, ``ComputeResources`` and
``EksProperties`` rendered here equal that module's, except that unset
optional values render no key (no empty ``Env``, ``Limits``, ``Requests``,
``RetryStrategy`` or ``Timeout``, no ``UpdatePolicy: {}``), a volume without a
``mount_path`` is declared but not mounted, and a launch template known only
by name renders its name.

See: https://docs.aws.amazon.com/batch/latest/userguide/eks.html

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import jsii
from aws_cdk import Duration, Fn, Resource, Size, Token
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_eks as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._core.registry import validate
from ._core.tokens import is_unknown
from ._props.compute_environment import (
    DEFAULT_MAXV_CPUS,
    DEFAULT_TO_AL2023_FLAG,
    AllocationStrategy,
)
from ._props.eks import (
    DnsPolicy,
    EksContainerDefinitionProps,
    EksJobDefinitionProps,
    EksMachineImage,
    EksMachineImageType,
    EksVolume,
    EmptyDirMediumType,
    EmptyDirVolume,
    HostPathVolume,
    ImagePullPolicy,
    ManagedEc2EksComputeEnvironmentProps,
    PersistentVolumeClaimVolume,
    SecretPathVolume,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, new
from ._render.image_binding import bind_pod_image
from ._render.shared import (
    arn_attribute,
    aws_managed_policy,
    service_principal,
    stack_of,
    subnet_ids,
)

__all__ = [
    "DnsPolicy",
    "EksContainerDefinition",
    "EksContainerDefinitionProps",
    "EksJobDefinition",
    "EksJobDefinitionProps",
    "EksMachineImage",
    "EksMachineImageType",
    "EksVolume",
    "EmptyDirMediumType",
    "EmptyDirVolume",
    "HostPathVolume",
    "ImagePullPolicy",
    "ManagedEc2EksComputeEnvironment",
    "ManagedEc2EksComputeEnvironmentProps",
    "PersistentVolumeClaimVolume",
    "SecretPathVolume",
]

_CE = "ManagedEc2EksComputeEnvironment"
_CONTAINER = "EksContainerDefinition"
_JD = "EksJobDefinition"


# --- the compute environment -------------------------------------------------


@jsii.implements(ec2.IConnectable)
class ManagedEc2EksComputeEnvironment(Resource):
    """A managed AWS Batch compute environment whose EC2 nodes join an Amazon EKS cluster.

    Creates an ``AWS::Batch::ComputeEnvironment`` with ``EksConfiguration``,
    an instance profile (and, unless you give ``instance_role``, its role) and,
    unless you give ``security_groups``, a security group. Put it in a
    :class:`JobQueue` through ``JobQueueComputeEnvironment``.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        eks_cluster: eks.ICluster | str,
        kubernetes_namespace: str,
        vpc: ec2.IVpc,
        allocation_strategy: AllocationStrategy | None = None,
        compute_environment_name: str | None = None,
        enabled: bool | None = None,
        images: Sequence[EksMachineImage | Mapping[str, Any]] | None = None,
        instance_classes: Sequence[ec2.InstanceClass] | None = None,
        instance_role: iam.IRole | None = None,
        instance_types: Sequence[ec2.InstanceType] | None = None,
        launch_template: ec2.ILaunchTemplate | None = None,
        maxv_cpus: float | None = None,
        minv_cpus: float | None = None,
        placement_group: ec2.IPlacementGroup | None = None,
        replace_compute_environment: bool | None = None,
        security_groups: Sequence[ec2.ISecurityGroup] | None = None,
        service_role: iam.IRole | None = None,
        spot: bool | None = None,
        spot_bid_percentage: float | None = None,
        terminate_on_update: bool | None = None,
        update_timeout: Duration | None = None,
        update_to_latest_image_version: bool | None = None,
        use_optimal_instance_classes: bool | None = None,
        vpc_subnets: ec2.SubnetSelection | Mapping[str, Any] | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=compute_environment_name)
        props = ManagedEc2EksComputeEnvironmentProps(
            eks_cluster=eks_cluster,
            kubernetes_namespace=kubernetes_namespace,
            vpc=vpc,
            allocation_strategy=allocation_strategy,
            compute_environment_name=compute_environment_name,
            enabled=enabled,
            images=images,  # type: ignore[arg-type]
            instance_classes=instance_classes,
            instance_role=instance_role,
            instance_types=instance_types,
            launch_template=launch_template,
            maxv_cpus=maxv_cpus,
            minv_cpus=minv_cpus,
            placement_group=placement_group,
            replace_compute_environment=replace_compute_environment,
            security_groups=security_groups,
            service_role=service_role,
            spot=spot,
            spot_bid_percentage=spot_bid_percentage,
            terminate_on_update=terminate_on_update,
            update_timeout=update_timeout,
            update_to_latest_image_version=update_to_latest_image_version,
            use_optimal_instance_classes=use_optimal_instance_classes,
            vpc_subnets=vpc_subnets,  # type: ignore[arg-type]
        )
        validate(self, _CE, props)
        self._props = props

        self._security_groups: list[ec2.ISecurityGroup] = (
            list(props.security_groups)
            if props.security_groups is not None
            else [ec2.SecurityGroup(self, "SecurityGroup", vpc=props.vpc)]
        )
        self._connections: ec2.Connections | None = None
        role = props.instance_role or iam.Role(
            self,
            "InstanceProfileRole",
            assumed_by=service_principal("ec2.amazonaws.com"),
            managed_policies=[
                aws_managed_policy("service-role/AmazonEC2ContainerServiceforEC2Role")
            ],
        )
        profile = iam.CfnInstanceProfile(self, "InstanceProfile", roles=[role.role_name])
        self.instance_role: iam.IRole = role
        """The role of the nodes."""
        self._instance_types = [t.to_string() for t in props.instance_types or ()]
        self._instance_classes = [_class_name(c) for c in props.instance_classes or ()]

        cluster = props.eks_cluster
        self._resource = new(
            cfn.CfnComputeEnvironment,
            self,
            "Resource",
            compute_environment_name=compute_environment_name,
            compute_resources=self._render_compute_resources(props, profile.attr_arn),
            eks_configuration=cfn.CfnComputeEnvironment.EksConfigurationProperty(
                eks_cluster_arn=cluster if isinstance(cluster, str) else cluster.cluster_arn,
                kubernetes_namespace=kubernetes_namespace,
            ),
            replace_compute_environment=replace_compute_environment,
            service_role=service_role.role_arn if service_role is not None else None,
            state="DISABLED" if enabled is False else "ENABLED",
            type="MANAGED",
            update_policy=(
                cfn.CfnComputeEnvironment.UpdatePolicyProperty(
                    job_execution_timeout_minutes=(
                        update_timeout.to_minutes() if update_timeout is not None else None
                    ),
                    terminate_jobs_on_update=terminate_on_update,
                )
                if terminate_on_update is not None or update_timeout is not None
                else None
            ),
        )
        self._arn: str | None = None
        self._name: str | None = None

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
        """The name of the compute environment, read from its ARN."""
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.ref))
            )
        return self._name

    @property
    def kubernetes_namespace(self) -> str:
        """The namespace the jobs' pods run in."""
        return self._props.kubernetes_namespace

    @property
    def connections(self) -> ec2.Connections:
        """The security groups of the nodes, for opening network access."""
        if self._connections is None:
            self._connections = ec2.Connections(security_groups=self._security_groups)
        return self._connections

    def add_instance_type(self, instance_type: ec2.InstanceType) -> None:
        """Let the environment launch ``instance_type`` too."""
        self._instance_types.append(instance_type.to_string())
        self._override_instance_types()

    def add_instance_class(self, instance_class: ec2.InstanceClass) -> None:
        """Let the environment launch any size of ``instance_class`` too."""
        self._instance_classes.append(_class_name(instance_class))
        self._override_instance_types()

    # --- rendering ---------------------------------------------------------

    def _rendered_instance_types(self) -> list[str]:
        optimal = [] if self._props.use_optimal_instance_classes is False else ["optimal"]
        return self._instance_types + self._instance_classes + optimal

    def _override_instance_types(self) -> None:
        self._resource.add_property_override(
            "ComputeResources.InstanceTypes", self._rendered_instance_types()
        )

    def _render_compute_resources(
        self, props: ManagedEc2EksComputeEnvironmentProps, instance_profile_arn: str
    ) -> cfn.CfnComputeEnvironment.ComputeResourcesProperty:
        strategy = props.allocation_strategy or (
            AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
            if props.is_spot
            else AllocationStrategy.BEST_FIT_PROGRESSIVE
        )
        lt = props.launch_template
        launch_template = None
        if lt is not None:
            template_id = lt.launch_template_id
            launch_template = cfn.CfnComputeEnvironment.LaunchTemplateSpecificationProperty(
                launch_template_id=template_id,
                launch_template_name=lt.launch_template_name if template_id is None else None,
            )
        return cfn.CfnComputeEnvironment.ComputeResourcesProperty(
            allocation_strategy=strategy.value,
            bid_percentage=props.spot_bid_percentage,
            ec2_configuration=self._render_images(props.images),
            instance_role=instance_profile_arn,
            instance_types=self._rendered_instance_types(),
            launch_template=launch_template,
            maxv_cpus=DEFAULT_MAXV_CPUS if props.maxv_cpus is None else props.maxv_cpus,
            minv_cpus=props.minv_cpus or 0,
            placement_group=(
                props.placement_group.placement_group_name
                if props.placement_group is not None
                else None
            ),
            security_group_ids=[sg.security_group_id for sg in self._security_groups],
            subnets=subnet_ids(props.vpc, props.vpc_subnets),
            type="SPOT" if props.is_spot else "EC2",
            update_to_latest_image_version=props.update_to_latest_image_version,
        )

    def _render_images(
        self, images: Sequence[EksMachineImage] | None
    ) -> list[cfn.CfnComputeEnvironment.Ec2ConfigurationObjectProperty] | None:
        if images is None:
            return None
        default_type: EksMachineImageType | None = None
        rendered = []
        for image in images:
            kind = image.image_type
            if kind is None:
                if default_type is None:
                    flag = self.node.try_get_context(DEFAULT_TO_AL2023_FLAG)
                    default_type = (
                        EksMachineImageType.EKS_AL2023
                        if flag in (True, "true")
                        else EksMachineImageType.EKS_AL2
                    )
                kind = default_type
            rendered.append(
                cfn.CfnComputeEnvironment.Ec2ConfigurationObjectProperty(
                    image_type=getattr(kind, "value", kind),
                    image_id_override=(
                        image.image.get_image(self).image_id if image.image is not None else None
                    ),
                )
            )
        return rendered


# --- the container -------------------------------------------------------------


class EksContainerDefinition(Construct):
    """The container of an EKS job's pod: image, command, resources, security and volumes.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        image: ecs.ContainerImage,
        args: Sequence[str] | None = None,
        command: Sequence[str] | None = None,
        cpu_limit: float | None = None,
        cpu_reservation: float | None = None,
        env: Mapping[str, str] | None = None,
        gpu_limit: float | None = None,
        gpu_reservation: float | None = None,
        image_pull_policy: ImagePullPolicy | None = None,
        memory_limit: Size | None = None,
        memory_reservation: Size | None = None,
        name: str | None = None,
        privileged: bool | None = None,
        readonly_root_filesystem: bool | None = None,
        run_as_group: float | None = None,
        run_as_root: bool | None = None,
        run_as_user: float | None = None,
        volumes: Sequence[EksVolume] | None = None,
    ) -> None:
        super().__init__(scope, id)
        props = EksContainerDefinitionProps(
            image=image,
            args=args,
            command=command,
            cpu_limit=cpu_limit,
            cpu_reservation=cpu_reservation,
            env=env,
            gpu_limit=gpu_limit,
            gpu_reservation=gpu_reservation,
            image_pull_policy=image_pull_policy,
            memory_limit=memory_limit,
            memory_reservation=memory_reservation,
            name=name,
            privileged=privileged,
            readonly_root_filesystem=readonly_root_filesystem,
            run_as_group=run_as_group,
            run_as_root=run_as_root,
            run_as_user=run_as_user,
            volumes=volumes,
        )
        validate(self, _CONTAINER, props)
        self._props = props
        self._image_name = bind_pod_image(self, stack_of(scope), image)
        self._job_definitions: list[EksJobDefinition] = []

    @property
    def props(self) -> EksContainerDefinitionProps:
        """The props of the container, with every volume added so far."""
        return self._props

    @property
    def volumes(self) -> tuple[EksVolume, ...]:
        """The volumes of the pod."""
        return tuple(self._props.volumes or ())

    def add_volume(self, volume: EksVolume) -> None:
        """Add a volume to the pod (and mount it, if it has a ``mount_path``).

        Job definitions that already use this container are updated.

        Raises:
            BatchValidationError: the volume breaks a rule (a name used twice...).

        """
        props = dataclasses.replace(self._props, volumes=(*self.volumes, volume))
        validate(self, _CONTAINER, props)
        self._props = props
        for job_definition in self._job_definitions:
            job_definition._rerender()

    def _render_container(self) -> cfn.CfnJobDefinition.EksContainerProperty:
        p = self._props
        limits: dict[str, Any] = {}
        requests: dict[str, Any] = {}
        for target, cpu, memory, gpu in (
            (limits, p.cpu_limit, p.memory_limit, p.gpu_limit),
            (requests, p.cpu_reservation, p.memory_reservation, p.gpu_reservation),
        ):
            if cpu is not None:
                target["cpu"] = cpu
            if memory is not None:
                target["memory"] = _mebibytes_text(memory)
            if gpu is not None:
                target["nvidia.com/gpu"] = gpu
        mounts = [
            cfn.CfnJobDefinition.EksContainerVolumeMountProperty(
                mount_path=v.mount_path, name=v.name, read_only=v.readonly
            )
            for v in self.volumes
            if v.mount_path is not None
        ]
        return cfn.CfnJobDefinition.EksContainerProperty(
            image=self._image_name,
            args=list(p.args) if p.args is not None else None,
            command=list(p.command) if p.command is not None else None,
            env=(
                [
                    cfn.CfnJobDefinition.EksContainerEnvironmentVariableProperty(name=k, value=v)
                    for k, v in p.env.items()
                ]
                if p.env
                else None
            ),
            image_pull_policy=p.image_pull_policy.value if p.image_pull_policy else None,
            name=p.name,
            resources=(
                cfn.CfnJobDefinition.ResourcesProperty(
                    limits=limits or None, requests=requests or None
                )
                if limits or requests
                else None
            ),
            security_context=cfn.CfnJobDefinition.SecurityContextProperty(
                privileged=p.privileged,
                read_only_root_filesystem=p.readonly_root_filesystem,
                run_as_group=p.run_as_group,
                # As aws_cdk.aws_batch renders it: non-root unless run_as_root is true.
                run_as_non_root=not p.run_as_root,
                run_as_user=p.run_as_user,
            ),
            volume_mounts=mounts or None,
        )

    def _render_volumes(self) -> list[cfn.CfnJobDefinition.EksVolumeProperty] | None:
        rendered = [_render_volume(v) for v in self.volumes]
        return rendered or None


# --- the job definition --------------------------------------------------------


class EksJobDefinition(Resource):
    """An AWS Batch job definition whose jobs run as pods on an EKS compute environment.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        container: EksContainerDefinition,
        dns_policy: DnsPolicy | None = None,
        job_definition_name: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        retry_attempts: float | None = None,
        scheduling_priority: float | None = None,
        service_account: str | None = None,
        skip_deregister_on_update: bool | None = None,
        timeout: Duration | None = None,
        use_host_network: bool | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=job_definition_name)
        props = EksJobDefinitionProps(
            container=container,
            dns_policy=dns_policy,
            job_definition_name=job_definition_name,
            parameters=parameters,
            retry_attempts=retry_attempts,
            scheduling_priority=scheduling_priority,
            service_account=service_account,
            skip_deregister_on_update=skip_deregister_on_update,
            timeout=timeout,
            use_host_network=use_host_network,
        )
        validate(self, _JD, props)
        self._props = props
        self.container = container
        """The container the pod runs."""
        container._job_definitions.append(self)
        self._resource = new(
            cfn.CfnJobDefinition,
            self,
            "Resource",
            type="container",
            eks_properties=self._render_eks_properties(),
            job_definition_name=job_definition_name,
            parameters=dict(parameters) if parameters is not None else None,
            resource_retention_policy=(
                cfn.CfnJobDefinition.ResourceRetentionPolicyProperty(
                    skip_deregister_on_update=skip_deregister_on_update
                )
                if skip_deregister_on_update is not None
                else None
            ),
            retry_strategy=(
                cfn.CfnJobDefinition.RetryStrategyProperty(attempts=retry_attempts)
                if retry_attempts is not None
                else None
            ),
            scheduling_priority=scheduling_priority,
            timeout=(
                cfn.CfnJobDefinition.TimeoutProperty(attempt_duration_seconds=timeout.to_seconds())
                if timeout is not None
                else None
            ),
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_eks_job_definition_arn(
        scope: Construct, id: str, eks_job_definition_arn: str
    ) -> _ImportedEksJobDefinition:
        """Refer to an existing EKS job definition by its ARN.

        The name is read from the ARN (``...:job-definition/NAME[:REVISION]``).
        """
        return _ImportedEksJobDefinition(scope, id, eks_job_definition_arn)

    @property
    def job_definition_arn(self) -> str:
        """The ARN of the job definition, with its revision."""
        if self._arn is None:
            self._arn = arn_attribute(
                self, self._resource, "job-definition", self._props.job_definition_name
            )
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name of the job definition, without the revision, read from its ARN."""
        if self._name is None:
            resource = Fn.select(1, Fn.split("/", self._resource.ref))
            self._name = self._get_resource_name_attribute(Fn.select(0, Fn.split(":", resource)))
        return self._name

    def _render_eks_properties(self) -> cfn.CfnJobDefinition.EksPropertiesProperty:
        p = self._props
        return cfn.CfnJobDefinition.EksPropertiesProperty(
            pod_properties=cfn.CfnJobDefinition.PodPropertiesProperty(
                containers=[self.container._render_container()],
                dns_policy=p.dns_policy.value if p.dns_policy is not None else None,
                host_network=p.use_host_network,
                service_account_name=p.service_account,
                volumes=self.container._render_volumes(),
            )
        )

    def _rerender(self) -> None:
        self._resource.eks_properties = self._render_eks_properties()


class _ImportedEksJobDefinition(Resource):
    """An EKS job definition that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "JobDefinition", arn)

    @property
    def job_definition_arn(self) -> str:
        """The ARN the definition was imported with."""
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name part of the ARN."""
        return self._name


# --- helpers -------------------------------------------------------------------


def _render_volume(v: EksVolume) -> cfn.CfnJobDefinition.EksVolumeProperty:
    if isinstance(v, EmptyDirVolume):
        return cfn.CfnJobDefinition.EksVolumeProperty(
            name=v.name,
            empty_dir=cfn.CfnJobDefinition.EmptyDirProperty(
                medium=v.medium.value if v.medium is not None else None,
                size_limit=_mebibytes_text(v.size_limit) if v.size_limit is not None else None,
            ),
        )
    if isinstance(v, HostPathVolume):
        return cfn.CfnJobDefinition.EksVolumeProperty(
            name=v.name, host_path=cfn.CfnJobDefinition.HostPathProperty(path=v.host_path)
        )
    if isinstance(v, SecretPathVolume):
        return cfn.CfnJobDefinition.EksVolumeProperty(
            name=v.name,
            secret=cfn.CfnJobDefinition.EksSecretProperty(
                secret_name=v.secret_name, optional=True if v.optional is None else v.optional
            ),
        )
    if isinstance(v, PersistentVolumeClaimVolume):
        return cfn.CfnJobDefinition.EksVolumeProperty(
            name=v.name,
            persistent_volume_claim=cfn.CfnJobDefinition.EksPersistentVolumeClaimProperty(
                claim_name=v.claim_name, read_only=v.readonly
            ),
        )
    raise TypeError(
        f"volume {v.name!r} must be made with EksVolume.empty_dir, host_path, secret or "
        f"persistent_volume_claim, got {type(v).__name__}"
    )


def _mebibytes_text(size: Size) -> str:
    mib = size.to_mebibytes()
    if is_unknown(mib):
        return f"{Token.as_string(mib)}Mi"
    return f"{int(mib) if float(mib).is_integer() else mib}Mi"


_CLASS_NAMES: dict[str, str] = {}


def _class_name(instance_class: ec2.InstanceClass) -> str:
    """The family name (``r5``) of an instance class (``MEMORY5`` or ``R5``)."""
    key = str(instance_class.value)
    found = _CLASS_NAMES.get(key)
    if found is None:
        probe = ec2.InstanceType.of(instance_class, ec2.InstanceSize.LARGE).to_string()
        found = _CLASS_NAMES[key] = probe.split(".", 1)[0]
    return found
