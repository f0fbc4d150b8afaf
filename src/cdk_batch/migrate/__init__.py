"""Tools for moving an app from aws-batch-alpha to cdk_batch.

``python -m cdk_batch.migrate check`` shows what switching the import changes
in an app's templates; ``python -m cdk_batch.migrate rewrite`` switches the
imports. See ``python -m cdk_batch.migrate --help``.
"""

from ._check import CheckError, CheckResult, compare_assemblies, run_check
from ._rewrite import rewrite, rewrite_source

__all__ = [
    "CheckError",
    "CheckResult",
    "compare_assemblies",
    "rewrite",
    "rewrite_source",
    "run_check",
]
