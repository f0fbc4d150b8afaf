"""The props of job definitions: enums, structs, node interfaces and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_definitions.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from aws_cdk import Duration, IResource
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from .._core.structs import Struct, coerce_value, register_default_implementation
from .exposed_secret import ExposedSecret

__all__ = [
    "IJobDefinition",
    "IMultiNodeProps",
    "INodeRangeProps",
    "JobDefinitionContainer",
    "JobDefinitionProps",
    "LogConfiguration",
    "LogDriver",
    "MultiNodeProps",
    "NodeRangeProps",
    "PlatformCapabilities",
    "coerce_node_props",
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


def coerce_node_props(value: IMultiNodeProps | Mapping[str, Any] | None) -> IMultiNodeProps | None:
    """``value`` as node props: a dict or an implementation read into :class:`MultiNodeProps`."""
    coerced: IMultiNodeProps | None = coerce_value(IMultiNodeProps, value)
    return coerced


# Dicts given where an interface is expected are built as the ready-made
# struct; implementations are read into it once, as the alpha read them.
register_default_implementation(INodeRangeProps, NodeRangeProps)
register_default_implementation(IMultiNodeProps, MultiNodeProps)
