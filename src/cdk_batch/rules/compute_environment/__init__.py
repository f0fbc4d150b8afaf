"""The rules of ComputeEnvironment props.

Each rule checks the value that would be rendered: an unset ``type`` is
``ON_DEMAND`` and an unset (or 0) ``maxv_cpus`` is 256, as in the template.

The rules of the classic keywords are in :mod:`.classic`, those of the
keywords added in 0.2.0 in :mod:`.modern`; importing the package registers
both, in that order.
"""

from __future__ import annotations

from . import classic, modern
from .classic import fargate_default_subnet_type

__all__ = ["classic", "fargate_default_subnet_type", "modern"]
