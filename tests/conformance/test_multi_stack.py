"""Programs with several stacks: references across stacks match the reference's."""

from __future__ import annotations

from types import ModuleType

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as reference
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

import cdk_batch
from cdk_batch.migrate._compare import compare_templates

from .harness import synth_app

pytestmark = pytest.mark.conformance


def shared_environment(app: cdk.App, batch: ModuleType) -> None:
    network = cdk.Stack(app, "Network")
    vpc = ec2.Vpc(network, "Vpc")
    ce = batch.ComputeEnvironment(network, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
    jobs = cdk.Stack(app, "Jobs")
    queue = batch.JobQueue(
        jobs,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    jd = batch.JobDefinition(
        jobs,
        "JD",
        container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_registry("x")),
    )
    consumers = cdk.Stack(app, "Consumers")
    cdk.CfnOutput(consumers, "QueueArn", value=queue.job_queue_arn)
    cdk.CfnOutput(consumers, "JobDefinitionArn", value=jd.job_definition_arn)


def named_across_environments(app: cdk.App, batch: ModuleType) -> None:
    producer = cdk.Stack(
        app, "Producer", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    ce = batch.ComputeEnvironment(producer, "CE", managed=False, compute_environment_name="shared")
    queue = batch.JobQueue(
        producer,
        "Queue",
        job_queue_name="shared-queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    consumer = cdk.Stack(
        app, "Consumer", env=cdk.Environment(account="222222222222", region="eu-west-1")
    )
    cdk.CfnOutput(consumer, "QueueArn", value=queue.job_queue_arn)
    cdk.CfnOutput(consumer, "CeArn", value=ce.compute_environment_arn)


@pytest.mark.parametrize("program", [shared_environment, named_across_environments])
def test_every_stack_matches_reference(program) -> None:
    expected = synth_app(reference, program)
    actual = synth_app(cdk_batch, program)
    assert expected.keys() == actual.keys()
    for name in expected:
        diffs = compare_templates(expected[name], actual[name])
        assert not diffs, f"{name}:\n" + "\n".join(map(str, diffs))
