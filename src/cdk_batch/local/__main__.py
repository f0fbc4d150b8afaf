"""Command line of ``python -m cdk_batch.local``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._assembly import AssemblyError, StackArtifact
from ._render import report, stack_line


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 a failure, 2 unusable input)."""
    parser = argparse.ArgumentParser(
        prog="python -m cdk_batch.local",
        description="Deploy a synthesized CDK app into an embedded AWS emulator (no AWS account).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    deploy = sub.add_parser("deploy", help="deploy a cloud assembly's stacks and check them")
    deploy.add_argument(
        "cdk_out",
        nargs="?",
        type=Path,
        default=Path("cdk.out"),
        metavar="CDK_OUT",
        help="the cloud assembly directory (default: cdk.out)",
    )
    deploy.add_argument("--run-jobs", action="store_true", help="run a job on each queue")
    deploy.add_argument("--json", action="store_true", help="print the result as JSON")
    deploy.add_argument(
        "--stack",
        action="append",
        dest="stacks",
        metavar="ID",
        help="deploy only this stack and those it depends on (repeatable)",
    )
    deploy.add_argument(
        "--region",
        default="us-east-1",
        help="region of environment-agnostic stacks (default: us-east-1)",
    )
    deploy.add_argument(
        "--each-stack",
        action="store_true",
        help="deploy each stack (with its dependencies) into an emulator of its own",
    )
    deploy.add_argument("--resources", action="store_true", help="list every resource")
    args = parser.parse_args(argv)

    try:
        from . import deploy_locally
    except ImportError as err:  # the local extra is not installed
        print(f"error: {err}; install cdk-batch[local]", file=sys.stderr)
        return 2

    stream = sys.stderr if args.json else sys.stdout
    count = {"done": 0, "total": 0}

    def progress(event: str, item: Any) -> None:
        if event == "start" and isinstance(item, StackArtifact):
            return
        count["done"] += 1
        print(stack_line(item, count["done"], count["total"]), file=stream, flush=True)

    try:
        from ._assembly import read_stacks, synthesize

        count["total"] = len(read_stacks(synthesize(args.cdk_out)))
        if args.stacks:
            count["total"] = 0  # unknown until the dependencies are pulled in
        result = deploy_locally(
            args.cdk_out,
            stacks=args.stacks,
            region=args.region,
            run_jobs=args.run_jobs,
            isolate_stacks=args.each_stack,
            progress=progress,
        )
    except AssemblyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(result, resources=args.resources))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
