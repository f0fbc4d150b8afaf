"""Exceptions raised by cdk_batch.

Every exception the library raises on purpose derives from :class:`BatchError`,
which is a :class:`ValueError`, so code that already catches ``ValueError``
around construct creation keeps working::

    ValueError
    └── BatchError                  anything cdk_batch refuses
        ├── BatchValidationError    props that break one or more rules; carries
        │                           every problem found in one construct
        └── UnsupportedOperationError
                                    an operation an imported resource cannot
                                    perform because it does not know enough

Problems are found at construction time, before CloudFormation sees the
template. Tools and tests read :attr:`BatchValidationError.problems`; people
read ``str(error)``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BatchError",
    "BatchValidationError",
    "Problem",
    "UnsupportedOperationError",
]


@dataclass(frozen=True)
class Problem:
    """One broken rule, found in one construct's props.

    Attributes:
        rule_id: The id of the rule, for example ``jq-compute-environments-count``.
            It is also the anchor of the rule's row in ``docs/validation.md``.
        property: The property path as the user wrote it, for example
            ``compute_resources.bid_percentage``.
        message: What is allowed and what was given, without the property path.
        value: The offending value, as given.
        source: Where the rule comes from (a documentation URL), if known.

    """

    rule_id: str
    property: str
    message: str
    value: object = None
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.property}: {self.message} [rule: {self.rule_id}]"


class BatchError(ValueError):
    """Base class of every error that cdk_batch raises on purpose."""


class BatchValidationError(BatchError):
    """Props that AWS Batch or CloudFormation would reject, refused at construction time.

    Attributes:
        construct_type: The class name of the construct, for example ``JobQueue``.
        construct_path: The construct path, for example ``MyStack/Queue``.
        problems: Every problem found in the construct's props, in rule order.

    """

    construct_type: str
    construct_path: str
    problems: tuple[Problem, ...]

    def __init__(
        self, construct_type: str, construct_path: str, problems: tuple[Problem, ...]
    ) -> None:
        self.construct_type = construct_type
        self.construct_path = construct_path
        self.problems = problems
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.construct_type} '{self.construct_path}'"
        if len(self.problems) == 1:
            p = self.problems[0]
            return f"{where}: {p.property} {p.message} [rule: {p.rule_id}]"
        lines = [f"{len(self.problems)} problems in {where}:"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


class UnsupportedOperationError(BatchError):
    """An imported resource was asked for something its ARN or name does not tell."""
