"""Job definitions: the container, resources and retry rules of a Batch job.

A job definition describes one container (or, for a multi-node parallel job,
a container per range of nodes) and how AWS Batch runs it: image, command,
environment, vCPUs and memory, roles, volumes, logging, retries and timeout.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_definitions.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from aws_cdk import Duration, Fn, IResource, Resource, Stack, Token
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._arns import resource_name_from_arn
from ._image_binding import bind_image
from ._shared import arn_attribute, region_and_account, service_principal, stack_of
from ._structs import Struct, coerce, coerce_optional
from ._validation import is_unknown, validate
from .exposed_secret import ExposedSecret

__all__ = [
    "IJobDefinition",
    "IMultiNodeProps",
    "INodeRangeProps",
    "JobDefinition",
    "JobDefinitionContainer",
    "JobDefinitionProps",
    "LogConfiguration",
    "LogDriver",
    "MultiNodeProps",
    "NodeRangeProps",
    "PlatformCapabilities",
]


class LogDriver(Enum):
    """The log driver of a job's container.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_LogConfiguration.html
    """

    AWSLOGS = "AWSLOGS"
    """Amazon CloudWatch Logs (``awslogs``)."""
    FLUENTD = "FLUENTD"
    """Fluentd (``fluentd``)."""
    GELF = "GELF"
    """Graylog Extended Format (``gelf``)."""
    JOURNALD = "JOURNALD"
    """journald (``journald``)."""
    LOGENTRIES = "LOGENTRIES"
    """Logentries (``logentries``)."""
    JSON_FILE = "JSON_FILE"
    """JSON files on the host (``json-file``)."""
    SPLUNK = "SPLUNK"
    """Splunk (``splunk``)."""
    SYSLOG = "SYSLOG"
    """syslog (``syslog``)."""


class PlatformCapabilities(Enum):
    """Where the jobs of a definition can run."""

    EC2 = "EC2"
    """On EC2 or Spot compute environments."""
    FARGATE = "FARGATE"
    """On Fargate or Fargate Spot compute environments."""


@dataclass(frozen=True, kw_only=True, repr=False)
class LogConfiguration(Struct):
    """The log driver of a container and its options."""

    log_driver: LogDriver
    """The log driver."""
    options: Any = None
    """Options passed to the log driver, as a mapping. Default: no options"""
    secret_options: Sequence[ExposedSecret] | None = None
    """Options whose values come from secrets. Default: no secret options"""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobDefinitionContainer(Struct):
    """The container a job runs.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html
    """

    image: ecs.ContainerImage
    """The image the container starts from."""
    assign_public_ip: bool | None = None
    """Fargate only: whether the job's network interface gets a public IP. Default: not set"""
    command: Sequence[str] | None = None
    """The command passed to the container. Default: the image's ``CMD``"""
    environment: Mapping[str, str] | None = None
    """Environment variables of the container.

    ``AWS_REGION`` and ``AWS_ACCOUNT`` are always added with the stack's
    region and account unless given here. Default: only those two
    """
    execution_role: iam.IRole | None = None
    """The role that ECS and Batch use to pull the image and read secrets.

    Fargate needs one. Default: none
    """
    gpu_count: float | None = None
    """The number of GPUs reserved for the container. Default: none"""
    instance_type: ec2.InstanceType | None = None
    """Multi-node parallel jobs only: the instance type of the nodes. Default: none"""
    job_role: iam.IRole | None = None
    """The role the container's code can assume for AWS permissions. Default: none"""
    linux_params: ecs.LinuxParameters | None = None
    """Linux-specific settings: devices, init process, shared memory, swap and tmpfs.

    Default: none
    """
    log_configuration: LogConfiguration | None = None
    """The log driver of the container. Default: the Docker daemon's driver"""
    memory_limit_mib: float | None = None
    """The hard memory limit of the container, in MiB. Default: 4 on EC2, 512 on Fargate"""
    mount_points: Sequence[ecs.MountPoint] | None = None
    """Where the volumes are mounted in the container. Default: none"""
    platform_version: ecs.FargatePlatformVersion | None = None
    """Fargate only: the platform version. Default: LATEST"""
    privileged: bool | None = None
    """Whether the container runs privileged on its host. Default: false"""
    read_only: bool | None = None
    """Whether the container's root file system is read-only. Default: false"""
    secrets: Mapping[str, ecs.Secret] | None = None
    """Environment variables read from Secrets Manager or SSM parameters. Default: none"""
    ulimits: Sequence[ecs.Ulimit] | None = None
    """The ulimits of the container. Default: none"""
    user: str | None = None
    """The user the container runs as. Default: the image's user"""
    vcpus: float | None = None
    """The vCPUs reserved for the container. Default: 1 on EC2, 0.25 on Fargate"""
    volumes: Sequence[ecs.Volume] | None = None
    """The volumes of the job. Default: none"""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "log_configuration", coerce_optional(LogConfiguration, self.log_configuration)
        )


@runtime_checkable
class INodeRangeProps(Protocol):
    """A range of nodes of a multi-node parallel job and the container they run.

    Implement it with a class decorated ``@jsii.implements(batch.INodeRangeProps)``
    as with the alpha, or use :class:`NodeRangeProps`.
    """

    @property
    def container(self) -> JobDefinitionContainer:
        """The container of the nodes in the range."""
        ...

    @property
    def from_node_index(self) -> float | None:
        """The first node index of the range.

        Default: 0
        """
        ...

    @property
    def to_node_index(self) -> float | None:
        """The last node index of the range.

        Default: the last node of the job
        """
        ...


@runtime_checkable
class IMultiNodeProps(Protocol):
    """The nodes of a multi-node parallel job.

    Implement it with a class decorated ``@jsii.implements(batch.IMultiNodeProps)``
    as with the alpha, or use :class:`MultiNodeProps`.
    """

    @property
    def count(self) -> float:
        """The number of nodes."""
        ...

    @property
    def main_node(self) -> float:
        """The index of the main node; it must be lower than ``count``."""
        ...

    @property
    def range_props(self) -> Sequence[INodeRangeProps]:
        """The node ranges and their containers."""
        ...


@dataclass(frozen=True, kw_only=True, repr=False)
class NodeRangeProps(Struct):
    """A ready-made :class:`INodeRangeProps`.

    .. versionadded:: 0.1.0
    """

    container: JobDefinitionContainer
    """The container of the nodes in the range."""
    from_node_index: float | None = None
    """The first node index of the range. Default: 0"""
    to_node_index: float | None = None
    """The last node index of the range. Default: the last node of the job"""

    def __post_init__(self) -> None:
        object.__setattr__(self, "container", coerce(JobDefinitionContainer, self.container))


@dataclass(frozen=True, kw_only=True, repr=False)
class MultiNodeProps(Struct):
    """A ready-made :class:`IMultiNodeProps`.

    .. versionadded:: 0.1.0
    """

    count: float
    """The number of nodes."""
    main_node: float
    """The index of the main node; it must be lower than ``count``."""
    range_props: Sequence[INodeRangeProps]
    """The node ranges and their containers."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "range_props",
            [coerce(NodeRangeProps, r) for r in self.range_props],
        )


@dataclass(frozen=True, kw_only=True, repr=False)
class JobDefinitionProps(Struct):
    """The props of :class:`JobDefinition`."""

    container: JobDefinitionContainer
    """The container of the job (for a multi-node job, the ranges carry their own)."""
    job_definition_name: str | None = None
    """The name of the job definition. Default: a name CloudFormation generates"""
    node_props: IMultiNodeProps | None = None
    """Makes the job a multi-node parallel job with these nodes. Default: a single-node job"""
    parameters: Mapping[str, str] | None = None
    """Default values for ``Ref::name`` placeholders in the command. Default: none"""
    platform_capabilities: Sequence[PlatformCapabilities] | None = None
    """Where the jobs can run. Default: EC2"""
    propagate_tags: bool | None = None
    """Whether tags propagate from the job and definition to the ECS task. Default: not set"""
    retry_attempts: float | None = None
    """How many times a job is attempted. Default: 1"""
    timeout: Duration | None = None
    """How long an attempt may run before Batch stops it. Default: no timeout"""

    def __post_init__(self) -> None:
        object.__setattr__(self, "container", coerce(JobDefinitionContainer, self.container))
        object.__setattr__(self, "node_props", _coerce_node_props(self.node_props))

    @property
    def is_fargate(self) -> bool:
        """Whether the definition can run on Fargate."""
        return PlatformCapabilities.FARGATE in (self.platform_capabilities or ())

    @property
    def is_ec2(self) -> bool:
        """Whether the definition can run on EC2 (the default)."""
        caps = self.platform_capabilities
        return caps is None or PlatformCapabilities.EC2 in caps


class IJobDefinition(IResource, Protocol):
    """A job definition: one defined here, or one imported by ARN or name."""

    @property
    def job_definition_arn(self) -> str:
        """The ARN of the job definition."""
        ...

    @property
    def job_definition_name(self) -> str:
        """The name of the job definition."""
        ...


# --- the construct ---------------------------------------------------------


class JobDefinition(Resource):
    """An AWS Batch job definition.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        container: JobDefinitionContainer | Mapping[str, Any],
        job_definition_name: str | None = None,
        node_props: IMultiNodeProps | Mapping[str, Any] | None = None,
        parameters: Mapping[str, str] | None = None,
        platform_capabilities: Sequence[PlatformCapabilities] | None = None,
        propagate_tags: bool | None = None,
        retry_attempts: float | None = None,
        timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, id, physical_name=job_definition_name)
        props = JobDefinitionProps(
            container=coerce(JobDefinitionContainer, container),
            job_definition_name=job_definition_name,
            node_props=_coerce_node_props(node_props),
            parameters=parameters,
            platform_capabilities=platform_capabilities,
            propagate_tags=propagate_tags,
            retry_attempts=retry_attempts,
            timeout=timeout,
        )
        validate(self, "JobDefinition", props)
        self._props = props

        renderer = _ContainerRenderer(self, stack_of(scope), props)
        nodes = props.node_props
        if nodes is None:
            container_properties = renderer.render(props.container)
            node_properties = None
            job_type = "container"
        else:
            container_properties = None
            node_properties = renderer.render_nodes(nodes)
            job_type = "multinode"

        self._resource = cfn.CfnJobDefinition(
            self,
            "Resource",
            job_definition_name=job_definition_name,
            container_properties=container_properties,
            node_properties=node_properties,
            parameters=dict(parameters) if parameters is not None else None,
            platform_capabilities=[
                c.value
                for c in (
                    platform_capabilities
                    if platform_capabilities is not None
                    else [PlatformCapabilities.EC2]
                )
            ],
            propagate_tags=propagate_tags,
            retry_strategy=cfn.CfnJobDefinition.RetryStrategyProperty(attempts=retry_attempts or 1),
            # Kept from the alpha: an empty Timeout when none is given.
            timeout=cfn.CfnJobDefinition.TimeoutProperty(
                attempt_duration_seconds=timeout.to_seconds() if timeout is not None else None
            ),
            type=job_type,
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_job_definition_arn(
        scope: Construct, id: str, job_definition_arn: str
    ) -> IJobDefinition:
        """Refer to an existing job definition by its ARN.

        The name is read from the ARN (``...:job-definition/NAME[:REVISION]``).
        """
        return _ImportedJobDefinition(
            scope,
            id,
            arn=job_definition_arn,
            name=lambda self: resource_name_from_arn(self, "JobDefinition", job_definition_arn),
        )

    @staticmethod
    def from_job_definition_name(
        scope: Construct, id: str, job_definition_name: str
    ) -> IJobDefinition:
        """Refer to an existing job definition by its name, with or without ``:REVISION``.

        Without a revision, jobs use the latest active revision.
        """
        stack = Stack.of(scope)
        arn = stack.format_arn(
            service="batch", resource="job-definition", resource_name=job_definition_name
        )
        return _ImportedJobDefinition(scope, id, arn=arn, name=lambda _self: job_definition_name)

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
        """The name of the job definition, without the revision.

        Read from the ARN that CloudFormation returns, so that a consumer of the
        name depends on the definition. (The alpha returned the ARN here; see
        ``docs/differences.md``.)
        """
        if self._name is None:
            resource = Fn.select(1, Fn.split("/", self._resource.ref))
            self._name = self._get_resource_name_attribute(Fn.select(0, Fn.split(":", resource)))
        return self._name


class _ImportedJobDefinition(Resource):
    """A job definition that exists outside this app."""

    def __init__(self, scope: Construct, id: str, *, arn: str, name: Any) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name: str = name(self)

    @property
    def job_definition_arn(self) -> str:
        """The ARN the definition was imported with (or built from its name)."""
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name the definition was imported with (or read from its ARN)."""
        return self._name


# --- rendering ---------------------------------------------------------------


class _ContainerRenderer:
    """Renders containers of one job definition into L1 properties."""

    def __init__(self, scope: JobDefinition, stack: Stack, props: JobDefinitionProps) -> None:
        self._scope = scope
        self._stack = stack
        self._props = props
        self._fargate = props.is_fargate
        self._pull_role: iam.IRole | None = None

    def render(
        self, container: JobDefinitionContainer, *, node_range: bool = False
    ) -> cfn.CfnJobDefinition.ContainerPropertiesProperty:
        c = container
        # CloudFormation refuses InstanceType outside a node range; the alpha
        # rendered it anyway (docs/differences.md). The rule
        # jd-instance-type-multinode-only warns about it.
        instance_type = (
            c.instance_type.to_string() if node_range and c.instance_type is not None else None
        )
        region, account = region_and_account(self._stack)
        environment = _javascript_key_order(c.environment or {})
        environment.setdefault("AWS_REGION", region)
        environment.setdefault("AWS_ACCOUNT", account)

        if c.secrets and c.execution_role is not None:
            for secret in c.secrets.values():
                secret.grant_read(c.execution_role)

        resources = [
            cfn.CfnJobDefinition.ResourceRequirementProperty(
                type="VCPU",
                # Kept from the alpha: 0 means the default.
                value=_number_text(c.vcpus or (0.25 if self._fargate else 1)),
            ),
            cfn.CfnJobDefinition.ResourceRequirementProperty(
                type="MEMORY",
                value=_number_text(c.memory_limit_mib or (512 if self._fargate else 4)),
            ),
        ]
        if c.gpu_count:
            resources.append(
                cfn.CfnJobDefinition.ResourceRequirementProperty(
                    type="GPU", value=_number_text(c.gpu_count)
                )
            )

        return cfn.CfnJobDefinition.ContainerPropertiesProperty(
            command=list(c.command) if c.command is not None else None,
            environment=[
                cfn.CfnJobDefinition.EnvironmentProperty(name=k, value=v)
                for k, v in environment.items()
            ],
            execution_role_arn=c.execution_role.role_arn if c.execution_role else None,
            fargate_platform_configuration=(
                cfn.CfnJobDefinition.FargatePlatformConfigurationProperty(
                    platform_version=_platform_version(c.platform_version)
                )
                if c.platform_version is not None
                else None
            ),
            image=self._bind_image(c),
            instance_type=instance_type,
            job_role_arn=c.job_role.role_arn if c.job_role else None,
            linux_parameters=(
                _render_linux_parameters(self._scope, c.linux_params) if c.linux_params else None
            ),
            log_configuration=(
                _render_log_configuration(c.log_configuration) if c.log_configuration else None
            ),
            mount_points=(
                [
                    cfn.CfnJobDefinition.MountPointsProperty(
                        container_path=m.container_path,
                        read_only=m.read_only,
                        source_volume=m.source_volume,
                    )
                    for m in c.mount_points
                ]
                if c.mount_points is not None
                else None
            ),
            network_configuration=(
                cfn.CfnJobDefinition.NetworkConfigurationProperty(assign_public_ip="ENABLED")
                if c.assign_public_ip
                else None
            ),
            privileged=bool(c.privileged),
            readonly_root_filesystem=bool(c.read_only),
            resource_requirements=resources,
            secrets=(
                [
                    cfn.CfnJobDefinition.SecretProperty(name=k, value_from=s.arn)
                    for k, s in c.secrets.items()
                ]
                if c.secrets is not None
                else None
            ),
            ulimits=(
                [
                    cfn.CfnJobDefinition.UlimitProperty(
                        hard_limit=u.hard_limit, name=u.name.value.lower(), soft_limit=u.soft_limit
                    )
                    for u in c.ulimits
                ]
                if c.ulimits is not None
                else None
            ),
            user=c.user,
            volumes=([_render_volume(v) for v in c.volumes] if c.volumes is not None else None),
        )

    def render_nodes(self, nodes: IMultiNodeProps) -> cfn.CfnJobDefinition.NodePropertiesProperty:
        last = nodes.count - 1 if not is_unknown(nodes.count) else None
        ranges = []
        for r in nodes.range_props:
            start = 0 if r.from_node_index is None else r.from_node_index
            end = r.to_node_index if r.to_node_index is not None else last
            target = f"{_number_text(start)}:{_number_text(end) if end is not None else ''}"
            ranges.append(
                cfn.CfnJobDefinition.NodeRangePropertyProperty(
                    container=self.render(r.container, node_range=True),
                    target_nodes=target,
                )
            )
        return cfn.CfnJobDefinition.NodePropertiesProperty(
            main_node=nodes.main_node,
            num_nodes=nodes.count,
            node_range_properties=ranges,
        )

    def _bind_image(self, c: JobDefinitionContainer) -> str:
        """Bind the image as an ECS task would, granting pull access to the right role."""
        return bind_image(self._scope, self._stack, c.image, lambda: self._image_pull_role(c))

    def _image_pull_role(self, c: JobDefinitionContainer) -> iam.IRole:
        if self._fargate and c.execution_role is not None:
            # On Fargate the execution role pulls the image; the alpha granted
            # the job role instead (docs/differences.md).
            return c.execution_role
        if c.job_role is not None:
            return c.job_role
        if self._pull_role is None:
            # As in the alpha: a role that only materializes when a grant
            # needs its ARN.
            self._pull_role = iam.LazyRole(
                self._scope,
                "Resource-Batch-Task-Definition-Role",
                assumed_by=service_principal("batch.amazonaws.com"),
            )
        return self._pull_role


def _coerce_node_props(value: IMultiNodeProps | Mapping[str, Any] | None) -> IMultiNodeProps | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return MultiNodeProps(**value)
    return value


def _javascript_key_order(mapping: Mapping[str, str]) -> dict[str, str]:
    """``mapping`` in the order a JavaScript object keeps its keys.

    Keys that are array indexes ("0", "17") come first in ascending order,
    then the other keys in insertion order; the alpha's environment variables
    follow that order.
    """
    indexes = sorted((k for k in mapping if _is_array_index(k)), key=int)
    ordered = {k: mapping[k] for k in indexes}
    ordered.update((k, v) for k, v in mapping.items() if k not in ordered)
    return ordered


def _is_array_index(key: str) -> bool:
    return key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def _number_text(value: float) -> str:
    """A number as JavaScript writes it (``1`` not ``1.0``); tokens stay tokens."""
    if is_unknown(value):
        return Token.as_string(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _platform_version(version: ecs.FargatePlatformVersion) -> str:
    return _PLATFORM_VERSIONS.get(version.name, version.value)


_PLATFORM_VERSIONS = {
    "LATEST": "LATEST",
    "VERSION1_4": "1.4.0",
    "VERSION1_3": "1.3.0",
    "VERSION1_2": "1.2.0",
    "VERSION1_1": "1.1.0",
    "VERSION1_0": "1.0.0",
}

_LOG_DRIVERS = {
    LogDriver.AWSLOGS: "awslogs",
    LogDriver.FLUENTD: "fluentd",
    LogDriver.GELF: "gelf",
    LogDriver.JOURNALD: "journald",
    LogDriver.LOGENTRIES: "logentries",
    LogDriver.JSON_FILE: "json-file",
    LogDriver.SPLUNK: "splunk",
    LogDriver.SYSLOG: "syslog",
}


def _render_log_configuration(
    log: LogConfiguration,
) -> cfn.CfnJobDefinition.LogConfigurationProperty:
    return cfn.CfnJobDefinition.LogConfigurationProperty(
        log_driver=_LOG_DRIVERS[log.log_driver],
        options=log.options,
        secret_options=(
            [
                cfn.CfnJobDefinition.SecretProperty(name=s.option_name, value_from=s.secret_arn)
                for s in log.secret_options
            ]
            if log.secret_options is not None
            else None
        ),
    )


def _render_linux_parameters(
    scope: Construct, params: ecs.LinuxParameters
) -> cfn.CfnJobDefinition.LinuxParametersProperty:
    """Every Batch field of ``params`` (the alpha kept only the devices)."""
    stack = Stack.of(scope)
    rendered = params.render_linux_parameters()
    devices = stack.resolve(rendered.devices) or []
    tmpfs = stack.resolve(rendered.tmpfs) or []
    # Kernel capabilities have no place in Batch; jd-linux-parameters-capabilities
    # warns about them.
    return cfn.CfnJobDefinition.LinuxParametersProperty(
        devices=(
            [
                cfn.CfnJobDefinition.DeviceProperty(
                    container_path=d.get("containerPath"),
                    host_path=d.get("hostPath"),
                    permissions=d.get("permissions"),
                )
                for d in devices
            ]
            if devices
            else None
        ),
        init_process_enabled=rendered.init_process_enabled,
        max_swap=rendered.max_swap,
        shared_memory_size=rendered.shared_memory_size,
        swappiness=rendered.swappiness,
        tmpfs=(
            [
                cfn.CfnJobDefinition.TmpfsProperty(
                    container_path=t["containerPath"],
                    size=t["size"],
                    mount_options=t.get("mountOptions"),
                )
                for t in tmpfs
            ]
            if tmpfs
            else None
        ),
    )


def _render_volume(volume: ecs.Volume) -> cfn.CfnJobDefinition.VolumesProperty:
    efs = volume.efs_volume_configuration
    auth = efs.authorization_config if efs is not None else None
    return cfn.CfnJobDefinition.VolumesProperty(
        name=volume.name,
        host=(
            cfn.CfnJobDefinition.VolumesHostProperty(source_path=volume.host.source_path)
            if volume.host is not None
            else None
        ),
        efs_volume_configuration=(
            cfn.CfnJobDefinition.EfsVolumeConfigurationProperty(
                file_system_id=efs.file_system_id,
                root_directory=efs.root_directory,
                transit_encryption=efs.transit_encryption,
                transit_encryption_port=efs.transit_encryption_port,
                authorization_config=(
                    cfn.CfnJobDefinition.AuthorizationConfigProperty(
                        access_point_id=auth.access_point_id, iam=auth.iam
                    )
                    if auth is not None
                    else None
                ),
            )
            if efs is not None
            else None
        ),
    )
