"""Serve ``aws_cdk.aws_batch_alpha`` imports from ``cdk_batch`` in this process.

``python -m cdk_batch.migrate check`` puts this folder at the front of
PYTHONPATH when it synthesizes the user's app with cdk_batch, so the app runs
unchanged. A ``sitecustomize`` module that this one shadows is still run.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from types import ModuleType

_ALPHA = "aws_cdk.aws_batch_alpha"


class _ServeAlphaFromCdkBatch(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers imports of the alpha module with the cdk_batch module."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == _ALPHA:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        marker = os.environ.get("CDK_BATCH_MIGRATE_MARKER")
        if marker:
            # Tells the check that the app does use the alpha.
            with open(marker, "w") as f:
                f.write(spec.name)
        return importlib.import_module("cdk_batch")

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: cdk_batch is already imported."""


sys.meta_path.insert(0, _ServeAlphaFromCdkBatch())


def _run_shadowed_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_run_shadowed_sitecustomize()
