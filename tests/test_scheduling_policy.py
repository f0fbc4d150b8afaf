"""FairshareSchedulingPolicy: rendering, add_share, importers, and the stable module as oracle."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as stable
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource

POLICY = "AWS::Batch::SchedulingPolicy"


def policy_props(stack: cdk.Stack) -> dict[str, Any]:
    return only_resource(stack, POLICY)["Properties"]


# The same settings, written for both modules; each renders one policy.
SETTINGS: dict[str, dict[str, Any]] = {
    "empty": {},
    "name": {"scheduling_policy_name": "teams"},
    "reservation": {"compute_reservation": 25},
    "decay": {"share_decay": cdk.Duration.hours(2)},
    "decay-zero": {"share_decay": cdk.Duration.seconds(0)},
    "shares": {
        "shares": [
            {"share_identifier": "teamA*", "weight_factor": 0.5},
            {"share_identifier": "teamB", "weight_factor": 2},
        ]
    },
    "everything": {
        "scheduling_policy_name": "all",
        "compute_reservation": 10,
        "share_decay": cdk.Duration.minutes(30),
        "shares": [{"share_identifier": "x", "weight_factor": 0.0001}],
    },
}


def _ours(setting: dict[str, Any]) -> dict[str, Any]:
    stack = new_stack()
    kwargs = dict(setting)
    if "shares" in kwargs:
        kwargs["shares"] = [batch.Share(**s) for s in kwargs["shares"]]
    batch.FairshareSchedulingPolicy(stack, "Policy", **kwargs)
    return only_resource(stack, POLICY)


def _stable(setting: dict[str, Any]) -> dict[str, Any]:
    stack = new_stack()
    kwargs = dict(setting)
    if "shares" in kwargs:
        kwargs["shares"] = [stable.Share(**s) for s in kwargs["shares"]]
    stable.FairshareSchedulingPolicy(stack, "Policy", **kwargs)
    return only_resource(stack, POLICY)


@pytest.mark.parametrize("setting", SETTINGS.values(), ids=list(SETTINGS))
def test_policy_matches_the_stable_module(setting: dict[str, Any]) -> None:
    assert _ours(setting) == _stable(setting)


def test_shares_added_later_match_the_stable_module() -> None:
    ours, theirs = new_stack(), new_stack()
    p = batch.FairshareSchedulingPolicy(
        ours, "Policy", shares=[batch.Share(share_identifier="a", weight_factor=1)]
    )
    q = stable.FairshareSchedulingPolicy(
        theirs, "Policy", shares=[stable.Share(share_identifier="a", weight_factor=1)]
    )
    for target in (p, q):
        target.add_share(share_identifier="b*", weight_factor=0.25)
        target.add_share(share_identifier="c", weight_factor=3)
    assert only_resource(ours, POLICY) == only_resource(theirs, POLICY)
    assert policy_props(ours)["FairsharePolicy"]["ShareDistribution"] == [
        {"ShareIdentifier": "a", "WeightFactor": 1},
        {"ShareIdentifier": "b*", "WeightFactor": 0.25},
        {"ShareIdentifier": "c", "WeightFactor": 3},
    ]


def test_an_empty_policy_still_renders_a_fairshare_policy() -> None:
    stack = new_stack()
    batch.FairshareSchedulingPolicy(stack, "Policy")
    assert policy_props(stack) == {"FairsharePolicy": {"ShareDistribution": []}}


def test_dict_shares_are_accepted() -> None:
    stack = new_stack()
    batch.FairshareSchedulingPolicy(
        stack, "Policy", shares=[{"share_identifier": "t", "weight_factor": 0.5}]
    )
    assert policy_props(stack)["FairsharePolicy"]["ShareDistribution"] == [
        {"ShareIdentifier": "t", "WeightFactor": 0.5}
    ]


def test_add_share_refuses_an_overlap_and_keeps_the_policy_unchanged() -> None:
    stack = new_stack()
    p = batch.FairshareSchedulingPolicy(
        stack, "Policy", shares=[batch.Share(share_identifier="UserA*", weight_factor=1)]
    )
    with pytest.raises(BatchValidationError) as err:
        p.add_share(share_identifier="UserA1", weight_factor=1)
    assert [x.rule_id for x in err.value.problems] == ["sp-share-identifier-overlap"]
    assert [s.share_identifier for s in p.shares] == ["UserA*"]
    assert len(policy_props(stack)["FairsharePolicy"]["ShareDistribution"]) == 1


def test_attributes() -> None:
    stack = new_stack()
    p = batch.FairshareSchedulingPolicy(
        stack, "Policy", compute_reservation=5, share_decay=cdk.Duration.minutes(10)
    )
    cdk.CfnOutput(stack, "Arn", value=p.scheduling_policy_arn)
    cdk.CfnOutput(stack, "Name", value=p.scheduling_policy_name)
    outputs = Template.from_stack(stack).to_json()["Outputs"]
    logical_id = stack.get_logical_id(p.node.default_child)
    assert outputs["Arn"]["Value"] == {"Fn::GetAtt": [logical_id, "Arn"]}
    # The ARN ends in scheduling-policy/NAME; the stable module returns the ARN here.
    assert outputs["Name"]["Value"] == {
        "Fn::Select": [1, {"Fn::Split": ["/", {"Fn::GetAtt": [logical_id, "Arn"]}]}]
    }
    assert p.compute_reservation == 5
    assert p.share_decay is not None and p.share_decay.to_seconds() == 600


def test_import_by_arn() -> None:
    stack = new_stack()
    p = batch.FairshareSchedulingPolicy.from_fairshare_scheduling_policy_arn(
        stack, "Imported", "arn:aws:batch:us-east-1:123456789012:scheduling-policy/teams"
    )
    assert p.scheduling_policy_name == "teams"
    assert p.scheduling_policy_arn == "arn:aws:batch:us-east-1:123456789012:scheduling-policy/teams"


def test_import_refuses_an_arn_without_a_name() -> None:
    with pytest.raises(BatchValidationError) as err:
        batch.FairshareSchedulingPolicy.from_fairshare_scheduling_policy_arn(
            new_stack(), "Imported", "arn:aws:batch:us-east-1:123456789012:scheduling-policy"
        )
    assert err.value.problems[0].rule_id == "sp-import-arn-format"
    assert err.value.problems[0].property == "scheduling_policy_arn"
