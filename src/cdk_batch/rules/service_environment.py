"""The rules of ServiceEnvironment props."""

from __future__ import annotations

from collections.abc import Iterator

from .._core.checks import in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._props.service_environment import ServiceEnvironmentProps

_SE = "ServiceEnvironment"


@rule(
    "se-name-format",
    construct=_SE,
    properties=("service_environment_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateServiceEnvironment.html",
)
def _name_format(p: ServiceEnvironmentProps) -> Iterator[Finding]:
    yield from name_format(p.service_environment_name, "service_environment_name")


@rule(
    "se-max-instances-range",
    construct=_SE,
    properties=("max_instances",),
    summary="max_instances is a whole number, 1 or more",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_CapacityLimit.html",
)
def _max_instances(p: ServiceEnvironmentProps) -> Iterator[Finding]:
    yield from in_range(p.max_instances, "max_instances", 1)
    yield from is_integer(p.max_instances, "max_instances")
