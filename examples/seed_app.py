"""The seed README examples as one CDK app, built with cdk_batch.

Run it directly (``python examples/seed_app.py``) or through the CDK CLI with
the ``cdk.json`` at the repository root; either way it writes the cloud
assembly to ``cdk.out/``. Each README example gets a stack of its own, named
after it.
"""

from __future__ import annotations

import aws_cdk as cdk

import cdk_batch as batch

try:
    from .seed_examples import EXAMPLES
except ImportError:  # run as a script: examples/ is on sys.path
    from seed_examples import EXAMPLES  # type: ignore[no-redef]


def build_app(outdir: str | None = None) -> cdk.App:
    """An app with one stack per seed example."""
    app = cdk.App(outdir=outdir)
    for name, example in EXAMPLES.items():
        example(cdk.Stack(app, name), batch)
    return app


if __name__ == "__main__":
    build_app().synth()
