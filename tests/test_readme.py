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


def test_install_says_what_works_before_publication() -> None:
    readme = (ROOT / "README.md").read_text()
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    assert "pip install .\n" in install or "pip install .  " in install
    assert "pip wheel" in install and "python -m build" in install
    assert "Once it is published, `pip install cdk-batch`" in install
    migration = readme.split("## Migrating from aws-batch-alpha", 1)[1]
    assert "pip install cdk-batch aws-cdk" not in migration


def test_sample_error_lists_problems_in_the_library_order() -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2

    import cdk_batch as batch
    from cdk_batch.errors import BatchValidationError

    readme = (ROOT / "README.md").read_text()
    sample = readme.split("## Mistakes are caught at synth time", 1)[1]
    sample = sample.split("```text\n", 1)[1].split("```", 1)[0]
    stack = cdk.Stack(cdk.App(), "MyStack")
    vpc = ec2.Vpc.from_vpc_attributes(
        stack, "V", vpc_id="vpc-1", availability_zones=["a"], private_subnet_ids=["subnet-1"]
    )
    try:
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                type=batch.ComputeResourceType.SPOT,
                bid_percentage=120,
                minv_cpus=32,
                maxv_cpus=16,
            ),
        )
    except BatchValidationError as err:
        assert str(err) == sample.rstrip("\n")
    else:
        raise AssertionError("no error")


def test_cdk_json_runs_the_app_with_the_project_virtualenv() -> None:
    app = json.loads((ROOT / "cdk.json").read_text())["app"]
    assert app.startswith(".venv/bin/python ")
    assert (ROOT / app.split()[1]).is_file()


def test_release_files_exist() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    assert "Version 2.0" in (ROOT / "LICENSE").read_text()
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text()
    assert "build/" in (ROOT / ".gitignore").read_text().splitlines()


def test_sdist_carries_docs_and_test_helpers(tmp_path: Path) -> None:
    import tarfile

    import pytest
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip("building the sdist needs setuptools 77 or newer (the build backend's pin)")

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    name = done.stdout.strip().splitlines()[-1]
    with tarfile.open(tmp_path / name) as sdist:
        files = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for wanted in (
        "LICENSE",
        "CHANGELOG.md",
        "docs/differences.md",
        "docs/validation.md",
        "tests/helpers.py",
        "tests/lint.py",
        "tests/conformance/harness.py",
        "examples/seed_app.py",
    ):
        assert wanted in files, wanted


def test_the_rule_catalogue_is_reachable_from_an_installed_package() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "`python -m cdk_batch.rules` prints the same catalogue" in readme
    done = subprocess.run(
        [sys.executable, "-m", "cdk_batch.rules"], capture_output=True, text=True, cwd="/"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "docs" / "validation.md").read_text()
