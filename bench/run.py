"""Compare cdk_batch with the reference (aws-batch-alpha 2.62.1a0), in one run.

For each N and each setting of aws-cdk-lib's template validation (off, on),
runs bench/worker.py for every implementation in its own fresh process,
interleaved (the order rotates from one repetition to the next), RUNS times.
It prints medians with their spread (lowest..highest) and the ratio of each
implementation to the reference for:

- import, build, synth and build+synth time inside the process;
- end to end: the wall time of the whole fresh process (interpreter start,
  import, build, ``app.synth()``, exit), as a user's ``cdk synth`` feels it;
- CPU time of the Python process and of its Node.js process;
- peak memory (Python plus Node.js) and jsii round trips during the build,
  in all and per construct kind.

The implementations are the reference, cdk_batch, and aws-cdk-lib's stable
``aws_cdk.aws_batch`` on the nearest equivalent program (a peer row).

Before measuring, the bytecode of cdk_batch is written (``compileall``), as
pip does when it installs a wheel: the reference and aws-cdk-lib come with
theirs, and an editable install run with ``PYTHONDONTWRITEBYTECODE=1`` would
otherwise compile every module of cdk_batch from source in every process.

    python bench/run.py [--sizes 10 100] [--runs 7] [--validation off on] [--json FILE]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

IMPLS = ("reference", "cdk_batch", "stable")
WORKER = Path(__file__).resolve().parent / "worker.py"

METRICS = (
    ("import_s", "import (s)"),
    ("build_s", "build (s)"),
    ("synth_s", "synth (s)"),
    ("build_synth_s", "build+synth (s)"),
    ("end_to_end_s", "end to end (s)"),
    ("cpu_python_s", "CPU, Python (s)"),
    ("cpu_node_s", "CPU, Node.js (s)"),
    ("peak_mib", "peak memory (MiB)"),
    ("jsii_requests_build", "jsii round trips, build"),
)


def measure(impl: str, n: int, validation: str) -> dict[str, Any]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(WORKER), "--impl", impl, "--n", str(n), "--validation", validation],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - start
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["end_to_end_s"] = wall
    result["build_synth_s"] = result["build_s"] + result["synth_s"]
    result["peak_mib"] = (result["peak_python_kib"] + result["peak_node_kib"]) / 1024
    return result


def compile_package() -> None:
    """Write the bytecode of cdk_batch next to its sources, as installing the wheel does."""
    spec = importlib.util.find_spec("cdk_batch")
    if spec is None or spec.origin is None:
        raise SystemExit("cdk_batch is not installed (run make setup)")
    if not compileall.compile_dir(Path(spec.origin).parent, quiet=1):
        raise SystemExit("cdk_batch does not compile")


def summarize(samples: list[dict[str, Any]], key: str) -> tuple[float, float, float]:
    values = [s[key] for s in samples]
    return statistics.median(values), min(values), max(values)


def print_cell(n: int, validation: str, samples: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    resources = sorted({s["resources"] for impl in IMPLS for s in samples[impl]})
    print(
        f"\nN = {n} sets, template validation {validation} "
        f"({' / '.join(map(str, resources))} resources)"
    )
    print(f"  {'metric':<26}" + "".join(f"{impl:>24}" for impl in IMPLS) + "  ratios to reference")
    cell: dict[str, Any] = {}
    for key, label in METRICS:
        row = f"  {label:<26}"
        medians = {}
        for impl in IMPLS:
            med, low, high = summarize(samples[impl], key)
            medians[impl] = med
            digits = 0 if key.startswith(("peak", "jsii")) else 3
            row += f"{med:>10.{digits}f} ({low:.{digits}f}..{high:.{digits}f})".rjust(24)
        ref = medians["reference"]
        ratios = {impl: medians[impl] / ref if ref else float("nan") for impl in IMPLS[1:]}
        row += "  " + "  ".join(f"{impl} {r:.2f}" for impl, r in ratios.items())
        print(row)
        cell[key] = {"median": medians, "ratio": ratios}
    kinds = samples["cdk_batch"][0]["jsii_requests_per_construct"]
    print("  jsii round trips per construct (build):")
    per_kind: dict[str, dict[str, float]] = {}
    for kind in kinds:
        per_kind[kind] = {
            impl: statistics.median(s["jsii_requests_per_construct"][kind] for s in samples[impl])
            for impl in IMPLS
        }
        print(f"    {kind:<24}" + "".join(f"{per_kind[kind][impl]:>24.1f}" for impl in IMPLS))
    cell["jsii_requests_per_construct"] = per_kind
    return cell


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--validation", nargs="+", choices=("off", "on"), default=["off", "on"])
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    impls = IMPLS
    compile_package()

    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"python {platform.python_version()}, node {node}, {platform.machine()}, "
        f"aws-cdk-lib {version('aws-cdk-lib')}, jsii {version('jsii')}, "
        f"{args.runs} runs per cell, interleaved"
    )
    report: dict[str, Any] = {}
    for n in args.sizes:
        for validation in args.validation:
            samples: dict[str, list[dict[str, Any]]] = {impl: [] for impl in impls}
            for run in range(args.runs):
                shift = run % len(impls)
                for impl in impls[shift:] + impls[:shift]:
                    samples[impl].append(measure(impl, n, validation))
            report[f"{n}/{validation}"] = print_cell(n, validation, samples)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
