"""python -m cdk_batch.local deploy: progress lines, exit codes, --json."""

from __future__ import annotations

import json

from cdk_batch.local.__main__ import main


def test_passing_app_exits_zero_with_a_line_per_stack(assembly, capsys) -> None:
    code = main(["deploy", str(assembly("multi_stack_app")), "--run-jobs"])

    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[:2] for line in lines[:3]] == [
        ["[1/3]", "Network"],
        ["[2/3]", "Compute"],
        ["[3/3]", "Jobs"],
    ]
    assert all("CREATE_COMPLETE" in line for line in lines[:3])
    assert lines[-1] == (
        "local deploy ok: 3 stacks created, 1/1 compute environments VALID, "
        "1/1 job queues VALID, 1/1 jobs SUCCEEDED, 0 not checked"
    )


def test_failing_app_exits_one_and_names_the_resource(assembly, capsys) -> None:
    code = main(["deploy", str(assembly("missing_environment_app"))])

    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED" in out and "(AWS::Batch::JobQueue): " in out
    assert "NOT DEPLOYED: it depends on Broken, which failed" in out
    assert "Traceback" not in out
    assert out.splitlines()[-1].startswith("local deploy FAILED: 0 stacks created, 1 failed")


def test_json_is_the_result_and_progress_goes_to_stderr(assembly, capsys) -> None:
    code = main(["deploy", str(assembly("not_checked_app")), "--run-jobs", "--json"])

    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 0
    assert data["ok"] is True
    assert [s["stack_name"] for s in data["stacks"]] == ["Gaps"]
    assert data["stacks"][0]["ok"] is True
    assert {n["what"] for n in data["not_checked"]} >= {"NodeProperties", "resource"}
    assert {j["status"] for j in data["jobs"]} == {"SUCCEEDED", "NOT_RUN"}
    assert "[1/1] Gaps" in captured.err


def test_json_of_a_failure_exits_one(assembly, capsys) -> None:
    code = main(["deploy", str(assembly("undefined_reference_app")), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["ok"] is False
    assert data["stacks"][0]["status"] == "FAILED"
    assert "NoSuchResource" in data["stacks"][0]["error"]


def test_not_an_assembly_exits_two(tmp_path, capsys) -> None:
    code = main(["deploy", str(tmp_path / "nothing")])
    assert code == 2
    assert "is not a cloud assembly" in capsys.readouterr().err
