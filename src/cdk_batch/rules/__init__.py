"""Every rule of the library, registered on import.

Each submodule declares the rules of one construct with
:func:`cdk_batch._validation.rule`; importing this package registers them all.
"""

from __future__ import annotations

from . import compute_environment, job_definition, job_queue

__all__ = ["compute_environment", "job_definition", "job_queue"]
