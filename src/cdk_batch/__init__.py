"""AWS CDK v2 constructs for AWS Batch, with the API of aws-batch-alpha 2.62.

Change ``import aws_cdk.aws_batch_alpha as batch`` to ``import cdk_batch as
batch`` and keep the rest of the program: it synthesizes the same templates on
current aws-cdk-lib.
"""

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
    EksContainerProps,
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

# isort: split
# modern job definitions (0.2.0)
from .job_definition import (
    Action,
    ConsumableResourceRequirement,
    EcsTaskProperties,
    Reason,
    RetryStrategy,
    TaskContainer,
    TaskContainerDependency,
)

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
    "EksContainerProps",
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
