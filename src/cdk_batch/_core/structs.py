"""Shared plumbing for the props classes: dict coercion and a compact repr.

Every value a user hands to a construct passes through :func:`coerce_value`,
which turns it into the type that the props field is annotated with, as far
as that can be done without guessing:

- a dict becomes the struct the field expects, whether its keys are spelled
  ``snake_case`` (as Python users write them) or ``camelCase`` (as the alpha
  read dicts nested in lists, which jsii handed to JavaScript unchanged), at
  every nesting level. This covers our own structs and the aws-cdk-lib structs
  (``ecs.MountPoint``, ``ecs.Volume``, ``ec2.SubnetSelection``...);
- an enum member or struct object of ``aws_cdk.aws_batch_alpha`` (a program
  that is only half migrated) becomes its namesake here, recognised by class
  name, member name and module name (the alpha is never imported);
- an implementation of an interface that has a ready-made struct (such as
  ``IMultiNodeProps``) is read once into that struct, as the alpha read it;
- anything else is passed through unchanged, for the type check
  (:mod:`cdk_batch._core.typecheck`) to judge.

The mechanism is driven by the dataclass annotations, so a field added to a
props class is coerced without further code.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, Union

_S = TypeVar("_S")

ALPHA_MODULE = "aws_cdk.aws_batch_alpha"
"""The module whose enum members and structs are taken as their namesakes."""


class Struct:
    """Base of the props classes: dict coercion of every field, and a compact repr.

    The props classes are frozen, keyword-only dataclasses, the Python shape of
    the alpha's jsii structs. After ``__init__``, every field is coerced to its
    annotation (see :func:`coerce_value`); a subclass's own ``__post_init__``
    runs after that. Like jsii structs, they print only what was given.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__post_init__")
        if own is None or getattr(own, "_coerces", False):
            return

        def post_init(self: Struct) -> None:
            coerce_fields(self)
            own(self)

        post_init._coerces = True  # type: ignore[attr-defined]
        setattr(cls, "__post_init__", post_init)  # noqa: B010

    def __post_init__(self) -> None:
        coerce_fields(self)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) is not None
        )
        return f"{type(self).__name__}({shown})"


# --- annotations -------------------------------------------------------------

_hints: dict[Any, dict[str, Any]] = {}
_defaults: dict[type, type] = {}


def register_default_implementation(interface: type, implementation: type) -> None:
    """Build dicts (and read implementations) given for ``interface`` as ``implementation``."""
    _defaults[interface] = implementation


def field_types(cls: type) -> dict[str, Any]:
    """The resolved annotations of the fields of a props dataclass or jsii struct."""
    found = _hints.get(cls)
    if found is None:
        if dataclasses.is_dataclass(cls):
            hints = typing.get_type_hints(cls)
            found = {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)}
        elif is_jsii_struct(cls):
            hints = typing.get_type_hints(cls.__init__)  # type: ignore[misc]
            names = getattr(cls, "__jsii_name_mapping__", {})
            found = {name: hints.get(name, Any) for name in names}
        else:
            found = {}
        _hints[cls] = found
    return found


def is_jsii_struct(cls: object) -> bool:
    """Whether ``cls`` is a jsii struct class (an aws-cdk-lib ``...Props``, say)."""
    return isinstance(cls, type) and hasattr(cls, "__jsii_name_mapping__")


def is_union(tp: object) -> bool:
    """Whether ``tp`` is ``X | Y`` (or ``Optional[X]``)."""
    return typing.get_origin(tp) in (Union, types.UnionType)


def is_protocol(tp: object) -> bool:
    """Whether ``tp`` is an interface (a ``Protocol``, as jsii interfaces are)."""
    return bool(getattr(tp, "_is_protocol", False))


def is_alpha_namesake(value: object, cls: type) -> bool:
    """Whether ``value`` is an instance of the alpha's class of the same name as ``cls``."""
    t = type(value)
    return t.__name__ == cls.__name__ and t.__module__.split(".")[:2] == ALPHA_MODULE.split(".")


# --- coercion ----------------------------------------------------------------


def _spelling(name: str) -> str:
    # memory_limit_mib and memoryLimitMiB, maxv_cpus and maxvCpus compare equal.
    return name.replace("_", "").lower()


def keyword_arguments(cls: type, given: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``given`` spelled as the field names of ``cls``.

    A key that names no field is kept as given, so that the constructor
    refuses it as an unexpected keyword.
    """
    names = {_spelling(n): n for n in field_types(cls)}
    return {names.get(_spelling(str(k)), str(k)): v for k, v in given.items()}


def _build(cls: type[_S], given: Mapping[str, Any]) -> _S:
    kwargs = keyword_arguments(cls, given)
    if is_jsii_struct(cls):
        # jsii structs coerce only snake_case dicts of their own: coerce nested
        # values here, in either spelling.
        hints = field_types(cls)
        kwargs = {k: coerce_value(hints[k], v) if k in hints else v for k, v in kwargs.items()}
    return cls(**kwargs)


def _read_implementation(cls: type[_S], value: object) -> _S:
    kwargs = {name: getattr(value, name, None) for name in field_types(cls)}
    return cls(**{k: v for k, v in kwargs.items() if v is not None})


def coerce_value(tp: Any, value: Any) -> Any:
    """Return ``value`` coerced to the annotation ``tp`` where that is unambiguous."""
    if value is None or tp is Any:
        return value
    if is_union(tp):
        for option in typing.get_args(tp):
            if option is type(None):
                continue
            coerced = coerce_value(option, value)
            if coerced is not value:
                return coerced
        return value
    origin = typing.get_origin(tp)
    if origin is not None:
        return _coerce_generic(origin, typing.get_args(tp), value)
    if not isinstance(tp, type):
        return value
    implementation = _defaults.get(tp)
    if implementation is not None:
        if isinstance(value, (implementation, str, bytes, int, float)):
            return value
        if isinstance(value, Mapping):
            return _build(implementation, value)
        return _read_implementation(implementation, value)
    if is_protocol(tp) or isinstance(value, tp):
        return value
    if issubclass(tp, enum.Enum):
        if isinstance(value, enum.Enum) and is_alpha_namesake(value, tp):
            return tp.__members__.get(value.name, value)
        return value
    if dataclasses.is_dataclass(tp) or is_jsii_struct(tp):
        if isinstance(value, Mapping):
            return _build(tp, value)
        alpha_values = getattr(value, "_values", None)
        if isinstance(alpha_values, dict) and is_alpha_namesake(value, tp):
            return _build(tp, alpha_values)
        return value
    return value


_SEQUENCES: tuple[Any, ...] = (list, tuple, collections.abc.Sequence)
_MAPPINGS: tuple[Any, ...] = (dict, collections.abc.Mapping)


def _coerce_generic(origin: Any, args: tuple[Any, ...], value: Any) -> Any:
    if origin in _SEQUENCES and isinstance(value, (list, tuple)) and args:
        item = args[0]
        items = [coerce_value(item, v) for v in value]
        changed = any(a is not b for a, b in zip(items, value, strict=True))
        return items if changed else value
    if origin in _MAPPINGS and isinstance(value, Mapping) and len(args) == 2:
        entries = {k: coerce_value(args[1], v) for k, v in value.items()}
        changed = any(entries[k] is not v for k, v in value.items())
        return entries if changed else value
    return value


def coerce_fields(struct: object) -> None:
    """Coerce every field of a frozen props dataclass to its annotation, in place."""
    for name, tp in field_types(type(struct)).items():
        value = getattr(struct, name)
        coerced = coerce_value(tp, value)
        if coerced is not value:
            object.__setattr__(struct, name, coerced)


def coerce(cls: type[_S], value: _S | Mapping[str, Any]) -> _S:
    """Return ``value`` as an instance of ``cls``, building it from a dict if needed.

    Dicts may spell their keys in snake_case or camelCase (see the module
    docstring); alpha struct objects become their namesakes.
    """
    coerced: _S = coerce_value(cls, value)
    return coerced


def coerce_optional(cls: type[_S], value: _S | Mapping[str, Any] | None) -> _S | None:
    """Like :func:`coerce`, passing ``None`` through."""
    if value is None:
        return None
    return coerce(cls, value)


__all__ = [
    "ALPHA_MODULE",
    "Struct",
    "coerce",
    "coerce_fields",
    "coerce_optional",
    "coerce_value",
    "field_types",
    "is_alpha_namesake",
    "is_jsii_struct",
    "is_protocol",
    "is_union",
    "keyword_arguments",
    "register_default_implementation",
]
