"""The props of consumable resources: the resource type and the interface.

A consumable resource is a named count (licences, tokens, connections) that
jobs reserve while they run; AWS Batch starts a job only when the quantities
it asks for are free.

See: https://docs.aws.amazon.com/batch/latest/userguide/resource-aware-scheduling.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from aws_cdk import IResource

from .._core.structs import Struct

__all__ = ["ConsumableResourceProps", "ConsumableResourceType", "IConsumableResource"]


class ConsumableResourceType(str, Enum):
    """Whether a consumable resource's quantity comes back when a job ends.

    .. versionadded:: 0.2.0
    """

    REPLENISHABLE = "REPLENISHABLE"
    """The quantity a job holds is returned when the job ends (licences, say)."""
    NON_REPLENISHABLE = "NON_REPLENISHABLE"
    """The quantity a job takes is used up (a budget of API calls, say)."""


class IConsumableResource(IResource, Protocol):
    """A consumable resource: one defined in this app, or one imported by ARN.

    .. versionadded:: 0.2.0
    """

    @property
    def consumable_resource_arn(self) -> str:
        """The ARN of the consumable resource."""
        ...

    @property
    def consumable_resource_name(self) -> str:
        """The name of the consumable resource."""
        ...


@dataclass(frozen=True, kw_only=True, repr=False)
class ConsumableResourceProps(Struct):
    """The props of :class:`ConsumableResource`.

    .. versionadded:: 0.2.0
    """

    total_quantity: float
    """How much of the resource there is: a whole number, 0 or more.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateConsumableResource.html
    """
    consumable_resource_name: str | None = None
    """The name, unique in the account and Region; changing it replaces the resource.

    Default: a name CloudFormation generates
    """
    resource_type: ConsumableResourceType | None = None
    """Whether a job gives back what it took when it ends.

    Changing it replaces the resource.
    Default: ``ConsumableResourceType.REPLENISHABLE``
    """
    tags: Mapping[str, str] | None = None
    """Tags of the resource. Default: no tags"""
