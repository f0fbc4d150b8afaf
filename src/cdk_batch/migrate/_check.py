"""``migrate check``: synthesize an app with the alpha and with cdk_batch, and compare.

The app runs twice, unchanged, each time into a cloud assembly of its own: once
as it is (with ``aws_cdk.aws_batch_alpha``), once with every import of the
alpha served by ``cdk_batch`` (a ``sitecustomize`` hook on PYTHONPATH; no file
of the app is edited). Instead of the first run, an existing cloud assembly
from before the switch can serve as the baseline.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..flags import PREFIX, flags_on_in
from ._compare import Difference, compare_templates
from ._explain import CORRECTED_DEFAULTS, Explanation, explain

HOOK = Path(__file__).resolve().parent / "_hook"
ALPHA_MISSING = "No module named 'aws_cdk.aws_batch_alpha'"

INSTALL_HINT = """\
The reference package aws-cdk.aws-batch-alpha is not installed where the app runs.
Either install it in a throwaway environment and run the check there:

    python -m venv /tmp/alpha-check
    /tmp/alpha-check/bin/pip install aws-cdk.aws-batch-alpha==2.62.1a0 \\
        /path/to/cdk-batch -r requirements.txt
    /tmp/alpha-check/bin/python -m cdk_batch.migrate check

(/path/to/cdk-batch is a clone of cdk-batch or a wheel built from one; once
cdk-batch is published on PyPI, "cdk-batch" replaces the path.)

or compare against a cloud assembly synthesized before the switch:

    python -m cdk_batch.migrate check --baseline path/to/old/cdk.out
"""


MARKER_ENV = "CDK_BATCH_MIGRATE_MARKER"
"""The hook writes this file when the app imports the alpha (served by cdk_batch)."""

REPORT_ASK = (
    "This is a bug in cdk_batch: please report it with the program that produced it "
    "(the README's section 'Reporting a bug' says where)."
)


class CheckError(Exception):
    """The check could not run (no app, a failed synthesis, a bad baseline)."""

    def to_json(self) -> dict[str, Any]:
        """The failure as a JSON-ready dict."""
        return {"error": "check-failed", "message": str(self)}


class CdkBatchFailedError(CheckError):
    """The app synthesized with the alpha (or a baseline exists) but not with cdk_batch."""

    def __init__(self, exit_code: int, stderr: str, *, baseline: bool) -> None:
        self.exit_code = exit_code
        self.stderr = stderr
        self.baseline = baseline
        self.error = error_text(stderr)
        before = (
            "The baseline cloud assembly exists" if baseline else "The alpha synthesized the app"
        )
        super().__init__(
            f"{before}, and cdk_batch did not (exit {exit_code}). {REPORT_ASK}\n\n{self.error}"
        )

    def to_json(self) -> dict[str, Any]:
        """The failure as a JSON-ready dict."""
        return {
            "error": "cdk-batch-failed",
            "message": str(self).split("\n", 1)[0],
            "alphaSynthesized": not self.baseline,
            "exitCode": self.exit_code,
            "output": self.error,
            "stacks": [],
            "differences": 0,
            "unexplained": 1,
        }

    def summary(self) -> str:
        """The summary line that ends the text output."""
        return "0 stacks compared, 0 differences, 1 unexplained (cdk_batch failed on the app)"


def error_text(stderr: str, limit: int = 200) -> str:
    """The error in ``stderr`` from its first line: the last traceback, or all of it.

    Whole lines only; a very long error keeps its first and last lines.
    """
    lines = stderr.rstrip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent")]
    if starts:
        lines = lines[starts[-1] :]
    if len(lines) > limit:
        half = limit // 2
        lines = [*lines[:half], f"... ({len(lines) - limit} lines left out) ...", *lines[-half:]]
    return "\n".join(lines)


@dataclass
class StackResult:
    """The comparison of one stack."""

    name: str
    status: str  # "same", "different", "added", "removed"
    differences: list[tuple[Difference, Explanation | None]] = field(default_factory=list)

    @property
    def unexplained(self) -> int:
        """How many differences no documented entry explains."""
        return sum(1 for _, e in self.differences if e is None)


@dataclass
class CheckResult:
    """The comparison of a whole app."""

    stacks: list[StackResult]
    compared: bool = True
    """False when the app never imported the alpha, so nothing was compared."""
    flags_on: list[str] = field(default_factory=list)
    """The cdk_batch corrected-defaults flags the app's context turns on."""

    @property
    def unexplained(self) -> int:
        """How many differences in all no documented entry explains."""
        return sum(
            s.unexplained + (1 if s.status in ("added", "removed") else 0) for s in self.stacks
        )

    @property
    def differences(self) -> int:
        """How many differences in all."""
        return sum(len(s.differences) for s in self.stacks)


def app_command(app: str | None, cwd: Path) -> str:
    """The app command: the one given, or the ``app`` of ``cdk.json``."""
    if app:
        return app
    cdk_json = cwd / "cdk.json"
    if cdk_json.is_file():
        found = json.loads(cdk_json.read_text()).get("app")
        if isinstance(found, str) and found:
            return found
    raise CheckError('no app: pass --app "python app.py" or run where cdk.json names one')


def app_context(cwd: Path, pairs: list[str]) -> dict[str, Any]:
    """The context the CDK CLI would give the app: cdk.json, cdk.context.json, then --context."""
    context: dict[str, Any] = {}
    for name, key in (("cdk.json", "context"), ("cdk.context.json", None)):
        path = cwd / name
        if path.is_file():
            data = json.loads(path.read_text())
            context.update(data.get(key, {}) if key else data)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CheckError(f"--context takes KEY=VALUE, got {pair!r}")
        context[key] = value
    return context


def synthesize(
    command: str,
    outdir: Path,
    context: Mapping[str, Any],
    *,
    with_cdk_batch: bool,
    cwd: Path,
    baseline: bool = False,
) -> bool:
    """Run the app once into ``outdir``.

    Returns whether the app imported the alpha (always True without cdk_batch).
    """
    env = dict(os.environ)
    env["CDK_OUTDIR"] = str(outdir)
    env["CDK_CONTEXT_JSON"] = json.dumps(dict(context))
    env.pop(MARKER_ENV, None)
    if with_cdk_batch:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HOOK), env.get("PYTHONPATH")) if p)
        env[MARKER_ENV] = str(outdir.parent / f"{outdir.name}.imported-alpha")
    argv = shlex.split(command)
    if argv and argv[0] in ("python", "python3"):
        # Run the app with the interpreter of the check, where cdk_batch is.
        argv[0] = sys.executable
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        if not with_cdk_batch and ALPHA_MISSING in done.stderr:
            raise CheckError(INSTALL_HINT)
        if with_cdk_batch:
            raise CdkBatchFailedError(done.returncode, done.stderr, baseline=baseline)
        which = "the alpha"
        raise CheckError(
            f"synthesizing with {which} failed (exit {done.returncode}):\n{done.stderr[-4000:]}"
        )
    if not (outdir / "manifest.json").is_file():
        raise CheckError(f"the app wrote no cloud assembly to {outdir} (does it call app.synth()?)")
    if not with_cdk_batch:
        return True
    return Path(env[MARKER_ENV]).is_file()


def stack_templates(assembly: Path) -> dict[str, dict[str, Any]]:
    """The templates of every stack in a cloud assembly, nested assemblies included.

    Keys are stack names, prefixed with the nested assembly's path when there is one.
    """
    manifest_path = assembly / "manifest.json"
    if not manifest_path.is_file():
        raise CheckError(f"{assembly} is not a cloud assembly (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    found: dict[str, dict[str, Any]] = {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        kind = artifact.get("type")
        props = artifact.get("properties", {})
        if kind == "aws:cloudformation:stack":
            name = props.get("stackName") or artifact.get("displayName") or artifact_id
            found[name] = json.loads((assembly / props["templateFile"]).read_text())
        elif kind == "cdk:cloud-assembly":
            nested = stack_templates(assembly / props["directoryName"])
            found.update({f"{artifact_id}/{k}": v for k, v in nested.items()})
    return found


def compare_assemblies(
    baseline: Path, candidate: Path, flags_off: Path | None = None
) -> CheckResult:
    """Compare every stack of two cloud assemblies.

    ``flags_off`` is the candidate synthesized with the app's corrected-defaults
    flags off: a difference that is not there is explained by a flag.
    """
    before = stack_templates(baseline)
    after = stack_templates(candidate)
    plain = stack_templates(flags_off) if flags_off is not None else {}
    stacks: list[StackResult] = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            stacks.append(StackResult(name, "removed"))
        elif name not in before:
            stacks.append(StackResult(name, "added"))
        else:
            flagged = (
                {_where(d) for d in compare_templates(plain[name], after[name])}
                if name in plain
                else set()
            )
            diffs = [
                (d, explain(d) or (CORRECTED_DEFAULTS if _where(d) in flagged else None))
                for d in compare_templates(before[name], after[name])
            ]
            stacks.append(StackResult(name, "different" if diffs else "same", diffs))
    return CheckResult(stacks)


def _where(d: Difference) -> tuple[str, str, str]:
    return (d.section, d.logical_id, d.path)


def run_check(
    *,
    app: str | None,
    context_pairs: list[str],
    baseline: Path | None,
    cwd: Path,
    keep: Path | None = None,
) -> CheckResult:
    """Synthesize the app (twice, or once against ``baseline``) and compare."""
    command = app_command(app, cwd)
    context = app_context(cwd, context_pairs)
    with tempfile.TemporaryDirectory(prefix="cdk-batch-migrate-") as tmp:
        root = keep or Path(tmp)
        alpha_out = root / "alpha.out"
        ours_out = root / "cdk_batch.out"
        given = baseline is not None
        if baseline is None:
            synthesize(command, alpha_out, context, with_cdk_batch=False, cwd=cwd)
            baseline = alpha_out
        imported = synthesize(
            command, ours_out, context, with_cdk_batch=True, cwd=cwd, baseline=given
        )
        if not imported:
            return CheckResult([], compared=False)
        on = flags_on_in(context)
        if not on:
            return compare_assemblies(baseline, ours_out)
        # The flags are meant to change the templates: synthesize once more with
        # them off, so that what they change is told apart from the switch.
        plain_out = root / "cdk_batch-flags-off.out"
        plain = {k: v for k, v in context.items() if not k.startswith(PREFIX)}
        synthesize(command, plain_out, plain, with_cdk_batch=True, cwd=cwd, baseline=given)
        result = compare_assemblies(baseline, ours_out, flags_off=plain_out)
        result.flags_on = on
        return result


# --- output ----------------------------------------------------------------------


def render_text(result: CheckResult) -> Iterator[str]:
    """The result as ``cdk diff`` style lines."""
    if not result.compared:
        yield (
            "The app never imported aws_cdk.aws_batch_alpha, so nothing was compared "
            "(its imports are already rewritten, or it is not an app of the alpha)."
        )
        yield ""
        yield "0 stacks compared, 0 differences, 0 unexplained"
        return
    if result.flags_on:
        yield (
            f"Corrected-defaults flags on in the context: {', '.join(result.flags_on)}. "
            "What they change is explained by docs/corrected-defaults.md."
        )
        yield ""
    for s in result.stacks:
        yield f"Stack {s.name}"
        if s.status == "same":
            yield "  no differences"
            continue
        if s.status in ("added", "removed"):
            yield f"  only with {'cdk_batch' if s.status == 'added' else 'the alpha'}: unexplained"
            continue
        by_resource: dict[tuple[str, str], list[tuple[Difference, Explanation | None]]] = {}
        for d, e in s.differences:
            by_resource.setdefault((d.section, d.logical_id), []).append((d, e))
        for (section, logical_id), items in by_resource.items():
            rtype = items[0][0].resource_type or section
            marks = {d.kind for d, _ in items}
            mark = (
                "[+]"
                if marks == {"added"} and not items[0][0].path
                else ("[-]" if marks == {"removed"} and not items[0][0].path else "[~]")
            )
            yield f"  {mark} {rtype} {logical_id}"
            for d, e in items:
                why = f"explained: {e.link}" if e else "UNEXPLAINED"
                yield f"      {_line(d)}  ({why})"
    total = result.differences
    bad = result.unexplained
    yield ""
    changed = sum(1 for s in result.stacks if s.status != "same")
    yield (
        f"{_count(len(result.stacks), 'stack')}, {changed} with differences, "
        f"{_count(total, 'difference')}, {bad} unexplained"
    )
    if bad:
        yield f"An unexplained difference is a bug in cdk_batch: {REPORT_ASK.split(': ', 1)[1]}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _line(d: Difference) -> str:
    where = d.path or "(whole entry)"
    if d.kind == "added":
        return f"+ {where}: {_short(d.actual)}"
    if d.kind == "removed":
        return f"- {where}: {_short(d.expected)}"
    return f"~ {where}: {_short(d.expected)} -> {_short(d.actual)}"


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_json(result: CheckResult) -> dict[str, Any]:
    """The result as a JSON-ready dict."""
    return {
        "compared": result.compared,
        "stacks": [
            {
                "name": s.name,
                "status": s.status,
                "differences": [
                    {
                        "kind": d.kind,
                        "section": d.section,
                        "logicalId": d.logical_id,
                        "resourceType": d.resource_type,
                        "path": d.path,
                        "expected": d.expected,
                        "actual": d.actual,
                        "explanation": e.link if e else None,
                    }
                    for d, e in s.differences
                ],
            }
            for s in result.stacks
        ],
        "differences": result.differences,
        "unexplained": result.unexplained,
        "flagsOn": result.flags_on,
    }
