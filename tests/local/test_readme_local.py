"""The README's quickstart app deploys locally and runs its job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cdk_batch.local import deploy_locally
from tests.test_readme import quickstart


def test_quickstart_deploys_and_runs_a_job(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(quickstart())
    env = dict(os.environ, CDK_OUTDIR=str(tmp_path / "out"))
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    result = deploy_locally(tmp_path / "out", run_jobs=True)

    assert result.ok, result.failures
    assert [(c.detail, c.status, c.state) for c in result.compute_environments] == [
        ("MANAGED SPOT", "VALID", "ENABLED")
    ]
    assert [j.status for j in result.jobs] == ["SUCCEEDED"]
    assert not result.jobs[0].probe
