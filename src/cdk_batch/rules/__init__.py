"""Every rule of the library, registered on import.

Each submodule declares the rules of one construct with
:func:`cdk_batch._core.registry.rule`; importing this package registers them all.
``python -m cdk_batch.rules`` prints the rule catalogue that is kept in
``docs/validation.md``.
"""

from __future__ import annotations

from .._core.registry import RULES
from . import (
    compute_environment,
    consumable_resource,
    context,
    eks,
    imports,
    job_definition,
    job_queue,
    limits,
    scheduling_policy,
    service_environment,
    types,
)

__all__ = [
    "catalogue",
    "compute_environment",
    "consumable_resource",
    "context",
    "eks",
    "imports",
    "job_definition",
    "job_queue",
    "limits",
    "scheduling_policy",
    "service_environment",
    "types",
]

_HEADER = """\
# Validation rules

`cdk_batch` refuses, when a construct is created, the props that AWS Batch or
CloudFormation would reject at deploy time, and warns about legal but risky
ones. Errors are raised together as one `cdk_batch.errors.BatchValidationError`
(a `ValueError`); warnings are CDK warning annotations whose id is the rule id,
so `Annotations.of(scope).acknowledge_warning(rule_id)` silences one. Each
message ends with `[rule: <id>]`, the anchor of the rule's row below.

Rules check the value that will be rendered (an unset `type` is `ON_DEMAND`,
an unset `maxv_cpus` is 256) and never fire on an unresolved token. The
"Alpha" column says whether aws-batch-alpha 2.62.1a0 refused the same input.

This file is generated from the rule registry: run
`python -m cdk_batch.rules > docs/validation.md`. A test fails when it is stale.

"""


def _alpha(checks: bool | str) -> str:
    if isinstance(checks, str):
        return checks
    return "yes" if checks else "no"


def _construct(name: str) -> str:
    return "every construct" if name == "*" else name


def catalogue() -> str:
    """The rule catalogue as Markdown: one table row per registered rule."""
    lines = [
        _HEADER,
        "| Rule | Construct | Property | What is refused | Level | Source | Alpha |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in RULES.values():
        props = "<br>".join(f"`{p}`" for p in r.properties)
        lines.append(
            f'| <a id="{r.id}"></a>`{r.id}` | {_construct(r.construct)} | {props} | {r.summary} '
            f"| {r.level} | [source]({r.source}) | {_alpha(r.alpha_checks)} |"
        )
    return "\n".join(lines) + "\n"
