"""ComputeEnvironment programs of our own, compared with the reference.

Together they set every ComputeResources field and every type (EC2, SPOT,
FARGATE, FARGATE_SPOT, unmanaged).
"""

from __future__ import annotations

from types import ModuleType

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from .harness import assert_same_template

pytestmark = pytest.mark.conformance


def every_ec2_field(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    sg = ec2.SecurityGroup(s, "UserSG", vpc=vpc)
    service_role = iam.Role(
        s, "ServiceRole", assumed_by=iam.ServicePrincipal("batch.amazonaws.com")
    )
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_environment_name="every-field",
        enabled=False,
        managed=True,
        service_role=service_role,
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            instance_role="arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_id="lt-0123456789abcdef0", version="3"
            ),
            instance_types=[ec2.InstanceType("m5.large"), ec2.InstanceType("c5")],
            security_groups=[sg],
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            desiredv_cpus=8,
            maxv_cpus=64,
            minv_cpus=2,
            placement_group="my-placement-group",
            ec2_key_pair="my-key",
            image=ec2.MachineImage.generic_linux({"us-east-1": "ami-12345678"}),
            compute_resources_tags={"Name": "batch-instance", "team": "data"},
            type=batch.ComputeResourceType.ON_DEMAND,
        ),
    )


def spot(strategy: str | None, with_role: bool, bid: float | None = None):
    def program(s: cdk.Stack, batch: ModuleType) -> None:
        vpc = ec2.Vpc(s, "Vpc")
        role = (
            iam.Role(s, "FleetRole", assumed_by=iam.ServicePrincipal("spotfleet.amazonaws.com"))
            if with_role
            else None
        )
        batch.ComputeEnvironment(
            s,
            "Spot",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                type=batch.ComputeResourceType.SPOT,
                allocation_strategy=(
                    getattr(batch.AllocationStrategy, strategy) if strategy else None
                ),
                spot_fleet_role=role,
                bid_percentage=bid,
            ),
        )

    return program


def fargate(kind: str, **extra: object):
    def program(s: cdk.Stack, batch: ModuleType) -> None:
        vpc = ec2.Vpc(s, "Vpc")
        kwargs = dict(extra)
        if kwargs.pop("user_sg", False):
            kwargs["security_groups"] = [ec2.SecurityGroup(s, "UserSG", vpc=vpc)]
        batch.ComputeEnvironment(
            s,
            "Fargate",
            compute_resources=batch.ComputeResources(
                vpc=vpc, type=getattr(batch.ComputeResourceType, kind), **kwargs
            ),
        )

    return program


def unmanaged(s: cdk.Stack, batch: ModuleType) -> None:
    role = iam.Role.from_role_arn(s, "Svc", "arn:aws:iam::123456789012:role/batch-service")
    batch.ComputeEnvironment(s, "Plain", managed=False)
    batch.ComputeEnvironment(
        s, "Named", managed=False, enabled=False, compute_environment_name="mine", service_role=role
    )


def from_dicts(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources={
            "vpc": vpc,
            "launch_template": {"launch_template_name": "my-template", "version": "$Latest"},
            "vpc_subnets": {"subnet_type": ec2.SubnetType.PRIVATE_WITH_EGRESS},
        },
    )


def tokens(s: cdk.Stack, batch: ModuleType) -> None:
    # The reference refuses a token for minv_cpus or bid_percentage (it compares
    # the encoded number); the unit tests cover those for cdk_batch alone.
    vpc = ec2.Vpc(s, "Vpc")
    maxv = cdk.CfnParameter(s, "MaxV", type="Number")
    name = cdk.CfnParameter(s, "Name")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_environment_name=name.value_as_string,
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            type=batch.ComputeResourceType.SPOT,
            maxv_cpus=maxv.value_as_number,
        ),
    )


def ami_from_ssm(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc, image=ec2.MachineImage.latest_amazon_linux2()
        ),
    )


def two_environments_one_vpc(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc", max_azs=3)
    a = batch.ComputeEnvironment(s, "A", compute_resources=batch.ComputeResources(vpc=vpc))
    b = batch.ComputeEnvironment(
        s,
        "B",
        compute_resources=batch.ComputeResources(vpc=vpc, type=batch.ComputeResourceType.FARGATE),
    )
    a.connections.allow_from(b, ec2.Port.tcp(443))
    cdk.CfnOutput(s, "AArn", value=a.compute_environment_arn)
    cdk.CfnOutput(s, "BArn", value=b.compute_environment_arn)


def empty_values(s: cdk.Stack, batch: ModuleType) -> None:
    # Empty lists and zero values that the alpha renders as given (or, for a
    # maxv_cpus of 0, as the default).
    vpc = ec2.Vpc(s, "Vpc")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            security_groups=[],
            instance_types=[],
            maxv_cpus=0,
            minv_cpus=0,
            desiredv_cpus=0,
            compute_resources_tags={},
        ),
    )


def fargate_tags(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc, type=batch.ComputeResourceType.FARGATE, compute_resources_tags={"a": "b"}
        ),
    )


def on_demand_with_fleet_role(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    role = iam.Role.from_role_arn(s, "Fleet", "arn:aws:iam::123456789012:role/fleet")
    batch.ComputeEnvironment(
        s, "A", compute_resources=batch.ComputeResources(vpc=vpc, spot_fleet_role=role)
    )
    batch.ComputeEnvironment(
        s,
        "B",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            spot_fleet_role=role,
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
        ),
    )


def network_interface_security_groups(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_id="lt-1", use_network_interface_security_groups=True
            ),
        ),
    )


def tags_and_nesting(s: cdk.Stack, batch: ModuleType) -> None:
    from constructs import Construct

    vpc = ec2.Vpc(s, "Vpc")
    group = Construct(s, "Group")
    batch.ComputeEnvironment(group, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
    cdk.Tags.of(s).add("team", "blue")


def imported_vpc(s: cdk.Stack, batch: ModuleType) -> None:
    vpc = ec2.Vpc.from_vpc_attributes(
        s,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    )
    batch.ComputeEnvironment(s, "CE", compute_resources=batch.ComputeResources(vpc=vpc))


PROGRAMS = {
    "empty-values": empty_values,
    "fargate-tags": fargate_tags,
    "on-demand-with-fleet-role": on_demand_with_fleet_role,
    "network-interface-security-groups": network_interface_security_groups,
    "tags-and-nesting": tags_and_nesting,
    "imported-vpc": imported_vpc,
    "every-ec2-field": every_ec2_field,
    "spot-default": spot(None, False),
    "spot-bid": spot(None, False, bid=40),
    "spot-best-fit": spot("BEST_FIT", False),
    "spot-best-fit-role": spot("BEST_FIT", True),
    "spot-default-role": spot(None, True),
    "spot-progressive": spot("BEST_FIT_PROGRESSIVE", False),
    "spot-capacity-optimized": spot("SPOT_CAPACITY_OPTIMIZED", False, bid=100),
    "fargate": fargate("FARGATE"),
    "fargate-spot": fargate("FARGATE_SPOT"),
    "fargate-settings": fargate(
        "FARGATE",
        maxv_cpus=16,
        user_sg=True,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
    ),
    "unmanaged": unmanaged,
    "from-dicts": from_dicts,
    "tokens": tokens,
    "ami-from-ssm": ami_from_ssm,
    "two-environments-one-vpc": two_environments_one_vpc,
}


@pytest.mark.parametrize("program", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_matches_reference(program) -> None:
    assert_same_template(program)


def test_matches_reference_in_an_environment_specific_stack() -> None:
    assert_same_template(
        spot(None, False), env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
