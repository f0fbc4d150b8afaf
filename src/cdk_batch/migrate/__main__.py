"""Command line of ``python -m cdk_batch.migrate``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._check import CdkBatchFailedError, CheckError, render_json, render_text, run_check
from ._rewrite import rewrite


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (0 fine, 1 unexplained differences, 2 error)."""
    parser = argparse.ArgumentParser(
        prog="python -m cdk_batch.migrate",
        description="Move an AWS CDK app from aws-cdk.aws-batch-alpha to cdk_batch.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check",
        help="synthesize the app with the alpha and with cdk_batch and compare the templates",
    )
    check.add_argument("--app", help="the app command (default: the app of cdk.json)")
    check.add_argument(
        "--context",
        "-c",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="context for the app, as with cdk synth (repeatable)",
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="CDK_OUT",
        help="compare with this cloud assembly (from before the switch) instead of "
        "synthesizing with the alpha",
    )
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--keep", type=Path, metavar="DIR", help="keep both cloud assemblies in DIR")

    rw = sub.add_parser("rewrite", help="change the alpha imports of Python files to cdk_batch")
    rw.add_argument("paths", nargs="*", type=Path, default=[Path(".")])
    rw.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")

    args = parser.parse_args(argv)
    if args.command == "rewrite":
        changes = rewrite(args.paths, dry_run=args.dry_run)
        for change in changes:
            sys.stdout.write(change.diff())
        verb = "would change" if args.dry_run else "changed"
        print(f"{verb} {len(changes)} file{'s' if len(changes) != 1 else ''}", file=sys.stderr)
        return 0

    try:
        result = run_check(
            app=args.app,
            context_pairs=args.context,
            baseline=args.baseline,
            cwd=Path.cwd(),
            keep=args.keep,
        )
    except CdkBatchFailedError as err:
        if args.json:
            print(json.dumps(err.to_json(), indent=2, sort_keys=True))
        else:
            print(str(err))
            print()
            print(err.summary())
        return 2
    except CheckError as err:
        if args.json:
            print(json.dumps(err.to_json(), indent=2, sort_keys=True))
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(render_json(result), indent=2, sort_keys=True))
    else:
        for line in render_text(result):
            print(line)
    return 1 if result.unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
