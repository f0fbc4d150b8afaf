"""The props of job definitions: enums, structs, node interfaces and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_definitions.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from aws_cdk import Duration, IResource, Size
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from .._core.structs import Struct, coerce_value, register_default_implementation
from .consumable_resource import IConsumableResource
from .exposed_secret import ExposedSecret

__all__ = [
    "Action",
    "ConsumableResourceRequirement",
    "EcsTaskProperties",
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
    "Reason",
    "RetryStrategy",
    "TaskContainer",
    "TaskContainerDependency",
    "coerce_node_props",
    "default_resources",
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

    ``AWS_REGION`` and ``AWS_ACCOUNT`` are added with the stack's region and
    account unless given here, or unless the ``noInjectedEnv`` flag is on
    (:data:`cdk_batch.flags.NO_INJECTED_ENV`). Default: only those two
    """
    execution_role: iam.IRole | None = None
    """The role that ECS and Batch use to pull the image and read secrets.

    Fargate needs one; with the ``executionRole`` flag
    (:data:`cdk_batch.flags.EXECUTION_ROLE`) a Fargate job definition creates
    it. Default: none
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
    """The hard memory limit of the container, in MiB; 0 means the default.

    Default: 512 on Fargate; on EC2 4, or 2048 with the ``saneMemory`` flag
    (:data:`cdk_batch.flags.SANE_MEMORY`)
    """
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
    """The vCPUs reserved for the container; 0 means the default.

    Default: 1 on EC2, 0.25 on Fargate
    """
    volumes: Sequence[ecs.Volume] | None = None
    """The volumes of the job. Default: none"""
    fargate_cpu_architecture: ecs.CpuArchitecture | None = None
    """Fargate only: the CPU architecture the job runs on (X86_64 or ARM64).

    Default: not set (Batch runs X86_64)

    .. versionadded:: 0.2.0
    """
    fargate_operating_system_family: ecs.OperatingSystemFamily | None = None
    """Fargate only: the operating system the job runs on (Linux or a Windows Server family).

    With a Windows family, ``Privileged`` and ``ReadonlyRootFilesystem`` are not
    rendered, as Windows containers take neither.
    Default: not set (Batch runs Linux)

    .. versionadded:: 0.2.0
    """
    ephemeral_storage_size: Size | None = None
    """Fargate only: the ephemeral storage of the task, 21 to 200 whole GiB.

    Default: not set (Fargate's 20 GiB)
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_EphemeralStorage.html

    .. versionadded:: 0.2.0
    """


class Action(str, Enum):
    """What Batch does with a failed attempt whose exit matches a :class:`Reason`.

    .. versionadded:: 0.2.0
    """

    EXIT = "EXIT"
    """Stop: the job fails without further attempts."""
    RETRY = "RETRY"
    """Try again, as long as attempts remain."""


@dataclass(frozen=True, kw_only=True, repr=False)
class Reason(Struct):
    """The conditions a failed attempt's exit is matched against.

    Each condition is a glob pattern that may end with ``*``; a reason matches
    when every condition it sets matches. Use the ready-made constants or
    :meth:`custom`.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html

    .. versionadded:: 0.2.0
    """

    NON_ZERO_EXIT_CODE: ClassVar[Reason]
    """Any exit code (``OnExitCode: "*"``)."""
    CANNOT_PULL_CONTAINER: ClassVar[Reason]
    """The image could not be pulled (``OnReason: "CannotPullContainerError:*"``)."""
    SPOT_INSTANCE_RECLAIMED: ClassVar[Reason]
    """The Spot instance was taken back (``OnStatusReason: "Host EC2*"``)."""

    on_exit_code: str | None = None
    """Digits, optionally ending with ``*``, matched against the exit code. Default: any"""
    on_reason: str | None = None
    """A pattern matched against the attempt's ``Reason``. Default: any"""
    on_status_reason: str | None = None
    """A pattern matched against the attempt's ``StatusReason``. Default: any"""

    @staticmethod
    def custom(
        *,
        on_exit_code: str | None = None,
        on_reason: str | None = None,
        on_status_reason: str | None = None,
    ) -> Reason:
        """A reason of your own; give at least one condition."""
        return Reason(
            on_exit_code=on_exit_code, on_reason=on_reason, on_status_reason=on_status_reason
        )


Reason.NON_ZERO_EXIT_CODE = Reason(on_exit_code="*")
Reason.CANNOT_PULL_CONTAINER = Reason(on_reason="CannotPullContainerError:*")
Reason.SPOT_INSTANCE_RECLAIMED = Reason(on_status_reason="Host EC2*")


@dataclass(frozen=True, kw_only=True, repr=False)
class RetryStrategy(Struct):
    """An action taken when a failed attempt's exit matches a reason.

    Strategies are evaluated in order; the first that matches decides. When
    none matches, Batch retries the job (if attempts remain).

    .. versionadded:: 0.2.0
    """

    action: Action
    """Whether to retry or to give up."""
    on: Reason
    """The exit the action applies to."""

    @staticmethod
    def of(action: Action, on: Reason) -> RetryStrategy:
        """The strategy that takes ``action`` when an attempt's exit matches ``on``."""
        return RetryStrategy(action=action, on=on)


@dataclass(frozen=True, kw_only=True, repr=False)
class ConsumableResourceRequirement(Struct):
    """How much of a consumable resource each job of a definition holds while it runs.

    See: https://docs.aws.amazon.com/batch/latest/userguide/resource-aware-scheduling-how-to-for-jobs.html

    .. versionadded:: 0.2.0
    """

    resource: IConsumableResource | str
    """The consumable resource, or its name or ARN (a name becomes an ARN in this stack's
    account and region)."""
    quantity: int
    """The units each job needs, a whole number of at least 1."""


TaskContainerCondition = Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"]


@dataclass(frozen=True, kw_only=True, repr=False)
class TaskContainerDependency(Struct):
    """A container of the same task that must reach a state before this one starts.

    .. versionadded:: 0.2.0
    """

    container_name: str
    """The name of the container depended on."""
    condition: TaskContainerCondition
    """``START``, ``COMPLETE``, ``SUCCESS`` or ``HEALTHY``."""


@dataclass(frozen=True, kw_only=True, repr=False)
class TaskContainer(Struct):
    """One container of a multi-container job (:class:`EcsTaskProperties`).

    The fields mean what they mean on :class:`JobDefinitionContainer`; no
    environment variables are injected and nothing unset is rendered.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_TaskContainerProperties.html

    .. versionadded:: 0.2.0
    """

    image: ecs.ContainerImage
    """The image the container starts from."""
    name: str | None = None
    """The name of the container; required when the task has more than one. Default: none"""
    essential: bool | None = None
    """Whether the job stops when this container stops. Default: true"""
    depends_on: Sequence[TaskContainerDependency] | None = None
    """Containers this one waits for. Default: none"""
    command: Sequence[str] | None = None
    """The command passed to the container. Default: the image's ``CMD``"""
    environment: Mapping[str, str] | None = None
    """Environment variables of the container. Default: none"""
    vcpus: float | None = None
    """The vCPUs reserved for the container. Default: not set"""
    memory_limit_mib: int | None = None
    """The hard memory limit of the container, in MiB. Default: not set"""
    gpu_count: int | None = None
    """The number of GPUs reserved for the container (EC2 only). Default: none"""
    linux_params: ecs.LinuxParameters | None = None
    """Linux-specific settings. Default: none"""
    log_configuration: LogConfiguration | None = None
    """The log driver of the container. Default: the Docker daemon's driver"""
    mount_points: Sequence[ecs.MountPoint] | None = None
    """Where the task's volumes are mounted in the container. Default: none"""
    privileged: bool | None = None
    """Whether the container runs privileged on its host (EC2 only). Default: false"""
    read_only: bool | None = None
    """Whether the container's root file system is read-only. Default: false"""
    user: str | None = None
    """The user the container runs as. Default: the image's user"""
    secrets: Mapping[str, ecs.Secret] | None = None
    """Environment variables read from Secrets Manager or SSM parameters. Default: none"""
    ulimits: Sequence[ecs.Ulimit] | None = None
    """The ulimits of the container (EC2 only). Default: none"""
    start_timeout: Duration | None = None
    """How long to wait for the container's dependencies to resolve. Default: not set"""
    stop_timeout: Duration | None = None
    """How long to wait before the container is killed after it is told to stop.

    Default: not set
    """


@dataclass(frozen=True, kw_only=True, repr=False)
class EcsTaskProperties(Struct):
    """The ECS task of a multi-container job: its containers and task-level settings.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_EcsTaskProperties.html

    .. versionadded:: 0.2.0
    """

    containers: Sequence[TaskContainer]
    """The containers of the task, 1 to 10."""
    execution_role: iam.IRole | None = None
    """The role that ECS and Batch use to pull images and read secrets; Fargate needs one.

    Default: none
    """
    task_role: iam.IRole | None = None
    """The role the containers' code can assume. Default: none (see ``JobDefinition.job_role``)"""
    platform_version: ecs.FargatePlatformVersion | None = None
    """Fargate only: the platform version. Default: LATEST"""
    assign_public_ip: bool | None = None
    """Fargate only: whether the task's network interface gets a public IP. Default: not set"""
    ephemeral_storage_size: Size | None = None
    """Fargate only: the ephemeral storage of the task, 21 to 200 whole GiB. Default: 20 GiB"""
    fargate_cpu_architecture: ecs.CpuArchitecture | None = None
    """Fargate only: the CPU architecture. Default: not set (X86_64)"""
    fargate_operating_system_family: ecs.OperatingSystemFamily | None = None
    """Fargate only: the operating system family. Default: not set (Linux)"""
    ipc_mode: Literal["host", "task", "none"] | None = None
    """The IPC namespace of the containers. Default: not set"""
    pid_mode: Literal["host", "task"] | None = None
    """The process namespace of the containers. Default: not set"""
    enable_execute_command: bool | None = None
    """Whether ECS Exec can open a shell in the containers. Default: not set"""
    volumes: Sequence[ecs.Volume] | None = None
    """The volumes of the task. Default: none"""


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

    container: JobDefinitionContainer | None = None
    """The container of the job (for a multi-node job, the ranges carry their own).

    Exactly one of ``container`` and ``ecs_properties`` is given. Default: none
    (required unless ``ecs_properties`` is given)
    """
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
    """How many times a job is attempted; 0 means the default. Default: 1"""
    timeout: Duration | None = None
    """How long an attempt may run before Batch stops it.

    Default: no timeout (rendered as an empty ``Timeout``, or not at all with the
    ``noEmptyTimeout`` flag, :data:`cdk_batch.flags.NO_EMPTY_TIMEOUT`)
    """
    retry_strategies: Sequence[RetryStrategy] | None = None
    """What to do with a failed attempt, by how it ended (at most 5).

    Default: none (every failure is retried while attempts remain)

    .. versionadded:: 0.2.0
    """
    scheduling_priority: int | None = None
    """The priority of the jobs in a fair-share queue, 0 to 9999; higher runs first.

    Default: not set

    .. versionadded:: 0.2.0
    """
    skip_deregister_on_update: bool | None = None
    """Whether an update keeps the previous revision ACTIVE instead of deregistering it.

    Kept revisions are never cleaned up. Default: not set (Batch deregisters it);
    true with the ``keepRevisions`` flag (:data:`cdk_batch.flags.KEEP_REVISIONS`)

    .. versionadded:: 0.2.0
    """
    consumable_resources: Sequence[ConsumableResourceRequirement] | None = None
    """The consumable resources each job holds while it runs (at most 5). Default: none

    .. versionadded:: 0.2.0
    """
    ecs_properties: EcsTaskProperties | None = None
    """A multi-container job: the ECS task whose containers run together.

    Given in place of ``container``. Default: none

    .. versionadded:: 0.2.0
    """

    def rendered_containers(
        self,
    ) -> Iterator[tuple[str, JobDefinitionContainer | TaskContainer]]:
        """The containers that are rendered, each with its property path.

        The task containers of ``ecs_properties``, the container of each node
        range of a multi-node job, or else ``container``.
        """
        if self.ecs_properties is not None:
            for i, t in enumerate(self.ecs_properties.containers):
                yield f"ecs_properties.containers[{i}]", t
            return
        if self.node_props is None:
            if self.container is not None:
                yield "container", self.container
            return
        for i, r in enumerate(self.node_props.range_props):
            yield f"node_props.range_props[{i}].container", r.container

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


# The ``aws_ecs`` platform values keep their names to themselves; each static
# member is one object in the CDK runtime, so its reference identifies it.
_OS_FAMILIES = (
    "LINUX",
    "WINDOWS_SERVER_2004_CORE",
    "WINDOWS_SERVER_2016_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2025_CORE",
    "WINDOWS_SERVER_2025_FULL",
    "WINDOWS_SERVER_20_H2_CORE",
)
_CPU_ARCHITECTURES = ("X86_64", "ARM64")
_names: dict[str, str] = {}


def default_resources(fargate: bool, *, sane_memory: bool = False) -> tuple[float, int]:
    """The vCPUs and MiB of memory a :class:`JobDefinitionContainer` gets when it gives none.

    A value of 0 counts as none, as in the alpha. ``sane_memory`` is the
    ``saneMemory`` flag, which changes the EC2 memory only.
    """
    if fargate:
        return FARGATE_DEFAULT_VCPUS, FARGATE_DEFAULT_MEMORY_MIB
    return EC2_DEFAULT_VCPUS, SANE_EC2_MEMORY_MIB if sane_memory else EC2_DEFAULT_MEMORY_MIB


EC2_DEFAULT_VCPUS = 1
EC2_DEFAULT_MEMORY_MIB = 4
SANE_EC2_MEMORY_MIB = 2048
FARGATE_DEFAULT_VCPUS = 0.25
FARGATE_DEFAULT_MEMORY_MIB = 512


def _member_name(owner: type, members: tuple[str, ...], value: object) -> str | None:
    ref: str = value.__jsii_ref__.ref  # type: ignore[attr-defined]
    if ref not in _names:
        for name in members:
            _names[getattr(owner, name).__jsii_ref__.ref] = name
    return _names.get(ref)


def os_family_name(family: ecs.OperatingSystemFamily) -> str | None:
    """The ``aws_ecs.OperatingSystemFamily`` member name of ``family`` (None if made by ``of``)."""
    return _member_name(ecs.OperatingSystemFamily, _OS_FAMILIES, family)


def cpu_architecture_name(arch: ecs.CpuArchitecture) -> str | None:
    """The ``aws_ecs.CpuArchitecture`` member name of ``arch`` (None if made by ``of``)."""
    return _member_name(ecs.CpuArchitecture, _CPU_ARCHITECTURES, arch)
