"""AWS CDK v2 constructs for AWS Batch, with the API of aws-batch-alpha 2.62.

Change ``import aws_cdk.aws_batch_alpha as batch`` to ``import cdk_batch as
batch`` and keep the rest of the program: it synthesizes the same templates on
current aws-cdk-lib.

The names below are loaded on first use (PEP 562), so ``import cdk_batch`` and
the tools under it (``python -m cdk_batch.migrate rewrite``) do not start the
CDK's Node.js runtime until a construct or struct is asked for. To add a public
name: list it in ``_SOURCES`` under its module, import it in the
``TYPE_CHECKING`` block (for type checkers and editors), and add it to
``__all__``; a test checks that the three agree.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compute_environment import (
        AllocationStrategy,
        ComputeEnvironment,
        ComputeEnvironmentProps,
        ComputeResources,
        ComputeResourceType,
        IComputeEnvironment,
        LaunchTemplateSpecification,
    )
    from .errors import BatchError, BatchValidationError, Problem, UnsupportedOperationError
    from .exposed_secret import ExposedSecret
    from .job_definition import (
        IJobDefinition,
        IMultiNodeProps,
        INodeRangeProps,
        JobDefinition,
        JobDefinitionContainer,
        JobDefinitionProps,
        LogConfiguration,
        LogDriver,
        MultiNodeProps,
        NodeRangeProps,
        PlatformCapabilities,
    )
    from .job_queue import IJobQueue, JobQueue, JobQueueComputeEnvironment, JobQueueProps

_SOURCES: dict[str, tuple[str, ...]] = {
    "compute_environment": (
        "AllocationStrategy",
        "ComputeEnvironment",
        "ComputeEnvironmentProps",
        "ComputeResourceType",
        "ComputeResources",
        "IComputeEnvironment",
        "LaunchTemplateSpecification",
    ),
    "job_queue": ("IJobQueue", "JobQueue", "JobQueueComputeEnvironment", "JobQueueProps"),
    "exposed_secret": ("ExposedSecret",),
    "job_definition": (
        "IJobDefinition",
        "IMultiNodeProps",
        "INodeRangeProps",
        "JobDefinition",
        "JobDefinitionContainer",
        "JobDefinitionProps",
        "LogConfiguration",
        "LogDriver",
        "MultiNodeProps",
        "NodeRangeProps",
        "PlatformCapabilities",
    ),
    "errors": ("BatchError", "BatchValidationError", "Problem", "UnsupportedOperationError"),
}
"""Where each public name lives: module (relative to this package) -> names."""

__all__ = [
    # compute environments
    "AllocationStrategy",
    "ComputeEnvironment",
    "ComputeEnvironmentProps",
    "ComputeResourceType",
    "ComputeResources",
    "IComputeEnvironment",
    "LaunchTemplateSpecification",
    # job queues
    "IJobQueue",
    "JobQueue",
    "JobQueueComputeEnvironment",
    "JobQueueProps",
    # job definitions
    "ExposedSecret",
    "IJobDefinition",
    "IMultiNodeProps",
    "INodeRangeProps",
    "JobDefinition",
    "JobDefinitionContainer",
    "JobDefinitionProps",
    "LogConfiguration",
    "LogDriver",
    "MultiNodeProps",
    "NodeRangeProps",
    "PlatformCapabilities",
    # errors
    "BatchError",
    "BatchValidationError",
    "Problem",
    "UnsupportedOperationError",
]

_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> Any:
    module_name = _MODULE_OF.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{module_name}", __name__)
    from ._core.docs import document

    for public in _SOURCES[module_name]:
        value = getattr(module, public)
        document(value)
        globals()[public] = value
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
