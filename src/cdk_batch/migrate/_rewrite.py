"""``migrate rewrite``: change the alpha imports of Python files to cdk_batch.

Only the module names in import statements and ``aws_cdk.aws_batch_alpha``
references in code are changed (found with the ``ast`` module, so strings and
comments stay as they are): a parenthesized multi-line import stays multi-line,
with its comments, and everything else in a file is left byte for byte. The
rewrite is a text edit; it does not load aws-cdk-lib or start Node.js.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import re
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
    src = _Source(source)
    edits = sorted(_edits(tree, src), key=lambda e: (e.start, e.end), reverse=True)
    data = src.data
    for e in edits:
        a = src.offset(e.start)
        b = src.offset(e.end)
        data = data[:a] + e.text.encode() + data[b:]
    return data.decode()


def _span(node: ast.stmt | ast.expr) -> tuple[tuple[int, int], tuple[int, int]]:
    end_line = node.end_lineno
    end_col = node.end_col_offset
    assert end_line is not None and end_col is not None
    return (node.lineno, node.col_offset), (end_line, end_col)


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname else name


_DOTTED_ALPHA = re.compile(r"aws_cdk[ \t]*\.[ \t]*aws_batch_alpha")


class _Source:
    """The text of a file, addressed by ast positions (1-based lines, UTF-8 columns)."""

    def __init__(self, source: str) -> None:
        self.data = source.encode()
        # Line starts as the tokenizer counts lines (only \n, \r\n and \r end one).
        self.offsets = [0]
        self.offsets.extend(m.end() for m in re.finditer(rb"\r\n|\r|\n", self.data))

    def offset(self, pos: tuple[int, int]) -> int:
        return self.offsets[pos[0] - 1] + pos[1]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.offsets, offset)
        return line, offset - self.offsets[line - 1]

    def line_rest(self, pos: tuple[int, int]) -> str:
        """The text from ``pos`` to the end of its line, without the line break."""
        end = self.offsets[pos[0]] if pos[0] < len(self.offsets) else len(self.data)
        return self.data[self.offset(pos) : end].decode().rstrip("\r\n")

    def text(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.data[self.offset(start) : self.offset(end)].decode()


def _module_edit(src: _Source, start: tuple[int, int], end: tuple[int, int]) -> Iterator[_Edit]:
    """Replace the first ``aws_cdk.aws_batch_alpha`` between ``start`` and ``end``."""
    found = _DOTTED_ALPHA.search(src.text(start, end))
    if found is None:
        return
    base = src.offset(start)
    a = base + len(src.text(start, end)[: found.start()].encode())
    b = base + len(src.text(start, end)[: found.end()].encode())
    yield _Edit(src.position(a), src.position(b), OURS)


def _alias_span(a: ast.alias) -> tuple[tuple[int, int], tuple[int, int]]:
    end_line, end_col = a.end_lineno, a.end_col_offset
    assert end_line is not None and end_col is not None
    return (a.lineno, a.col_offset), (end_line, end_col)


def _edits(tree: ast.AST, src: _Source) -> Iterator[_Edit]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == ALPHA or a.name.startswith(ALPHA + "."):
                    yield from _module_edit(src, *_alias_span(a))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == ALPHA or node.module.startswith(ALPHA + "."):
                # Only the module name changes; the names, their layout and
                # comments stay as written.
                yield from _module_edit(src, *_span(node))
            elif node.module == "aws_cdk" and any(a.name == "aws_batch_alpha" for a in node.names):
                yield from _from_aws_cdk(node, src)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "aws_batch_alpha"
            and isinstance(node.value, ast.Name)
            and node.value.id == "aws_cdk"
        ):
            yield _Edit(*_span(node), OURS)


def _from_aws_cdk(node: ast.ImportFrom, src: _Source) -> Iterator[_Edit]:
    """``from aws_cdk import ..., aws_batch_alpha as b, ...``: drop the alias, import ours."""
    ours = [a for a in node.names if a.name == "aws_batch_alpha"]
    added = [f"import {OURS} as {a.asname or 'aws_batch_alpha'}" for a in ours]
    if len(ours) == len(node.names):
        indent = " " * node.col_offset
        yield _Edit(*_span(node), ("\n" + indent).join(added))
        return
    names = node.names
    for i, a in enumerate(names):
        if a.name != "aws_batch_alpha":
            continue
        start, end = _alias_span(a)
        alone = start[0] != node.lineno and not src.text((start[0], 0), start).strip()
        rest = src.line_rest(end)
        if alone and _ONLY_COMMA_AND_COMMENT.match(rest):
            # The name has a line of its own: remove the line, comment included.
            yield _Edit((start[0], 0), (start[0] + 1, 0), "")
        elif i + 1 < len(names):
            yield _Edit(start, _alias_span(names[i + 1])[0], "")
        else:
            yield _Edit(_alias_span(names[i - 1])[1], end, "")
    stmt_end = _span(node)[1]
    if _ONLY_COMMENT.match(src.line_rest(stmt_end)):
        # After a trailing comment of the statement, not between the two.
        stmt_end = (stmt_end[0], stmt_end[1] + len(src.line_rest(stmt_end).encode()))
    indent = " " * node.col_offset
    yield _Edit(stmt_end, stmt_end, "".join("\n" + indent + t for t in added))


_ONLY_COMMA_AND_COMMENT = re.compile(r"[ \t]*,?[ \t]*(#.*)?$")
_ONLY_COMMENT = re.compile(r"[ \t]*(#.*)?$")


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
