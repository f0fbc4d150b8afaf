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


def beyond_the_alpha_examples() -> dict[str, str]:
    """Every Python block of the README's "Beyond the alpha" section, by its heading."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Beyond the alpha", 1)[1].split("\n## ", 1)[0]
    found: dict[str, str] = {}
    heading = "intro"
    for part in re.split(r"(?m)^(#{3,4} .*)$", section):
        if part.startswith("#"):
            heading = part.lstrip("# ").strip()
            continue
        for i, block in enumerate(re.findall(r"```python\n(.*?)```", part, re.S)):
            found[f"{heading} {i + 1}" if i else heading] = block
    return found


def test_every_readme_example_of_the_new_capabilities_synthesizes(tmp_path: Path) -> None:
    examples = beyond_the_alpha_examples()
    failures = []
    for name, code in examples.items():
        folder = tmp_path / re.sub(r"\W+", "-", name)
        folder.mkdir()
        (folder / "app.py").write_text(code)
        env = dict(os.environ, CDK_OUTDIR=str(folder / "out"))
        done = subprocess.run(
            [sys.executable, "app.py"], cwd=folder, env=env, capture_output=True, text=True
        )
        if done.returncode != 0 or not list((folder / "out").glob("*.template.json")):
            failures.append(f"{name}:\n{done.stderr[-2000:]}")
    assert not failures, "\n\n".join(failures)
