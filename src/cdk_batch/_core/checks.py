"""The small shared checks that rules are built from.

Each check yields :class:`~cdk_batch._core.registry.Finding` objects and treats
an unknown (token) value as "no problem".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aws_cdk import Duration

from .registry import Finding
from .tokens import fmt, is_unknown


def in_range(
    value: float | None, prop: str, low: float | None = None, high: float | None = None
) -> Iterator[Finding]:
    """Report ``value`` outside ``low..high`` (either bound may be open)."""
    if value is None or is_unknown(value):
        return
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            allowed = f"must be between {fmt(low)} and {fmt(high)}"
        elif low is not None:
            allowed = f"must be at least {fmt(low)}"
        else:
            allowed = f"must be at most {fmt(high)}"
        yield Finding(prop, f"{allowed}, got {fmt(value)}", value)


def is_integer(value: float | None, prop: str) -> Iterator[Finding]:
    """Report a concrete ``value`` that is not a whole number."""
    if value is None or is_unknown(value):
        return
    if not float(value).is_integer():
        yield Finding(prop, f"must be a whole number, got {fmt(value)}", value)


def name_format(value: str | None, prop: str) -> Iterator[Finding]:
    """Report a resource name that AWS Batch refuses: 1 to 128 of ``[A-Za-z0-9_-]``."""
    if value is None or is_unknown(value):
        return
    if not 1 <= len(value) <= 128:
        yield Finding(prop, f"must be 1 to 128 characters long, got {len(value)}", value)
    bad = sorted(set(re.sub(r"[A-Za-z0-9_-]", "", value)))
    if bad:
        shown = "".join(bad)
        yield Finding(
            prop,
            f"may only hold letters, digits, hyphens and underscores, got {shown!r} in {value!r}",
            value,
        )


def duration_at_least(value: Duration | None, prop: str, seconds: float) -> Iterator[Finding]:
    """Report a concrete ``value`` shorter than ``seconds``."""
    if value is None or value.is_unresolved():
        return
    given = value.to_seconds()
    if given < seconds:
        yield Finding(
            prop, f"must be at least {fmt(seconds)} seconds, got {fmt(given)} seconds", given
        )
