"""Compare cdk_batch with the reference (aws-batch-alpha 2.62.1a0), in one run.

For each N, runs bench/worker.py with each implementation in its own fresh
process, alternating between them, RUNS times, and prints the medians of
import, build, synth and build+synth time, peak memory (Python plus its
Node.js processes) and jsii round trips, with the ratios cdk_batch/reference.

    python bench/run.py [--sizes 10 100] [--runs 5] [-O] [--json bench/results/last.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

IMPLS = ("reference", "cdk_batch")
WORKER = Path(__file__).resolve().parent / "worker.py"


def measure(impl: str, n: int, optimize: bool) -> dict[str, float]:
    flags = ["-O"] if optimize else []
    out = subprocess.run(
        [sys.executable, *flags, str(WORKER), "--impl", impl, "--n", str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["build_synth_s"] = result["build_s"] + result["synth_s"]
    result["peak_kib"] = result["peak_python_kib"] + result["peak_node_kib"]
    return result


METRICS = (
    ("import_s", "import (s)"),
    ("build_s", "build (s)"),
    ("synth_s", "synth (s)"),
    ("build_synth_s", "build+synth (s)"),
    ("peak_kib", "peak memory (MiB)"),
    ("jsii_requests_build", "jsii round trips, build"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the medians here")
    parser.add_argument(
        "-O",
        dest="optimize",
        action="store_true",
        help="run the workers with python -O (no jsii runtime type checks)",
    )
    args = parser.parse_args()

    print(
        f"python {platform.python_version()}{' -O' if args.optimize else ''}, "
        f"{platform.machine()}, {args.runs} runs per cell"
    )
    report = {}
    for n in args.sizes:
        samples: dict[str, list[dict[str, float]]] = {impl: [] for impl in IMPLS}
        for run in range(args.runs):
            order = IMPLS if run % 2 == 0 else IMPLS[::-1]
            for impl in order:
                samples[impl].append(measure(impl, n, args.optimize))
        medians = {
            impl: {key: statistics.median(s[key] for s in samples[impl]) for key, _ in METRICS}
            for impl in IMPLS
        }
        same = {s["resources"] for impl in IMPLS for s in samples[impl]}
        print(f"\nN = {n} sets ({', '.join(map(str, sorted(same)))} resources)")
        print(f"  {'metric':<26}{'reference':>12}{'cdk_batch':>12}{'ratio':>8}")
        for key, label in METRICS:
            ref, ours = medians["reference"][key], medians["cdk_batch"][key]
            scale = 1 / 1024 if key == "peak_kib" else 1
            fmt = "{:>12.0f}" if key.startswith(("peak", "jsii")) else "{:>12.3f}"
            print(
                f"  {label:<26}"
                + fmt.format(ref * scale)
                + fmt.format(ours * scale)
                + f"{ours / ref if ref else float('nan'):>8.2f}"
            )
        report[n] = medians
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
