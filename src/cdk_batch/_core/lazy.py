"""A module that is imported when one of its attributes is first read.

The props of a construct name aws-cdk-lib types in their annotations, which
:func:`typing.get_type_hints` evaluates only when a struct of that kind is
first coerced. A props module whose only use of a large aws-cdk-lib module
(``aws_cdk.aws_eks``, say) is such an annotation binds the name to a
:class:`LazyModule`, so that programs that never build that struct never
import the module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["LazyModule"]


class LazyModule:
    """Stands for the module ``name`` and imports it on the first attribute read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
