"""Which corrected-defaults flags (:mod:`cdk_batch.flags`) the rules see for a set of props.

A construct reads its flags once (``_core.flags.flags_on``) and marks its props
with them before the rules run, so that a rule judges what will be rendered:
with ``serviceLinkedRole`` on, for example, an unset ``service_role`` means
Batch's service-linked role, not a role created here. Props built and checked on
their own carry no flags, which is the classic behaviour.

The mark is an attribute outside the dataclass fields: it takes no part in
``__init__``, ``__eq__``, ``repr`` or the type check, and a copy made with
``dataclasses.replace`` does not carry it (mark the props last).
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["corrected_defaults", "mark_corrected_defaults"]

_ATTRIBUTE = "_corrected_defaults"
_NONE: frozenset[str] = frozenset()

_P = TypeVar("_P")


def mark_corrected_defaults(props: _P, flags: frozenset[str]) -> _P:
    """Record on ``props`` the flags that are on where they are rendered; returns ``props``."""
    object.__setattr__(props, _ATTRIBUTE, flags)
    return props


def corrected_defaults(props: object) -> frozenset[str]:
    """The flags recorded on ``props`` by :func:`mark_corrected_defaults` (none if unmarked)."""
    found = getattr(props, _ATTRIBUTE, _NONE)
    return found if isinstance(found, frozenset) else _NONE
