"""Job definitions with the 0.2.0 keywords: a multi-container Fargate job, retry
rules, a scheduling priority, the Fargate runtime platform and a Lambda function
that may submit the jobs.

Run ``python examples/job_definitions_app.py`` to synthesize it into ``cdk.out``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

import cdk_batch as batch

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/python:3.12-slim")
PROXY = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/nginx:stable")


class JobDefinitionsStack(cdk.Stack):
    """A Fargate queue and three job definitions that use the new keywords."""

    def __init__(self, scope: cdk.App, id: str) -> None:
        super().__init__(scope, id)
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        fargate = batch.ComputeEnvironment(
            self,
            "Fargate",
            compute_resources=batch.ComputeResources(
                vpc=vpc, type=batch.ComputeResourceType.FARGATE_SPOT
            ),
        )
        queue = batch.JobQueue(
            self,
            "Queue",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=fargate, order=1)
            ],
        )
        execution_role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonECSTaskExecutionRolePolicy"
                )
            ],
        )

        # Retry a job whose Spot capacity was reclaimed; give up on application
        # errors (any exit code) and on images that cannot be pulled.
        retries = [
            batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
            batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.CANNOT_PULL_CONTAINER),
            batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.NON_ZERO_EXIT_CODE),
        ]

        # A job of two containers: the worker waits until its proxy has started.
        self.pipeline = batch.JobDefinition(
            self,
            "Pipeline",
            job_definition_name="pipeline",
            platform_capabilities=[batch.PlatformCapabilities.FARGATE],
            retry_attempts=3,
            retry_strategies=retries,
            scheduling_priority=50,
            skip_deregister_on_update=True,
            ecs_properties=batch.EcsTaskProperties(
                execution_role=execution_role,
                assign_public_ip=False,
                ephemeral_storage_size=cdk.Size.gibibytes(50),
                fargate_cpu_architecture=ecs.CpuArchitecture.X86_64,
                containers=[
                    batch.TaskContainer(
                        name="worker",
                        image=IMAGE,
                        command=["python", "-m", "pipeline"],
                        vcpus=0.75,
                        memory_limit_mib=1536,
                        depends_on=[
                            batch.TaskContainerDependency(container_name="proxy", condition="START")
                        ],
                    ),
                    batch.TaskContainer(
                        name="proxy",
                        image=PROXY,
                        essential=False,
                        vcpus=0.25,
                        memory_limit_mib=512,
                    ),
                ],
            ),
        )

        # A single-container job on Graviton, with more scratch space.
        report = batch.JobDefinition(
            self,
            "Report",
            job_definition_name="report",
            platform_capabilities=[batch.PlatformCapabilities.FARGATE],
            container=batch.JobDefinitionContainer(
                image=IMAGE,
                command=["python", "-m", "report"],
                execution_role=execution_role,
                vcpus=1,
                memory_limit_mib=2048,
                fargate_cpu_architecture=ecs.CpuArchitecture.ARM64,
                fargate_operating_system_family=ecs.OperatingSystemFamily.LINUX,
                ephemeral_storage_size=cdk.Size.gibibytes(30),
            ),
            timeout=cdk.Duration.hours(1),
        )
        report.add_retry_strategy(
            batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED)
        )

        # The function that submits both jobs: every revision, by name or ARN.
        submitter = lambda_.Function(
            self,
            "Submitter",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(
                "import boto3, os\n"
                "def handler(event, context):\n"
                "    return boto3.client('batch').submit_job(jobName='run',"
                " jobQueue=os.environ['QUEUE'], jobDefinition=event['definition'])['jobId']\n"
            ),
            environment={"QUEUE": queue.job_queue_arn},
        )
        self.pipeline.grant_submit_job(submitter, queue)
        report.grant_submit_job(submitter, queue)

        # The job's own code gets its permissions through the job role,
        # created here on first use.
        self.pipeline.job_role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name("AmazonS3ReadOnlyAccess")
        )


def build_app(outdir: str | None = None) -> cdk.App:
    """The app with its one stack."""
    app = cdk.App(outdir=outdir)
    JobDefinitionsStack(app, "JobDefinitions")
    return app


if __name__ == "__main__":
    build_app().synth()
