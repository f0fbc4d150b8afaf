"""The example apps of the main job synthesize without warnings and deploy locally."""

from __future__ import annotations

import importlib
import json

import pytest

from cdk_batch.local import deploy_locally
from examples.main import APPS


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    from examples.seed_app import build_app

    outdir = tmp_path_factory.mktemp("seed")
    build_app(str(outdir)).synth()
    return outdir


def test_every_app_has_a_build_function() -> None:
    assert APPS[0] == "seed_app"
    for name in APPS:
        assert callable(importlib.import_module(f"examples.{name}").build_app)


def test_seed_app_has_no_template_validation_warning(seed_out) -> None:
    report = json.loads((seed_out / "validation-report.json").read_text())
    (plugin,) = report["pluginReports"]
    assert plugin["violations"] == []
    suppressed = {
        c["constructPath"]: v["ruleName"]
        for v in plugin["suppressedViolations"]
        for c in v["violatingConstructs"]
    }
    # Only the examples that import and create nothing, for the empty Resources rule.
    assert suppressed == {
        "ComputeEnvironmentImport": "F0001",
        "JobQueueImport": "F0001",
        "JobDefinitionImportArn": "F0001",
        "JobDefinitionImportName": "F0001",
    }


def test_seed_app_deploys_and_runs_a_job_on_each_queue(seed_out) -> None:
    result = deploy_locally(seed_out, run_jobs=True, isolate_stacks=True)

    assert result.ok, result.failures
    statuses = {s.stack_name: s.status for s in result.stacks}
    assert sorted(k for k, v in statuses.items() if v == "NO_RESOURCES") == [
        "ComputeEnvironmentImport",
        "JobDefinitionImportArn",
        "JobDefinitionImportName",
        "JobQueueImport",
    ]
    assert set(statuses.values()) == {"CREATE_COMPLETE", "NO_RESOURCES"}
    ran_on = sorted(j.queue for j in result.jobs if j.status == "SUCCEEDED")
    assert ran_on == sorted(f"{q.stack}/{q.logical_id}" for q in result.job_queues)
    assert len(result.job_queues) == 3
    assert {(n.stack, n.what) for n in result.not_checked} >= {
        ("JobDefinitionSecrets", "resource"),
        ("ComputeEnvironmentManagedAndUnmanaged", "unmanaged compute environment"),
        ("ComputeEnvironmentEfa", "security groups from the launch template"),
    }


def test_seed_app_cannot_share_one_account(seed_out) -> None:
    # Two README examples name their launch template "extra-storage-template".
    result = deploy_locally(seed_out)
    failed = [s for s in result.stacks if s.status == "FAILED"]
    assert [s.stack_name for s in failed] == ["ComputeEnvironmentLaunchTemplateId"]
    assert "InvalidLaunchTemplateName.AlreadyExistsException" in failed[0].error
