"""python -m cdk_batch.migrate rewrite."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cdk_batch.migrate import rewrite_source


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import aws_cdk.aws_batch_alpha as batch\n", "import cdk_batch as batch\n"),
        (
            "from aws_cdk.aws_batch_alpha import JobQueue, ComputeEnvironment as CE\n",
            "from cdk_batch import JobQueue, ComputeEnvironment as CE\n",
        ),
        ("from aws_cdk import aws_batch_alpha as batch\n", "import cdk_batch as batch\n"),
        ("from aws_cdk import aws_batch_alpha\n", "import cdk_batch as aws_batch_alpha\n"),
        (
            "from aws_cdk import aws_ec2 as ec2, aws_batch_alpha as batch, Stack\n",
            "from aws_cdk import aws_ec2 as ec2, Stack\nimport cdk_batch as batch\n",
        ),
        (
            "import aws_cdk.aws_batch_alpha\nq = aws_cdk.aws_batch_alpha.JobQueue\n",
            "import cdk_batch\nq = cdk_batch.JobQueue\n",
        ),
        (
            "import os, aws_cdk.aws_batch_alpha as b\n",
            "import os, cdk_batch as b\n",
        ),
    ],
)
def test_import_forms(before: str, after: str) -> None:
    assert rewrite_source(before) == after


def test_everything_else_is_left_alone() -> None:
    source = textwrap.dedent(
        """\
        # uses aws_cdk.aws_batch_alpha (this comment stays)
        import aws_cdk as cdk
        import aws_cdk.aws_batch_alpha as batch  # trailing comment

        NOTE = "import aws_cdk.aws_batch_alpha as batch"
        def build(app):
            if True:
                from aws_cdk.aws_batch_alpha import JobQueue
            return batch.JobQueue  # é ünïcode
        """
    )
    assert rewrite_source(source) == source.replace(
        "import aws_cdk.aws_batch_alpha as batch  #", "import cdk_batch as batch  #"
    ).replace("from aws_cdk.aws_batch_alpha import JobQueue", "from cdk_batch import JobQueue")


def test_command_rewrites_in_place_and_dry_run_changes_nothing(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("import aws_cdk.aws_batch_alpha as batch\n")
    (tmp_path / "other.py").write_text("import os\n")
    venv = tmp_path / ".venv" / "lib.py"
    venv.parent.mkdir()
    venv.write_text("import aws_cdk.aws_batch_alpha\n")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cdk_batch.migrate", "rewrite", *args, str(tmp_path)],
            capture_output=True,
            text=True,
        )

    dry = run("--dry-run")
    assert "-import aws_cdk.aws_batch_alpha as batch" in dry.stdout
    assert "+import cdk_batch as batch" in dry.stdout
    assert "would change 1 file" in dry.stderr
    assert app.read_text() == "import aws_cdk.aws_batch_alpha as batch\n"

    done = run()
    assert done.returncode == 0
    assert app.read_text() == "import cdk_batch as batch\n"
    assert venv.read_text() == "import aws_cdk.aws_batch_alpha\n"


FORMATTED = [
    # A parenthesized import keeps its layout and the comments of the other names.
    (
        """\
from aws_cdk import (
    Stack,  # the stack
    aws_batch_alpha as batch,  # the alpha
    aws_ec2 as ec2,
)  # trailing
x = 1
""",
        """\
from aws_cdk import (
    Stack,  # the stack
    aws_ec2 as ec2,
)  # trailing
import cdk_batch as batch
x = 1
""",
    ),
    # The alpha as the last name, with and without a trailing comma.
    (
        "from aws_cdk import (\n    Stack,\n    aws_batch_alpha as batch,\n)\n",
        "from aws_cdk import (\n    Stack,\n)\nimport cdk_batch as batch\n",
    ),
    (
        "from aws_cdk import (Stack,\n                     aws_batch_alpha as batch)\n",
        "from aws_cdk import (Stack)\nimport cdk_batch as batch\n",
    ),
    # The module of a multi-line from-import changes; the names stay as written.
    (
        """\
from aws_cdk.aws_batch_alpha import (
    # queues
    JobQueue,
    JobQueueComputeEnvironment as JQCE,  # short
)
""",
        """\
from cdk_batch import (
    # queues
    JobQueue,
    JobQueueComputeEnvironment as JQCE,  # short
)
""",
    ),
    # Backslash continuations and odd spacing are kept.
    (
        "import aws_cdk.aws_batch_alpha \\\n    as batch\n",
        "import cdk_batch \\\n    as batch\n",
    ),
    (
        "if True:\n    from aws_cdk import aws_ec2, aws_batch_alpha as b  # x\n    pass\n",
        "if True:\n    from aws_cdk import aws_ec2  # x\n    import cdk_batch as b\n    pass\n",
    ),
    # CRLF line endings survive.
    (
        "import aws_cdk.aws_batch_alpha as batch\r\nq = batch.JobQueue\r\n",
        "import cdk_batch as batch\r\nq = batch.JobQueue\r\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), FORMATTED)
def test_formatted_files_round_trip(before: str, after: str) -> None:
    assert rewrite_source(before) == after
    # The rewritten file is still Python and needs no second pass.
    assert rewrite_source(after) == after


def test_rewrite_does_not_load_the_cdk(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import aws_cdk.aws_batch_alpha as batch\n")
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['cdk_batch.migrate', 'rewrite', {str(tmp_path)!r}]\n"
        "try:\n    runpy.run_module('cdk_batch.migrate', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "app.py").read_text() == "import cdk_batch as batch\n"
