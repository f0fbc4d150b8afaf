"""Rule cases for the compute environment flags fargateSubnets (and friends)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2

import cdk_batch as batch

F = batch.flags
ST = ec2.SubnetType


def vpc_of(*kinds: ec2.SubnetType) -> Callable[[cdk.Stack], ec2.IVpc]:
    """A VPC with one subnet group per kind (no NAT gateway without a private group)."""

    def build(s: cdk.Stack) -> ec2.IVpc:
        return ec2.Vpc(
            s,
            "Vpc",
            max_azs=2,
            subnet_configuration=[
                ec2.SubnetConfiguration(name=k.name.lower(), subnet_type=k) for k in kinds
            ],
        )

    return build


def fargate(
    vpc: Callable[[cdk.Stack], ec2.IVpc], *, flag: bool = True, **resources: Any
) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        if flag:
            s.node.set_context(F.FARGATE_SUBNETS, True)
        return batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc(s), type=batch.ComputeResourceType.FARGATE, **resources
            ),
        )

    return build


CASES = [
    (
        "ce-fargate-subnets-public",
        fargate(vpc_of(ST.PUBLIC, ST.PRIVATE_ISOLATED)),
        # The nearest good programs: a VPC with egress, or subnets chosen explicitly.
        fargate(vpc_of(ST.PUBLIC, ST.PRIVATE_WITH_EGRESS)),
    ),
    (
        "ce-fargate-subnets-none",
        fargate(vpc_of(ST.PRIVATE_ISOLATED)),
        fargate(
            vpc_of(ST.PRIVATE_ISOLATED),
            vpc_subnets=ec2.SubnetSelection(subnet_type=ST.PRIVATE_ISOLATED),
        ),
    ),
]

SAYS = {
    "ce-fargate-subnets-public": (
        "compute_resources.vpc_subnets is not set and the VPC has no PRIVATE_WITH_EGRESS "
        "subnets, so the environment uses the VPC's PUBLIC subnets: set assign_public_ip=True"
    ),
    "ce-fargate-subnets-none": (
        "compute_resources.vpc_subnets must be given: the VPC has no PRIVATE_WITH_EGRESS and "
        "no PUBLIC subnets"
    ),
}
