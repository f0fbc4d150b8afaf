"""The rules of ConsumableResource props."""

from __future__ import annotations

from collections.abc import Iterator

from .._core.checks import in_range, is_integer
from .._core.registry import Finding, rule
from .._props.consumable_resource import ConsumableResourceProps


@rule(
    "cr-total-quantity-range",
    construct="ConsumableResource",
    properties=("total_quantity",),
    summary="total_quantity is a whole number, 0 or more",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateConsumableResource.html",
)
def _total_quantity(p: ConsumableResourceProps) -> Iterator[Finding]:
    yield from in_range(p.total_quantity, "total_quantity", 0)
    yield from is_integer(p.total_quantity, "total_quantity")
