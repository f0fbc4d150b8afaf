"""The examples of the aws-batch-alpha 2.62 README, made complete and runnable.

Each example is a function ``(stack, batch)``: ``batch`` is the module that
provides the constructs, so the very same program runs with ``cdk_batch`` in the
example app and with the reference package in the conformance tests. The code
inside each function is the README's, with the values it leaves as placeholders
(``# vpc: ec2.Vpc``) created in the stack.

``EXAMPLES`` maps a stack name to its example; ``examples/main.py`` synthesizes
one stack per entry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_efs as efs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm

Example = Callable[[Stack, ModuleType], Any]


def compute_environment_managed_and_unmanaged(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")

    # default is managed
    batch.ComputeEnvironment(
        self, "AWS-Managed-Compute-Env", compute_resources=batch.ComputeResources(vpc=vpc)
    )

    batch.ComputeEnvironment(self, "Customer-Managed-Compute-Env", managed=False)


def compute_environment_spot(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")

    batch.ComputeEnvironment(
        self,
        "MySpotEnvironment",
        compute_resources=batch.ComputeResources(
            type=batch.ComputeResourceType.SPOT,
            bid_percentage=75,  # Bids for resources at 75% of the on-demand price
            vpc=vpc,
        ),
    )


def compute_environment_connections(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")
    file_system = efs.FileSystem(self, "FileSystem", vpc=vpc)
    compute_environment = batch.ComputeEnvironment(
        self, "ComputeEnv", compute_resources=batch.ComputeResources(vpc=vpc)
    )

    file_system.connections.allow_default_port_from(compute_environment)


def compute_environment_fargate_spot(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")

    batch.ComputeEnvironment(
        self,
        "MyFargateEnvironment",
        compute_resources=batch.ComputeResources(
            type=batch.ComputeResourceType.FARGATE_SPOT, vpc=vpc
        ),
    )


def _extra_storage_template(self: Stack) -> ec2.CfnLaunchTemplate:
    return ec2.CfnLaunchTemplate(
        self,
        "LaunchTemplate",
        launch_template_name="extra-storage-template",
        launch_template_data=ec2.CfnLaunchTemplate.LaunchTemplateDataProperty(
            block_device_mappings=[
                ec2.CfnLaunchTemplate.BlockDeviceMappingProperty(
                    device_name="/dev/xvdcz",
                    ebs=ec2.CfnLaunchTemplate.EbsProperty(
                        encrypted=True, volume_size=100, volume_type="gp2"
                    ),
                )
            ]
        ),
    )


def compute_environment_launch_template_name(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")
    my_launch_template = _extra_storage_template(self)

    batch.ComputeEnvironment(
        self,
        "ComputeEnv",
        compute_resources=batch.ComputeResources(
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_name=my_launch_template.launch_template_name
            ),
            vpc=vpc,
        ),
        compute_environment_name="MyStorageCapableComputeEnvironment",
    )


def compute_environment_launch_template_id(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")
    my_launch_template = _extra_storage_template(self)

    batch.ComputeEnvironment(
        self,
        "ComputeEnv",
        compute_resources=batch.ComputeResources(
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_id=my_launch_template.ref
            ),
            vpc=vpc,
        ),
        compute_environment_name="MyStorageCapableComputeEnvironment",
    )


def compute_environment_efa(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")

    efa_security_group = ec2.SecurityGroup(self, "EFASecurityGroup", vpc=vpc)

    launch_template_e_f_a = ec2.CfnLaunchTemplate(
        self,
        "LaunchTemplate",
        launch_template_name="LaunchTemplateName",
        launch_template_data=ec2.CfnLaunchTemplate.LaunchTemplateDataProperty(
            network_interfaces=[
                ec2.CfnLaunchTemplate.NetworkInterfaceProperty(
                    device_index=0,
                    subnet_id=vpc.private_subnets[0].subnet_id,
                    interface_type="efa",
                    groups=[efa_security_group.security_group_id],
                )
            ]
        ),
    )

    batch.ComputeEnvironment(
        self,
        "EFAComputeEnv",
        managed=True,
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_name=launch_template_e_f_a.launch_template_name,
                use_network_interface_security_groups=True,
            ),
        ),
    )


def compute_environment_import(self: Stack, batch: ModuleType) -> Any:
    return batch.ComputeEnvironment.from_compute_environment_arn(
        self,
        "imported-compute-env",
        "arn:aws:batch:us-east-1:555555555555:compute-environment/My-Compute-Env",
    )


def compute_environment_ecs_optimized_ami(self: Stack, batch: ModuleType) -> None:
    # The README used ecs.EcsOptimizedAmi(generation=AMAZON_LINUX_2), which
    # current aws-cdk-lib no longer has; this is its replacement.
    vpc = ec2.Vpc(self, "VPC")

    batch.ComputeEnvironment(
        self,
        "ComputeEnv",
        compute_resources=batch.ComputeResources(
            image=ecs.EcsOptimizedImage.amazon_linux2(), vpc=vpc
        ),
    )


def compute_environment_custom_ami(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")

    batch.ComputeEnvironment(
        self,
        "ComputeEnv",
        compute_resources=batch.ComputeResources(
            # The README's placeholders "[aws-region]": "[ami-ID]", filled in.
            image=ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"}),
            vpc=vpc,
        ),
    )


EXAMPLES: dict[str, Example] = {
    "ComputeEnvironmentManagedAndUnmanaged": compute_environment_managed_and_unmanaged,
    "ComputeEnvironmentSpot": compute_environment_spot,
    "ComputeEnvironmentConnections": compute_environment_connections,
    "ComputeEnvironmentFargateSpot": compute_environment_fargate_spot,
    "ComputeEnvironmentLaunchTemplateName": compute_environment_launch_template_name,
    "ComputeEnvironmentLaunchTemplateId": compute_environment_launch_template_id,
    "ComputeEnvironmentEfa": compute_environment_efa,
    "ComputeEnvironmentImport": compute_environment_import,
    "ComputeEnvironmentEcsOptimizedAmi": compute_environment_ecs_optimized_ami,
    "ComputeEnvironmentCustomAmi": compute_environment_custom_ami,
}


def job_queue(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")
    compute_environment = batch.ComputeEnvironment(
        self, "ComputeEnv", compute_resources=batch.ComputeResources(vpc=vpc)
    )

    batch.JobQueue(
        self,
        "JobQueue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(
                # Defines a collection of compute resources to handle assigned batch jobs
                compute_environment=compute_environment,
                # Order determines the allocation order for jobs (i.e. Lower means higher
                # preference for job assignment)
                order=1,
            )
        ],
    )


def job_queue_priorities(self: Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(self, "VPC")
    shared_compute_envs = batch.ComputeEnvironment(
        self, "ComputeEnv", compute_resources=batch.ComputeResources(vpc=vpc)
    )

    batch.JobQueue(
        self,
        "JobQueue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=shared_compute_envs, order=1)
        ],
        priority=2,
    )

    # The README gives both queues the id "JobQueue", which CDK refuses in one
    # scope; the second queue gets an id of its own here.
    batch.JobQueue(
        self,
        "LowPrioJobQueue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=shared_compute_envs, order=1)
        ],
        priority=1,
    )


def job_queue_import(self: Stack, batch: ModuleType) -> Any:
    return batch.JobQueue.from_job_queue_arn(
        self,
        "imported-job-queue",
        "arn:aws:batch:us-east-1:555555555555:job-queue/High-Prio-Queue",
    )


EXAMPLES.update(
    {
        "JobQueue": job_queue,
        "JobQueuePriorities": job_queue_priorities,
        "JobQueueImport": job_queue_import,
    }
)


def job_definition_from_ecr(self: Stack, batch: ModuleType) -> None:
    repo = ecr.Repository.from_repository_name(self, "batch-job-repo", "todo-list")

    batch.JobDefinition(
        self,
        "batch-job-def-from-ecr",
        container=batch.JobDefinitionContainer(image=ecs.EcrImage(repo, "latest")),
    )


# The README points at "../todo-list", a directory next to the app; here it is
# examples/todo-list, found from this file so the app runs from any directory.
TODO_LIST = str(Path(__file__).resolve().parent / "todo-list")


def job_definition_from_local_docker(self: Stack, batch: ModuleType) -> None:
    batch.JobDefinition(
        self,
        "batch-job-def-from-local",
        container=batch.JobDefinitionContainer(
            # todo-list is a directory containing a Dockerfile to build the application
            image=ecs.ContainerImage.from_asset(TODO_LIST)
        ),
    )


def job_definition_log_configuration(self: Stack, batch: ModuleType) -> None:
    batch.JobDefinition(
        self,
        "job-def",
        container=batch.JobDefinitionContainer(
            image=ecs.EcrImage.from_registry("docker/whalesay"),
            log_configuration=batch.LogConfiguration(
                log_driver=batch.LogDriver.AWSLOGS,
                options={"awslogs-region": "us-east-1"},
                secret_options=[
                    batch.ExposedSecret.from_parameters_store(
                        "xyz",
                        ssm.StringParameter.from_string_parameter_name(self, "parameter", "xyz"),
                    )
                ],
            ),
        ),
    )


def job_definition_secrets(self: Stack, batch: ModuleType) -> None:
    db_secret = secretsmanager.Secret(self, "secret")

    batch.JobDefinition(
        self,
        "batch-job-def-secrets",
        container=batch.JobDefinitionContainer(
            image=ecs.EcrImage.from_registry("docker/whalesay"),
            secrets={"PASSWORD": ecs.Secret.from_secrets_manager(db_secret, "password")},
        ),
    )


def job_definition_import_arn(self: Stack, batch: ModuleType) -> Any:
    return batch.JobDefinition.from_job_definition_arn(
        self,
        "imported-job-definition",
        "arn:aws:batch:us-east-1:555555555555:job-definition/my-job-definition",
    )


def job_definition_import_name(self: Stack, batch: ModuleType) -> Any:
    # Without revision
    job1 = batch.JobDefinition.from_job_definition_name(
        self, "imported-job-definition", "my-job-definition"
    )

    # With revision (the README reuses the id "imported-job-definition", which
    # CDK refuses in one scope; this one gets an id of its own)
    job2 = batch.JobDefinition.from_job_definition_name(
        self, "imported-job-definition-rev", "my-job-definition:3"
    )
    return job1, job2


EXAMPLES.update(
    {
        "JobDefinitionFromEcr": job_definition_from_ecr,
        "JobDefinitionFromLocalDocker": job_definition_from_local_docker,
        "JobDefinitionLogConfiguration": job_definition_log_configuration,
        "JobDefinitionSecrets": job_definition_secrets,
        "JobDefinitionImportArn": job_definition_import_arn,
        "JobDefinitionImportName": job_definition_import_name,
    }
)
