"""ConsumableResource: rendering, grants, importers, and the stable module as oracle."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as stable
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource, resources_of

RESOURCE = "AWS::Batch::ConsumableResource"
ARN = "arn:aws:batch:us-east-1:123456789012:consumable-resource/licences"

SETTINGS: dict[str, dict[str, Any]] = {
    "quantity": {"total_quantity": 10},
    "zero": {"total_quantity": 0},
    "name": {"total_quantity": 3, "consumable_resource_name": "licences"},
    "replenishable": {"total_quantity": 3, "resource_type": "REPLENISHABLE"},
    "non-replenishable": {"total_quantity": 3, "resource_type": "NON_REPLENISHABLE"},
    "tags": {"total_quantity": 3, "tags": {"team": "render", "cost": "42"}},
}


def _build(module: Any, setting: dict[str, Any]) -> dict[str, Any]:
    stack = new_stack()
    kwargs = dict(setting)
    if "resource_type" in kwargs:
        kwargs["resource_type"] = getattr(module.ConsumableResourceType, kwargs["resource_type"])
    module.ConsumableResource(stack, "Licences", **kwargs)
    return only_resource(stack, RESOURCE)


@pytest.mark.parametrize("setting", SETTINGS.values(), ids=list(SETTINGS))
def test_resource_matches_the_stable_module(setting: dict[str, Any]) -> None:
    assert _build(batch, setting) == _build(stable, setting)


def test_resource_type_defaults_to_replenishable() -> None:
    # CloudFormation requires ResourceType, so the default is written out.
    stack = new_stack()
    batch.ConsumableResource(stack, "Licences", total_quantity=4)
    assert only_resource(stack, RESOURCE)["Properties"] == {
        "ResourceType": "REPLENISHABLE",
        "TotalQuantity": 4,
    }


def _policy_statements(stack: cdk.Stack) -> list[dict[str, Any]]:
    policies = resources_of(stack, "AWS::IAM::Policy")
    assert len(policies) == 1
    return next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"]


@pytest.mark.parametrize("grant", ["read", "update"])
def test_grants_match_the_stable_module(grant: str) -> None:
    ours, theirs = new_stack(), new_stack()
    ours_user, theirs_user = iam.User(ours, "User"), iam.User(theirs, "User")
    mine = batch.ConsumableResource(ours, "Licences", total_quantity=1)
    other = stable.ConsumableResource(theirs, "Licences", total_quantity=1)
    getattr(mine, f"grant_{grant}")(ours_user)
    getattr(other.grants, grant)(theirs_user)
    assert _policy_statements(ours) == _policy_statements(theirs)


def test_grants_on_an_imported_resource_name_its_arn() -> None:
    stack = new_stack()
    user = iam.User(stack, "User")
    imported = batch.ConsumableResource.from_consumable_resource_arn(stack, "Imported", ARN)
    imported.grant_read(user)
    imported.grant_update(user)
    assert _policy_statements(stack) == [
        {
            "Action": ["batch:DescribeConsumableResource", "batch:ListJobsByConsumableResource"],
            "Effect": "Allow",
            "Resource": ARN,
        },
        {"Action": "batch:UpdateConsumableResource", "Effect": "Allow", "Resource": ARN},
    ]


def test_import_by_arn() -> None:
    imported = batch.ConsumableResource.from_consumable_resource_arn(new_stack(), "Imported", ARN)
    assert imported.consumable_resource_arn == ARN
    assert imported.consumable_resource_name == "licences"


def test_import_refuses_an_arn_without_a_name() -> None:
    with pytest.raises(BatchValidationError) as err:
        batch.ConsumableResource.from_consumable_resource_arn(
            new_stack(), "Imported", "arn:aws:batch:us-east-1:123456789012:consumable-resource"
        )
    assert err.value.problems[0].rule_id == "cr-import-arn-format"


def test_attributes() -> None:
    stack = new_stack()
    r = batch.ConsumableResource(stack, "Licences", total_quantity=7)
    cdk.CfnOutput(stack, "Arn", value=r.consumable_resource_arn)
    cdk.CfnOutput(stack, "Name", value=r.consumable_resource_name)
    outputs = Template.from_stack(stack).to_json()["Outputs"]
    ref = {"Ref": stack.get_logical_id(r.node.default_child)}
    assert outputs["Arn"]["Value"] == ref
    assert outputs["Name"]["Value"] == {"Fn::Select": [1, {"Fn::Split": ["/", ref]}]}
    assert r.total_quantity == 7
