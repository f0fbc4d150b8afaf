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
    from . import flags as flags
    from .compute_environment import (
        AllocationStrategy,
        ComputeEnvironment,
        ComputeEnvironmentProps,
        ComputeResources,
        ComputeResourceType,
        DefaultInstanceClass,
        EcsMachineImage,
        EcsMachineImageType,
        IComputeEnvironment,
        InheritedTags,
        LaunchTemplateSpecification,
        LaunchTemplateVersion,
    )
    from .consumable_resource import (
        ConsumableResource,
        ConsumableResourceProps,
        ConsumableResourceType,
        IConsumableResource,
    )
    from .eks import (
        DnsPolicy,
        EksContainerDefinition,
        EksContainerDefinitionProps,
        EksJobDefinition,
        EksJobDefinitionProps,
        EksMachineImage,
        EksMachineImageType,
        EksVolume,
        EmptyDirMediumType,
        EmptyDirVolume,
        HostPathVolume,
        ImagePullPolicy,
        ManagedEc2EksComputeEnvironment,
        ManagedEc2EksComputeEnvironmentProps,
        PersistentVolumeClaimVolume,
        SecretPathVolume,
    )
    from .errors import (
        BatchError,
        BatchValidationError,
        Problem,
        UnsupportedOperationError,
    )
    from .exposed_secret import ExposedSecret
    from .job_definition import (
        Action,
        ConsumableResourceRequirement,
        EcsTaskProperties,
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
        Reason,
        RetryStrategy,
        TaskContainer,
        TaskContainerDependency,
    )
    from .job_queue import (
        IJobQueue,
        JobQueue,
        JobQueueComputeEnvironment,
        JobQueueProps,
        JobQueueServiceEnvironment,
        JobStateTimeLimitAction,
        JobStateTimeLimitActionsAction,
        JobStateTimeLimitActionsReason,
        JobStateTimeLimitActionsState,
    )
    from .scheduling_policy import (
        FairshareSchedulingPolicy,
        FairshareSchedulingPolicyProps,
        IFairshareSchedulingPolicy,
        ISchedulingPolicy,
        Share,
    )
    from .service_environment import (
        IServiceEnvironment,
        ServiceEnvironment,
        ServiceEnvironmentProps,
        ServiceEnvironmentType,
    )

_SOURCES: dict[str, tuple[str, ...]] = {
    "compute_environment": (
        "AllocationStrategy",
        "ComputeEnvironment",
        "ComputeEnvironmentProps",
        "ComputeResources",
        "ComputeResourceType",
        "DefaultInstanceClass",
        "EcsMachineImage",
        "EcsMachineImageType",
        "IComputeEnvironment",
        "InheritedTags",
        "LaunchTemplateSpecification",
        "LaunchTemplateVersion",
    ),
    "consumable_resource": (
        "ConsumableResource",
        "ConsumableResourceProps",
        "ConsumableResourceType",
        "IConsumableResource",
    ),
    "eks": (
        "DnsPolicy",
        "EksContainerDefinition",
        "EksContainerDefinitionProps",
        "EksJobDefinition",
        "EksJobDefinitionProps",
        "EksMachineImage",
        "EksMachineImageType",
        "EksVolume",
        "EmptyDirMediumType",
        "EmptyDirVolume",
        "HostPathVolume",
        "ImagePullPolicy",
        "ManagedEc2EksComputeEnvironment",
        "ManagedEc2EksComputeEnvironmentProps",
        "PersistentVolumeClaimVolume",
        "SecretPathVolume",
    ),
    "errors": (
        "BatchError",
        "BatchValidationError",
        "Problem",
        "UnsupportedOperationError",
    ),
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
        "Action",
        "ConsumableResourceRequirement",
        "EcsTaskProperties",
        "Reason",
        "RetryStrategy",
        "TaskContainer",
        "TaskContainerDependency",
    ),
    "job_queue": (
        "IJobQueue",
        "JobQueue",
        "JobQueueComputeEnvironment",
        "JobQueueProps",
        "JobQueueServiceEnvironment",
        "JobStateTimeLimitAction",
        "JobStateTimeLimitActionsAction",
        "JobStateTimeLimitActionsReason",
        "JobStateTimeLimitActionsState",
    ),
    "scheduling_policy": (
        "FairshareSchedulingPolicy",
        "FairshareSchedulingPolicyProps",
        "IFairshareSchedulingPolicy",
        "ISchedulingPolicy",
        "Share",
    ),
    "service_environment": (
        "IServiceEnvironment",
        "ServiceEnvironment",
        "ServiceEnvironmentProps",
        "ServiceEnvironmentType",
    ),
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
    # job queues and scheduling (0.2.0)
    "ConsumableResource",
    "ConsumableResourceProps",
    "ConsumableResourceType",
    "FairshareSchedulingPolicy",
    "FairshareSchedulingPolicyProps",
    "IConsumableResource",
    "IFairshareSchedulingPolicy",
    "ISchedulingPolicy",
    "IServiceEnvironment",
    "JobQueueServiceEnvironment",
    "JobStateTimeLimitAction",
    "JobStateTimeLimitActionsAction",
    "JobStateTimeLimitActionsReason",
    "JobStateTimeLimitActionsState",
    "ServiceEnvironment",
    "ServiceEnvironmentProps",
    "ServiceEnvironmentType",
    "Share",
    # compute environment images, updates and launch templates (0.2.0)
    "DefaultInstanceClass",
    "EcsMachineImage",
    "EcsMachineImageType",
    "InheritedTags",
    "LaunchTemplateVersion",
    # AWS Batch on Amazon EKS (0.2.0)
    "DnsPolicy",
    "EksContainerDefinition",
    "EksContainerDefinitionProps",
    "EksJobDefinition",
    "EksJobDefinitionProps",
    "EksMachineImage",
    "EksMachineImageType",
    "EksVolume",
    "EmptyDirMediumType",
    "EmptyDirVolume",
    "HostPathVolume",
    "ImagePullPolicy",
    "ManagedEc2EksComputeEnvironment",
    "ManagedEc2EksComputeEnvironmentProps",
    "PersistentVolumeClaimVolume",
    "SecretPathVolume",
    # modern job definitions (0.2.0)
    "Action",
    "ConsumableResourceRequirement",
    "EcsTaskProperties",
    "Reason",
    "RetryStrategy",
    "TaskContainer",
    "TaskContainerDependency",
]

_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}


_SUBMODULES = ("flags",)
"""Public submodules read as attributes, such as ``cdk_batch.flags``."""


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module_name = _MODULE_OF.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{module_name}", __name__)
    from ._core.docs import defer

    for public in _SOURCES[module_name]:
        value = getattr(module, public)
        defer(value)
        globals()[public] = value
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
