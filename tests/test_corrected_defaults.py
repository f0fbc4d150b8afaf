"""Every test program with every correction of this release on (CORRECTED_DEFAULTS_V1).

The programs are the conformance programs and the seed examples, the same set
tests/test_cfn_lint.py lints with the classic defaults. With the corrections
on, each template must still pass cfn-lint, and cdk-nag's AwsSolutions pack
must find less than with the classic defaults: no rule more often in any
program, and fewer findings over all of them (no AWS-managed service role policy where
Batch's service-linked role serves).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from typing import Any

import aws_cdk as cdk
import pytest

import cdk_batch
from cdk_batch import flags
from cdk_batch.errors import BatchValidationError

from .conformance.harness import STACK, Program
from .lint import cfn_lint_errors
from .test_cfn_lint import PROGRAMS

cdk_nag = pytest.importorskip("cdk_nag")

V1 = dict(flags.CORRECTED_DEFAULTS_V1)

Finding = tuple[str, str]
"""A cdk-nag finding: the rule id and the construct path below the stack."""


def nag(program: Program, context: dict[str, Any] | None) -> tuple[dict[str, Any], set[Finding]]:
    """The template of ``program`` and what cdk-nag's AwsSolutions pack finds in it."""
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir, context=context)
        stack = cdk.Stack(app, STACK)
        program(stack, cdk_batch)
        cdk.Aspects.of(stack).add(cdk_nag.AwsSolutionsChecks())
        template: dict[str, Any] = app.synth().get_stack_by_name(STACK).template
    found: set[Finding] = set()
    for c in stack.node.find_all():
        for m in c.node.metadata:
            if m.type in ("aws:cdk:warning", "aws:cdk:error"):
                rule = str(m.data).split(":", 1)[0].split("[", 1)[0].strip()
                if rule.startswith("AwsSolutions-"):
                    found.add((rule, c.node.path.removeprefix(f"{STACK}/")))
    return template, found


class Outcome:
    """A program's classic findings, and its template and findings with V1 on."""

    def __init__(self, program: Program) -> None:
        _, self.classic = nag(program, None)
        self.refused: BatchValidationError | None = None
        try:
            self.template, self.corrected = nag(program, V1)
        except BatchValidationError as err:
            self.refused = err
            self.template, self.corrected = {}, set()


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    return {name: Outcome(program) for name, program in PROGRAMS.items()}


def test_every_program_is_accepted_with_the_corrections_on(outcomes: dict[str, Outcome]) -> None:
    refused = {name: str(o.refused) for name, o in outcomes.items() if o.refused is not None}
    assert refused == {}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_the_corrected_template_passes_cfn_lint(outcomes: dict[str, Outcome], name: str) -> None:
    template = outcomes[name].template
    if "Resources" not in template:
        return  # a program that only imports resources has nothing to deploy
    assert cfn_lint_errors(template) == []


def test_no_program_gets_more_findings_of_any_cdk_nag_rule(outcomes: dict[str, Outcome]) -> None:
    # Counted per rule, not per path: a correction may move a finding (the
    # ECR pull grant moves from the job role to the new execution role).
    more = {}
    for name, o in outcomes.items():
        classic = Counter(rule for rule, _ in o.classic)
        corrected = Counter(rule for rule, _ in o.corrected)
        grown = {r: (classic[r], n) for r, n in corrected.items() if n > classic[r]}
        if grown:
            more[name] = grown
    assert more == {}


def test_the_corrections_leave_fewer_cdk_nag_findings(outcomes: dict[str, Outcome]) -> None:
    classic = Counter(rule for o in outcomes.values() for rule, _ in o.classic)
    corrected = Counter(rule for o in outcomes.values() for rule, _ in o.corrected)
    assert sum(corrected.values()) < sum(classic.values())
    # The AWS-managed AWSBatchServiceRole policy (IAM4) is gone with Batch's
    # service-linked role.
    assert corrected["AwsSolutions-IAM4"] < classic["AwsSolutions-IAM4"]
