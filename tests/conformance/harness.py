"""Build one program with the reference package and with cdk_batch, and compare.

A *program* is a function ``(stack, batch)`` that defines resources in
``stack`` using the constructs of the ``batch`` module it is given. The harness
runs it once with ``aws_cdk.aws_batch_alpha`` (the reference, 2.62.1a0) and
once with ``cdk_batch``, each in a fresh app, and compares the synthesized
templates with the library's own comparison (``cdk_batch.migrate._compare``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as reference

import cdk_batch
from cdk_batch.migrate._compare import Difference, compare_templates

Program = Callable[[cdk.Stack, ModuleType], Any]

STACK = "Stack"


def synth(
    batch: ModuleType,
    program: Program,
    *,
    env: cdk.Environment | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Synthesize ``program`` built with ``batch`` and return the stack's template."""
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir, context=context)
        stack = cdk.Stack(app, STACK, env=env)
        program(stack, batch)
        template: dict[str, Any] = app.synth().get_stack_by_name(STACK).template
        return template


def differences(program: Program, **kwargs: Any) -> list[Difference]:
    """The differences of cdk_batch's template from the reference's."""
    expected = synth(reference, program, **kwargs)
    actual = synth(cdk_batch, program, **kwargs)
    return compare_templates(expected, actual)


def assert_same_template(program: Program, **kwargs: Any) -> None:
    """Assert that both packages synthesize the same template."""
    diffs = differences(program, **kwargs)
    assert not diffs, "cdk_batch differs from the reference:\n" + "\n".join(str(d) for d in diffs)


def docker_image_assets(batch: ModuleType, program: Program) -> dict[str, Any]:
    """The Docker image assets of the stack's asset manifest, and whether each is staged."""
    import json
    from pathlib import Path

    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        program(cdk.Stack(app, STACK), batch)
        app.synth()
        manifest = json.loads((Path(outdir) / f"{STACK}.assets.json").read_text())
        images: dict[str, Any] = manifest.get("dockerImages", {})
        for entry in images.values():
            source = entry["source"]
            key = "directory" if "directory" in source else "executable"
            entry["staged"] = key != "directory" or (Path(outdir) / source[key]).is_dir()
        return images


def synth_app(batch: ModuleType, program: Callable[[cdk.App, ModuleType], Any]) -> dict[str, Any]:
    """Synthesize a program that makes its own stacks; return every stack's template."""
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        program(app, batch)
        return {s.stack_name: s.template for s in app.synth().stacks}
