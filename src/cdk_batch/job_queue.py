"""Job queues: where jobs wait until a compute environment runs them.

A queue maps to one or more compute environments, tried in ascending
``order``; among queues that share compute environments, a higher
``priority`` is scheduled first.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_queues.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from aws_cdk import Fn, Resource
from aws_cdk import aws_batch as cfn
from constructs import Construct

from . import flags
from ._core.flags import flags_on
from ._core.registry import validate
from ._props.compute_environment import InheritedTags
from ._props.job_queue import (
    IJobQueue,
    JobQueueComputeEnvironment,
    JobQueueProps,
    JobQueueServiceEnvironment,
    JobStateTimeLimitAction,
    JobStateTimeLimitActionsAction,
    JobStateTimeLimitActionsReason,
    JobStateTimeLimitActionsState,
)
from ._props.scheduling_policy import ISchedulingPolicy
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, js_struct, new
from ._render.shared import arn_attribute

__all__ = [
    "IJobQueue",
    "JobQueue",
    "JobQueueComputeEnvironment",
    "JobQueueProps",
    "JobQueueServiceEnvironment",
    "JobStateTimeLimitAction",
    "JobStateTimeLimitActionsAction",
    "JobStateTimeLimitActionsReason",
    "JobStateTimeLimitActionsState",
]


# --- the construct ---------------------------------------------------------


class JobQueue(Resource):
    """An AWS Batch job queue.

    A queue runs its jobs on ``compute_environments`` or, as a SageMaker
    Training queue, on ``service_environments`` (new in 0.2.0), never both.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        compute_environments: Sequence[JobQueueComputeEnvironment | Mapping[str, Any]]
        | None = None,
        enabled: bool | None = None,
        job_queue_name: str | None = None,
        priority: float | None = None,
        scheduling_policy: ISchedulingPolicy | None = None,
        job_state_time_limit_actions: Sequence[JobStateTimeLimitAction | Mapping[str, Any]]
        | None = None,
        service_environments: Sequence[JobQueueServiceEnvironment | Mapping[str, Any]]
        | None = None,
        inherited_tags: InheritedTags | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=job_queue_name)
        # The corrected-defaults flags on here (cdk_batch.flags); read once.
        self._corrected = flags_on(scope)
        props = JobQueueProps(
            compute_environments=compute_environments or (),  # type: ignore[arg-type]
            enabled=enabled,
            job_queue_name=job_queue_name,
            priority=priority,
            scheduling_policy=scheduling_policy,
            job_state_time_limit_actions=job_state_time_limit_actions,  # type: ignore[arg-type]
            service_environments=service_environments,  # type: ignore[arg-type]
            inherited_tags=(
                InheritedTags.IGNORE
                if inherited_tags is None and flags.TAGS_NO_REPLACEMENT in self._corrected
                else inherited_tags
            ),
        )
        validate(self, "JobQueue", props)
        # Read by other constructs' rules (a job definition granted to this queue).
        self._props = props
        service = props.is_service_queue
        self._resource = new(
            cfn.CfnJobQueue,
            self,
            "Resource",
            compute_environment_order=(
                None
                if service
                else [
                    js_struct(
                        cfn.CfnJobQueue.ComputeEnvironmentOrderProperty,
                        compute_environment=e.compute_environment.compute_environment_arn,
                        order=e.order,
                    )
                    for e in props.compute_environments
                ]
            ),
            # The alpha turned an explicit 0 into 1; 0 is kept here.
            priority=_PRIORITY_DEFAULT if props.priority is None else props.priority,
            job_queue_name=job_queue_name,
            state="DISABLED" if enabled is False else "ENABLED",
            scheduling_policy_arn=(
                scheduling_policy.scheduling_policy_arn if scheduling_policy is not None else None
            ),
            job_state_time_limit_actions=_render_time_limits(props),
            job_queue_type=_SAGEMAKER_TRAINING if service else None,
            service_environment_order=(
                [
                    cfn.CfnJobQueue.ServiceEnvironmentOrderProperty(
                        service_environment=e.service_environment.service_environment_arn,
                        order=e.order,
                    )
                    for e in props.service_environments or ()
                ]
                if service
                else None
            ),
        )
        if props.inherited_tags is InheritedTags.IGNORE:
            # Inherited tags arrive through aspects, after construction.
            self._resource.add_property_deletion_override("Tags")
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


def _render_time_limits(
    props: JobQueueProps,
) -> list[cfn.CfnJobQueue.JobStateTimeLimitActionProperty] | None:
    actions = props.job_state_time_limit_actions
    if not actions:
        return None
    default_action = (
        JobStateTimeLimitActionsAction.TERMINATE
        if props.is_service_queue
        else JobStateTimeLimitActionsAction.CANCEL
    )
    return [
        cfn.CfnJobQueue.JobStateTimeLimitActionProperty(
            action=_text(a.action or default_action),
            max_time_seconds=a.max_time.to_seconds(),
            reason=_text(a.reason),
            state=_text(a.state or JobStateTimeLimitActionsState.RUNNABLE),
        )
        for a in actions
    ]


def _text(value: Enum | str) -> str:
    return value.value if isinstance(value, Enum) else value


_PRIORITY_DEFAULT = 1
_SAGEMAKER_TRAINING = "SAGEMAKER_TRAINING"
