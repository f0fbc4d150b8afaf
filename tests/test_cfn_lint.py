"""Every template cdk_batch synthesizes in the test programs passes cfn-lint."""

from __future__ import annotations

import pytest

import cdk_batch
from examples.seed_examples import EXAMPLES

from .conformance.harness import synth
from .conformance.test_compute_environment import PROGRAMS as CE_PROGRAMS
from .conformance.test_job_definition import PROGRAMS as JD_PROGRAMS
from .conformance.test_job_queue import PROGRAMS as JQ_PROGRAMS
from .lint import cfn_lint_errors

PROGRAMS = {
    **{f"seed-{k}": v for k, v in EXAMPLES.items()},
    **{f"ce-{k}": v for k, v in CE_PROGRAMS.items()},
    **{f"jq-{k}": v for k, v in JQ_PROGRAMS.items()},
    **{f"jd-{k}": v for k, v in JD_PROGRAMS.items()},
}


@pytest.mark.parametrize("program", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_template_passes_cfn_lint(program) -> None:
    template = synth(cdk_batch, program)
    if "Resources" not in template:
        # A program that only imports resources has nothing to deploy.
        assert set(template) <= {"Parameters", "Rules", "Outputs"}
        return
    assert cfn_lint_errors(template) == []


def test_cfn_lint_reports_errors() -> None:
    # The check itself must be able to fail: a compute environment with an
    # unknown property is an error.
    broken = {
        "Resources": {
            "CE": {
                "Type": "AWS::Batch::ComputeEnvironment",
                "Properties": {"Type": "MANAGED", "Bogus": 1},
            }
        }
    }
    assert cfn_lint_errors(broken) != []
