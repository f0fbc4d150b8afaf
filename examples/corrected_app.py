"""Corrected defaults: a new app with every correction of this release on.

``CorrectedDefaults`` writes the classic API with nothing but the required
props and lets ``CORRECTED_DEFAULTS_V1`` pick the defaults. A new app would
pass that mapping as the app's context (``cdk.App(context=...)``); here it is
set on the stack's node, so that ``AdoptingOneFlag``, a stack that has adopted
a single correction, can sit beside it in the same app.

Run it directly (``python examples/corrected_app.py``); it writes the cloud
assembly to ``cdk.out/``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

import cdk_batch as batch

IMAGE = "public.ecr.aws/amazonlinux/amazonlinux:2023"


def corrected_stack(app: cdk.App) -> cdk.Stack:
    """EC2, Spot and Fargate environments, a queue over each, and two job definitions."""
    stack = cdk.Stack(app, "CorrectedDefaults")
    for flag, value in batch.flags.CORRECTED_DEFAULTS_V1.items():
        stack.node.set_context(flag, value)
    cdk.Tags.of(stack).add("team", "research")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    environments = {
        "Ec2": batch.ComputeEnvironment(
            stack, "Ec2", compute_resources=batch.ComputeResources(vpc=vpc)
        ),
        "Spot": batch.ComputeEnvironment(
            stack,
            "Spot",
            compute_resources=batch.ComputeResources(vpc=vpc, type=batch.ComputeResourceType.SPOT),
        ),
        "Fargate": batch.ComputeEnvironment(
            stack,
            "Fargate",
            compute_resources=batch.ComputeResources(
                vpc=vpc, type=batch.ComputeResourceType.FARGATE
            ),
        ),
    }
    for name, environment in environments.items():
        batch.JobQueue(
            stack,
            f"{name}Queue",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=environment, order=1)
            ],
        )
    image = ecs.ContainerImage.from_registry(IMAGE)
    batch.JobDefinition(
        stack,
        "Job",
        container=batch.JobDefinitionContainer(image=image, command=["echo", "hello"]),
    )
    batch.JobDefinition(
        stack,
        "FargateJob",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        container=batch.JobDefinitionContainer(
            image=image, command=["echo", "hello"], assign_public_ip=False
        ),
    )
    return stack


def adopting_stack(app: cdk.App) -> cdk.Stack:
    """An existing stack that turned on one correction, on its own node."""
    stack = cdk.Stack(app, "AdoptingOneFlag")
    # Set before the stack has children; it reaches this stack only.
    stack.node.set_context(batch.flags.KEEP_REVISIONS, True)
    batch.JobDefinition(
        stack,
        "Job",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE), command=["echo", "hello"]
        ),
    )
    return stack


def build_app(outdir: str | None = None) -> cdk.App:
    """Both stacks, each with its own flags."""
    app = cdk.App(outdir=outdir)
    corrected_stack(app)
    adopting_stack(app)
    return app


if __name__ == "__main__":
    build_app().synth()
