"""The rules of the corrected-defaults flags found in an app's context."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from .._core.registry import Finding, rule
from ..flags import ALL, PREFIX, read_value

_FLAGS_DOCS = "https://docs.aws.amazon.com/cdk/v2/guide/featureflags.html"


@rule(
    "context-flag-value",
    construct="Stack",
    properties=(f"{PREFIX}*",),
    summary="a cdk_batch flag must be true or false",
    source=_FLAGS_DOCS,
    on="context",
)
def _flag_value(context: Mapping[str, object]) -> Iterator[Finding]:
    for key, value in sorted(context.items()):
        if key in ALL and read_value(value) is None:
            yield Finding(
                key, f'must be true or false (or "true" or "false"), got {value!r}', value
            )


@rule(
    "context-flag-unknown",
    construct="Stack",
    properties=(f"{PREFIX}*",),
    summary="a context key with the cdk_batch prefix that names no flag is ignored",
    source=_FLAGS_DOCS,
    level="warning",
    on="context",
)
def _flag_unknown(context: Mapping[str, object]) -> Iterator[Finding]:
    for key in sorted(context):
        if key in ALL:
            continue
        nearest = difflib.get_close_matches(key, sorted(ALL), n=1, cutoff=0.0)
        hint = f"; did you mean {nearest[0]}?" if nearest else ""
        yield Finding(key, f"is not a cdk_batch flag and has no effect{hint}", key)
