"""Rendering: what the constructs share to turn props into CloudFormation.

Values fetched once from the CDK runtime, image binding, container rendering
and the names of imported resources. Reads props and runs rules; creates no
public construct (see ``docs/architecture.md``).
"""

from .. import rules as _rules  # noqa: F401  (every rule is registered before rendering)
