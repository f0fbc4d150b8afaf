"""cfn-lint, run on a template in memory."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.api import ManualArgs, lint

_CONFIG = ManualArgs(regions=["us-east-1"])


def cfn_lint_errors(template: dict[str, Any]) -> list[str]:
    """The cfn-lint errors (not warnings or informational matches) of ``template``."""
    matches = lint(json.dumps(template), config=_CONFIG)
    return [
        f"{m.rule.id} {'/'.join(str(p) for p in m.path)}: {m.message}"
        for m in matches
        if m.rule.id.startswith("E")
    ]
