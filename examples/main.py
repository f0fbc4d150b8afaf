"""The main job: synthesize the seed app into cdk.out/, lint it, summarize it.

Exits non-zero when a template has a cfn-lint error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from cfnlint.api import ManualArgs, lint

from .seed_app import build_app

OUTDIR = "cdk.out"


def main() -> int:
    assembly = build_app(OUTDIR).synth()
    failures = 0
    total = 0
    print(f"Synthesized {len(assembly.stacks)} stacks into {OUTDIR}/")
    for stack in assembly.stacks:
        template = stack.template
        resources = template.get("Resources", {})
        total += len(resources)
        kinds = Counter(r["Type"] for r in resources.values())
        batch_kinds = ", ".join(
            f"{n} {t.split('::')[-1]}" for t, n in sorted(kinds.items()) if "Batch" in t
        )
        errors = []
        if resources:
            matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
            errors = [m for m in matches if m.rule.id.startswith("E")]
        failures += len(errors)
        if not resources:
            status = "imports only, nothing to deploy"
        else:
            status = "cfn-lint ok" if not errors else f"cfn-lint: {len(errors)} errors"
        print(
            f"  {stack.stack_name:<40} {len(resources):>3} resources"
            f" ({batch_kinds or 'no Batch resources'}); {status}"
        )
        for m in errors:
            print(f"      {m.rule.id} {'/'.join(map(str, m.path))}: {m.message}")
    print(f"{total} resources in all; {failures} cfn-lint errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
