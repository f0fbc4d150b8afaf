"""The rules of JobDefinition props.

Resource rules check the value that would be rendered: a ``vcpus`` or
``memory_limit_mib`` of 0 (or none) is the platform's default and a
``retry_attempts`` of 0 is 1, as in the template. A multi-node definition is
checked container by container, each under its ``node_props.range_props[i]``
path.

The rules of the classic keywords are in :mod:`.classic`, those of the
keywords added in 0.2.0 in :mod:`.modern`; importing the package registers
both, in that order.
"""

from __future__ import annotations

from . import classic, modern
from .classic import FARGATE_MEMORY

__all__ = ["FARGATE_MEMORY", "classic", "modern"]
