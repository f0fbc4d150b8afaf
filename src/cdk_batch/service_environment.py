"""Service environments: capacity in another AWS service (SageMaker Training) for a job queue.

A job queue with ``service_environments`` is a SageMaker Training queue: AWS
Batch queues the training jobs submitted to it and starts them in SageMaker
while the environment's instance limit allows.

See: https://docs.aws.amazon.com/batch/latest/userguide/service-environments.html

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from aws_cdk import Fn, Resource
from aws_cdk import aws_batch as cfn
from constructs import Construct

from ._core.registry import validate
from ._props.service_environment import (
    IServiceEnvironment,
    ServiceEnvironmentProps,
    ServiceEnvironmentType,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, new
from ._render.shared import arn_attribute

__all__ = [
    "IServiceEnvironment",
    "ServiceEnvironment",
    "ServiceEnvironmentProps",
    "ServiceEnvironmentType",
]


class ServiceEnvironment(Resource):
    """An AWS Batch service environment (``AWS::Batch::ServiceEnvironment``).

    Neither aws-batch-alpha nor ``aws_cdk.aws_batch`` has this construct.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        max_instances: float,
        service_environment_name: str | None = None,
        enabled: bool | None = None,
        service_environment_type: ServiceEnvironmentType = (
            ServiceEnvironmentType.SAGEMAKER_TRAINING
        ),
    ) -> None:
        init_resource(self, scope, id, physical_name=service_environment_name)
        props = ServiceEnvironmentProps(
            max_instances=max_instances,
            service_environment_name=service_environment_name,
            enabled=enabled,
            service_environment_type=service_environment_type,
        )
        validate(self, "ServiceEnvironment", props)
        self._props = props
        self._resource = new(
            cfn.CfnServiceEnvironment,
            self,
            "Resource",
            capacity_limits=[
                cfn.CfnServiceEnvironment.CapacityLimitProperty(
                    capacity_unit=_NUM_INSTANCES, max_capacity=max_instances
                )
            ],
            service_environment_type=ServiceEnvironmentType(service_environment_type).value,
            service_environment_name=service_environment_name,
            state=None if enabled is None else ("ENABLED" if enabled else "DISABLED"),
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_service_environment_arn(
        scope: Construct, id: str, service_environment_arn: str
    ) -> IServiceEnvironment:
        """Refer to an existing service environment by its ARN.

        The name is read from the ARN (``...:service-environment/NAME``).
        """
        return _ImportedServiceEnvironment(scope, id, service_environment_arn)

    @property
    def service_environment_arn(self) -> str:
        """The ARN of the service environment."""
        if self._arn is None:
            self._arn = arn_attribute(
                self,
                self._resource,
                "service-environment",
                self._props.service_environment_name,
                arn=self._resource.attr_service_environment_arn,
            )
        return self._arn

    @property
    def service_environment_name(self) -> str:
        """The name of the service environment, read from its ARN."""
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.attr_service_environment_arn))
            )
        return self._name


class _ImportedServiceEnvironment(Resource):
    """A service environment that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "ServiceEnvironment", arn)

    @property
    def service_environment_arn(self) -> str:
        """The ARN the environment was imported with."""
        return self._arn

    @property
    def service_environment_name(self) -> str:
        """The name part of the ARN."""
        return self._name


_NUM_INSTANCES = "NUM_INSTANCES"
