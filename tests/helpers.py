"""Small helpers shared by the unit tests."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template


def new_stack(name: str = "Stack", **kwargs: Any) -> cdk.Stack:
    return cdk.Stack(cdk.App(), name, **kwargs)


def resources_of(stack: cdk.Stack, cfn_type: str) -> dict[str, Any]:
    found: dict[str, Any] = Template.from_stack(stack).find_resources(cfn_type)
    return found


def only_resource(stack: cdk.Stack, cfn_type: str) -> dict[str, Any]:
    found = resources_of(stack, cfn_type)
    assert len(found) == 1, f"expected one {cfn_type}, found {sorted(found)}"
    return next(iter(found.values()))


def number_token(stack: cdk.Stack, name: str = "N") -> float:
    return cdk.CfnParameter(stack, name, type="Number").value_as_number
