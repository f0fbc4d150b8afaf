"""Checking props values against their annotations, after coercion.

The check reads the annotations of the props dataclasses, so every field is
covered, including fields added later. It runs after
:func:`~cdk_batch._core.structs.coerce_value` has turned dicts, alpha enum
members and alpha structs into their types here, and it accepts everything
the alpha accepted: ints where a number is expected, number tokens (floats)
and string tokens (str), tuples and lists for sequences, subclasses. Values
for interfaces (``ec2.IVpc``, ``iam.IRole``, ``IComputeEnvironment``...) are
not checked: jsii implementations and imported resources cannot be told from
wrong values reliably in Python.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from .registry import Finding
from .structs import (
    field_types,
    is_alpha_namesake,
    is_jsii_struct,
    is_protocol,
    is_union,
)
from .tokens import fmt


def type_findings(props: object, prefix: str = "") -> Iterator[Finding]:
    """A finding for every field of ``props`` (and of the structs in it) of a wrong type."""
    if not dataclasses.is_dataclass(props) or isinstance(props, type):
        return
    for name, tp in field_types(type(props)).items():
        yield from _check(tp, getattr(props, name), f"{prefix}{name}")


def _check(tp: Any, value: Any, path: str) -> Iterator[Finding]:
    if value is None or tp is Any:
        return
    if is_union(tp):
        options = [o for o in typing.get_args(tp) if o is not type(None)]
        for option in options:
            found = list(_check(option, value, path))
            if not found:
                return
            if len(options) == 1:
                yield from found
                return
        yield _finding(" or ".join(_describe(o) for o in options), value, path)
        return
    origin = typing.get_origin(tp)
    if origin is not None:
        yield from _check_generic(tp, origin, typing.get_args(tp), value, path)
        return
    if not isinstance(tp, type):
        return
    if _accepts(tp, value):
        if dataclasses.is_dataclass(value) and not is_jsii_struct(type(value)):
            yield from type_findings(value, f"{path}.")
        return
    yield _finding(_describe(tp), value, path)


def _check_generic(
    tp: Any, origin: Any, args: tuple[Any, ...], value: Any, path: str
) -> Iterator[Finding]:
    if origin is typing.Literal:
        if value not in args:
            yield _finding(" or ".join(repr(a) for a in args), value, path)
        return
    if origin in (list, tuple, typing.Sequence.__origin__):  # type: ignore[attr-defined]
        if not isinstance(value, (list, tuple)):
            yield _finding(_describe(tp), value, path)
            return
        if args and args[-1] is not Ellipsis:
            for i, item in enumerate(value):
                yield from _check(args[0], item, f"{path}[{i}]")
        return
    if origin in (dict, typing.Mapping.__origin__):  # type: ignore[attr-defined]
        if not isinstance(value, Mapping):
            yield _finding(_describe(tp), value, path)
            return
        if len(args) == 2:
            for key, item in value.items():
                yield from _check(args[1], item, f"{path}[{key!r}]")
        return
    # Other generics (Callable, type[...]) are not checked.


def _accepts(tp: type, value: Any) -> bool:
    if tp is bool:
        return isinstance(value, bool)
    if tp in (int, float):
        # A number token is a float; the alpha took ints and floats alike.
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if is_protocol(tp):
        # Interfaces: jsii implementations, imported resources and proxies
        # cannot be told apart from wrong values reliably; left unchecked.
        return True
    if isinstance(value, tp):
        return True
    # A half-migrated program may hand over an alpha object of the same name
    # (an ExposedSecret, say) that the rendering reads by its properties.
    return not issubclass(tp, enum.Enum) and is_alpha_namesake(value, tp)


def _describe(tp: Any) -> str:
    if is_union(tp):
        return " or ".join(_describe(o) for o in typing.get_args(tp) if o is not type(None))
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple, typing.Sequence.__origin__):  # type: ignore[attr-defined]
        return f"a sequence of {_describe(args[0])}" if args else "a sequence"
    if origin in (dict, typing.Mapping.__origin__):  # type: ignore[attr-defined]
        return f"a mapping of {_describe(args[1])}" if len(args) == 2 else "a mapping"
    if tp is bool:
        return "a bool"
    if tp in (int, float):
        return "a number"
    if tp is str:
        return "a string"
    if isinstance(tp, type):
        ours = tp.__module__.startswith("cdk_batch")
        name = tp.__name__ if ours else f"{tp.__module__}.{tp.__qualname__}"
        if is_protocol(tp):
            return name
        if issubclass(tp, enum.Enum):
            return f"{_article(name)} {name} member"
        if dataclasses.is_dataclass(tp) or is_jsii_struct(tp):
            return f"{_article(name)} {name} or a dict"
        return f"{_article(name)} {name}" if ours else f"an instance of {name}"
    return str(tp)


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


def _finding(expected: str, value: Any, path: str) -> Finding:
    shown = fmt(value) if isinstance(value, (str, int, float)) else _short(value)
    return Finding(
        path,
        f"must be {expected}, got {shown} ({type(value).__name__})",
        value,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
