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

from aws_cdk import Duration, Fn, IResource, Resource, Stack
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._arns import resource_name_from_arn
from ._job_container import ContainerRenderer
from ._shared import arn_attribute, stack_of
from ._structs import Struct, coerce, coerce_optional
from ._validation import validate
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

        renderer = ContainerRenderer(self, stack_of(scope), props)
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
        return _ImportedJobDefinition(scope, id, arn=job_definition_arn)

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
        return _ImportedJobDefinition(scope, id, arn=arn, name=job_definition_name)

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

    def __init__(self, scope: Construct, id: str, *, arn: str, name: str | None = None) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = (
            name if name is not None else resource_name_from_arn(self, "JobDefinition", arn)
        )

    @property
    def job_definition_arn(self) -> str:
        """The ARN the definition was imported with (or built from its name)."""
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name the definition was imported with (or read from its ARN)."""
        return self._name


def _coerce_node_props(value: IMultiNodeProps | Mapping[str, Any] | None) -> IMultiNodeProps | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return MultiNodeProps(**value)
    return value
