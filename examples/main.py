"""The main job: synthesize the example apps, lint them, deploy them locally, summarize.

Each app of ``APPS`` is a module ``examples/<name>.py`` with a function
``build_app(outdir)`` returning a ``cdk.App``. Every app is synthesized into
``cdk.out/<name>/``, each template is checked with cfn-lint, and then the app is
deployed into the embedded AWS emulator (``cdk_batch.local``), with a job run on
each job queue. A module that sets ``INDEPENDENT_STACKS = True`` has each stack
deployed on its own; otherwise the whole app goes into one account, as
``cdk deploy --all`` would. A module that sets ``NOT_DEPLOYED_LOCALLY`` to a
reason is synthesized and linted only, and the summary gives the reason.

Exits non-zero when a template has a cfn-lint error or the local deploy fails.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cfnlint.api import ManualArgs, lint

from cdk_batch.local import LocalResult, StackResult, deploy_locally

OUTDIR = "cdk.out"

# One entry per example app: the module name under examples/.
APPS: list[str] = [
    "seed_app",
    "queues_app",
    "job_definitions_app",
    "compute_app",
    "eks_app",
    "corrected_app",
]


@dataclass
class _Totals:
    stacks: int = 0
    resources: int = 0
    lint_errors: int = 0
    results: list[LocalResult] = field(default_factory=list)


def main() -> int:
    totals = _Totals()
    for name in APPS:
        _run_app(name, totals)
    print(_summary(totals))
    failed = totals.lint_errors or not all(r.ok for r in totals.results)
    return 1 if failed else 0


def _run_app(name: str, totals: _Totals) -> None:
    module = importlib.import_module(f"examples.{name}")
    outdir = f"{OUTDIR}/{name}"
    assembly = module.build_app(outdir).synth()
    isolated = bool(getattr(module, "INDEPENDENT_STACKS", False))
    how = "each stack deployed on its own" if isolated else "deployed as one app"
    stacks = len(assembly.stacks)
    print(f"{name}: {stacks} stack{'' if stacks == 1 else 's'} synthesized into {outdir}/, {how}")
    linted = {stack.stack_name: _lint(stack.template) for stack in assembly.stacks}
    totals.stacks += len(assembly.stacks)
    totals.resources += sum(n for n, _, _ in linted.values())
    totals.lint_errors += sum(len(errors) for _, _, errors in linted.values())

    reason = getattr(module, "NOT_DEPLOYED_LOCALLY", None)
    if reason:
        for stack_name, (count, kinds, errors) in linted.items():
            status = "cfn-lint ok" if not errors else f"cfn-lint: {len(errors)} errors"
            shown = kinds or "no Batch resources"
            print(
                f"  {stack_name:<40} {_count(count, 'resource')} ({shown}); {status}; not deployed"
            )
        print(f"  not deployed locally: {reason}")
        return

    result: LocalResult | None = None

    def progress(event: str, item: Any) -> None:
        if event == "done":
            print(_stack_line(item, linted[item.stack_name]), flush=True)

    result = deploy_locally(outdir, run_jobs=True, isolate_stacks=isolated, progress=progress)
    totals.results.append(result)
    for line in result.failures:
        print(f"  FAILED {line}")


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1, right-aligned for the table."""
    return f"{n:>3} {noun}{'' if n == 1 else 's'}"


def _lint(template: dict[str, Any]) -> tuple[int, str, list[str]]:
    resources = template.get("Resources", {})
    kinds = Counter(r["Type"] for r in resources.values())
    batch_kinds = ", ".join(
        f"{n} {t.split('::')[-1]}" for t, n in sorted(kinds.items()) if "Batch" in t
    )
    errors: list[str] = []
    if resources:
        matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
        errors = [
            f"{m.rule.id} {'/'.join(map(str, m.path))}: {m.message}"
            for m in matches
            if m.rule.id.startswith("E")
        ]
    return len(resources), batch_kinds, errors


def _stack_line(stack: StackResult, linted: tuple[int, str, list[str]]) -> str:
    count, batch_kinds, errors = linted
    shown = batch_kinds or "no Batch resources"
    head = f"  {stack.stack_name:<40} {_count(count, 'resource')} ({shown})"
    if stack.status == "NO_RESOURCES":
        return f"{head}; imports only, nothing to lint or deploy"
    lint_text = "cfn-lint ok" if not errors else f"cfn-lint: {len(errors)} errors"
    deployed = {
        "CREATE_COMPLETE": f"deployed in {stack.seconds:.2f} s",
        "FAILED": "local deploy FAILED",
        "NOT_DEPLOYED": "not deployed",
    }[stack.status]
    lines = [f"{head}; {lint_text}; {deployed}"]
    lines += [f"      {e}" for e in errors]
    return "\n".join(lines)


def _summary(totals: _Totals) -> str:
    results = totals.results
    stacks = Counter(s.status for r in results for s in r.stacks)
    envs = [b for r in results for b in r.compute_environments]
    queues = [b for r in results for b in r.job_queues]
    jobs = [j for r in results for j in r.jobs]
    ran = [j for j in jobs if j.queue is not None]
    not_run = len(jobs) - len(ran)
    gaps = sum(len(r.not_checked) for r in results)
    prepared = sorted({_kind_of_fixup(f) for r in results for f in r.fixups})
    emulator = results[0].emulator if results else "moto"
    probes = sum(j.probe for j in ran)
    lines = [
        f"{len(APPS)} app(s), {totals.stacks} stacks, {totals.resources} resources; "
        f"cfn-lint: {totals.lint_errors} errors",
        f"local deploy ({emulator}):",
        f"  {stacks['CREATE_COMPLETE']} stacks created, {stacks['NO_RESOURCES']} without "
        f"resources, {stacks['FAILED'] + stacks['NOT_DEPLOYED']} failed",
        f"  {sum(b.ok for b in envs)}/{len(envs)} compute environments and "
        f"{sum(b.ok for b in queues)}/{len(queues)} job queues VALID/ENABLED",
        f"  {sum(j.status == 'SUCCEEDED' for j in ran)}/{len(ran)} jobs SUCCEEDED"
        + (f" ({probes} with a probe job definition)" if probes else "")
        + (
            f"; {not_run} job definitions not run: no queue of theirs can run them"
            if not_run
            else ""
        ),
    ]
    if prepared:
        lines.append(f"  prepared for the emulator: {'; '.join(prepared)}")
    each = " --each-stack" if any("one emulator per stack" in r.emulator for r in results) else ""
    lines.append(
        f"  {gaps} items not checked (the emulator accepts them without verifying them); "
        f"details: python -m cdk_batch.local deploy {OUTDIR}/<app> --run-jobs{each}"
    )
    return "\n".join(lines)


def _kind_of_fixup(text: str) -> str:
    if "SSM parameter" in text:
        return "bootstrap version parameter created"
    if "placeholder availability zones" in text:
        return "placeholder availability zones replaced"
    if "asset" in text:
        return "assets not built or published"
    if "deployed into account" in text:
        return "stacks deployed into their own account and region"
    return text


if __name__ == "__main__":
    sys.exit(main())
