"""The rule that applies to the props of every construct: values of the right type.

A value of the wrong type (``type="SPOT"`` for a ``ComputeResourceType``,
``maxv_cpus="16"`` for a number) is refused when the construct is created,
as one problem of the :class:`~cdk_batch.errors.BatchValidationError` that
carries the construct's other problems, naming the property, the expected
type and the value given. The check reads the props annotations (see
:mod:`cdk_batch._core.typecheck`), after dicts, alpha enum members and alpha
structs have been coerced, and never refuses what the alpha accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._core.registry import EVERY_CONSTRUCT, Finding, rule
from .._core.typecheck import type_findings


@rule(
    "any-property-type",
    construct=EVERY_CONSTRUCT,
    properties=("every property",),
    summary=(
        "each value has the type its keyword is declared with (enum member, number, "
        "string, bool, struct or dict, sequence); interfaces are not checked"
    ),
    # The classic API reference, which gives the type of every keyword.
    source="https://docs.aws.amazon.com/cdk/api/v1/python/aws_cdk.aws_batch.html",
    alpha_checks="yes, as a TypeError from jsii's argument checks",
)
def _property_types(props: object) -> Iterator[Finding]:
    yield from type_findings(props)
