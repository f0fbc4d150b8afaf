"""examples/corrected_app.py: the corrected defaults the spec promises, and cfn-lint clean.

The expected values come from the table of corrections (docs/corrected-defaults.md),
not from running the library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from examples.corrected_app import build_app

from .lint import cfn_lint_errors


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    outdir = tmp_path_factory.mktemp("corrected")
    return {s.stack_name: s.template for s in build_app(str(outdir)).synth().stacks}


def of_type(template: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == cfn_type}


def named(template: dict[str, Any], cfn_type: str, prefix: str) -> dict[str, Any]:
    (found,) = [r for k, r in of_type(template, cfn_type).items() if k.startswith(prefix)]
    return found


def test_every_template_passes_cfn_lint(templates: dict[str, dict[str, Any]]) -> None:
    assert sorted(templates) == ["AdoptingOneFlag", "CorrectedDefaults"]
    for name, template in templates.items():
        assert cfn_lint_errors(template) == [], name


def test_environments_use_batchs_service_linked_role_and_no_vpc_wide_dependency(
    templates: dict[str, dict[str, Any]],
) -> None:
    t = templates["CorrectedDefaults"]
    roles = of_type(t, "AWS::IAM::Role")
    assert not any("AWSBatchServiceRole" in str(r) for r in roles.values())
    vpc_resources = {k for k in t["Resources"] if k.startswith("Vpc")}
    for env in of_type(t, "AWS::Batch::ComputeEnvironment").values():
        assert "ServiceRole" not in env["Properties"]
        # Only what the subnets need to reach the internet: routes and associations.
        depends = set(env.get("DependsOn", []))
        assert depends and depends <= vpc_resources
        assert all("DefaultRoute" in d or "RouteTableAssociation" in d for d in depends)


def test_ec2_and_spot_environments_get_the_corrected_defaults(
    templates: dict[str, dict[str, Any]],
) -> None:
    t = templates["CorrectedDefaults"]
    for prefix, strategy in (
        ("Ec2", "BEST_FIT_PROGRESSIVE"),
        ("Spot", "SPOT_PRICE_CAPACITY_OPTIMIZED"),
    ):
        env = named(t, "AWS::Batch::ComputeEnvironment", prefix)["Properties"]
        resources = env["ComputeResources"]
        assert resources["AllocationStrategy"] == strategy
        assert resources["InstanceTypes"] == ["default_x86_64"]
        assert resources["Ec2Configuration"] == [{"ImageType": "ECS_AL2023"}]
        assert "SpotIamFleetRole" not in resources
        assert env["ReplaceComputeEnvironment"] is False
        assert env["UpdatePolicy"] == {
            "JobExecutionTimeoutMinutes": 30,
            "TerminateJobsOnUpdate": False,
        }
        # Tags reach the instances and no longer replace the environment.
        assert resources["Tags"] == {"team": "research"}
        assert "Tags" not in env


def test_queues_ignore_tags(templates: dict[str, dict[str, Any]]) -> None:
    for queue in of_type(templates["CorrectedDefaults"], "AWS::Batch::JobQueue").values():
        assert "Tags" not in queue["Properties"]


def test_job_definitions_get_the_corrected_defaults(templates: dict[str, dict[str, Any]]) -> None:
    t = templates["CorrectedDefaults"]
    ec2_job = named(t, "AWS::Batch::JobDefinition", "Job")["Properties"]
    fargate_job = named(t, "AWS::Batch::JobDefinition", "FargateJob")["Properties"]
    for job in (ec2_job, fargate_job):
        assert "Timeout" not in job
        assert job["ResourceRetentionPolicy"] == {"SkipDeregisterOnUpdate": True}
        assert "Environment" not in job["ContainerProperties"]
    assert {"Type": "MEMORY", "Value": "2048"} in ec2_job["ContainerProperties"][
        "ResourceRequirements"
    ]
    execution_role = fargate_job["ContainerProperties"]["ExecutionRoleArn"]["Fn::GetAtt"][0]
    trust = t["Resources"][execution_role]["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}


def test_the_adopting_stack_changes_only_its_one_flag(templates: dict[str, dict[str, Any]]) -> None:
    job = named(templates["AdoptingOneFlag"], "AWS::Batch::JobDefinition", "Job")["Properties"]
    assert job["ResourceRetentionPolicy"] == {"SkipDeregisterOnUpdate": True}
    # The classic defaults stay.
    assert job["Timeout"] == {}
    assert [e["Name"] for e in job["ContainerProperties"]["Environment"]] == [
        "AWS_REGION",
        "AWS_ACCOUNT",
    ]
    assert {"Type": "MEMORY", "Value": "4"} in job["ContainerProperties"]["ResourceRequirements"]


def test_the_app_deploys_locally_and_runs_a_job_on_each_queue(tmp_path: Path) -> None:
    pytest.importorskip("moto")
    from cdk_batch.local import deploy_locally

    result = deploy_locally(build_app(str(tmp_path)), run_jobs=True)
    assert result.ok, result.failures
    assert [(c.status, c.state) for c in result.compute_environments] == [("VALID", "ENABLED")] * 3
    assert len(result.jobs) >= 3 and all(j.status == "SUCCEEDED" for j in result.jobs)
