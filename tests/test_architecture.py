"""The import contracts of pyproject.toml hold, and would catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": ""},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def copy_of_project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(
        ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    return tmp_path


def test_contracts_are_kept() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_inside_a_function_breaks_the_layers(copy_of_project: Path) -> None:
    tokens = copy_of_project / "src" / "cdk_batch" / "_core" / "tokens.py"
    tokens.write_text(
        tokens.read_text()
        + "\n\ndef _late() -> None:\n    from ..compute_environment import ComputeEnvironment\n"
    )
    done = _lint(copy_of_project)
    assert done.returncode == 1
    assert "cdk_batch._core.tokens -> cdk_batch.compute_environment" in done.stdout


def test_one_construct_importing_another_breaks_the_layers(copy_of_project: Path) -> None:
    queue = copy_of_project / "src" / "cdk_batch" / "job_queue.py"
    queue.write_text(queue.read_text() + "\nfrom .compute_environment import ComputeEnvironment\n")
    done = _lint(copy_of_project)
    assert done.returncode == 1
    assert "cdk_batch.job_queue -> cdk_batch.compute_environment" in done.stdout
