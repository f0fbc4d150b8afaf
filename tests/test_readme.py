"""The README's quickstart runs and synthesizes what it says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_quickstart_synthesizes(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(quickstart())
    env = dict(os.environ, CDK_OUTDIR=str(tmp_path / "out"))
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    template = json.loads((tmp_path / "out" / "Batch.template.json").read_text())
    kinds = sorted(r["Type"] for r in template["Resources"].values() if "Batch" in r["Type"])
    assert kinds == [
        "AWS::Batch::ComputeEnvironment",
        "AWS::Batch::JobDefinition",
        "AWS::Batch::JobQueue",
    ]


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make synth" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
