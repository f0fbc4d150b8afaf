"""Runtime help for constructs and structs: real signatures and documented keywords.

jsii gives every construct class a metaclass whose ``__call__`` takes
``(*args, **kwargs)``, so ``inspect.signature`` and ``help()`` showed that, and
an ``__init__`` without a docstring inherited the one of ``aws_cdk.Resource``.
:func:`document` fixes both from what the code already says: the signature of
the class's own ``__init__`` and the attribute docstrings of the props
dataclass fields (read from the source with :mod:`ast`). A keyword added to a
construct and its props is therefore documented without further work.

Reading the sources costs more than most programs ever need (they never call
``help()``), so the package calls :func:`defer` when it loads a public class:
the class's ``__doc__``, ``__signature__`` and ``__init__`` become stand-ins
that run :func:`document` on the first read by ``help()``, :mod:`inspect`
or anyone else, and then give the documented values. Creating instances does
not read them (``__init__`` is looked up as a method and passes through).

Nothing here imports aws-cdk-lib.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import sys
import textwrap
from typing import Any

from .structs import Struct

_DONE: set[type] = set()
_DEFERRED: dict[type, tuple[object, Any]] = {}
"""Classes waiting for :func:`document`: their own ``__doc__`` and ``__init__``."""

_CONSTRUCT_ARGS = {
    "scope": "The construct this one is created in (a Stack, or a construct inside one).",
    "id": "The construct id, unique among the children of ``scope``.",
}


def defer(obj: object) -> None:
    """Run :func:`document` on ``obj`` when its docs or signature are first read."""
    if not isinstance(obj, type) or obj in _DONE or obj in _DEFERRED:
        return
    init = obj.__dict__.get("__init__")
    if not inspect.isfunction(init) or not _documentable(obj):
        return
    _DEFERRED[obj] = (obj.__dict__.get("__doc__"), init)
    obj.__doc__ = _DocumentOnRead(obj, "__doc__")  # type: ignore[assignment]
    if not dataclasses.is_dataclass(obj):
        obj.__signature__ = _DocumentOnRead(obj, "__signature__")  # type: ignore[attr-defined]
    setattr(obj, "__init__", _InitDocumentedOnRead(obj, init))  # noqa: B010


def document(obj: object) -> None:
    """Give a public construct or struct class its signature and keyword docs (idempotent)."""
    if not isinstance(obj, type) or obj in _DONE:
        return
    deferred = _DEFERRED.pop(obj, None)
    if deferred is not None:
        # Put the class back as it was, then document it as usual.
        doc, init = deferred
        obj.__doc__ = doc  # type: ignore[assignment]
        if "__signature__" in obj.__dict__:
            delattr(obj, "__signature__")
        setattr(obj, "__init__", init)  # noqa: B010
    if dataclasses.is_dataclass(obj) and issubclass(obj, Struct):
        _document_struct(obj)
    elif "__init__" in obj.__dict__ and _props_class(obj) is not None:
        _document_construct(obj)
    else:
        return
    _DONE.add(obj)


def _documentable(cls: type) -> bool:
    if dataclasses.is_dataclass(cls):
        return issubclass(cls, Struct)
    return "__init__" in cls.__dict__ and _props_class(cls) is not None


class _DocumentOnRead:
    """Stands for a class's ``__doc__`` or ``__signature__`` until the first read."""

    def __init__(self, owner: type, name: str) -> None:
        self._owner = owner
        self._name = name

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        document(self._owner)
        return getattr(self._owner, self._name)


class _InitDocumentedOnRead:
    """Stands for a class's ``__init__``: a method for instances, documented when read."""

    def __init__(self, owner: type, init: Any) -> None:
        self._owner = owner
        self._init = init

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            # Read from the class (help(), inspect): the documented function.
            document(self._owner)
            return self._init
        return self._init.__get__(obj, objtype)


def field_docs(cls: type) -> dict[str, str]:
    """The attribute docstrings of a dataclass's fields, base classes included."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        found.update(_class_field_docs(klass.__module__, klass.__qualname__))
    return found


@functools.cache
def _module_tree(module_name: str) -> ast.Module | None:
    module = sys.modules.get(module_name)
    try:
        source = inspect.getsource(module) if module is not None else None
    except (OSError, TypeError):
        return None
    return ast.parse(source) if source else None


@functools.cache
def _class_field_docs(module_name: str, qualname: str) -> dict[str, str]:
    tree = _module_tree(module_name)
    if tree is None:
        return {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == qualname:
            docs: dict[str, str] = {}
            body = node.body
            for stmt, after in zip(body, [*body[1:], None], strict=True):
                if (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    docs[stmt.target.id] = inspect.cleandoc(after.value.value)
            return docs
    return {}


def _props_class(cls: type) -> type | None:
    module = sys.modules.get(cls.__module__)
    found = getattr(module, f"{cls.__name__}Props", None)
    return found if isinstance(found, type) and dataclasses.is_dataclass(found) else None


def _entries(sig: inspect.Signature, docs: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for p in sig.parameters.values():
        kind = p.annotation if p.annotation is not inspect.Parameter.empty else ""
        if p.default is not inspect.Parameter.empty:
            kind = f"{kind} = {p.default!r}" if kind else f"= {p.default!r}"
        head = f"    {p.name} ({kind}):" if kind else f"    {p.name}:"
        text = docs.get(p.name, "Not documented.")
        lines.append(head)
        lines.extend(textwrap.indent(text, " " * 8).splitlines())
    return lines


def _document_struct(cls: type) -> None:
    sig = inspect.signature(cls)
    entries = _entries(sig, field_docs(cls))
    summary = inspect.cleandoc(cls.__doc__ or cls.__name__)
    cls.__doc__ = "\n".join([summary, "", "Attributes:", *entries])
    init: Any = cls.__dict__.get("__init__")
    if init is not None:
        init.__doc__ = "\n".join(
            [f"Create a {cls.__name__}; every argument is a keyword.", "", "Args:", *entries]
        )


def _document_construct(cls: type) -> None:
    init: Any = cls.__dict__["__init__"]
    full = inspect.signature(init)
    params = list(full.parameters.values())[1:]  # without self
    sig = full.replace(parameters=params, return_annotation=inspect.Signature.empty)
    props = _props_class(cls)
    docs = dict(_CONSTRUCT_ARGS)
    if props is not None:
        docs.update(field_docs(props))
    cls.__signature__ = sig  # type: ignore[attr-defined]
    summary = inspect.cleandoc(cls.__doc__ or cls.__name__).splitlines()[0]
    init.__doc__ = "\n".join(
        [f"Create a {cls.__name__}. {summary}", "", "Args:", *_entries(sig, docs)]
    )
