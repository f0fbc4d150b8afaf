"""Job queues: where jobs wait until a compute environment runs them.

A queue maps to one or more compute environments, tried in ascending
``order``; among queues that share compute environments, a higher
``priority`` is scheduled first.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_queues.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Fn, Resource
from aws_cdk import aws_batch as cfn
from constructs import Construct

from ._core.registry import validate
from ._core.structs import coerce
from ._props.job_queue import IJobQueue, JobQueueComputeEnvironment, JobQueueProps
from ._render.arns import resource_name_from_arn
from ._render.direct import new
from ._render.shared import arn_attribute

__all__ = [
    "IJobQueue",
    "JobQueue",
    "JobQueueComputeEnvironment",
    "JobQueueProps",
]


# --- the construct ---------------------------------------------------------


class JobQueue(Resource):
    """An AWS Batch job queue.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        compute_environments: Sequence[JobQueueComputeEnvironment | Mapping[str, Any]],
        enabled: bool | None = None,
        job_queue_name: str | None = None,
        priority: float | None = None,
    ) -> None:
        super().__init__(scope, id, physical_name=job_queue_name)
        props = JobQueueProps(
            compute_environments=[
                coerce(JobQueueComputeEnvironment, e) for e in compute_environments
            ],
            enabled=enabled,
            job_queue_name=job_queue_name,
            priority=priority,
        )
        validate(self, "JobQueue", props)
        self._resource = new(
            cfn.CfnJobQueue,
            self,
            "Resource",
            compute_environment_order=[
                cfn.CfnJobQueue.ComputeEnvironmentOrderProperty(
                    compute_environment=e.compute_environment.compute_environment_arn,
                    order=e.order,
                )
                for e in props.compute_environments
            ],
            # The alpha turned an explicit 0 into 1; 0 is kept here.
            priority=_PRIORITY_DEFAULT if priority is None else priority,
            job_queue_name=job_queue_name,
            state="DISABLED" if enabled is False else "ENABLED",
        )
        self._physical = job_queue_name
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_job_queue_arn(scope: Construct, id: str, job_queue_arn: str) -> IJobQueue:
        """Refer to an existing job queue by its ARN.

        The name is read from the ARN (``...:job-queue/NAME``).
        """
        return _ImportedJobQueue(scope, id, job_queue_arn)

    @property
    def job_queue_arn(self) -> str:
        """The ARN of the job queue."""
        if self._arn is None:
            self._arn = arn_attribute(self, self._resource, "job-queue", self._physical)
        return self._arn

    @property
    def job_queue_name(self) -> str:
        """The name of the job queue.

        Read from the ARN that CloudFormation returns, so that a consumer of the
        name depends on the queue. (The alpha returned the ARN here; see
        ``docs/differences.md``.)
        """
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.ref))
            )
        return self._name


class _ImportedJobQueue(Resource):
    """A job queue that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "JobQueue", arn)

    @property
    def job_queue_arn(self) -> str:
        """The ARN the queue was imported with."""
        return self._arn

    @property
    def job_queue_name(self) -> str:
        """The name part of the ARN."""
        return self._name


_PRIORITY_DEFAULT = 1
