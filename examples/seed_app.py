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


# The examples that only import existing resources leave their stack without
# resources. CloudFormation refuses such a template, and so aws-cdk-lib's template
# validation warns (rule F0001), but cdk deploy never sends it: it skips a stack
# that has no resources. The warning is acknowledged on those stacks alone.
NO_RESOURCES = cdk.Acknowledgment(
    id="CloudFormation-Validate::F0001",
    reason="the example only imports existing resources; cdk deploy skips a stack without any",
)

# The examples are independent of each other and some reuse the README's fixed
# names (a launch template, a compute environment name), which one account
# cannot hold twice: deploy each stack on its own (see examples/main.py).
INDEPENDENT_STACKS = True


def build_app(outdir: str | None = None) -> cdk.App:
    """An app with one stack per seed example."""
    app = cdk.App(outdir=outdir)
    for name, example in EXAMPLES.items():
        stack = cdk.Stack(app, name)
        example(stack, batch)
        if not any(isinstance(c, cdk.CfnResource) for c in stack.node.find_all()):
            cdk.Validations.of(stack).acknowledge(NO_RESOURCES)
    return app


if __name__ == "__main__":
    build_app().synth()
