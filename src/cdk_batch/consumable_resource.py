"""Consumable resources: counted things (licences, tokens) that jobs reserve while they run.

AWS Batch starts a job only when every consumable resource it asks for has
enough quantity free.

See: https://docs.aws.amazon.com/batch/latest/userguide/resource-aware-scheduling.html

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Fn, Resource
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._core.registry import validate
from ._props.consumable_resource import (
    ConsumableResourceProps,
    ConsumableResourceType,
    IConsumableResource,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, new
from ._render.shared import arn_attribute

__all__ = [
    "ConsumableResource",
    "ConsumableResourceProps",
    "ConsumableResourceType",
    "IConsumableResource",
]


class _Grants:
    """The grants every consumable resource, constructed or imported, offers."""

    @property
    def consumable_resource_arn(self) -> str:
        raise NotImplementedError

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` describe the resource and list the jobs that hold it."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=_READ_ACTIONS, resource_arns=[self.consumable_resource_arn]
        )

    def grant_update(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` change the resource's total quantity."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=_UPDATE_ACTIONS, resource_arns=[self.consumable_resource_arn]
        )


class ConsumableResource(_Grants, Resource):
    """An AWS Batch consumable resource (``AWS::Batch::ConsumableResource``).

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        total_quantity: float,
        consumable_resource_name: str | None = None,
        resource_type: ConsumableResourceType | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=consumable_resource_name)
        props = ConsumableResourceProps(
            total_quantity=total_quantity,
            consumable_resource_name=consumable_resource_name,
            resource_type=resource_type,
            tags=tags,
        )
        validate(self, "ConsumableResource", props)
        self._props = props
        self._resource = new(
            cfn.CfnConsumableResource,
            self,
            "Resource",
            # CloudFormation requires ResourceType, so the default is written out.
            resource_type=(resource_type or ConsumableResourceType.REPLENISHABLE).value,
            total_quantity=total_quantity,
            consumable_resource_name=consumable_resource_name,
            tags=dict(tags) if tags is not None else None,
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_consumable_resource_arn(
        scope: Construct, id: str, consumable_resource_arn: str
    ) -> IConsumableResource:
        """Refer to an existing consumable resource by its ARN.

        The name is read from the ARN (``...:consumable-resource/NAME``). The
        imported resource offers ``grant_read`` and ``grant_update`` too.
        """
        return _ImportedConsumableResource(scope, id, consumable_resource_arn)

    @property
    def consumable_resource_arn(self) -> str:
        """The ARN of the consumable resource."""
        if self._arn is None:
            self._arn = arn_attribute(
                self,
                self._resource,
                "consumable-resource",
                self._props.consumable_resource_name,
            )
        return self._arn

    @property
    def consumable_resource_name(self) -> str:
        """The name of the consumable resource, read from its ARN."""
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.ref))
            )
        return self._name

    @property
    def total_quantity(self) -> float:
        """The total quantity the resource was created with."""
        return self._props.total_quantity


class _ImportedConsumableResource(_Grants, Resource):
    """A consumable resource that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "ConsumableResource", arn)

    @property
    def consumable_resource_arn(self) -> str:
        """The ARN the resource was imported with."""
        return self._arn

    @property
    def consumable_resource_name(self) -> str:
        """The name part of the ARN."""
        return self._name


_READ_ACTIONS = ["batch:DescribeConsumableResource", "batch:ListJobsByConsumableResource"]
_UPDATE_ACTIONS = ["batch:UpdateConsumableResource"]
