"""The props of service environments: the type, the props struct and the interface.

A service environment lets a job queue hand its jobs to another AWS service
instead of to compute environments; today that service is SageMaker
Training, and the environment caps how many training instances the queue's
jobs may use at once.

See: https://docs.aws.amazon.com/batch/latest/userguide/service-environments.html
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from aws_cdk import IResource

from .._core.structs import Struct

__all__ = [
    "IServiceEnvironment",
    "ServiceEnvironmentProps",
    "ServiceEnvironmentType",
]


class ServiceEnvironmentType(str, Enum):
    """The service a service environment runs jobs on.

    .. versionadded:: 0.2.0
    """

    SAGEMAKER_TRAINING = "SAGEMAKER_TRAINING"
    """SageMaker Training jobs."""


@dataclass(frozen=True, kw_only=True, repr=False)
class ServiceEnvironmentProps(Struct):
    """The props of :class:`ServiceEnvironment`.

    .. versionadded:: 0.2.0
    """

    max_instances: float
    """How many instances the environment's jobs may use at once, a whole number of at least 1.

    Rendered as the ``NUM_INSTANCES`` capacity limit.
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_CapacityLimit.html
    """
    service_environment_name: str | None = None
    """The name of the environment; changing it replaces the environment.

    Default: a name CloudFormation generates
    """
    enabled: bool | None = None
    """Whether the environment takes new jobs. Default: true"""
    service_environment_type: ServiceEnvironmentType = ServiceEnvironmentType.SAGEMAKER_TRAINING
    """The service the jobs run on. Default: ``ServiceEnvironmentType.SAGEMAKER_TRAINING``"""


class IServiceEnvironment(IResource, Protocol):
    """A service environment: one defined in this app, or one imported by ARN.

    .. versionadded:: 0.2.0
    """

    @property
    def service_environment_arn(self) -> str:
        """The ARN of the service environment."""
        ...

    @property
    def service_environment_name(self) -> str:
        """The name of the service environment."""
        ...
