"""Small CDK apps for the local deploy tests, built with cdk_batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager

import cdk_batch as batch
from tests.helpers import node_classes

IMAGE = "public.ecr.aws/amazonlinux/amazonlinux:2"


def container(**kwargs: Any) -> batch.JobDefinitionContainer:
    return batch.JobDefinitionContainer(
        image=ecs.ContainerImage.from_registry(IMAGE), command=["echo", "hi"], **kwargs
    )


def multi_stack_app(outdir: Path) -> cdk.App:
    """Network (VPC) -> Compute (environment + queue) -> Jobs (job definition, queue ARN output)."""
    app = cdk.App(outdir=str(outdir))
    network = cdk.Stack(app, "Network")
    vpc = ec2.Vpc(network, "VPC", max_azs=2, nat_gateways=1)
    compute = cdk.Stack(app, "Compute")
    env = batch.ComputeEnvironment(
        compute, "CE", compute_resources=batch.ComputeResources(vpc=vpc, maxv_cpus=16)
    )
    queue = batch.JobQueue(
        compute,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    jobs = cdk.Stack(app, "Jobs")
    batch.JobDefinition(jobs, "JD", container=container())
    cdk.CfnOutput(jobs, "QueueArn", value=queue.job_queue_arn)
    return app


def queue_app(outdir: Path, *, queue_name: str = "fixed-name-queue") -> cdk.App:
    """One stack: VPC, an EC2 environment, a named queue, a job definition."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Single")
    vpc = ec2.Vpc(stack, "VPC", max_azs=2, nat_gateways=0)
    env = batch.ComputeEnvironment(stack, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
    batch.JobQueue(
        stack,
        "Queue",
        job_queue_name=queue_name,
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    batch.JobDefinition(stack, "JD", container=container())
    return app


def missing_environment_app(outdir: Path) -> cdk.App:
    """A queue over a compute environment (imported by ARN) that does not exist; a stack after it."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Broken")
    env = batch.ComputeEnvironment.from_compute_environment_arn(
        stack,
        "Missing",
        "arn:aws:batch:us-east-1:123456789012:compute-environment/does-not-exist",
    )
    queue = batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    after = cdk.Stack(app, "After")
    cdk.CfnOutput(after, "QueueArn", value=queue.job_queue_arn)
    return app


def undefined_reference_app(outdir: Path) -> cdk.App:
    """A job definition whose image names a logical ID the template does not define."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Dangling")
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(cdk.Fn.ref("NoSuchResource"))
        ),
    )
    return app


def not_checked_app(outdir: Path) -> cdk.App:
    """Things the emulator accepts without checking: a secret, multi-node, unmanaged, Fargate."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Gaps")
    vpc = ec2.Vpc(stack, "VPC", max_azs=2, nat_gateways=0)
    secret = secretsmanager.Secret(stack, "Secret")
    batch.JobDefinition(
        stack,
        "WithSecret",
        container=container(secrets={"PASSWORD": ecs.Secret.from_secrets_manager(secret)}),
    )
    Range, Nodes = node_classes(batch)
    batch.JobDefinition(
        stack,
        "MultiNode",
        container=container(),
        node_props=Nodes(2, 0, [Range(container(), 0, 1)]),
    )
    batch.ComputeEnvironment(stack, "Unmanaged", managed=False)
    fargate = batch.ComputeEnvironment(
        stack,
        "Fargate",
        compute_resources=batch.ComputeResources(type=batch.ComputeResourceType.FARGATE, vpc=vpc),
    )
    batch.JobQueue(
        stack,
        "FargateQueue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=fargate, order=1)
        ],
    )
    role = iam.Role(stack, "ExecRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    batch.JobDefinition(
        stack,
        "FargateJD",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        container=container(execution_role=role, assign_public_ip=True),
    )
    return app


def explicit_env_app(outdir: Path) -> cdk.App:
    """An environment-specific stack (account 111111111111, eu-west-1) with a VPC and a queue."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(
        app, "Pinned", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    vpc = ec2.Vpc(stack, "VPC", max_azs=2, nat_gateways=0)
    env = batch.ComputeEnvironment(stack, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
    batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    batch.JobDefinition(stack, "JD", container=container())
    return app


def asset_app(outdir: Path) -> cdk.App:
    """A job definition whose image is built from a local directory (a Docker image asset)."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "WithAsset")
    todo = Path(__file__).resolve().parents[2] / "examples" / "todo-list"
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_asset(str(todo))),
    )
    return app
