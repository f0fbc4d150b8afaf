"""Reading the corrected-defaults flags (:mod:`cdk_batch.flags`) from a construct's context.

A construct asks :func:`flag_on` whether one flag is on where it stands. The
whole context is read with one call into aws-cdk-lib per parent scope and kept:
a node's context can no longer change once it has children, and the parent of
a construct being built has at least that one.

The first read in a stack also checks the cdk_batch keys it finds: a value that
is not a boolean is refused, and an unknown key with the cdk_batch prefix gets
one warning on the stack naming the nearest known flag (rules in
:mod:`cdk_batch.rules.context`).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from aws_cdk import Stack
from constructs import Construct

from ..flags import PREFIX, flags_on_in
from .registry import validate

__all__ = ["CONTEXT_PREFIX", "flag_on", "flags_on"]

CONTEXT_PREFIX = PREFIX.split("/", 1)[0] + "/"
"""Keys under this prefix (``@cdk-batch/``) are checked against :data:`cdk_batch.flags.ALL`."""

_ON: weakref.WeakKeyDictionary[Construct, frozenset[str]] = weakref.WeakKeyDictionary()
_CHECKED: weakref.WeakSet[Construct] = weakref.WeakSet()


def flags_on(scope: Construct) -> frozenset[str]:
    """The cdk_batch flags that are on for constructs created in ``scope``."""
    try:
        return _ON[scope]
    except KeyError:
        pass
    context: Mapping[str, Any] = scope.node.get_all_context() or {}
    ours = {k: v for k, v in context.items() if k.startswith(CONTEXT_PREFIX)}
    if ours:
        stack = Stack.of(scope)
        if stack not in _CHECKED:
            validate(stack, "Stack", ours, on="context")
            _CHECKED.add(stack)
    on = frozenset(flags_on_in(ours))
    _ON[scope] = on
    return on


def flag_on(scope: Construct, flag: str) -> bool:
    """Whether ``flag`` (a constant of :mod:`cdk_batch.flags`) is on for children of ``scope``."""
    return flag in flags_on(scope)
