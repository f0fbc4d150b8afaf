"""The rule registry: rules declare themselves here, constructs run them.

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
can be tested on its own. :func:`validate` runs every registered rule of a
construct, raises one :class:`~cdk_batch.errors.BatchValidationError` carrying
all the errors, and turns warnings into CDK annotations that can be
acknowledged by id.

The rules themselves live in :mod:`cdk_batch.rules`, a layer above this one;
the construct modules import that package, which registers every rule before
the first construct is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from aws_cdk import Annotations
from constructs import Construct

from ..errors import BatchValidationError, Problem

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

_BY_SUBJECT: dict[tuple[str, str], tuple[Rule, ...]] = {}
"""The rules of each (construct, subject) pair, built on first use; registering clears it."""

EVERY_CONSTRUCT = "*"
"""The ``construct`` of a rule that applies to the props of every construct."""

_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+){2,}$")


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
        raise ValueError(f"rule id {rule_id!r} is not of the form <construct>-<topic>-<constraint>")
    if rule_id in RULES:
        raise ValueError(f"rule id {rule_id!r} is registered twice")

    def register(check: Callable[[_P], Iterable[Finding]]) -> Callable[[_P], Iterable[Finding]]:
        _BY_SUBJECT.clear()
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

    Returns the problems of all levels, in rule registration order. The rules
    of every construct (the type check) run first; when they find a problem,
    the construct's own rules are skipped, since they read values of the
    right types only.
    """
    found: list[Problem] = []
    for construct in (EVERY_CONSTRUCT, construct_type):
        for r in _rules_of(construct, on):
            for f in r.check(props):
                found.append(Problem(r.id, f.property, f.message, f.value, r.source))
        if found:
            break
    return found


def _rules_of(construct: str, on: str) -> tuple[Rule, ...]:
    """The rules of ``construct`` and subject ``on`` in registration order (kept per pair)."""
    key = (construct, on)
    found = _BY_SUBJECT.get(key)
    if found is None:
        found = tuple(r for r in RULES.values() if r.construct == construct and r.on == on)
        _BY_SUBJECT[key] = found
    return found


def validate(scope: Construct, construct_type: str, props: object, on: str = "props") -> None:
    """Check ``props`` against every rule of ``construct_type``.

    Warnings become CDK warning annotations on ``scope`` with the rule id as
    the acknowledgeable id. Errors are raised together as one
    :class:`BatchValidationError`.
    """
    problems = find_problems(construct_type, props, on)
    if not problems:
        return
    errors: list[Problem] = []
    acked: set[str] | None = None
    for p in problems:
        if RULES[p.rule_id].level == "warning":
            if acked is None:
                acked = _acknowledged(scope)
            if f"Annotation::{p.rule_id}" in acked:
                continue
            Annotations.of(scope).add_warning_v2(
                p.rule_id, f"{p.property} {p.message} [rule: {p.rule_id}]"
            )
        else:
            errors.append(p)
    if errors:
        raise BatchValidationError(construct_type, scope.node.path, tuple(errors))


def _acknowledged(scope: Construct) -> set[str]:
    """The rule ids acknowledged with ``Validations.of(s).acknowledge(...)`` on ``scope`` or above.

    aws-cdk-lib records those acknowledgements as ``aws:cdk:acknowledged-rules``
    metadata (ids as ``Annotation::<id>``), and by itself suppresses a later
    warning only when the acknowledgement sits on its stack or below; reading
    the metadata up to the app makes an acknowledgement on the app work too.
    """
    found: set[str] = set()
    for s in scope.node.scopes:
        for m in s.node.metadata:
            if m.type == "aws:cdk:acknowledged-rules" and isinstance(m.data, dict):
                found.update(k if "::" in k else f"Annotation::{k}" for k in m.data)
    return found
