"""ComputeEnvironment: rendering, attributes, importers and the refused props."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, number_token, only_resource, resources_of

T = batch.ComputeResourceType


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


@pytest.fixture
def vpc(stack: cdk.Stack) -> ec2.Vpc:
    return ec2.Vpc(stack, "Vpc")


def make(stack: cdk.Stack, vpc: ec2.IVpc, **resources: object) -> batch.ComputeEnvironment:
    return batch.ComputeEnvironment(
        stack, "CE", compute_resources=batch.ComputeResources(vpc=vpc, **resources)
    )


def errors_of(exc: pytest.ExceptionInfo[BatchValidationError]) -> list[tuple[str, str]]:
    return [(p.rule_id, p.property) for p in exc.value.problems]


# --- rendering ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rendered", "strategy"),
    [
        (None, "EC2", "BEST_FIT"),
        (T.ON_DEMAND, "EC2", "BEST_FIT"),
        (T.SPOT, "SPOT", "SPOT_CAPACITY_OPTIMIZED"),
        (T.FARGATE, "FARGATE", None),
        (T.FARGATE_SPOT, "FARGATE_SPOT", None),
    ],
)
def test_each_type_renders_its_defaults(stack, vpc, kind, rendered, strategy) -> None:
    make(stack, vpc, type=kind)
    props = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]
    cr = props["ComputeResources"]
    assert cr["Type"] == rendered
    assert cr.get("AllocationStrategy") == strategy
    assert cr["MaxvCpus"] == 256
    assert props["Type"] == "MANAGED" and props["State"] == "ENABLED"
    fargate = rendered.startswith("FARGATE")
    assert ("InstanceRole" in cr) is not fargate
    assert ("MinvCpus" in cr) is not fargate
    assert len(resources_of(stack, "AWS::IAM::InstanceProfile")) == (0 if fargate else 1)


def test_unmanaged_environment_has_only_a_service_role(stack) -> None:
    batch.ComputeEnvironment(stack, "CE", managed=False, enabled=False)
    props = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]
    assert props["Type"] == "UNMANAGED"
    assert props["State"] == "DISABLED"
    assert "ComputeResources" not in props
    role = only_resource(stack, "AWS::IAM::Role")
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "batch.amazonaws.com"
    }


def test_given_service_role_replaces_the_created_one(stack, vpc) -> None:
    role = iam.Role.from_role_arn(stack, "Svc", "arn:aws:iam::123456789012:role/svc")
    batch.ComputeEnvironment(
        stack, "CE", service_role=role, compute_resources=batch.ComputeResources(vpc=vpc)
    )
    props = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]
    assert props["ServiceRole"] == "arn:aws:iam::123456789012:role/svc"
    # only the ECS instance role is created
    assert len(resources_of(stack, "AWS::IAM::Role")) == 1


def test_user_spot_fleet_role_is_kept_with_any_strategy(stack, vpc) -> None:
    role = iam.Role.from_role_arn(stack, "Fleet", "arn:aws:iam::123456789012:role/fleet")
    make(
        stack,
        vpc,
        type=T.SPOT,
        allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
        spot_fleet_role=role,
    )
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert cr["SpotIamFleetRole"] == "arn:aws:iam::123456789012:role/fleet"


def test_spot_fleet_role_is_not_rendered_for_on_demand_progressive(stack, vpc) -> None:
    role = iam.Role.from_role_arn(stack, "Fleet", "arn:aws:iam::123456789012:role/fleet")
    make(
        stack,
        vpc,
        spot_fleet_role=role,
        allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
    )
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert "SpotIamFleetRole" not in cr


def test_default_spot_fleet_role_is_the_service_linked_role(stack, vpc) -> None:
    make(stack, vpc, type=T.SPOT)
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert cr["SpotIamFleetRole"]["Fn::Join"][1][-1] == (
        ":role/aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet"
    )


def test_launch_template_renders_only_cloudformation_keys(stack, vpc) -> None:
    make(
        stack,
        vpc,
        launch_template=batch.LaunchTemplateSpecification(
            launch_template_name="lt", version="2", use_network_interface_security_groups=True
        ),
    )
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert cr["LaunchTemplate"] == {"LaunchTemplateName": "lt", "Version": "2"}
    assert "SecurityGroupIds" not in cr
    assert resources_of(stack, "AWS::EC2::SecurityGroup") == {}


def test_structs_accept_plain_dicts(stack, vpc) -> None:
    batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources={
            "vpc": vpc,
            "launch_template": {"launch_template_id": "lt-1"},
            "vpc_subnets": {"subnet_type": ec2.SubnetType.PUBLIC},
        },
    )
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert cr["LaunchTemplate"] == {"LaunchTemplateId": "lt-1"}
    assert all("Public" in s["Ref"] for s in cr["Subnets"])


def test_struct_repr_lists_only_given_fields() -> None:
    spec = batch.LaunchTemplateSpecification(launch_template_name="x")
    assert repr(spec) == "LaunchTemplateSpecification(launch_template_name='x')"
    assert spec == batch.LaunchTemplateSpecification(launch_template_name="x")


# --- attributes and importers --------------------------------------------------


def test_arn_and_name_attributes(stack, vpc) -> None:
    ce = make(stack, vpc)
    logical = stack.get_logical_id(ce.node.default_child)
    assert stack.resolve(ce.compute_environment_arn) == {"Ref": logical}
    assert stack.resolve(ce.compute_environment_name) == {
        "Fn::Select": [1, {"Fn::Split": ["/", {"Ref": logical}]}]
    }


def test_connections_open_access_to_other_resources(stack, vpc) -> None:
    ce = make(stack, vpc)
    fs = efs.FileSystem(stack, "Fs", vpc=vpc)
    fs.connections.allow_default_port_from(ce)
    ingress = [
        r["Properties"] for r in resources_of(stack, "AWS::EC2::SecurityGroupIngress").values()
    ]
    assert any(i["FromPort"] == 2049 and "CEResourceSecurityGroup" in str(i) for i in ingress)


def test_import_reads_the_name_from_the_arn(stack) -> None:
    ce = batch.ComputeEnvironment.from_compute_environment_arn(
        stack, "Imported", "arn:aws:batch:us-east-1:555555555555:compute-environment/My-CE"
    )
    assert ce.compute_environment_arn.endswith(":compute-environment/My-CE")
    assert ce.compute_environment_name == "My-CE"


def test_import_of_a_token_arn_splits_at_deploy_time(stack) -> None:
    arn = cdk.Fn.import_value("CeArn")
    ce = batch.ComputeEnvironment.from_compute_environment_arn(stack, "Imported", arn)
    name = stack.resolve(ce.compute_environment_name)
    assert name["Fn::Select"][0] == 1
    assert "Fn::ImportValue" in str(name)


@pytest.mark.parametrize(
    "arn", ["not-an-arn", "", "arn:aws:batch", "arn:aws:batch:us-east-1:1:compute-environment"]
)
def test_import_refuses_an_arn_without_a_name(stack, arn) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.ComputeEnvironment.from_compute_environment_arn(stack, "Imported", arn)
    assert str(exc.value).startswith(
        "ComputeEnvironment 'Stack/Imported': compute_environment_arn must look like"
    )


# --- refused props -------------------------------------------------------------


def test_managed_environment_needs_compute_resources(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.ComputeEnvironment(stack, "CE")
    assert str(exc.value) == (
        "ComputeEnvironment 'Stack/CE': compute_resources is required when managed is true "
        "(the default) [rule: ce-managed-compute-resources-required]"
    )


def test_unmanaged_environment_refuses_compute_resources(stack, vpc) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.ComputeEnvironment(
            stack, "CE", managed=False, compute_resources=batch.ComputeResources(vpc=vpc)
        )
    assert errors_of(exc) == [("ce-unmanaged-compute-resources-absent", "compute_resources")]
    assert "must not be set when managed is false" in str(exc.value)


@pytest.mark.parametrize("kind", [None, T.ON_DEMAND])
def test_spot_capacity_optimized_needs_spot(stack, vpc, kind) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(
            stack,
            vpc,
            type=kind,
            allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
        )
    assert ("ce-allocation-strategy-spot-only", "compute_resources.allocation_strategy") in (
        errors_of(exc)
    )


@pytest.mark.parametrize("kind", [None, T.ON_DEMAND])
def test_bid_percentage_needs_spot(stack, vpc, kind) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, type=kind, bid_percentage=50)
    assert str(exc.value) == (
        "ComputeEnvironment 'Stack/CE': compute_resources.bid_percentage is only allowed with "
        "type SPOT, got type ON_DEMAND [rule: ce-bid-percentage-spot-only]"
    )


@pytest.mark.parametrize(("bid", "ok"), [(-1, False), (0, True), (100, True), (100.5, False)])
def test_bid_percentage_range(stack, vpc, bid, ok) -> None:
    if ok:
        make(stack, vpc, type=T.SPOT, bid_percentage=bid)
        return
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, type=T.SPOT, bid_percentage=bid)
    assert errors_of(exc) == [("ce-bid-percentage-range", "compute_resources.bid_percentage")]
    assert "must be between 0 and 100" in str(exc.value)


@pytest.mark.parametrize(
    ("minv", "maxv", "ok"),
    [
        (-1, None, False),
        (0, None, True),
        (256, None, True),
        (257, None, False),
        (8, 4, False),
        (4, 4, True),
    ],
)
def test_vcpu_bounds(stack, vpc, minv, maxv, ok) -> None:
    if ok:
        make(stack, vpc, minv_cpus=minv, maxv_cpus=maxv)
        return
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, minv_cpus=minv, maxv_cpus=maxv)
    assert exc.value.problems[0].property == "compute_resources.minv_cpus"


def test_vcpu_order_message_names_the_maximum(stack, vpc) -> None:
    with pytest.raises(BatchValidationError, match=r"must not exceed maxv_cpus \(4\), got 8"):
        make(stack, vpc, minv_cpus=8, maxv_cpus=4)


def test_tokens_are_left_for_cloudformation(stack, vpc) -> None:
    n = number_token(stack)
    make(stack, vpc, type=T.SPOT, minv_cpus=n, maxv_cpus=n, bid_percentage=n)
    cr = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"]["ComputeResources"]
    assert cr["MinvCpus"] == {"Ref": "N"}
    assert cr["BidPercentage"] == {"Ref": "N"}


@pytest.mark.parametrize(
    "lt",
    [
        batch.LaunchTemplateSpecification(),
        batch.LaunchTemplateSpecification(launch_template_id="a", launch_template_name="b"),
    ],
)
def test_launch_template_needs_exactly_one_of_id_and_name(stack, vpc, lt) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, launch_template=lt)
    assert errors_of(exc) == [
        ("ce-launch-template-id-or-name", "compute_resources.launch_template")
    ]


def test_security_groups_exclude_network_interface_security_groups(stack, vpc) -> None:
    sg = ec2.SecurityGroup(stack, "Sg", vpc=vpc)
    with pytest.raises(BatchValidationError) as exc:
        make(
            stack,
            vpc,
            security_groups=[sg],
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_name="lt", use_network_interface_security_groups=True
            ),
        )
    assert errors_of(exc) == [
        ("ce-security-groups-network-interfaces", "compute_resources.security_groups")
    ]


def test_fargate_refuses_every_ec2_only_field_at_once(stack, vpc) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(
            stack,
            vpc,
            type=T.FARGATE_SPOT,
            minv_cpus=0,
            desiredv_cpus=1,
            instance_types=[ec2.InstanceType("m5.large")],
            ec2_key_pair="k",
            placement_group="pg",
        )
    text = str(exc.value)
    assert text.startswith("5 problems in ComputeEnvironment 'Stack/CE':\n")
    assert (
        "  compute_resources.minv_cpus: must not be set for type FARGATE_SPOT; it only applies "
        "to EC2 and Spot compute environments [rule: ce-fargate-ec2-only-fields]"
    ) in text
    assert {p.property for p in exc.value.problems} == {
        "compute_resources.minv_cpus",
        "compute_resources.desiredv_cpus",
        "compute_resources.instance_types",
        "compute_resources.ec2_key_pair",
        "compute_resources.placement_group",
    }


def test_fargate_reports_a_bid_once(stack, vpc) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, type=T.FARGATE, bid_percentage=50)
    assert errors_of(exc) == [("ce-fargate-ec2-only-fields", "compute_resources.bid_percentage")]


def test_errors_are_value_errors(stack) -> None:
    with pytest.raises(ValueError):
        batch.ComputeEnvironment(stack, "CE")


def test_spot_price_capacity_optimized_renders_for_spot_without_a_fleet_role(stack, vpc) -> None:
    make(
        stack,
        vpc,
        type=batch.ComputeResourceType.SPOT,
        allocation_strategy=batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
    )
    rendered = only_resource(stack, "AWS::Batch::ComputeEnvironment")["Properties"][
        "ComputeResources"
    ]
    assert rendered["AllocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    assert "SpotIamFleetRole" not in rendered


def test_spot_price_capacity_optimized_needs_spot(stack, vpc) -> None:
    with pytest.raises(BatchValidationError) as exc:
        make(stack, vpc, allocation_strategy=batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED)
    assert errors_of(exc) == [
        ("ce-allocation-strategy-spot-only", "compute_resources.allocation_strategy")
    ]
