"""The corrected-defaults flags of compute environment roles, VPC dependency and subnets.

D1 spotFleetRole, D2 serviceLinkedRole, D3 preciseVpcDependency and D11
fargateSubnets (docs/corrected-defaults.md). For each: off renders what the
reference alpha renders; on renders the corrected output of the spec; an
explicit keyword beats the flag; a flag set on one stack leaves its sibling
alone; the flag-on templates pass cfn-lint. Where the stable
``aws_cdk.aws_batch`` has the same behaviour, the fragments are compared with
its output.
"""

from __future__ import annotations

import json
import tempfile
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as reference
import pytest
from aws_cdk import aws_batch as stable
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct, Dependable

import cdk_batch
from cdk_batch.errors import BatchValidationError
from cdk_batch.migrate._compare import Difference, compare_templates

from .conformance.harness import assert_same_template, differences
from .conformance.harness import synth as synth_with
from .lint import cfn_lint_errors

F = cdk_batch.flags
FLAGS = (F.SPOT_FLEET_ROLE, F.SERVICE_LINKED_ROLE, F.PRECISE_VPC_DEPENDENCY, F.FARGATE_SUBNETS)
ALL_ON = {flag: True for flag in FLAGS}
ST = ec2.SubnetType

SPOT_FLEET_TRUST = {
    "Statement": [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "spotfleet.amazonaws.com"},
        }
    ],
    "Version": "2012-10-17",
}
TAGGING_POLICY = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole",
        ],
    ]
}
IMPORTED_ROLE_ARN = "arn:aws:iam::123456789012:role/batch-service"


def no_egress_vpc(scope: Construct, id: str) -> ec2.Vpc:
    """A VPC with public and isolated subnets only (no NAT, no private-with-egress)."""
    return ec2.Vpc(
        scope,
        id,
        max_azs=2,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ST.PUBLIC),
            ec2.SubnetConfiguration(name="isolated", subnet_type=ST.PRIVATE_ISOLATED),
        ],
    )


def program(stack: cdk.Stack, batch: ModuleType) -> dict[str, Any]:
    """Every situation the four flags change, valid for the alpha and for cdk_batch."""
    T = batch.ComputeResourceType
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    no_egress = no_egress_vpc(stack, "NoEgress")
    res = batch.ComputeResources
    batch.ComputeEnvironment(
        stack,
        "SpotBestFit",
        compute_resources=res(
            vpc=vpc, type=T.SPOT, allocation_strategy=batch.AllocationStrategy.BEST_FIT
        ),
    )
    batch.ComputeEnvironment(stack, "SpotDefault", compute_resources=res(vpc=vpc, type=T.SPOT))
    batch.ComputeEnvironment(stack, "OnDemand", compute_resources=res(vpc=vpc))
    role = iam.Role(
        stack,
        "ServiceRole",
        assumed_by=iam.ServicePrincipal("batch.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSBatchServiceRole")
        ],
    )
    role.add_to_policy(iam.PolicyStatement(actions=["ec2:DescribeImages"], resources=["*"]))
    batch.ComputeEnvironment(
        stack, "WithRole", service_role=role, compute_resources=res(vpc=vpc, type=T.FARGATE)
    )
    batch.ComputeEnvironment(
        stack,
        "WithImportedRole",
        managed=False,
        service_role=iam.Role.from_role_arn(stack, "Imported", IMPORTED_ROLE_ARN),
    )
    batch.ComputeEnvironment(stack, "Fargate", compute_resources=res(vpc=vpc, type=T.FARGATE))
    batch.ComputeEnvironment(
        stack, "FargateNoEgress", compute_resources=res(vpc=no_egress, type=T.FARGATE_SPOT)
    )
    batch.ComputeEnvironment(stack, "Ec2NoEgress", compute_resources=res(vpc=no_egress))
    return {"vpc": vpc, "no_egress": no_egress}


class Built:
    """A program built with cdk_batch: the stack, what the program returned, the template."""

    def __init__(self, build: Any, context: dict[str, Any] | None = None) -> None:
        with tempfile.TemporaryDirectory() as outdir:
            self.app = cdk.App(outdir=outdir, context=context)
            self.stack = cdk.Stack(self.app, "Stack")
            self.handles = build(self.stack, cdk_batch)
            self.template: dict[str, Any] = self.app.synth().get_stack_by_name("Stack").template
        self.resources: dict[str, Any] = self.template["Resources"]

    def id_of(self, path: str) -> str:
        """The logical id of the construct at ``path`` (its default child for an L2)."""
        node: Any = self.stack
        for part in path.split("/"):
            node = node.node.find_child(part)
        if not isinstance(node, cdk.CfnElement):
            node = node.node.default_child
        return self.stack.get_logical_id(node)  # type: ignore[arg-type]

    def ce(self, id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.resources[self.id_of(id)]
        assert found["Type"] == "AWS::Batch::ComputeEnvironment"
        return found

    def warnings(self, id: str) -> list[str]:
        construct = self.stack.node.find_child(id)
        return [str(m.data) for m in construct.node.metadata if m.type == "aws:cdk:warning"]

    def subnet_refs(self, subnets: list[ec2.ISubnet]) -> list[Any]:
        return [self.stack.resolve(s.subnet_id) for s in subnets]

    def connectivity_ids(self, subnets: list[ec2.ISubnet]) -> list[str]:
        """The logical ids behind the subnets' ``internet_connectivity_established``."""
        roots = [
            root
            for s in subnets
            for root in Dependable.of(s.internet_connectivity_established).dependency_roots
        ]
        return sorted(self.stack.get_logical_id(r) for r in roots)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def on() -> Built:
    return Built(program, ALL_ON)


@pytest.fixture(scope="module")
def off() -> Built:
    return Built(program)


def roles_trusting(built: Built, service: str) -> dict[str, Any]:
    return {
        k: r
        for k, r in built.resources.items()
        if r["Type"] == "AWS::IAM::Role"
        and r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        == {"Service": service}
    }


# --- flags off: the reference ---------------------------------------------------


@pytest.mark.parametrize("value", [None, False, "false"], ids=["absent", "False", "'false'"])
def test_off_renders_the_reference(value: object) -> None:
    context = None if value is None else {flag: value for flag in FLAGS}
    assert_same_template(program, context=context)


def test_off_keeps_the_classic_roles_and_the_whole_vpc_dependency(off: Built) -> None:
    # What the flags change, present in the classic output.
    assert "AWSServiceRoleForEC2SpotFleet" in json.dumps(off.ce("SpotBestFit"))
    assert "ServiceRole" in off.ce("Fargate")["Properties"]
    assert len(off.ce("OnDemand")["DependsOn"]) > 20  # every resource of the 2-AZ VPC


# --- D1 spotFleetRole -------------------------------------------------------------


def test_spot_best_fit_gets_a_new_fleet_role_with_the_tagging_policy(on: Built) -> None:
    fleet = roles_trusting(on, "spotfleet.amazonaws.com")
    assert len(fleet) == 1
    ((role_id, role),) = fleet.items()
    assert role["Properties"] == {
        "AssumeRolePolicyDocument": SPOT_FLEET_TRUST,
        "ManagedPolicyArns": [TAGGING_POLICY],
    }
    cr = on.ce("SpotBestFit")["Properties"]["ComputeResources"]
    assert cr["SpotIamFleetRole"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert role_id == on.id_of("SpotBestFit/SpotFleetRole")


def test_other_spot_strategies_get_no_fleet_role(on: Built) -> None:
    cr = on.ce("SpotDefault")["Properties"]["ComputeResources"]
    assert cr["AllocationStrategy"] == "SPOT_CAPACITY_OPTIMIZED"
    assert "SpotIamFleetRole" not in cr
    assert "AWSServiceRoleForEC2SpotFleet" not in json.dumps(on.template)


def test_the_fleet_role_matches_the_stable_module_but_for_the_policy(on: Built) -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    stable.ManagedEc2EcsComputeEnvironment(
        stack,
        "SpotBestFit",
        vpc=vpc,
        spot=True,
        allocation_strategy=stable.AllocationStrategy.BEST_FIT,
    )
    theirs = app.synth().get_stack_by_name("Stack").template["Resources"]
    ours_id = on.id_of("SpotBestFit/SpotFleetRole")
    assert theirs[ours_id]["Type"] == "AWS::IAM::Role"
    # Same role and reference; we add the managed policy on purpose (docs D1).
    assert theirs[ours_id]["Properties"] == {"AssumeRolePolicyDocument": SPOT_FLEET_TRUST}
    their_ce = next(r for r in theirs.values() if r["Type"] == "AWS::Batch::ComputeEnvironment")
    ours_cr = on.ce("SpotBestFit")["Properties"]["ComputeResources"]
    assert (
        their_ce["Properties"]["ComputeResources"]["SpotIamFleetRole"]
        == ours_cr["SpotIamFleetRole"]
    )


def test_the_service_linked_fleet_role_warning_is_gone_with_the_flag(on: Built, off: Built) -> None:
    rule = "[rule: ce-spot-fleet-role-service-linked]"
    for ce in ("SpotBestFit", "SpotDefault"):
        assert any(rule in w for w in off.warnings(ce))
        assert not any(rule in w for w in on.warnings(ce))
    assert any(F.SPOT_FLEET_ROLE in w for w in off.warnings("SpotBestFit"))


@pytest.mark.parametrize(
    "strategy",
    [None, "BEST_FIT", "SPOT_CAPACITY_OPTIMIZED", "SPOT_PRICE_CAPACITY_OPTIMIZED"],
)
def test_a_user_fleet_role_beats_the_flag(strategy: str | None) -> None:
    def build(stack: cdk.Stack, batch: ModuleType) -> None:
        role = iam.Role.from_role_arn(stack, "Fleet", "arn:aws:iam::123456789012:role/fleet")
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=ec2.Vpc(stack, "Vpc", max_azs=1),
                type=batch.ComputeResourceType.SPOT,
                spot_fleet_role=role,
                allocation_strategy=getattr(batch.AllocationStrategy, strategy)
                if strategy
                else None,
            ),
        )

    built = Built(build, {F.SPOT_FLEET_ROLE: True})
    cr = built.ce("CE")["Properties"]["ComputeResources"]
    assert cr["SpotIamFleetRole"] == "arn:aws:iam::123456789012:role/fleet"
    assert roles_trusting(built, "spotfleet.amazonaws.com") == {}


def test_passing_the_service_linked_fleet_role_keeps_a_live_environment_as_it_was() -> None:
    # The recipe in docs/corrected-defaults.md (D1): with the flag on, the
    # classic value is rendered when the service-linked role is given.
    def build(stack: cdk.Stack, batch: ModuleType) -> None:
        vpc = ec2.Vpc(stack, "Vpc", max_azs=1)
        kwargs: dict[str, Any] = {}
        if batch is cdk_batch:
            arn = stack.format_arn(
                service="iam",
                region="",
                resource="role",
                resource_name="aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet",
            )
            kwargs["spot_fleet_role"] = iam.Role.from_role_arn(stack, "SpotFleetSlr", arn)
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc, type=batch.ComputeResourceType.SPOT, **kwargs
            ),
        )

    assert differences(build, context={F.SPOT_FLEET_ROLE: True}) == []


def test_on_demand_gets_no_fleet_role(on: Built) -> None:
    assert "SpotIamFleetRole" not in on.ce("OnDemand")["Properties"]["ComputeResources"]


# --- D2 serviceLinkedRole ---------------------------------------------------------


def test_no_service_role_is_rendered_or_created(on: Built) -> None:
    for ce in ("SpotBestFit", "SpotDefault", "OnDemand", "Fargate", "FargateNoEgress"):
        assert "ServiceRole" not in on.ce(ce)["Properties"], ce
    # Only the user's own role trusts Batch; no role carries AWSBatchServiceRole but it.
    assert list(roles_trusting(on, "batch.amazonaws.com")) == [on.id_of("ServiceRole")]
    assert json.dumps(on.template).count("AWSBatchServiceRole") == 1


def test_no_service_role_matches_the_stable_module(on: Built) -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    stable.FargateComputeEnvironment(stack, "Fargate", vpc=ec2.Vpc(stack, "Vpc", max_azs=2))
    theirs = app.synth().get_stack_by_name("Stack").template["Resources"]
    their_ce = next(r for r in theirs.values() if r["Type"] == "AWS::Batch::ComputeEnvironment")
    assert "ServiceRole" not in their_ce["Properties"]
    assert not [r for r in theirs.values() if r["Type"] == "AWS::IAM::Role"]


def test_a_user_role_is_rendered_and_depended_on_with_its_policy(on: Built) -> None:
    ce = on.ce("WithRole")
    role_id = on.id_of("ServiceRole")
    assert ce["Properties"]["ServiceRole"] == {"Fn::GetAtt": [role_id, "Arn"]}
    policy_id = on.id_of("ServiceRole/DefaultPolicy")
    assert on.resources[policy_id]["Type"] == "AWS::IAM::Policy"
    assert {role_id, policy_id} <= set(ce["DependsOn"])


def test_a_policy_added_after_the_environment_is_depended_on_too() -> None:
    def build(stack: cdk.Stack, batch: ModuleType) -> None:
        role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("batch.amazonaws.com"))
        batch.ComputeEnvironment(stack, "CE", managed=False, service_role=role)
        role.add_to_policy(iam.PolicyStatement(actions=["ec2:DescribeImages"], resources=["*"]))

    built = Built(build, {F.SERVICE_LINKED_ROLE: True})
    assert sorted(built.ce("CE")["DependsOn"]) == sorted(
        [built.id_of("Role"), built.id_of("Role/DefaultPolicy")]
    )


def test_an_imported_role_adds_no_dependency(on: Built) -> None:
    ce = on.ce("WithImportedRole")
    assert ce["Properties"]["ServiceRole"] == IMPORTED_ROLE_ARN
    assert "DependsOn" not in ce


def test_without_the_flag_a_user_role_adds_no_dependency(off: Built) -> None:
    assert off.id_of("ServiceRole") not in off.ce("WithRole")["DependsOn"]


def test_infrastructure_update_warning_knows_the_service_linked_role() -> None:
    def build(stack: cdk.Stack, batch: ModuleType) -> None:
        batch.ComputeEnvironment(
            stack,
            "CE",
            replace_compute_environment=False,
            compute_resources=batch.ComputeResources(
                vpc=ec2.Vpc(stack, "Vpc", max_azs=1),
                allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            ),
        )

    rule = "[rule: ce-infrastructure-update-unsupported]"
    assert any(rule in w for w in Built(build).warnings("CE"))
    assert not any(rule in w for w in Built(build, {F.SERVICE_LINKED_ROLE: True}).warnings("CE"))


# --- D3 preciseVpcDependency -------------------------------------------------------


def test_the_environment_depends_on_its_subnets_routes_only(on: Built) -> None:
    vpc: ec2.Vpc = on.handles["vpc"]
    no_egress: ec2.Vpc = on.handles["no_egress"]
    private = on.connectivity_ids(vpc.private_subnets)
    # Two AZs: each private subnet's default route (to its NAT) and route table association.
    assert len(private) == 4
    assert sum("DefaultRoute" in i for i in private) == 2
    for ce in ("SpotBestFit", "SpotDefault", "OnDemand", "Fargate"):
        assert sorted(on.ce(ce)["DependsOn"]) == private, ce
    assert sorted(on.ce("FargateNoEgress")["DependsOn"]) == on.connectivity_ids(
        no_egress.public_subnets
    )
    assert sorted(on.ce("Ec2NoEgress")["DependsOn"]) == on.connectivity_ids(
        no_egress.isolated_subnets
    )


def test_nothing_else_depends_on_the_vpc(on: Built, off: Built) -> None:
    vpc_ids = {k for k in on.resources if k.startswith(("Vpc", "NoEgress"))}
    for key, resource in on.resources.items():
        if resource["Type"] != "AWS::Batch::ComputeEnvironment" and key not in vpc_ids:
            assert "DependsOn" not in resource, key
    # In the classic output the security group and the roles wait for the whole VPC.
    assert (
        off.id_of("Vpc")
        in off.resources[off.id_of("OnDemand/Resource-Security-Group")]["DependsOn"]
    )


def test_subnets_imported_by_id_add_no_dependency() -> None:
    def build(stack: cdk.Stack, batch: ModuleType) -> None:
        vpc = ec2.Vpc.from_vpc_attributes(
            stack,
            "Vpc",
            vpc_id="vpc-1",
            availability_zones=["us-east-1a", "us-east-1b"],
            private_subnet_ids=["subnet-a", "subnet-b"],
        )
        batch.ComputeEnvironment(stack, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
        batch.ComputeEnvironment(
            stack,
            "Explicit",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                vpc_subnets=ec2.SubnetSelection(
                    subnets=[ec2.Subnet.from_subnet_id(stack, "S", "subnet-c")]
                ),
            ),
        )

    built = Built(build, {F.PRECISE_VPC_DEPENDENCY: True})
    assert "DependsOn" not in built.ce("CE")
    assert built.ce("Explicit")["Properties"]["ComputeResources"]["Subnets"] == ["subnet-c"]
    assert "DependsOn" not in built.ce("Explicit")


def test_explicit_subnets_of_this_stack_are_depended_on() -> None:
    def build(stack: cdk.Stack, batch: ModuleType) -> Any:
        vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc, vpc_subnets=ec2.SubnetSelection(subnets=[vpc.public_subnets[0]])
            ),
        )
        return vpc

    built = Built(build, {F.PRECISE_VPC_DEPENDENCY: True})
    assert sorted(built.ce("CE")["DependsOn"]) == built.connectivity_ids(
        [built.handles.public_subnets[0]]
    )


def cross_stack(app: cdk.App, batch: ModuleType) -> tuple[cdk.Stack, cdk.Stack]:
    network = cdk.Stack(app, "Network")
    vpc = ec2.Vpc(network, "Vpc", max_azs=2)
    jobs = cdk.Stack(app, "Jobs")
    batch.ComputeEnvironment(jobs, "CE", compute_resources=batch.ComputeResources(vpc=vpc))
    batch.ComputeEnvironment(
        jobs,
        "Fargate",
        compute_resources=batch.ComputeResources(vpc=vpc, type=batch.ComputeResourceType.FARGATE),
    )
    return network, jobs


def test_a_vpc_in_another_stack_adds_only_the_stack_dependency_of_the_refs() -> None:
    app = cdk.App(context=ALL_ON)
    network, jobs = cross_stack(app, cdk_batch)
    assembly = app.synth()
    assert [d.stack_name for d in jobs.dependencies] == ["Network"]
    assert network.dependencies == []
    template = assembly.get_stack_by_name("Jobs").template
    for resource in template["Resources"].values():
        assert "DependsOn" not in resource
    # The subnet ids still come through the stack's imports.
    assert "Fn::ImportValue" in json.dumps(template)


# --- D11 fargateSubnets ------------------------------------------------------------


def test_fargate_takes_the_private_subnets_with_egress(on: Built) -> None:
    vpc: ec2.Vpc = on.handles["vpc"]
    cr = on.ce("Fargate")["Properties"]["ComputeResources"]
    assert cr["Subnets"] == on.subnet_refs(vpc.private_subnets)
    assert not on.warnings("Fargate")


def test_fargate_without_egress_takes_public_subnets_and_warns(on: Built, off: Built) -> None:
    no_egress: ec2.Vpc = on.handles["no_egress"]
    cr = on.ce("FargateNoEgress")["Properties"]["ComputeResources"]
    assert cr["Subnets"] == on.subnet_refs(no_egress.public_subnets)
    (warning,) = [w for w in on.warnings("FargateNoEgress") if "ce-fargate-subnets-public" in w]
    assert "assign_public_ip=True" in warning
    # The classic default picked the isolated subnets, without a word.
    classic = off.ce("FargateNoEgress")["Properties"]["ComputeResources"]["Subnets"]
    assert classic == off.subnet_refs(off.handles["no_egress"].isolated_subnets)
    assert not off.warnings("FargateNoEgress")


def test_the_flag_leaves_ec2_subnets_alone(on: Built) -> None:
    no_egress: ec2.Vpc = on.handles["no_egress"]
    cr = on.ce("Ec2NoEgress")["Properties"]["ComputeResources"]
    assert cr["Subnets"] == on.subnet_refs(no_egress.isolated_subnets)


def fargate_in(vpc: Any, **resources: Any) -> Any:
    def build(stack: cdk.Stack, batch: ModuleType) -> Any:
        v = vpc(stack)
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=v, type=batch.ComputeResourceType.FARGATE, **resources
            ),
        )
        return v

    return build


def test_a_vpc_with_only_isolated_subnets_is_refused() -> None:
    def isolated(stack: cdk.Stack) -> ec2.Vpc:
        return ec2.Vpc(
            stack,
            "Vpc",
            subnet_configuration=[
                ec2.SubnetConfiguration(name="isolated", subnet_type=ST.PRIVATE_ISOLATED)
            ],
        )

    with pytest.raises(BatchValidationError) as err:
        Built(fargate_in(isolated), {F.FARGATE_SUBNETS: True})
    assert [p.rule_id for p in err.value.problems] == ["ce-fargate-subnets-none"]
    assert "SubnetType.PRIVATE_ISOLATED" in str(err.value)
    # Chosen explicitly, isolated subnets are taken.
    built = Built(
        fargate_in(isolated, vpc_subnets=ec2.SubnetSelection(subnet_type=ST.PRIVATE_ISOLATED)),
        {F.FARGATE_SUBNETS: True},
    )
    cr = built.ce("CE")["Properties"]["ComputeResources"]
    assert cr["Subnets"] == built.subnet_refs(built.handles.isolated_subnets)
    assert not built.warnings("CE")


def test_an_imported_vpc_with_private_subnet_ids_keeps_working() -> None:
    def imported(stack: cdk.Stack) -> ec2.IVpc:
        return ec2.Vpc.from_vpc_attributes(
            stack,
            "Vpc",
            vpc_id="vpc-1",
            availability_zones=["us-east-1a", "us-east-1b"],
            private_subnet_ids=["subnet-a", "subnet-b"],
        )

    assert_same_template(lambda s, b: fargate_in(imported)(s, b))
    built = Built(fargate_in(imported), {F.FARGATE_SUBNETS: True})
    assert built.ce("CE")["Properties"]["ComputeResources"]["Subnets"] == ["subnet-a", "subnet-b"]
    assert not built.warnings("CE")


def test_explicit_public_subnets_beat_the_flag_without_a_warning() -> None:
    built = Built(
        fargate_in(
            lambda s: ec2.Vpc(s, "Vpc", max_azs=2),
            vpc_subnets=ec2.SubnetSelection(subnet_type=ST.PUBLIC),
        ),
        {F.FARGATE_SUBNETS: True},
    )
    cr = built.ce("CE")["Properties"]["ComputeResources"]
    assert cr["Subnets"] == built.subnet_refs(built.handles.public_subnets)
    assert not built.warnings("CE")


# --- scoping and lint --------------------------------------------------------------


def test_a_flag_on_one_stack_leaves_its_sibling_alone() -> None:
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        flagged = cdk.Stack(app, "Flagged")
        for flag in FLAGS:
            flagged.node.set_context(flag, True)
        program(flagged, cdk_batch)
        program(cdk.Stack(app, "Stack"), cdk_batch)  # named as in the reference
        assembly = app.synth()
        plain = assembly.get_stack_by_name("Stack").template
        flagged_template = assembly.get_stack_by_name("Flagged").template
    expected = synth_with(reference, program)
    assert compare_templates(expected, plain) == []
    assert compare_templates(expected, flagged_template) != []
    assert "AWSServiceRoleForEC2SpotFleet" not in json.dumps(flagged_template)


def _d1(d: Difference) -> bool:
    if d.resource_type == "AWS::IAM::Role":
        return d.kind == "added" and "SpotFleetRole" in d.logical_id
    return d.path == "Properties.ComputeResources.SpotIamFleetRole"


def _d2(d: Difference) -> bool:
    if d.resource_type == "AWS::IAM::Role":
        return d.kind == "removed" and "ResourceServiceInstanceRole" in d.logical_id
    return d.path == "Properties.ServiceRole" or (
        d.path == "DependsOn" and d.logical_id.startswith("WithRole")
    )


def _d3(d: Difference) -> bool:
    return d.path == "DependsOn"


def _d11(d: Difference) -> bool:
    return d.logical_id.startswith("FargateNoEgress") and d.path.startswith(
        "Properties.ComputeResources.Subnets"
    )


@pytest.mark.parametrize(
    ("flag", "owns"),
    [
        (F.SPOT_FLEET_ROLE, _d1),
        (F.SERVICE_LINKED_ROLE, _d2),
        (F.PRECISE_VPC_DEPENDENCY, _d3),
        (F.FARGATE_SUBNETS, _d11),
    ],
    ids=["spotFleetRole", "serviceLinkedRole", "preciseVpcDependency", "fargateSubnets"],
)
def test_each_flag_alone_changes_only_its_own_part(flag: str, owns: Any) -> None:
    diffs = differences(program, context={flag: True})
    assert diffs
    assert [str(d) for d in diffs if not owns(d)] == []


def test_flag_on_templates_pass_cfn_lint(on: Built) -> None:
    assert cfn_lint_errors(on.template) == []
