"""ServiceEnvironment and SageMaker Training queues: rendering, importers, refused props."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource
from .lint import cfn_lint_errors

ENV = "AWS::Batch::ServiceEnvironment"
QUEUE = "AWS::Batch::JobQueue"
ARN = "arn:aws:batch:us-east-1:123456789012:service-environment/training"


def env_props(stack: cdk.Stack) -> dict[str, Any]:
    return only_resource(stack, ENV)["Properties"]


def test_defaults() -> None:
    stack = new_stack()
    batch.ServiceEnvironment(stack, "Training", max_instances=8)
    assert env_props(stack) == {
        "CapacityLimits": [{"CapacityUnit": "NUM_INSTANCES", "MaxCapacity": 8}],
        "ServiceEnvironmentType": "SAGEMAKER_TRAINING",
    }


@pytest.mark.parametrize(("enabled", "state"), [(True, "ENABLED"), (False, "DISABLED")])
def test_every_keyword(enabled: bool, state: str) -> None:
    stack = new_stack()
    batch.ServiceEnvironment(
        stack,
        "Training",
        max_instances=2,
        service_environment_name="training",
        enabled=enabled,
        service_environment_type=batch.ServiceEnvironmentType.SAGEMAKER_TRAINING,
    )
    assert env_props(stack) == {
        "CapacityLimits": [{"CapacityUnit": "NUM_INSTANCES", "MaxCapacity": 2}],
        "ServiceEnvironmentName": "training",
        "ServiceEnvironmentType": "SAGEMAKER_TRAINING",
        "State": state,
    }


def _sagemaker_queue(stack: cdk.Stack, env: batch.IServiceEnvironment, **kwargs: Any) -> None:
    batch.JobQueue(
        stack,
        "Queue",
        service_environments=[batch.JobQueueServiceEnvironment(service_environment=env, order=1)],
        **kwargs,
    )


def test_a_queue_with_a_service_environment_is_a_sagemaker_training_queue() -> None:
    stack = new_stack()
    env = batch.ServiceEnvironment(stack, "Training", max_instances=4)
    _sagemaker_queue(stack, env, priority=5)
    env_id = stack.get_logical_id(env.node.default_child)
    assert only_resource(stack, QUEUE)["Properties"] == {
        "JobQueueType": "SAGEMAKER_TRAINING",
        "Priority": 5,
        "ServiceEnvironmentOrder": [
            {"Order": 1, "ServiceEnvironment": {"Fn::GetAtt": [env_id, "ServiceEnvironmentArn"]}}
        ],
        "State": "ENABLED",
    }
    assert cfn_lint_errors(Template.from_stack(stack).to_json()) == []


def test_time_limits_on_a_sagemaker_queue_default_to_terminate() -> None:
    stack = new_stack()
    env = batch.ServiceEnvironment(stack, "Training", max_instances=4)
    _sagemaker_queue(
        stack,
        env,
        job_state_time_limit_actions=[
            batch.JobStateTimeLimitAction(max_time=cdk.Duration.hours(1), reason="no capacity")
        ],
    )
    assert only_resource(stack, QUEUE)["Properties"]["JobStateTimeLimitActions"] == [
        {
            "Action": "TERMINATE",
            "MaxTimeSeconds": 3600,
            "Reason": "no capacity",
            "State": "RUNNABLE",
        }
    ]


def test_an_imported_service_environment_serves_a_queue() -> None:
    stack = new_stack()
    env = batch.ServiceEnvironment.from_service_environment_arn(stack, "Imported", ARN)
    assert env.service_environment_name == "training"
    _sagemaker_queue(stack, env)
    assert only_resource(stack, QUEUE)["Properties"]["ServiceEnvironmentOrder"] == [
        {"Order": 1, "ServiceEnvironment": ARN}
    ]


def test_import_refuses_an_arn_without_a_name() -> None:
    with pytest.raises(BatchValidationError) as err:
        batch.ServiceEnvironment.from_service_environment_arn(
            new_stack(), "Imported", "arn:aws:batch:us-east-1:123456789012:service-environment"
        )
    assert err.value.problems[0].rule_id == "se-import-arn-format"


def test_a_queue_with_both_kinds_of_environment_is_refused() -> None:
    stack = new_stack()
    ce = batch.ComputeEnvironment(stack, "CE", managed=False)
    env = batch.ServiceEnvironment(stack, "Training", max_instances=1)
    with pytest.raises(BatchValidationError) as err:
        batch.JobQueue(
            stack,
            "Queue",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)
            ],
            service_environments=[
                batch.JobQueueServiceEnvironment(service_environment=env, order=1)
            ],
        )
    assert [p.rule_id for p in err.value.problems] == ["jq-environments-exclusive"]


def test_a_queue_with_neither_kind_of_environment_is_refused() -> None:
    with pytest.raises(BatchValidationError) as err:
        batch.JobQueue(new_stack(), "Queue")
    assert [p.rule_id for p in err.value.problems] == ["jq-compute-environments-required"]


def test_attributes() -> None:
    stack = new_stack()
    env = batch.ServiceEnvironment(stack, "Training", max_instances=1)
    cdk.CfnOutput(stack, "Name", value=env.service_environment_name)
    arn = {"Fn::GetAtt": [stack.get_logical_id(env.node.default_child), "ServiceEnvironmentArn"]}
    assert Template.from_stack(stack).to_json()["Outputs"]["Name"]["Value"] == {
        "Fn::Select": [1, {"Fn::Split": ["/", arn]}]
    }
