"""Compare two synthesized CloudFormation templates, resource by resource.

This is the one comparison used by the conformance tests and by the migration
check: a difference is an added or removed resource, or a changed value at a
path inside a resource (``Properties.ComputeResources.MaxvCpus``) or in one of
the template's other sections (``Parameters``, ``Mappings``, ``Outputs``...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["added", "removed", "changed"]

_MISSING = object()


@dataclass(frozen=True)
class Difference:
    """One difference between an expected and an actual template.

    Attributes:
        kind: ``added`` (only in the actual template), ``removed`` (only in the
            expected one) or ``changed``.
        section: The template section, for example ``Resources``.
        logical_id: The key inside the section (the logical id of a resource).
        path: The dotted path inside that entry, empty for a whole entry.
        expected: The expected value, ``None`` when added.
        actual: The actual value, ``None`` when removed.
        resource_type: The ``Type`` of the resource, when the entry is one.

    """

    kind: Kind
    section: str
    logical_id: str
    path: str
    expected: Any = None
    actual: Any = None
    resource_type: str | None = None

    def __str__(self) -> str:
        where = f"{self.section}.{self.logical_id}"
        if self.resource_type:
            where += f" ({self.resource_type})"
        if self.path:
            where += f" {self.path}"
        if self.kind == "added":
            return f"+ {where}: {_short(self.actual)}"
        if self.kind == "removed":
            return f"- {where}: {_short(self.expected)}"
        return f"~ {where}: {_short(self.expected)} -> {_short(self.actual)}"


def compare_templates(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Difference]:
    """List every difference between two templates, in a stable order."""
    diffs: list[Difference] = []
    for section in sorted(set(expected) | set(actual)):
        exp = expected.get(section, _MISSING)
        act = actual.get(section, _MISSING)
        if not isinstance(exp, Mapping) or not isinstance(act, Mapping):
            if exp != act:
                diffs.extend(_whole(section, "", exp, act, None))
            continue
        for key in _ordered_keys(exp, act):
            e = exp.get(key, _MISSING)
            a = act.get(key, _MISSING)
            rtype = _type_of(e) or _type_of(a)
            if e is _MISSING or a is _MISSING:
                diffs.extend(_whole(section, key, e, a, rtype))
                continue
            for path, ev, av in _walk(e, a, ""):
                kind: Kind = (
                    "added" if ev is _MISSING else "removed" if av is _MISSING else "changed"
                )
                diffs.append(
                    Difference(
                        kind,
                        section,
                        key,
                        path,
                        None if ev is _MISSING else ev,
                        None if av is _MISSING else av,
                        rtype,
                    )
                )
    return diffs


def _whole(section: str, key: str, e: Any, a: Any, rtype: str | None) -> Iterator[Difference]:
    if e is _MISSING:
        yield Difference("added", section, key, "", None, a, rtype)
    elif a is _MISSING:
        yield Difference("removed", section, key, "", e, None, rtype)
    else:
        yield Difference("changed", section, key, "", e, a, rtype)


def _walk(e: Any, a: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if _intrinsic(e) and _intrinsic(a) and set(e) != set(a):
        # Two different functions (a Ref against an Fn::Select, say) are one
        # changed value, not a removed and an added key.
        yield path, e, a
        return
    if isinstance(e, Mapping) and isinstance(a, Mapping):
        for k in _ordered_keys(e, a):
            sub = f"{path}.{k}" if path else str(k)
            yield from _walk(e.get(k, _MISSING), a.get(k, _MISSING), sub)
        return
    if e is _MISSING or a is _MISSING:
        yield path, e, a
        return
    if isinstance(e, list) and isinstance(a, list) and len(e) == len(a):
        for i, (ei, ai) in enumerate(zip(e, a, strict=True)):
            yield from _walk(ei, ai, f"{path}[{i}]")
        return
    if e != a or (type(e) is not type(a) and not _same_number(e, a)):
        yield path, e, a


def _intrinsic(value: Any) -> bool:
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def _same_number(e: Any, a: Any) -> bool:
    numbers = (int, float)
    return (
        isinstance(e, numbers)
        and isinstance(a, numbers)
        and not isinstance(e, bool)
        and not isinstance(a, bool)
        and e == a
    )


def _ordered_keys(e: Mapping[str, Any], a: Mapping[str, Any]) -> list[str]:
    keys = list(e)
    keys.extend(k for k in a if k not in e)
    return keys


def _type_of(entry: Any) -> str | None:
    if isinstance(entry, Mapping):
        t = entry.get("Type")
        if isinstance(t, str):
            return t
    return None


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
