"""Deploy a synthesized CDK app into an embedded AWS emulator, without an AWS account.

``deploy_locally(app)`` reads the app's cloud assembly, creates its stacks in
dependency order in moto (in process, Batch without Docker), reads back the
state of every compute environment and job queue, and on request runs a job on
each queue. It is a fast structural check: templates parse, references and
cross-stack imports resolve, and the emulator's basic Batch checks pass. What
the emulator accepts without checking is reported as "not checked", never as
passing. See ``docs/local.md``.

Needs the ``local`` extra: ``pip install cdk-batch[local]``. The command line is
``python -m cdk_batch.local deploy [CDK_OUT]``; the pytest fixture is
``local_aws`` (see :mod:`cdk_batch.local.pytest_plugin`).

.. versionadded:: 0.2.0
"""

from ._assembly import AssemblyError
from ._deploy import deploy_locally
from ._emulator import LocalAws
from ._result import (
    BatchState,
    JobResult,
    LocalResult,
    NotChecked,
    ResourceResult,
    StackResult,
)

__all__ = [
    "deploy_locally",
    "LocalAws",
    "LocalResult",
    "StackResult",
    "ResourceResult",
    "BatchState",
    "JobResult",
    "NotChecked",
    "AssemblyError",
]
