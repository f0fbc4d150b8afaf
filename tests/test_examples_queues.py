"""examples/queues_app.py synthesizes, holds what it promises, and passes cfn-lint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from examples.queues_app import build_app

from .lint import cfn_lint_errors


def _templates(tmp_path: Path) -> dict[str, dict[str, Any]]:
    assembly = build_app(outdir=str(tmp_path)).synth()
    return {s.stack_name: s.template for s in assembly.stacks}


def _types(template: dict[str, Any]) -> list[str]:
    return sorted(r["Type"] for r in template["Resources"].values() if "Batch" in r["Type"])


def test_every_template_passes_cfn_lint(tmp_path: Path) -> None:
    templates = _templates(tmp_path)
    assert sorted(templates) == ["FairShareQueue", "TrainingQueue"]
    for name, template in templates.items():
        assert cfn_lint_errors(template) == [], name


def test_the_app_holds_each_capability(tmp_path: Path) -> None:
    templates = _templates(tmp_path)
    assert _types(templates["FairShareQueue"]) == [
        "AWS::Batch::ComputeEnvironment",
        "AWS::Batch::ConsumableResource",
        "AWS::Batch::JobQueue",
        "AWS::Batch::SchedulingPolicy",
    ]
    assert _types(templates["TrainingQueue"]) == [
        "AWS::Batch::JobQueue",
        "AWS::Batch::ServiceEnvironment",
    ]
    fair = next(
        r["Properties"]
        for r in templates["FairShareQueue"]["Resources"].values()
        if r["Type"] == "AWS::Batch::JobQueue"
    )
    assert "SchedulingPolicyArn" in fair and len(fair["JobStateTimeLimitActions"]) == 2
    training = next(
        r["Properties"]
        for r in templates["TrainingQueue"]["Resources"].values()
        if r["Type"] == "AWS::Batch::JobQueue"
    )
    assert training["JobQueueType"] == "SAGEMAKER_TRAINING"
    assert "ComputeEnvironmentOrder" not in training
