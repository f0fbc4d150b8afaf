"""JobQueue programs of our own, compared with the reference."""

from __future__ import annotations

from types import ModuleType

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2

from .harness import assert_same_template

pytestmark = pytest.mark.conformance


def every_field(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    ec2_ce = batch.ComputeEnvironment(s, "Ec2", compute_resources=batch.ComputeResources(vpc=vpc))
    spot_ce = batch.ComputeEnvironment(
        s,
        "Spot",
        compute_resources=batch.ComputeResources(vpc=vpc, type=batch.ComputeResourceType.SPOT),
    )
    imported = batch.ComputeEnvironment.from_compute_environment_arn(
        s, "Imported", "arn:aws:batch:us-east-1:123456789012:compute-environment/shared"
    )
    batch.JobQueue(
        s,
        "Queue",
        job_queue_name="every-field",
        enabled=False,
        priority=10,
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=spot_ce, order=1),
            batch.JobQueueComputeEnvironment(compute_environment=ec2_ce, order=2),
            batch.JobQueueComputeEnvironment(compute_environment=imported, order=3),
        ],
    )


def fargate_queue(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    fargate = batch.ComputeEnvironment(
        s,
        "Fargate",
        compute_resources=batch.ComputeResources(vpc=vpc, type=batch.ComputeResourceType.FARGATE),
    )
    spot = batch.ComputeEnvironment(
        s,
        "FargateSpot",
        compute_resources=batch.ComputeResources(
            vpc=vpc, type=batch.ComputeResourceType.FARGATE_SPOT
        ),
    )
    queue = batch.JobQueue(
        s,
        "Queue",
        enabled=True,
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=spot, order=1),
            batch.JobQueueComputeEnvironment(compute_environment=fargate, order=2),
        ],
    )
    cdk.CfnOutput(s, "QueueArn", value=queue.job_queue_arn)


def unmanaged_and_dicts(s: cdk.Stack, batch: ModuleType) -> None:
    ce = batch.ComputeEnvironment(s, "CE", managed=False)
    batch.JobQueue(
        s,
        "Queue",
        priority=5,
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )


def imported_only(s: cdk.Stack, batch: ModuleType) -> None:
    token_arn = cdk.Fn.import_value("SharedComputeEnvironmentArn")
    imported = batch.ComputeEnvironment.from_compute_environment_arn(s, "Imported", token_arn)
    queue = batch.JobQueue(
        s,
        "Queue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=imported, order=1)
        ],
    )
    other = batch.JobQueue.from_job_queue_arn(s, "Other", cdk.Fn.import_value("OtherQueueArn"))
    cdk.CfnOutput(s, "Arns", value=cdk.Fn.join(",", [queue.job_queue_arn, other.job_queue_arn]))


def name_token(s: cdk.Stack, batch: ModuleType) -> None:
    name = cdk.CfnParameter(s, "QueueName")
    priority = cdk.CfnParameter(s, "Priority", type="Number")
    ce = batch.ComputeEnvironment(s, "CE", managed=False)
    batch.JobQueue(
        s,
        "Queue",
        job_queue_name=name.value_as_string,
        priority=priority.value_as_number,
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )


PROGRAMS = {
    "every-field": every_field,
    "fargate": fargate_queue,
    "unmanaged": unmanaged_and_dicts,
    "imported-only": imported_only,
    "tokens": name_token,
}


@pytest.mark.parametrize("program", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_matches_reference(program) -> None:
    assert_same_template(program)
