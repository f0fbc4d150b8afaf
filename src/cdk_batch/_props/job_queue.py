"""The props of job queues: structs and the interface.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_queues.html
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aws_cdk import IResource

from .._core.structs import Struct
from .compute_environment import IComputeEnvironment

__all__ = [
    "IJobQueue",
    "JobQueueComputeEnvironment",
    "JobQueueProps",
]


@dataclass(frozen=True, kw_only=True, repr=False)
class JobQueueComputeEnvironment(Struct):
    """A compute environment of a job queue, with its place in the order."""

    compute_environment: IComputeEnvironment
    """The compute environment."""
    order: float
    """The place of the environment: lower orders are tried first."""


@dataclass(frozen=True, kw_only=True, repr=False)
class JobQueueProps(Struct):
    """The props of :class:`JobQueue`."""

    compute_environments: Sequence[JobQueueComputeEnvironment]
    """The compute environments that run the queue's jobs, with their order."""
    enabled: bool | None = None
    """Whether the queue accepts jobs. Default: true"""
    job_queue_name: str | None = None
    """The name of the queue. Default: a name CloudFormation generates"""
    priority: float | None = None
    """The priority among queues that share compute environments; higher runs first.

    Default: 1
    """


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
