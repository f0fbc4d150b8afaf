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
    # modern job definitions (0.2.0)
    "Action",
    "ConsumableResourceRequirement",
    "EcsTaskProperties",
    "Reason",
    "RetryStrategy",
    "TaskContainer",
    "TaskContainerDependency",
]
