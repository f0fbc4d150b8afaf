"""Corrected defaults: one context flag per correction, each off unless you set it.

cdk_batch renders the classic API exactly as aws-batch-alpha 2.62.1a0 did, so a
migrating app sees an empty ``cdk diff``. Some of those defaults break
deployments or jobs. Each correction is a context flag under the prefix
``@cdk-batch/aws-batch:``; set it to ``true`` in ``cdk.json`` (or ``-c`` on the
command line, or ``node.set_context`` on one stack before its children exist)
and the construct renders the corrected default instead::

    {"context": {"@cdk-batch/aws-batch:noEmptyTimeout": true}}

A flag changes only what happens when you pass nothing: an explicit keyword
always wins. New apps take every correction of this release at once::

    app = cdk.App(context=dict(cdk_batch.flags.CORRECTED_DEFAULTS_V1))

Existing stacks adopt them one at a time; :data:`UPDATE_POLICY` goes in a
deployment of its own. ``docs/corrected-defaults.md`` shows each flag's template
before and after, and what it does to a live stack.

Values ``true`` and ``"true"`` turn a flag on; ``false``, ``"false"`` and an absent
key leave it off. Unlike ``aws_cdk.FeatureFlags``, the string ``"false"`` (what
``cdk synth -c KEY=false`` passes) means off. Any other value is refused.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ALL",
    "ALLOCATION_STRATEGY",
    "CORRECTED_DEFAULTS_V1",
    "DEFAULT_INSTANCE_CLASS",
    "DEFAULT_TO_AL2023",
    "EXECUTION_ROLE",
    "FARGATE_SUBNETS",
    "KEEP_REVISIONS",
    "NO_EMPTY_TIMEOUT",
    "NO_INJECTED_ENV",
    "PRECISE_VPC_DEPENDENCY",
    "PREFIX",
    "SANE_MEMORY",
    "SERVICE_LINKED_ROLE",
    "SPOT_FLEET_ROLE",
    "TAGS_NO_REPLACEMENT",
    "UPDATE_POLICY",
    "flags_on_in",
    "read_value",
]

PREFIX = "@cdk-batch/aws-batch:"
"""The prefix of every cdk_batch context flag."""

SPOT_FLEET_ROLE = PREFIX + "spotFleetRole"
"""D1. A SPOT environment gets no service-linked fleet role ARN: BEST_FIT gets a new
fleet role, other strategies render no ``SpotIamFleetRole``."""

SERVICE_LINKED_ROLE = PREFIX + "serviceLinkedRole"
"""D2. An environment without ``service_role`` renders no ``ServiceRole``, so Batch uses
its service-linked role ``AWSServiceRoleForBatch``. New environments only."""

PRECISE_VPC_DEPENDENCY = PREFIX + "preciseVpcDependency"
"""D3. An environment depends on its subnets' internet connectivity, not on every
resource of the VPC."""

NO_EMPTY_TIMEOUT = PREFIX + "noEmptyTimeout"
"""D4. A job definition without ``timeout`` renders no ``Timeout`` key instead of ``{}``."""

SANE_MEMORY = PREFIX + "saneMemory"
"""D5. An EC2 job definition without ``memory_limit_mib`` gets 2048 MiB instead of 4."""

NO_INJECTED_ENV = PREFIX + "noInjectedEnv"
"""D6. Containers get no injected ``AWS_REGION`` and ``AWS_ACCOUNT`` variables."""

DEFAULT_INSTANCE_CLASS = PREFIX + "defaultInstanceClass"
"""D7. An EC2 or Spot environment without instance types renders ``default_x86_64``
instead of ``optimal``."""

ALLOCATION_STRATEGY = PREFIX + "allocationStrategy"
"""D8. The default allocation strategy is BEST_FIT_PROGRESSIVE (EC2) or
SPOT_PRICE_CAPACITY_OPTIMIZED (Spot)."""

UPDATE_POLICY = PREFIX + "updatePolicy"
"""D9. Environments that can be updated in place render
``ReplaceComputeEnvironment: false`` and an ``UpdatePolicy``. Deploy it alone."""

DEFAULT_TO_AL2023 = PREFIX + "defaultToAL2023"
"""D10. An EC2 or Spot environment without ``images`` renders an Amazon Linux 2023
image type."""

FARGATE_SUBNETS = PREFIX + "fargateSubnets"
"""D11. A Fargate environment without ``vpc_subnets`` uses subnets with egress,
never isolated ones."""

EXECUTION_ROLE = PREFIX + "executionRole"
"""D12. A Fargate job definition without ``execution_role`` gets one, granted what it
needs to pull the image and read secrets."""

KEEP_REVISIONS = PREFIX + "keepRevisions"
"""D13. Updating a job definition keeps the previous revision active."""

TAGS_NO_REPLACEMENT = PREFIX + "tagsNoReplacement"
"""D15. Tags set with ``Tags.of`` no longer force a replacement: environments pass
them to their instances, queues ignore them."""

ALL: frozenset[str] = frozenset(
    {
        SPOT_FLEET_ROLE,
        SERVICE_LINKED_ROLE,
        PRECISE_VPC_DEPENDENCY,
        NO_EMPTY_TIMEOUT,
        SANE_MEMORY,
        NO_INJECTED_ENV,
        DEFAULT_INSTANCE_CLASS,
        ALLOCATION_STRATEGY,
        UPDATE_POLICY,
        DEFAULT_TO_AL2023,
        FARGATE_SUBNETS,
        EXECUTION_ROLE,
        KEEP_REVISIONS,
        TAGS_NO_REPLACEMENT,
    }
)
"""Every flag this release knows."""

CORRECTED_DEFAULTS_V1: Mapping[str, bool] = MappingProxyType(dict.fromkeys(sorted(ALL), True))
"""Every correction of 0.2.0 turned on, for new apps.

The mapping is frozen: a later release adds a new set instead of changing this
one, so upgrading the library never turns a correction on.
"""


def read_value(value: object) -> bool | None:
    """How cdk_batch reads a flag's context value.

    ``True`` for ``true`` or ``"true"``, ``False`` for ``false`` or ``"false"``
    (strings in any case), ``None`` for anything else, which is refused.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def flags_on_in(context: Mapping[str, object]) -> list[str]:
    """The flags of this release that ``context`` turns on, sorted."""
    return sorted(k for k, v in context.items() if k in ALL and read_value(v))
