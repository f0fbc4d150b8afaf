"""python -m cdk_batch.migrate check, run on small apps of its own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cdk_batch.migrate._check import CheckError, run_check, synthesize

HEADER = """\
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2, aws_ecs as ecs
import aws_cdk.aws_batch_alpha as batch

app = cdk.App()
"""


def write_app(tmp_path: Path, body: str, *, cdk_json: bool = True) -> Path:
    (tmp_path / "app.py").write_text(HEADER + textwrap.dedent(body) + "\napp.synth()\n")
    if cdk_json:
        (tmp_path / "cdk.json").write_text(json.dumps({"app": "python app.py"}))
    return tmp_path


def migrate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cdk_batch.migrate", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_app_without_differences(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        vpc = ec2.Vpc(stack, "VPC")
        ce = batch.ComputeEnvironment(
            stack, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
        batch.JobQueue(stack, "Q", compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)])
        """,
    )
    done = migrate(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["Stack Batch", "  no differences"]
    assert "1 stack, 0 with differences, 0 differences, 0 unexplained" in done.stdout


def test_documented_fix_is_explained(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        import jsii

        # As alpha users wrote them: properties, which jsii exposes to JavaScript.
        @jsii.implements(batch.INodeRangeProps)
        class Range:
            @property
            def container(self):
                return batch.JobDefinitionContainer(
                    image=ecs.ContainerImage.from_registry("worker"),
                    instance_type=ec2.InstanceType("c5.large"))

            @property
            def from_node_index(self):
                return None

            @property
            def to_node_index(self):
                return None

        @jsii.implements(batch.IMultiNodeProps)
        class Nodes:
            @property
            def count(self):
                return 2

            @property
            def main_node(self):
                return 0

            @property
            def range_props(self):
                return [Range()]

        stack = cdk.Stack(app, "Mnp")
        batch.JobDefinition(stack, "JD", node_props=Nodes(),
            container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_registry("x")))
        """,
    )
    done = migrate(tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["unexplained"] == 0
    links = {d["explanation"] for d in report["stacks"][0]["differences"]}
    assert links == {"docs/differences.md#multi-node-job-definitions"}
    assert {d["path"] for d in report["stacks"][0]["differences"]} >= {
        "Properties.Type",
        "Properties.ContainerProperties",
    }


def test_unexplained_difference_fails(tmp_path: Path) -> None:
    # A stand-in for a cdk_batch bug: the app renders something only when it
    # runs with cdk_batch.
    write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        ce = batch.ComputeEnvironment(stack, "CE", managed=False)
        if batch.__name__ == "cdk_batch":
            ce.node.default_child.add_property_override("State", "DISABLED")
        """,
    )
    done = migrate(tmp_path)
    assert done.returncode == 1
    assert '~ Properties.State: "ENABLED" -> "DISABLED"  (UNEXPLAINED)' in done.stdout
    assert "please report it" in done.stdout


def test_multi_stack_app_with_context(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        for name in app.node.try_get_context("stacks").split(","):
            stack = cdk.Stack(app, name)
            ce = batch.ComputeEnvironment(stack, "CE", managed=False)
            batch.JobQueue(stack, "Q", priority=int(app.node.try_get_context("priority")),
                compute_environments=[
                    batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)])
        """,
    )
    done = migrate(tmp_path, "--context", "stacks=One,Two", "-c", "priority=0", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [s["name"] for s in report["stacks"]] == ["One", "Two"]
    for stack in report["stacks"]:
        assert [
            (d["path"], d["expected"], d["actual"], d["explanation"]) for d in stack["differences"]
        ] == [("Properties.Priority", 1, 0, "docs/differences.md#queue-priority-zero")]


def test_baseline_from_before_the_switch(tmp_path: Path) -> None:
    app = write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        batch.ComputeEnvironment(stack, "CE", managed=False)
        """,
    )
    old = tmp_path / "old.out"
    synthesize("python app.py", old, {}, with_cdk_batch=False, cwd=app)
    result = run_check(app=None, context_pairs=[], baseline=old, cwd=app)
    assert [(s.name, s.status) for s in result.stacks] == [("Batch", "same")]


def test_missing_alpha_says_how_to_install_it(tmp_path: Path) -> None:
    command = (
        'python -c "raise ModuleNotFoundError(\\"No module named \'aws_cdk.aws_batch_alpha\'\\")"'
    )
    with pytest.raises(
        CheckError, match=re.escape("pip install aws-cdk.aws-batch-alpha==2.62.1a0")
    ):
        run_check(app=command, context_pairs=[], baseline=None, cwd=tmp_path)


def test_no_app_is_an_error(tmp_path: Path) -> None:
    done = migrate(tmp_path)
    assert done.returncode == 2
    assert "no app" in done.stderr


def test_name_exported_to_another_stack_is_explained(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        from aws_cdk import aws_ssm as ssm
        producer = cdk.Stack(app, "Producer")
        ce = batch.ComputeEnvironment(producer, "CE", managed=False)
        queue = batch.JobQueue(producer, "Q", compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)])
        consumer = cdk.Stack(app, "Consumer")
        ssm.StringParameter(consumer, "QueueName", string_value=queue.job_queue_name)
        """,
    )
    done = migrate(tmp_path, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    by_stack = {s["name"]: s["differences"] for s in report["stacks"]}
    assert report["unexplained"] == 0
    assert by_stack["Producer"] == []
    (d,) = by_stack["Consumer"]
    assert (d["resourceType"], d["path"]) == ("AWS::SSM::Parameter", "Properties.Value")
    assert d["expected"] == {
        "Fn::ImportValue": d["actual"]["Fn::Select"][1]["Fn::Split"][1]["Fn::ImportValue"]
        and d["expected"]["Fn::ImportValue"]
    }
    links = {d["explanation"] for ds in by_stack.values() for d in ds}
    assert links == {"docs/differences.md#name-attributes"}


def test_a_select_out_of_another_import_stays_unexplained(tmp_path: Path) -> None:
    # Selecting out of a different export than the alpha imported is not the
    # name-attributes difference.
    write_app(
        tmp_path,
        """
        from aws_cdk import aws_ssm as ssm
        stack = cdk.Stack(app, "Batch")
        value = cdk.Fn.import_value("one")
        if batch.__name__ == "cdk_batch":
            value = cdk.Fn.select(1, cdk.Fn.split("/", cdk.Fn.import_value("two")))
        ssm.StringParameter(stack, "P", string_value=value)
        """,
    )
    done = migrate(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "(UNEXPLAINED)" in done.stdout


def test_an_app_without_the_alpha_compares_nothing(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import aws_cdk as cdk\nimport cdk_batch as batch\n"
        "app = cdk.App()\nstack = cdk.Stack(app, 'Batch')\n"
        "batch.ComputeEnvironment(stack, 'CE', managed=False)\napp.synth()\n"
    )
    (tmp_path / "cdk.json").write_text(json.dumps({"app": "python app.py"}))
    done = migrate(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "never imported aws_cdk.aws_batch_alpha, so nothing was compared" in done.stdout
    assert "no differences" not in done.stdout
    assert done.stdout.rstrip().endswith("0 stacks compared, 0 differences, 0 unexplained")
    report = json.loads(migrate(tmp_path, "--json").stdout)
    assert report["compared"] is False and report["stacks"] == []


def test_cdk_batch_failing_where_the_alpha_works(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        batch.ComputeEnvironment(stack, "CE", managed=False)
        if batch.__name__ == "cdk_batch":
            def deep():
                raise RuntimeError("something cdk_batch cannot do\\nsecond line of it")
            deep()
        """,
    )
    done = migrate(tmp_path)
    assert done.returncode == 2
    lines = done.stdout.rstrip().splitlines()
    assert lines[0].startswith("The alpha synthesized the app, and cdk_batch did not (exit 1).")
    assert "please report it" in lines[0]
    assert lines[2] == "Traceback (most recent call last):"
    assert "RuntimeError: something cdk_batch cannot do" in done.stdout
    assert "second line of it" in done.stdout
    assert (
        lines[-1] == "0 stacks compared, 0 differences, 1 unexplained (cdk_batch failed on the app)"
    )

    report = json.loads(migrate(tmp_path, "--json").stdout)
    assert report["error"] == "cdk-batch-failed"
    assert report["alphaSynthesized"] is True
    assert report["exitCode"] == 1
    assert report["output"].startswith("Traceback (most recent call last):")
    assert report["unexplained"] == 1


def test_summary_uses_singular_counts(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        ce = batch.ComputeEnvironment(stack, "CE", managed=False)
        batch.JobQueue(stack, "Q", priority=0, compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)])
        """,
    )
    done = migrate(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("1 stack, 1 with differences, 1 difference, 0 unexplained")


def test_what_a_corrected_defaults_flag_changes_is_explained(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        """
        stack = cdk.Stack(app, "Batch")
        batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry("worker")))
        ce = batch.ComputeEnvironment(stack, "CE", managed=False)
        if batch.__name__ == "cdk_batch":
            ce.node.default_child.add_property_override("State", "DISABLED")
        """,
        cdk_json=False,
    )
    flag = "@cdk-batch/aws-batch:noEmptyTimeout"
    (tmp_path / "cdk.json").write_text(
        json.dumps({"app": "python app.py", "context": {flag: True}})
    )
    done = migrate(tmp_path)
    assert done.stdout.startswith(f"Corrected-defaults flags on in the context: {flag}.")
    assert "- Properties.Timeout: {}  (explained: docs/corrected-defaults.md)" in done.stdout
    # A difference the flag does not cause stays unexplained.
    assert '~ Properties.State: "ENABLED" -> "DISABLED"  (UNEXPLAINED)' in done.stdout
    assert done.returncode == 1
    report = json.loads(migrate(tmp_path, "--json").stdout)
    assert report["flagsOn"] == [flag]
    assert report["unexplained"] == 1
