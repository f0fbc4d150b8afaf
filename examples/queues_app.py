"""Job queues and scheduling: a fair-share queue with state time limits, a
consumable resource, and a SageMaker Training queue.

Run it directly (``python examples/queues_app.py``); it writes the cloud
assembly to ``cdk.out/``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

import cdk_batch as batch


def fair_share_stack(app: cdk.App) -> cdk.Stack:
    """A fair-share queue in front of a Spot environment, with time limits and a licence pool."""
    stack = cdk.Stack(app, "FairShareQueue")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    spot = batch.ComputeEnvironment(
        stack,
        "Spot",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            type=batch.ComputeResourceType.SPOT,
            allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
            maxv_cpus=512,
        ),
    )
    policy = batch.FairshareSchedulingPolicy(
        stack,
        "Teams",
        compute_reservation=10,
        share_decay=cdk.Duration.hours(1),
        shares=[
            batch.Share(share_identifier="research*", weight_factor=0.5),
            batch.Share(share_identifier="nightly", weight_factor=2),
        ],
    )
    policy.add_share(share_identifier="adhoc", weight_factor=1)
    batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=spot, order=1)],
        scheduling_policy=policy,
        job_state_time_limit_actions=[
            batch.JobStateTimeLimitAction(
                max_time=cdk.Duration.minutes(30),
                reason=batch.JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY,
            ),
            batch.JobStateTimeLimitAction(
                max_time=cdk.Duration.minutes(10),
                reason=batch.JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT,
            ),
        ],
    )
    licences = batch.ConsumableResource(
        stack, "Licences", total_quantity=20, consumable_resource_name="solver-licences"
    )
    operators = iam.Role(stack, "Operators", assumed_by=iam.AccountRootPrincipal())
    licences.grant_read(operators)
    licences.grant_update(operators)
    return stack


def sagemaker_stack(app: cdk.App) -> cdk.Stack:
    """A SageMaker Training queue that lets at most 16 training instances run at once."""
    stack = cdk.Stack(app, "TrainingQueue")
    training = batch.ServiceEnvironment(stack, "Training", max_instances=16)
    batch.JobQueue(
        stack,
        "Queue",
        service_environments=[
            batch.JobQueueServiceEnvironment(service_environment=training, order=1)
        ],
        job_state_time_limit_actions=[
            batch.JobStateTimeLimitAction(
                max_time=cdk.Duration.hours(2), reason="no training capacity"
            )
        ],
    )
    return stack


def build_app(outdir: str | None = None) -> cdk.App:
    """An app with the fair-share stack and the SageMaker Training stack."""
    app = cdk.App(outdir=outdir)
    fair_share_stack(app)
    sagemaker_stack(app)
    return app


if __name__ == "__main__":
    build_app().synth()
