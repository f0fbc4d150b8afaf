"""``migrate rewrite``: change the alpha imports of Python files to cdk_batch.

Only import statements and ``aws_cdk.aws_batch_alpha`` references in code are
changed (found with the ``ast`` module, so strings and comments stay as they
are); everything else in a file is left byte for byte.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ALPHA = "aws_cdk.aws_batch_alpha"
OURS = "cdk_batch"


@dataclass(frozen=True)
class _Edit:
    start: tuple[int, int]  # (line, column), 1-based lines as ast gives them
    end: tuple[int, int]
    text: str


def rewrite_source(source: str) -> str:
    """``source`` with its alpha imports and references pointing at cdk_batch."""
    tree = ast.parse(source)
    edits = sorted(_edits(tree), key=lambda e: e.start, reverse=True)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()))
    data = source.encode()
    for e in edits:
        a = offsets[e.start[0] - 1] + e.start[1]
        b = offsets[e.end[0] - 1] + e.end[1]
        data = data[:a] + e.text.encode() + data[b:]
    return data.decode()


def _span(node: ast.stmt | ast.expr) -> tuple[tuple[int, int], tuple[int, int]]:
    end_line = node.end_lineno
    end_col = node.end_col_offset
    assert end_line is not None and end_col is not None
    return (node.lineno, node.col_offset), (end_line, end_col)


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname else name


def _edits(tree: ast.AST) -> Iterator[_Edit]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(a.name == ALPHA or a.name.startswith(ALPHA + ".") for a in node.names):
                names = [
                    _alias(OURS + a.name[len(ALPHA) :], a.asname)
                    if a.name == ALPHA or a.name.startswith(ALPHA + ".")
                    else _alias(a.name, a.asname)
                    for a in node.names
                ]
                yield _Edit(*_span(node), "import " + ", ".join(names))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == ALPHA or node.module.startswith(ALPHA + "."):
                module = OURS + node.module[len(ALPHA) :]
                listed = ", ".join(_alias(a.name, a.asname) for a in node.names)
                yield _Edit(*_span(node), f"from {module} import {listed}")
            elif node.module == "aws_cdk" and any(a.name == "aws_batch_alpha" for a in node.names):
                rest = [a for a in node.names if a.name != "aws_batch_alpha"]
                ours = [a for a in node.names if a.name == "aws_batch_alpha"]
                parts = [f"import {OURS} as {a.asname or 'aws_batch_alpha'}" for a in ours]
                if rest:
                    kept = ", ".join(_alias(a.name, a.asname) for a in rest)
                    parts.insert(0, f"from aws_cdk import {kept}")
                indent = " " * node.col_offset
                yield _Edit(*_span(node), ("\n" + indent).join(parts))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "aws_batch_alpha"
            and isinstance(node.value, ast.Name)
            and node.value.id == "aws_cdk"
        ):
            yield _Edit(*_span(node), OURS)


@dataclass(frozen=True)
class FileChange:
    """One rewritten file."""

    path: Path
    before: str
    after: str

    def diff(self) -> str:
        """A unified diff of the change."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The ``.py`` files of ``paths`` (folders are searched, skipping virtualenvs and cdk.out)."""
    skip = {".venv", "venv", "cdk.out", "node_modules", ".git", "__pycache__", ".tox"}
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if not skip.intersection(found.relative_to(path).parts):
                    yield found
        elif path.suffix == ".py":
            yield path


def rewrite(paths: Iterable[Path], *, dry_run: bool) -> list[FileChange]:
    """Rewrite the alpha imports of every Python file under ``paths``."""
    changes = []
    for path in python_files(paths):
        before = path.read_text()
        if "aws_batch_alpha" not in before:
            continue
        after = rewrite_source(before)
        if after != before:
            changes.append(FileChange(path, before, after))
            if not dry_run:
                path.write_text(after)
    return changes
