"""examples/job_definitions_app.py synthesizes, uses each keyword and passes cfn-lint."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from .lint import cfn_lint_errors

APP = Path(__file__).resolve().parent.parent / "examples" / "job_definitions_app.py"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    spec = importlib.util.spec_from_file_location("job_definitions_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assembly = module.build_app(str(tmp_path_factory.mktemp("out"))).synth()
    return {s.stack_name: s.template for s in assembly.stacks}


def test_every_template_passes_cfn_lint(templates: dict[str, dict[str, Any]]) -> None:
    assert templates
    for name, template in templates.items():
        assert cfn_lint_errors(template) == [], name


def definitions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["JobDefinitionName"]: r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Batch::JobDefinition"
    }


def test_the_example_uses_each_capability(templates: dict[str, dict[str, Any]]) -> None:
    found = definitions(templates["JobDefinitions"])
    pipeline, report = found["pipeline"], found["report"]
    (task,) = pipeline["EcsProperties"]["TaskProperties"]
    assert [c["Name"] for c in task["Containers"]] == ["worker", "proxy"]
    assert pipeline["RetryStrategy"]["EvaluateOnExit"][0] == {
        "Action": "RETRY",
        "OnStatusReason": "Host EC2*",
    }
    assert pipeline["SchedulingPriority"] == 50
    assert pipeline["ResourceRetentionPolicy"] == {"SkipDeregisterOnUpdate": True}
    assert "TaskRoleArn" in task
    assert report["ContainerProperties"]["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    assert report["RetryStrategy"]["EvaluateOnExit"] == [
        {"Action": "RETRY", "OnStatusReason": "Host EC2*"}
    ]
    statements = [
        s
        for r in templates["JobDefinitions"]["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
        if s["Action"] == "batch:SubmitJob"
    ]
    assert len(statements) == 2
