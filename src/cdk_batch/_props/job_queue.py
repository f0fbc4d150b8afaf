"""The props of job queues: structs and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_queues.html
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from aws_cdk import Duration, IResource

from .._core.structs import Struct
from .compute_environment import IComputeEnvironment, InheritedTags
from .scheduling_policy import ISchedulingPolicy
from .service_environment import IServiceEnvironment

__all__ = [
    "IJobQueue",
    "JobQueueComputeEnvironment",
    "JobQueueProps",
    "JobQueueServiceEnvironment",
    "JobStateTimeLimitAction",
    "JobStateTimeLimitActionsAction",
    "JobStateTimeLimitActionsReason",
    "JobStateTimeLimitActionsState",
]


class JobStateTimeLimitActionsAction(str, Enum):
    """What AWS Batch does with a job that waited too long at the head of a queue.

    .. versionadded:: 0.2.0
    """

    CANCEL = "CANCEL"
    """Cancel the job: the only action for queues of compute environments."""
    TERMINATE = "TERMINATE"
    """Terminate the job: the only action for SageMaker Training queues."""


class JobStateTimeLimitActionsState(str, Enum):
    """The job state a time limit watches.

    .. versionadded:: 0.2.0
    """

    RUNNABLE = "RUNNABLE"
    """The job is ready to run but has not been placed."""


class JobStateTimeLimitActionsReason(str, Enum):
    """Why a job is stuck, as AWS Batch words it; the value is logged with the action.

    .. versionadded:: 0.2.0
    """

    INSUFFICIENT_INSTANCE_CAPACITY = "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"
    """There is not enough instance capacity to place the job."""
    COMPUTE_ENVIRONMENT_MAX_RESOURCE = "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE"
    """The job needs more than the compute environment's maximum vCPUs."""
    JOB_RESOURCE_REQUIREMENT = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"
    """No instance type of the compute environment meets the job's requirements."""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobStateTimeLimitAction(Struct):
    """An action AWS Batch takes on a job that stays at the head of the queue too long.

    .. versionadded:: 0.2.0
    """

    max_time: Duration
    """How long the job may wait in ``state``: whole seconds, from 10 minutes to 24 hours.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_JobStateTimeLimitAction.html
    """
    reason: JobStateTimeLimitActionsReason | str
    """The reason logged with the action (free text, or one of Batch's reasons)."""
    action: JobStateTimeLimitActionsAction | str | None = None
    """What to do with the job.

    Default: ``CANCEL`` on a queue of compute environments, ``TERMINATE`` on a
    SageMaker Training queue
    """
    state: JobStateTimeLimitActionsState | str | None = None
    """The state the job waits in. Default: ``JobStateTimeLimitActionsState.RUNNABLE``"""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobQueueComputeEnvironment(Struct):
    """A compute environment of a job queue, with its place in the order."""

    compute_environment: IComputeEnvironment
    """The compute environment."""
    order: float
    """The place of the environment: lower orders are tried first."""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobQueueServiceEnvironment(Struct):
    """A service environment of a job queue, with its place in the order.

    .. versionadded:: 0.2.0
    """

    service_environment: IServiceEnvironment
    """The service environment."""
    order: float
    """The place of the environment: lower orders are tried first."""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobQueueProps(Struct):
    """The props of :class:`JobQueue`."""

    compute_environments: Sequence[JobQueueComputeEnvironment] = ()
    """The compute environments that run the queue's jobs, with their order.

    Every queue needs them except a SageMaker Training queue, which has
    ``service_environments`` instead.
    """
    enabled: bool | None = None
    """Whether the queue accepts jobs. Default: true"""
    job_queue_name: str | None = None
    """The name of the queue. Default: a name CloudFormation generates"""
    priority: float | None = None
    """The priority among queues that share compute environments; higher runs first.

    Default: 1
    """
    scheduling_policy: ISchedulingPolicy | None = None
    """The fair-share policy of the queue.

    A queue created without a policy stays first in, first out: AWS Batch
    cannot add a policy to it later (a new queue is needed), and a policy,
    once set, can be swapped but not removed.
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html

    .. versionadded:: 0.2.0

    Default: none (first in, first out)
    """
    job_state_time_limit_actions: Sequence[JobStateTimeLimitAction] | None = None
    """What to do with jobs that wait too long at the head of the queue.

    .. versionadded:: 0.2.0

    Default: nothing is done
    """
    service_environments: Sequence[JobQueueServiceEnvironment] | None = None
    """The service environments of a SageMaker Training queue, with their order.

    A queue has compute environments or service environments, never both.
    .. versionadded:: 0.2.0

    Default: none (a queue of compute environments)
    """
    inherited_tags: InheritedTags | None = None
    """Where the tags the queue inherits (``Tags.of(scope).add``) are rendered.

    ``RESOURCE`` puts them on the queue's ``Tags``; ``IGNORE`` leaves them off
    the queue. A queue has no instances, so ``INSTANCES`` is refused.

    .. versionadded:: 0.2.0

    Default: none, which is ``InheritedTags.RESOURCE`` (``IGNORE`` with the flag
    ``cdk_batch.flags.TAGS_NO_REPLACEMENT`` on)
    """

    @property
    def is_service_queue(self) -> bool:
        """Whether the queue sends its jobs to service environments (SageMaker Training)."""
        return bool(self.service_environments)


class IJobQueue(IResource, Protocol):
    """A job queue: one defined here, or one imported by ARN."""

    @property
    def job_queue_arn(self) -> str:
        """The ARN of the job queue."""
        ...

    @property
    def job_queue_name(self) -> str:
        """The name of the job queue."""
        ...
