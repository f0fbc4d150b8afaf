"""Shared plumbing for the props classes: dict coercion and a compact repr."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

_S = TypeVar("_S")


class Struct:
    """Base of the props classes: a repr that lists only the fields that are set.

    The props classes are frozen, keyword-only dataclasses, the Python shape of
    the alpha's jsii structs. Like jsii structs, they print only what was given.
    """

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) is not None
        )
        return f"{type(self).__name__}({shown})"


def coerce(cls: type[_S], value: _S | Mapping[str, Any]) -> _S:
    """Return ``value`` as an instance of ``cls``, building it from a dict if needed.

    The alpha accepted plain dicts with snake_case keys wherever it took a
    struct; so does this library.
    """
    if isinstance(value, Mapping):
        return cls(**value)
    return value


def coerce_optional(cls: type[_S], value: _S | Mapping[str, Any] | None) -> _S | None:
    """Like :func:`coerce`, passing ``None`` through."""
    if value is None:
        return None
    return coerce(cls, value)
