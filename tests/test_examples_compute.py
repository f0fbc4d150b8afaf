"""examples/compute_app.py synthesizes, passes cfn-lint and renders what it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from examples.compute_app import build_app

from .lint import cfn_lint_errors


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    outdir: Path = tmp_path_factory.mktemp("compute-app")
    assembly = build_app(str(outdir)).synth()
    return {s.stack_name: s.template for s in assembly.stacks}


def environments(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        k: r["Properties"]
        for k, r in template["Resources"].items()
        if r["Type"] == "AWS::Batch::ComputeEnvironment"
    }


def test_every_template_passes_cfn_lint(templates: dict[str, dict[str, Any]]) -> None:
    assert templates
    for name, template in templates.items():
        assert cfn_lint_errors(template) == [], name


def test_the_environments_render_what_the_example_shows(
    templates: dict[str, dict[str, Any]],
) -> None:
    (template,) = templates.values()
    envs = environments(template)
    gpu = next(p for k, p in envs.items() if k.startswith("Gpu"))
    arm = next(p for k, p in envs.items() if k.startswith("Arm"))
    pinned = next(p for k, p in envs.items() if k.startswith("Pinned"))

    assert gpu["ComputeResources"]["Ec2Configuration"] == [{"ImageType": "ECS_AL2023_NVIDIA"}]
    assert arm["ComputeResources"]["InstanceTypes"] == ["default_arm64"]
    assert arm["UpdatePolicy"] == {"JobExecutionTimeoutMinutes": 60, "TerminateJobsOnUpdate": False}
    assert arm["ReplaceComputeEnvironment"] is False
    assert arm["ComputeResources"]["Tags"] == {"project": "compute-example"}
    assert "Tags" not in arm
    version = pinned["ComputeResources"]["LaunchTemplate"]["Version"]
    assert version["Fn::GetAtt"][1] == "LatestVersionNumber"
