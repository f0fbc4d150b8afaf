"""Images, instance classes, updates, launch template pinning and inherited tags (0.2.0).

Template tests for each keyword, and side-by-side comparisons with the stable
``aws_cdk.aws_batch`` module for the settings it also has. Where the spec
departs from it on purpose (it always renders ``UpdatePolicy: {}`` and
``ReplaceComputeEnvironment: false``; it never pins a launch template
version), the test says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as v2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

import cdk_batch as batch

IMG = batch.EcsMachineImageType
CLS = batch.DefaultInstanceClass
AL2023_FLAG = {"@aws-cdk/aws-batch:defaultToAL2023": True}
SLR_ARN = (
    "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
)


def vpc_of(stack: cdk.Stack) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a"],
        private_subnet_ids=["subnet-0123456789abcdef0"],
    )


def ami() -> ec2.IMachineImage:
    return ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})


def synth(
    build: Callable[[cdk.Stack, ec2.IVpc], Any], context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The template of a stack ``S`` holding what ``build`` makes."""
    stack = cdk.Stack(cdk.App(context=context), "S")
    build(stack, vpc_of(stack))
    return Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


def ce_props(template: dict[str, Any]) -> dict[str, Any]:
    found = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Batch::ComputeEnvironment"
    ]
    assert len(found) == 1, found
    return found[0]  # type: ignore[no-any-return]


def ours(
    resources: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    **props: Any,
) -> dict[str, Any]:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        fields = {k: v(s) if callable(v) else v for k, v in (resources or {}).items()}
        top = {k: v(s) if callable(v) else v for k, v in props.items()}
        batch.ComputeEnvironment(
            s, "CE", compute_resources=batch.ComputeResources(vpc=vpc, **fields), **top
        )

    return synth(build, context)


def theirs(
    cls: Any = v2.ManagedEc2EcsComputeEnvironment,
    context: dict[str, Any] | None = None,
    **props: Any,
) -> dict[str, Any]:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        kwargs = {k: v(s) if callable(v) else v for k, v in props.items()}
        if cls is not v2.UnmanagedComputeEnvironment:
            kwargs["vpc"] = vpc
        cls(s, "CE", **kwargs)

    return synth(build, context)


def resources(template: dict[str, Any]) -> dict[str, Any]:
    return ce_props(template)["ComputeResources"]  # type: ignore[no-any-return]


# --- images (Ec2Configuration) -------------------------------------------------


@pytest.mark.parametrize("kind", list(IMG), ids=[k.name for k in IMG])
def test_image_type_matches_the_stable_module(kind: batch.EcsMachineImageType) -> None:
    mine = resources(ours({"images": [batch.EcsMachineImage(image_type=kind)]}))
    stable = resources(
        theirs(images=[v2.EcsMachineImage(image_type=v2.EcsMachineImageType[kind.name])])
    )
    assert mine["Ec2Configuration"] == stable["Ec2Configuration"] == [{"ImageType": kind.value}]


@pytest.mark.parametrize(
    ("context", "expected"), [(None, "ECS_AL2"), (AL2023_FLAG, "ECS_AL2023")], ids=["AL2", "flag"]
)
def test_an_image_without_a_type_follows_the_al2023_flag_as_the_stable_module_does(
    context: dict[str, Any] | None, expected: str
) -> None:
    mine_template = ours({"images": [{"image": ami()}]}, context=context)
    stable_template = theirs(images=[v2.EcsMachineImage(image=ami())], context=context)
    mine, stable = resources(mine_template), resources(stable_template)
    assert mine["Ec2Configuration"] == stable["Ec2Configuration"]
    assert mine["Ec2Configuration"][0]["ImageType"] == expected
    assert mine["Ec2Configuration"][0]["ImageIdOverride"]["Fn::FindInMap"][0].startswith("CEAmiMap")
    assert mine_template["Mappings"] == stable_template["Mappings"]


def test_two_images_render_in_order_and_each_ami_gets_its_own_mapping() -> None:
    template = ours(
        {
            "image": ami(),
            "images": [
                batch.EcsMachineImage(image_type=IMG.ECS_AL2023, image=ami()),
                batch.EcsMachineImage(image_type=IMG.ECS_AL2023_NVIDIA),
            ],
        }
    )
    cr = resources(template)
    assert [e["ImageType"] for e in cr["Ec2Configuration"]] == ["ECS_AL2023", "ECS_AL2023_NVIDIA"]
    assert "ImageIdOverride" not in cr["Ec2Configuration"][1]
    classic_map = cr["ImageId"]["Fn::FindInMap"][0]
    override_map = cr["Ec2Configuration"][0]["ImageIdOverride"]["Fn::FindInMap"][0]
    assert classic_map != override_map
    assert set(template["Mappings"]) == {classic_map, override_map}


def test_images_accept_dicts_and_plain_strings() -> None:
    cr = resources(ours({"images": [{"image_type": "ECS_AL2023"}]}))
    assert cr["Ec2Configuration"] == [{"ImageType": "ECS_AL2023"}]


# --- default instance classes (InstanceTypes) ------------------------------------


def test_default_instance_classes_alone_match_the_stable_module() -> None:
    mine = resources(ours({"default_instance_classes": [CLS.ARM64]}))
    stable = resources(theirs(default_instance_classes=[v2.DefaultInstanceClass.ARM64]))
    assert mine["InstanceTypes"] == stable["InstanceTypes"] == ["default_arm64"]


def test_instance_types_come_before_default_classes_as_in_the_stable_module() -> None:
    m6g = ec2.InstanceType("m6g.large")
    mine = resources(ours({"instance_types": [m6g], "default_instance_classes": [CLS.ARM64]}))
    # The stable module appends "optimal" unless told not to.
    stable = resources(
        theirs(
            instance_types=[m6g],
            default_instance_classes=[v2.DefaultInstanceClass.ARM64],
            use_optimal_instance_classes=False,
        )
    )
    assert mine["InstanceTypes"] == stable["InstanceTypes"] == ["m6g.large", "default_arm64"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ["optimal"]),
        ({"instance_types": [ec2.InstanceType("c5.large")]}, ["c5.large"]),
        ({"default_instance_classes": [CLS.X86_64]}, ["default_x86_64"]),
    ],
    ids=["neither", "types", "classes"],
)
def test_optimal_only_when_neither_types_nor_classes(
    fields: dict[str, Any], expected: list[str]
) -> None:
    assert resources(ours(fields))["InstanceTypes"] == expected


# --- update policy, replacement, latest image ----------------------------------


def test_update_policy_with_both_keys_matches_the_stable_module() -> None:
    mine = ce_props(
        ours(
            {"allocation_strategy": batch.AllocationStrategy.BEST_FIT_PROGRESSIVE},
            update_timeout=cdk.Duration.minutes(45),
            terminate_on_update=False,
            replace_compute_environment=False,
        )
    )
    stable = ce_props(
        theirs(
            update_timeout=cdk.Duration.minutes(45),
            terminate_on_update=False,
            replace_compute_environment=False,
        )
    )
    assert mine["UpdatePolicy"] == stable["UpdatePolicy"]
    assert mine["UpdatePolicy"] == {
        "JobExecutionTimeoutMinutes": 45,
        "TerminateJobsOnUpdate": False,
    }
    assert mine["ReplaceComputeEnvironment"] is stable["ReplaceComputeEnvironment"] is False


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"terminate_on_update": True}, {"TerminateJobsOnUpdate": True}),
        ({"update_timeout": cdk.Duration.hours(2)}, {"JobExecutionTimeoutMinutes": 120}),
    ],
    ids=["terminate", "timeout"],
)
def test_update_policy_holds_only_the_keys_set(
    props: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert ce_props(ours(**props))["UpdatePolicy"] == expected


def test_unset_update_keywords_render_nothing_where_the_stable_module_renders_defaults() -> None:
    mine = ce_props(ours())
    stable = ce_props(theirs())
    assert stable["UpdatePolicy"] == {} and stable["ReplaceComputeEnvironment"] is False
    assert "UpdatePolicy" not in mine and "ReplaceComputeEnvironment" not in mine


@pytest.mark.parametrize("value", [True, False])
def test_replace_compute_environment_is_rendered_as_given(value: bool) -> None:
    assert ce_props(ours(replace_compute_environment=value))["ReplaceComputeEnvironment"] is value


def test_update_timeout_token_in_minutes_passes_through() -> None:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        minutes = cdk.CfnParameter(s, "Minutes", type="Number").value_as_number
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(vpc=vpc),
            update_timeout=cdk.Duration.minutes(minutes),
        )

    policy = ce_props(synth(build))["UpdatePolicy"]
    assert policy == {"JobExecutionTimeoutMinutes": {"Ref": "Minutes"}}


@pytest.mark.parametrize("value", [True, False])
def test_update_to_latest_image_version_matches_the_stable_module(value: bool) -> None:
    mine = resources(ours({"update_to_latest_image_version": value}))
    stable = resources(theirs(update_to_latest_image_version=value))
    assert mine["UpdateToLatestImageVersion"] is stable["UpdateToLatestImageVersion"] is value


def test_fargate_update_policy_matches_the_stable_module() -> None:
    mine = ce_props(
        ours({"type": batch.ComputeResourceType.FARGATE}, update_timeout=cdk.Duration.minutes(10))
    )
    stable = ce_props(theirs(v2.FargateComputeEnvironment, update_timeout=cdk.Duration.minutes(10)))
    assert mine["UpdatePolicy"] == stable["UpdatePolicy"] == {"JobExecutionTimeoutMinutes": 10}


# --- unmanaged vCPUs ------------------------------------------------------------------


def test_unmanagedv_cpus_matches_the_stable_module() -> None:
    def build(s: cdk.Stack, _vpc: ec2.IVpc) -> None:
        batch.ComputeEnvironment(s, "CE", managed=False, unmanagedv_cpus=12)

    mine = ce_props(synth(build))
    stable = ce_props(theirs(v2.UnmanagedComputeEnvironment, unmanagedv_cpus=12))
    assert mine["UnmanagedvCpus"] == stable["UnmanagedvCpus"] == 12


def test_queue_rules_can_read_unmanagedv_cpus_from_the_props() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    ce = batch.ComputeEnvironment(stack, "CE", managed=False, unmanagedv_cpus=4)
    assert ce._props.unmanagedv_cpus == 4


# --- launch templates ----------------------------------------------------------------


def with_template(
    user_data: str = "echo one",
    **spec: Any,
) -> dict[str, Any]:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        data = ec2.MultipartUserData()
        script = ec2.UserData.for_linux()
        script.add_commands(user_data)
        data.add_user_data_part(script, ec2.MultipartBody.SHELL_SCRIPT, True)
        lt = ec2.LaunchTemplate(s, "LT", user_data=data)
        launch_template = (
            batch.LaunchTemplateSpecification(launch_template_id=lt.launch_template_id, **spec)
            if spec.pop("direct", False)
            else batch.LaunchTemplateSpecification.from_launch_template(lt, **spec)
        )
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(vpc=vpc, launch_template=launch_template),
        )

    return synth(build)


def lt_id(template: dict[str, Any]) -> str:
    (found,) = [
        k for k, r in template["Resources"].items() if r["Type"] == "AWS::EC2::LaunchTemplate"
    ]
    return found


def test_from_launch_template_pins_the_latest_version_number() -> None:
    template = with_template()
    lt = lt_id(template)
    assert resources(template)["LaunchTemplate"] == {
        "LaunchTemplateId": {"Ref": lt},
        "Version": {"Fn::GetAtt": [lt, "LatestVersionNumber"]},
    }


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (batch.LaunchTemplateVersion.DEFAULT_NUMBER, "DefaultVersionNumber"),
        (batch.LaunchTemplateVersion.LATEST, "$Latest"),
        (batch.LaunchTemplateVersion.DEFAULT, "$Default"),
        ("7", "7"),
    ],
    ids=["default-number", "latest-literal", "default-literal", "number"],
)
def test_from_launch_template_versions(version: Any, expected: str) -> None:
    template = with_template(version=version)
    rendered = resources(template)["LaunchTemplate"]["Version"]
    if expected.endswith("Number"):
        assert rendered == {"Fn::GetAtt": [lt_id(template), expected]}
    else:
        assert rendered == expected


def test_editing_the_template_data_changes_the_environments_version() -> None:
    before, after = with_template("echo one"), with_template("echo two")
    lt = lt_id(before)
    # The template's data differs, so CloudFormation updates the launch
    # template, which makes a new version and a new LatestVersionNumber ...
    assert (
        before["Resources"][lt]["Properties"]["LaunchTemplateData"]
        != after["Resources"][lt]["Properties"]["LaunchTemplateData"]
    )
    # ... and the environment's Version is that attribute, so CloudFormation
    # re-reads it and updates the environment with the new number.
    version = {"Fn::GetAtt": [lt, "LatestVersionNumber"]}
    assert resources(before)["LaunchTemplate"]["Version"] == version
    assert resources(after)["LaunchTemplate"]["Version"] == version


def test_a_classic_unpinned_template_does_not_reach_the_environment() -> None:
    before = with_template("echo one", direct=True, version="$Latest")
    after = with_template("echo two", direct=True, version="$Latest")
    # The environment's properties are literally the same: CloudFormation sees
    # no change to it, and AWS Batch keeps the version it resolved at creation.
    assert ce_props(before) == ce_props(after)
    assert resources(before)["LaunchTemplate"]["Version"] == "$Latest"


def test_launch_template_without_version_matches_the_stable_module() -> None:
    def mine(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        lt = ec2.LaunchTemplate(s, "LT")
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                launch_template=batch.LaunchTemplateSpecification.from_launch_template(
                    lt, version=None
                ),
            ),
        )

    def stable(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        v2.ManagedEc2EcsComputeEnvironment(
            s, "CE", vpc=vpc, launch_template=ec2.LaunchTemplate(s, "LT")
        )

    ours_lt = resources(synth(mine))["LaunchTemplate"]
    assert ours_lt == resources(synth(stable))["LaunchTemplate"]
    # The default of from_launch_template departs on purpose: it pins the version.
    assert "Version" not in ours_lt


def test_imported_template_by_name() -> None:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        lt = ec2.LaunchTemplate.from_launch_template_attributes(
            s, "LT", launch_template_name="mine"
        )
        spec = batch.LaunchTemplateSpecification.from_launch_template(
            lt, version="3", use_network_interface_security_groups=True
        )
        batch.ComputeEnvironment(
            s, "CE", compute_resources=batch.ComputeResources(vpc=vpc, launch_template=spec)
        )

    template = synth(build)
    cr = resources(template)
    assert cr["LaunchTemplate"] == {"LaunchTemplateName": "mine", "Version": "3"}
    assert "SecurityGroupIds" not in cr
    assert not [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::SecurityGroup"]


# --- inherited tags ----------------------------------------------------------------------


def tagged(inherited: batch.InheritedTags | None, **resources_: Any) -> dict[str, Any]:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(vpc=vpc, **resources_),
            inherited_tags=inherited,
        )
        cdk.Tags.of(s).add("team", "data")
        cdk.Tags.of(s).add("cost", "inherited")

    return ce_props(synth(build))


@pytest.mark.parametrize(
    "inherited", [None, batch.InheritedTags.RESOURCE], ids=["unset", "RESOURCE"]
)
def test_resource_tags_stay_on_the_environment(inherited: batch.InheritedTags | None) -> None:
    props = tagged(inherited)
    assert props["Tags"] == {"team": "data", "cost": "inherited"}
    assert "Tags" not in props["ComputeResources"]


def test_instances_moves_inherited_tags_to_the_instances_under_explicit_ones() -> None:
    props = tagged(batch.InheritedTags.INSTANCES, compute_resources_tags={"cost": "explicit"})
    assert "Tags" not in props
    assert props["ComputeResources"]["Tags"] == {"team": "data", "cost": "explicit"}


def test_ignore_drops_inherited_tags_and_keeps_explicit_instance_tags() -> None:
    props = tagged(batch.InheritedTags.IGNORE, compute_resources_tags={"cost": "explicit"})
    assert "Tags" not in props
    assert props["ComputeResources"]["Tags"] == {"cost": "explicit"}


def test_instances_without_any_tags_renders_no_tags() -> None:
    def build(s: cdk.Stack, vpc: ec2.IVpc) -> None:
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(vpc=vpc),
            inherited_tags=batch.InheritedTags.INSTANCES,
        )

    props = ce_props(synth(build))
    assert "Tags" not in props and "Tags" not in props["ComputeResources"]


# --- the service-linked role ---------------------------------------------------------


def test_an_in_place_environment_with_the_service_linked_role_warns_about_nothing() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc_of(stack),
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            images=[batch.EcsMachineImage(image_type=IMG.ECS_AL2023)],
        ),
        service_role=iam.Role.from_role_arn(stack, "Slr", SLR_ARN),
        replace_compute_environment=False,
        compute_environment_name="in-place",
        inherited_tags=batch.InheritedTags.INSTANCES,
    )
    warnings = cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", cdk.assertions.Match.string_like_regexp(r"\[rule: ce-")
    )
    assert warnings == []
    assert ce_props(Template.from_stack(stack).to_json())["ServiceRole"] == SLR_ARN
