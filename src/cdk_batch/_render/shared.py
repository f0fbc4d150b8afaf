"""Values shared across constructs, fetched from the CDK runtime once.

Every call from Python into aws-cdk-lib is a round trip to the Node.js
process. Values that do not depend on the calling construct (a service
principal, an AWS managed policy) or that cannot change once made (the subnet
ids a VPC selection yields, a stack's region and account) are fetched once per
process and reused.
"""

from __future__ import annotations

import weakref
from typing import Any

from aws_cdk import CfnResource, Resource, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct, IDependable

_principals: dict[str, iam.ServicePrincipal] = {}
_policies: dict[str, iam.IManagedPolicy] = {}
# Weak keys: the caches live as long as the VPCs and stacks they describe.
# Per VPC and selection: what select_subnets returned, and the fields read from it.
_selections: weakref.WeakKeyDictionary[
    ec2.IVpc, dict[str, tuple[ec2.SelectedSubnets, dict[str, Any]]]
] = weakref.WeakKeyDictionary()
_stacks: weakref.WeakKeyDictionary[Stack, tuple[str, str]] = weakref.WeakKeyDictionary()

_SELECTION_FIELDS = (
    "availability_zones",
    "one_per_az",
    "subnet_filters",
    "subnet_group_name",
    "subnets",
    "subnet_type",
)


def service_principal(service: str) -> iam.ServicePrincipal:
    """The service principal of ``service`` (``batch.amazonaws.com``)."""
    found = _principals.get(service)
    if found is None:
        found = _principals[service] = iam.ServicePrincipal(service)
    return found


def aws_managed_policy(name: str) -> iam.IManagedPolicy:
    """The AWS managed policy ``name`` (``service-role/AWSBatchServiceRole``)."""
    found = _policies.get(name)
    if found is None:
        found = _policies[name] = iam.ManagedPolicy.from_aws_managed_policy_name(name)
    return found


def _selection_kwargs(selection: ec2.SubnetSelection | None) -> dict[str, Any]:
    """The fields ``selection`` sets, as keywords of ``select_subnets``."""
    if selection is None:
        return {}
    return {
        k: getattr(selection, k) for k in _SELECTION_FIELDS if getattr(selection, k) is not None
    }


def _selected(vpc: ec2.IVpc, kwargs: dict[str, Any], field: str) -> Any:
    """``field`` of ``vpc.select_subnets(**kwargs)``, selected and read once per VPC."""
    selections = _selections.setdefault(vpc, {})
    key = repr(sorted(kwargs.items()))
    entry = selections.get(key)
    if entry is None:
        entry = selections[key] = (vpc.select_subnets(**kwargs), {})
    selected, fields = entry
    if field not in fields:
        fields[field] = getattr(selected, field)
    return fields[field]


def subnet_ids(vpc: ec2.IVpc, selection: ec2.SubnetSelection | None) -> list[str]:
    """The ids of the subnets of ``vpc`` that ``selection`` picks.

    A selection of explicit subnets and nothing else picks exactly those
    subnets: their ids are read one by one. (``select_subnets`` would return
    its whole result, availability zones included, and reading the zone of
    a subnet imported by id alone, or of one whose id is a token, fails.)
    """
    kwargs = _selection_kwargs(selection)
    if set(kwargs) == {"subnets"}:
        return [subnet.subnet_id for subnet in kwargs["subnets"]]
    ids: list[str] = _selected(vpc, kwargs, "subnet_ids")
    return ids


def internet_connectivity(
    vpc: ec2.IVpc, selection: ec2.SubnetSelection | None
) -> list[IDependable]:
    """What the subnets ``selection`` picks need before they reach the internet.

    Explicit subnets are read one by one, as in :func:`subnet_ids`.
    """
    kwargs = _selection_kwargs(selection)
    if set(kwargs) == {"subnets"}:
        return [subnet.internet_connectivity_established for subnet in kwargs["subnets"]]
    return [_selected(vpc, kwargs, "internet_connectivity_established")]


def stack_of(scope: Construct) -> Stack:
    """The stack ``scope`` is in (no round trip when ``scope`` is the stack)."""
    return scope if isinstance(scope, Stack) else Stack.of(scope)


def region_and_account(stack: Stack) -> tuple[str, str]:
    """The region and account of ``stack`` (tokens for an environment-agnostic stack)."""
    found = _stacks.get(stack)
    if found is None:
        found = _stacks[stack] = (stack.region, stack.account)
    return found


def arn_attribute(
    resource: Resource,
    cfn_resource: CfnResource,
    kind: str,
    physical_name: str | None,
    *,
    arn: str | None = None,
) -> str:
    """The ARN of a Batch resource: its ``Ref``, or ``arn`` (an ARN attribute) if given.

    With a physical name, a reference from another environment builds the ARN
    from the name (``arn:...:batch:REGION:ACCOUNT:KIND/NAME``); without one,
    the token is all there is, as CDK allows no cross-environment reference
    to an unnamed resource.
    """
    token = cfn_resource.ref if arn is None else arn
    if physical_name is None:
        return token
    return resource._get_resource_arn_attribute(
        token, resource=kind, service="batch", resource_name=physical_name
    )
