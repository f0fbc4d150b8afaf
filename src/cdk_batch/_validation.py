"""The rule registry and the small checks that rules are built from.

A rule is one declaration that keeps together its id, the construct it applies
to, the properties it reads, a one-line summary, its source and its check::

    @rule("ce-bid-percentage-range", construct="ComputeEnvironment",
          properties=("compute_resources.bid_percentage",),
          summary="bid_percentage must be between 0 and 100",
          source="https://docs.aws.amazon.com/...")
    def _bid_range(p: ComputeEnvironmentProps) -> Iterator[Finding]:
        yield from in_range(p.compute_resources.bid_percentage,
                            "compute_resources.bid_percentage", 0, 100)

The decorator registers the rule and returns the function unchanged, so a rule
can be tested on its own. :func:`validate` runs every rule of a construct,
raises one :class:`~cdk_batch.errors.BatchValidationError` carrying all the
errors, and turns warnings into CDK annotations that can be acknowledged by id.

Values that are unresolved CDK tokens are *unknown*: every check here treats
an unknown value as "no problem", leaving it for CloudFormation to judge.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from constructs import Construct

from .errors import BatchValidationError, Problem

Level = Literal["error", "warning"]

_P = TypeVar("_P")


@dataclass(frozen=True)
class Finding:
    """What a check reports: the property, the message and the offending value."""

    property: str
    message: str
    value: object = None


@dataclass(frozen=True)
class Rule:
    """A registered rule; see :func:`rule`."""

    id: str
    construct: str
    properties: tuple[str, ...]
    summary: str
    source: str
    level: Level
    alpha_checks: bool | str
    check: Callable[[Any], Iterable[Finding]]
    on: str = "props"


RULES: dict[str, Rule] = {}
"""Every registered rule by id, in registration order."""

_RULE_ID = re.compile(r"^(ce|jq|jd)-[a-z0-9]+(-[a-z0-9]+)+$")


def rule(
    rule_id: str,
    *,
    construct: str,
    properties: Sequence[str],
    summary: str,
    source: str,
    level: Level = "error",
    alpha_checks: bool | str = False,
    on: str = "props",
) -> Callable[[Callable[[_P], Iterable[Finding]]], Callable[[_P], Iterable[Finding]]]:
    """Register a check function as a rule.

    Args:
        rule_id: ``<construct>-<topic>-<constraint>``, unique.
        construct: The class name of the construct whose props the check reads.
        properties: The property paths the rule reads, as users write them.
        summary: What the rule refuses, in one line.
        source: The documentation that states the rule.
        level: ``"error"`` refuses the props; ``"warning"`` adds an annotation.
        alpha_checks: Whether aws-batch-alpha 2.62.1a0 enforces the same rule;
            a string says how far it does.
        on: What the check reads: ``"props"`` (the construct's props) or
            another subject, such as ``"arn"`` for importers.

    """
    if not _RULE_ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} is not of the form <ce|jq|jd>-<topic>-<constraint>")
    if rule_id in RULES:
        raise ValueError(f"rule id {rule_id!r} is registered twice")

    def register(check: Callable[[_P], Iterable[Finding]]) -> Callable[[_P], Iterable[Finding]]:
        RULES[rule_id] = Rule(
            id=rule_id,
            construct=construct,
            properties=tuple(properties),
            summary=summary,
            source=source,
            level=level,
            alpha_checks=alpha_checks,
            check=check,
            on=on,
        )
        return check

    return register


def find_problems(construct_type: str, props: object, on: str = "props") -> list[Problem]:
    """Run every rule registered for ``construct_type`` and subject ``on``.

    Returns the problems of all levels, in rule registration order.
    """
    found: list[Problem] = []
    for r in RULES.values():
        if r.construct != construct_type or r.on != on:
            continue
        for f in r.check(props):
            found.append(Problem(r.id, f.property, f.message, f.value, r.source))
    return found


def validate(scope: Construct, construct_type: str, props: object, on: str = "props") -> None:
    """Check ``props`` against every rule of ``construct_type``.

    Warnings become CDK warning annotations on ``scope`` with the rule id as
    the acknowledgeable id. Errors are raised together as one
    :class:`BatchValidationError`.
    """
    from . import rules  # noqa: F401  (registers every rule once)

    problems = find_problems(construct_type, props, on)
    if not problems:
        return
    errors: list[Problem] = []
    for p in problems:
        if RULES[p.rule_id].level == "warning":
            from aws_cdk import Annotations

            Annotations.of(scope).add_warning_v2(
                p.rule_id, f"{p.property} {p.message} [rule: {p.rule_id}]"
            )
        else:
            errors.append(p)
    if errors:
        raise BatchValidationError(construct_type, scope.node.path, tuple(errors))


# --- tokens ----------------------------------------------------------------

_STRING_TOKEN = re.compile(r"[$#]\{Token\[")
# CDK encodes a number token as a double whose top 16 bits are 0xFBFF.
_NUMBER_TOKEN_MARK = 0xFBFF


def is_unknown(value: object) -> bool:
    """Whether ``value`` is an unresolved CDK token (or holds one).

    The check runs in Python, without a call into the CDK runtime: string and
    list tokens carry a ``${Token[`` or ``#{Token[`` marker, and number tokens
    are encoded as doubles with a fixed bit pattern. Objects that are not plain
    data (an ``IResolvable``, for instance) are unknown too.
    """
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        return _STRING_TOKEN.search(value) is not None
    if isinstance(value, float):
        bits: int = struct.unpack("<Q", struct.pack("<d", value))[0]
        return bits >> 48 == _NUMBER_TOKEN_MARK
    if isinstance(value, int):
        return False
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(is_unknown(k) or is_unknown(v) for k, v in value.items())
    return True


def fmt(value: object) -> str:
    """Format a value for an error message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(value)


# --- combinators -----------------------------------------------------------


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
