"""Cloud assemblies of the test apps, synthesized once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from . import apps


@pytest.fixture(scope="session")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``assembly("multi_stack_app")``: the cdk.out directory of that app of ``apps``."""
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            outdir = tmp_path_factory.mktemp(name)
            getattr(apps, name)(outdir).synth()
            built[name] = outdir
        return built[name]

    return get
