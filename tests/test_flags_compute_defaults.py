"""The corrected-defaults flags of compute resources and inherited tags (D7, D8, D9, D10, D15).

For each flag: off, the template is the reference alpha's; on, the fragment of
the corrected output that ``spec/modern-api.md`` section 3.1 gives; an explicit
keyword beats the flag; a flag set on one stack leaves its sibling alone; the
flag-on templates pass cfn-lint. Where the stable ``aws_cdk.aws_batch`` renders
the same corrected setting, the fragments are compared with it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch as v2
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match

import cdk_batch as batch

from .conformance.harness import assert_same_template
from .lint import cfn_lint_errors

F = batch.flags
T = batch.ComputeResourceType
A = batch.AllocationStrategy
IMG = batch.EcsMachineImageType
MY_FLAGS = (
    F.DEFAULT_INSTANCE_CLASS,
    F.ALLOCATION_STRATEGY,
    F.UPDATE_POLICY,
    F.DEFAULT_TO_AL2023,
    F.TAGS_NO_REPLACEMENT,
)
AWS_AL2023 = "@aws-cdk/aws-batch:defaultToAL2023"
SLR_ARN = (
    "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
)
SPOT_FLEET_SLR = "aws-service-role/spotfleet.amazonaws.com/AWSServiceRoleForEC2SpotFleet"
UPDATE_POLICY = {"JobExecutionTimeoutMinutes": 30, "TerminateJobsOnUpdate": False}


def vpc_of(stack: cdk.Stack) -> ec2.IVpc:
    found = stack.node.try_find_child("Vpc")
    if found is not None:
        return found  # type: ignore[return-value]
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a"],
        private_subnet_ids=["subnet-0123456789abcdef0"],
    )


def program(stack: cdk.Stack, b: ModuleType) -> None:
    """Every kind of environment the five flags treat differently, a named queue, stack tags.

    Written against the classic API, so the reference alpha builds it too.
    """
    vpc = vpc_of(stack)

    def ce(id: str, **resources: Any) -> Any:
        top = {k: resources.pop(k) for k in ("service_role", "managed") if k in resources}
        cr = b.ComputeResources(vpc=vpc, **resources) if top.get("managed") is not False else None
        return b.ComputeEnvironment(stack, id, compute_resources=cr, **top)

    ec2_ce = ce("Ec2")
    ce("Spot", type=b.ComputeResourceType.SPOT)
    ce("Gpu", instance_types=[ec2.InstanceType("g5.xlarge")])
    in_place = ce(
        "InPlace",
        allocation_strategy=b.AllocationStrategy.BEST_FIT_PROGRESSIVE,
        service_role=iam.Role.from_role_arn(stack, "Slr", SLR_ARN),
    )
    ce("Fargate", type=b.ComputeResourceType.FARGATE)
    ce("Unmanaged", managed=False)
    b.JobQueue(
        stack,
        "Queue",
        job_queue_name="queue",
        compute_environments=[
            b.JobQueueComputeEnvironment(compute_environment=ec2_ce, order=1),
            b.JobQueueComputeEnvironment(compute_environment=in_place, order=2),
        ],
    )
    cdk.Tags.of(stack).add("team", "data")


def synth(
    build: Callable[[cdk.Stack, ModuleType], Any],
    context: dict[str, Any] | None = None,
    b: ModuleType = batch,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir, context=context)
        build(cdk.Stack(app, "Stack"), b)
        template: dict[str, Any] = app.synth().get_stack_by_name("Stack").template
        return template


def env(template: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The properties of the one Batch resource whose logical id starts with ``prefix``."""
    found = [
        r["Properties"]
        for k, r in template["Resources"].items()
        if k.startswith(prefix) and r["Type"].startswith("AWS::Batch::")
    ]
    assert len(found) == 1, (prefix, len(found))
    return found[0]


def without(template: dict[str, Any], removals: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """``template`` with the given keys (``"Tags"`` or ``"ComputeResources.Tags"``) dropped."""
    import copy

    result = copy.deepcopy(template)
    for prefix, keys in removals.items():
        props = env(result, prefix)
        for key in keys:
            where, _, name = key.rpartition(".")
            (props[where] if where else props).pop(name, None)
    return result


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    """The program synthesized with each flag on alone, all five on, and none."""
    found = {flag: synth(program, {flag: True}) for flag in MY_FLAGS}
    found["off"] = synth(program)
    found["all"] = synth(program, dict.fromkeys(MY_FLAGS, True))
    return found


# --- off: the reference -------------------------------------------------------


@pytest.mark.parametrize("value", [None, False], ids=["absent", "false"])
def test_off_renders_the_reference_template(value: bool | None) -> None:
    context = None if value is None else dict.fromkeys(MY_FLAGS, value)
    assert_same_template(program, context=context)


def test_on_leaves_fargate_and_unmanaged_environments_alone(
    templates: dict[str, dict[str, Any]],
) -> None:
    off = templates["off"]
    for flag in (*MY_FLAGS, "all"):
        for prefix in ("Fargate", "Unmanaged"):
            assert env(templates[flag], prefix) == env(off, prefix), (flag, prefix)


# --- D7 defaultInstanceClass ----------------------------------------------------------


def test_d7_renders_default_x86_64_where_optimal_was(templates: dict[str, dict[str, Any]]) -> None:
    on, off = templates[F.DEFAULT_INSTANCE_CLASS], templates["off"]
    assert env(off, "Ec2")["ComputeResources"]["InstanceTypes"] == ["optimal"]
    for prefix in ("Ec2", "Spot", "InPlace"):
        assert env(on, prefix)["ComputeResources"]["InstanceTypes"] == ["default_x86_64"]
    assert env(on, "Gpu")["ComputeResources"]["InstanceTypes"] == ["g5.xlarge"]
    # Nothing else changes.
    for prefix in ("Ec2", "Spot", "InPlace"):
        env(on, prefix)["ComputeResources"]["InstanceTypes"] = ["optimal"]
    assert on == off


def ce_in(
    context: dict[str, Any] | None = None, *, name: str | None = None, **props: Any
) -> tuple[cdk.Stack, dict[str, Any]]:
    """One compute environment ``CE`` (resources from ``props``, top-level keys split off)."""
    top_keys = (
        "service_role",
        "replace_compute_environment",
        "terminate_on_update",
        "update_timeout",
        "inherited_tags",
    )
    top = {k: props.pop(k) for k in top_keys if k in props}
    stack = cdk.Stack(cdk.App(context=context), "Stack")
    if callable(top.get("service_role")):
        top["service_role"] = top["service_role"](stack)
    batch.ComputeEnvironment(
        stack,
        "CE",
        compute_environment_name=name,
        compute_resources=batch.ComputeResources(vpc=vpc_of(stack), **props),
        **top,
    )
    cdk.Tags.of(stack).add("team", "data")
    template = cdk.assertions.Template.from_stack(stack).to_json()
    return stack, env(template, "CE")


def slr(stack: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(stack, "Slr", SLR_ARN)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"instance_types": [ec2.InstanceType("m5.large")]}, ["m5.large"]),
        ({"default_instance_classes": [batch.DefaultInstanceClass.ARM64]}, ["default_arm64"]),
        (
            {
                "instance_types": [ec2.InstanceType("m6g.large")],
                "default_instance_classes": [batch.DefaultInstanceClass.ARM64],
            },
            ["m6g.large", "default_arm64"],
        ),
    ],
    ids=["instance_types", "arm64 class", "both"],
)
def test_d7_explicit_instance_types_or_classes_beat_the_flag(
    props: dict[str, Any], expected: list[str]
) -> None:
    _, props_ = ce_in({F.DEFAULT_INSTANCE_CLASS: True}, **props)
    assert props_["ComputeResources"]["InstanceTypes"] == expected


def test_d7_default_keeps_the_architecture_rule_quiet_and_refuses_nothing() -> None:
    # The filled-in class is x86_64: with an NVIDIA image type (x86 only) and
    # no instance types, nothing mixes architectures and nothing warns.
    stack, props = ce_in(
        {F.DEFAULT_INSTANCE_CLASS: True},
        images=[batch.EcsMachineImage(image_type=IMG.ECS_AL2023_NVIDIA)],
    )
    assert props["ComputeResources"]["InstanceTypes"] == ["default_x86_64"]
    assert ce_warnings(stack) == []


# --- D8 allocationStrategy -------------------------------------------------------------


def test_d8_renders_the_stable_modules_default_strategies(
    templates: dict[str, dict[str, Any]],
) -> None:
    on, off = templates[F.ALLOCATION_STRATEGY], templates["off"]
    assert env(off, "Ec2")["ComputeResources"]["AllocationStrategy"] == "BEST_FIT"
    assert env(off, "Spot")["ComputeResources"]["AllocationStrategy"] == "SPOT_CAPACITY_OPTIMIZED"
    assert env(on, "Ec2")["ComputeResources"]["AllocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert env(on, "Gpu")["ComputeResources"]["AllocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert (
        env(on, "Spot")["ComputeResources"]["AllocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    )


def stable(context: dict[str, Any] | None = None, **props: Any) -> dict[str, Any]:
    """The ComputeEnvironment properties the stable module renders for ``props``."""

    def build(stack: cdk.Stack, _: ModuleType) -> None:
        v2.ManagedEc2EcsComputeEnvironment(stack, "CE", vpc=vpc_of(stack), **props)

    return env(synth(build, context), "CE")


@pytest.mark.parametrize("spot", [False, True], ids=["EC2", "SPOT"])
def test_d8_strategy_and_fleet_role_equal_the_stable_module(
    templates: dict[str, dict[str, Any]], spot: bool
) -> None:
    mine = env(templates[F.ALLOCATION_STRATEGY], "Spot" if spot else "Ec2")["ComputeResources"]
    theirs = stable(spot=spot)["ComputeResources"]
    assert mine["AllocationStrategy"] == theirs["AllocationStrategy"]
    # SPOT_PRICE_CAPACITY_OPTIMIZED needs no Spot Fleet role: neither renders one.
    assert "SpotIamFleetRole" not in theirs
    assert "SpotIamFleetRole" not in mine


def test_d8_spot_drops_the_service_linked_fleet_role_the_classic_default_carries(
    templates: dict[str, dict[str, Any]],
) -> None:
    classic = env(templates["off"], "Spot")["ComputeResources"]["SpotIamFleetRole"]
    assert SPOT_FLEET_SLR in str(classic)
    stack, _ = ce_in({F.ALLOCATION_STRATEGY: True}, type=T.SPOT)
    assert not ce_warnings(stack, "ce-spot-fleet-role-service-linked")


@pytest.mark.parametrize("kind", [T.ON_DEMAND, T.SPOT], ids=["EC2", "SPOT"])
def test_d8_explicit_best_fit_beats_the_flag(kind: T) -> None:
    stack, props = ce_in({F.ALLOCATION_STRATEGY: True}, type=kind, allocation_strategy=A.BEST_FIT)
    cr = props["ComputeResources"]
    assert cr["AllocationStrategy"] == "BEST_FIT"
    if kind is T.SPOT:
        # The classic fleet role default follows the strategy actually rendered.
        assert SPOT_FLEET_SLR in str(cr["SpotIamFleetRole"])
        assert ce_warnings(stack, "ce-spot-fleet-role-service-linked")
    else:
        assert "SpotIamFleetRole" not in cr


def test_d8_a_users_fleet_role_passes_through_with_the_flagged_strategy() -> None:
    def role(stack: cdk.Stack) -> iam.IRole:
        return iam.Role.from_role_arn(stack, "Fleet", "arn:aws:iam::123456789012:role/fleet")

    stack = cdk.Stack(cdk.App(context={F.ALLOCATION_STRATEGY: True}), "Stack")
    batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc_of(stack), type=T.SPOT, spot_fleet_role=role(stack)
        ),
    )
    cr = env(cdk.assertions.Template.from_stack(stack).to_json(), "CE")["ComputeResources"]
    assert cr["AllocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    assert cr["SpotIamFleetRole"] == "arn:aws:iam::123456789012:role/fleet"


# --- D9 updatePolicy -------------------------------------------------------------------


def test_d9_renders_in_place_updates_only_where_batch_can_make_them(
    templates: dict[str, dict[str, Any]],
) -> None:
    on, off = templates[F.UPDATE_POLICY], templates["off"]
    in_place = env(on, "InPlace")
    assert in_place["ReplaceComputeEnvironment"] is False
    assert in_place["UpdatePolicy"] == UPDATE_POLICY
    # BEST_FIT (Ec2, Gpu) cannot be updated in place; Spot has the role created
    # here, not the service-linked role. Both stay as they were.
    for prefix in ("Ec2", "Gpu", "Spot"):
        assert env(on, prefix) == env(off, prefix), prefix
    for prefix in ("Ec2", "InPlace"):
        assert "ReplaceComputeEnvironment" not in env(off, prefix)
        assert "UpdatePolicy" not in env(off, prefix)


def test_d9_fragment_equals_the_stable_module_with_the_same_settings(
    templates: dict[str, dict[str, Any]],
) -> None:
    mine = env(templates[F.UPDATE_POLICY], "InPlace")
    theirs = stable(
        allocation_strategy=v2.AllocationStrategy.BEST_FIT_PROGRESSIVE,
        terminate_on_update=False,
        update_timeout=cdk.Duration.minutes(30),
    )
    for key in ("ReplaceComputeEnvironment", "UpdatePolicy"):
        assert mine[key] == theirs[key], key


def test_d9_with_the_service_linked_role_flag_applies_without_a_role() -> None:
    context = {F.UPDATE_POLICY: True, F.SERVICE_LINKED_ROLE: True}
    _, spot = ce_in(context, type=T.SPOT)
    assert spot["ReplaceComputeEnvironment"] is False
    assert spot["UpdatePolicy"] == UPDATE_POLICY
    # BEST_FIT stays out, unless allocationStrategy moves it to BEST_FIT_PROGRESSIVE.
    _, best_fit = ce_in(context)
    assert "ReplaceComputeEnvironment" not in best_fit
    _, progressive = ce_in({**context, F.ALLOCATION_STRATEGY: True})
    assert progressive["ReplaceComputeEnvironment"] is False


@pytest.mark.parametrize(
    ("keywords", "replace", "policy"),
    [
        ({"replace_compute_environment": True}, True, UPDATE_POLICY),
        ({"terminate_on_update": True}, False, {"TerminateJobsOnUpdate": True}),
        (
            {"update_timeout": cdk.Duration.minutes(90)},
            False,
            {"JobExecutionTimeoutMinutes": 90, "TerminateJobsOnUpdate": False},
        ),
    ],
    ids=["replace", "terminate", "timeout"],
)
def test_d9_explicit_keywords_win_field_by_field(
    keywords: dict[str, Any], replace: bool, policy: dict[str, Any]
) -> None:
    _, props = ce_in(
        {F.UPDATE_POLICY: True},
        allocation_strategy=A.BEST_FIT_PROGRESSIVE,
        service_role=slr,
        **keywords,
    )
    assert props["ReplaceComputeEnvironment"] is replace
    assert props["UpdatePolicy"] == policy


def test_d9_explicit_best_fit_keeps_the_classic_output() -> None:
    _, props = ce_in({F.UPDATE_POLICY: True}, allocation_strategy=A.BEST_FIT, service_role=slr)
    assert "ReplaceComputeEnvironment" not in props and "UpdatePolicy" not in props


def test_d9_silences_the_named_replacement_warning_where_it_applies() -> None:
    stack, _ = ce_in(
        {F.UPDATE_POLICY: True},
        name="named",
        allocation_strategy=A.BEST_FIT_PROGRESSIVE,
        service_role=slr,
    )
    assert ce_warnings(stack, "ce-named-replacement") == []
    assert ce_warnings(stack, "ce-infrastructure-update-unsupported") == []
    # Where it does not apply (BEST_FIT), the warning stays.
    stack, _ = ce_in({F.UPDATE_POLICY: True}, name="named")
    assert ce_warnings(stack, "ce-named-replacement")


# --- D10 defaultToAL2023 ---------------------------------------------------------------


def test_d10_renders_an_al2023_image_type() -> None:
    on, off = synth(program, {F.DEFAULT_TO_AL2023: True}), synth(program)
    for prefix in ("Ec2", "Spot", "InPlace"):
        assert env(on, prefix)["ComputeResources"]["Ec2Configuration"] == [
            {"ImageType": "ECS_AL2023"}
        ]
        assert "Ec2Configuration" not in env(off, prefix)["ComputeResources"]
    assert env(on, "Gpu")["ComputeResources"]["Ec2Configuration"] == [
        {"ImageType": "ECS_AL2023_NVIDIA"}
    ]
    # Nothing else changes.
    for prefix in ("Ec2", "Spot", "InPlace", "Gpu"):
        del env(on, prefix)["ComputeResources"]["Ec2Configuration"]
    assert on == off


def test_aws_cdk_libs_al2023_flag_alone_keeps_the_alpha_template() -> None:
    # `cdk init` writes @aws-cdk/aws-batch:defaultToAL2023 into new cdk.json
    # files, and the alpha ignored it: a migrating app must keep its empty diff.
    assert_same_template(program, context={AWS_AL2023: True})


@pytest.mark.parametrize(
    ("instance_types", "image_type"),
    [
        ([], v2.EcsMachineImageType.ECS_AL2023),
        (["g5.xlarge"], v2.EcsMachineImageType.ECS_AL2023_NVIDIA),
    ],
    ids=["cpu", "gpu"],
)
def test_d10_fragment_equals_the_stable_module_given_that_image_type(
    instance_types: list[str], image_type: v2.EcsMachineImageType
) -> None:
    types = [ec2.InstanceType(t) for t in instance_types] or None
    _, mine = ce_in({F.DEFAULT_TO_AL2023: True}, instance_types=types)
    theirs = stable(images=[v2.EcsMachineImage(image_type=image_type)], instance_types=types)
    assert (
        mine["ComputeResources"]["Ec2Configuration"]
        == theirs["ComputeResources"]["Ec2Configuration"]
    )


def test_d10_also_sets_the_type_of_an_image_without_one_as_the_stable_flag_does() -> None:
    ami = ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})
    _, mine = ce_in({F.DEFAULT_TO_AL2023: True}, images=[batch.EcsMachineImage(image=ami)])
    theirs = stable({AWS_AL2023: True}, images=[v2.EcsMachineImage(image=ami)])
    config = mine["ComputeResources"]["Ec2Configuration"]
    assert [e["ImageType"] for e in config] == ["ECS_AL2023"]
    assert [e["ImageType"] for e in theirs["ComputeResources"]["Ec2Configuration"]] == [
        "ECS_AL2023"
    ]


def test_d10_gpu_types_get_the_nvidia_type_and_no_gpu_warning() -> None:
    stack, props = ce_in(
        {F.DEFAULT_TO_AL2023: True},
        instance_types=[ec2.InstanceType("m5.large"), ec2.InstanceType("p4d.24xlarge")],
    )
    assert props["ComputeResources"]["Ec2Configuration"] == [{"ImageType": "ECS_AL2023_NVIDIA"}]
    assert ce_warnings(stack) == []


def test_d10_explicit_images_or_ami_beat_the_flag() -> None:
    stack, props = ce_in(
        {F.DEFAULT_TO_AL2023: True}, images=[batch.EcsMachineImage(image_type=IMG.ECS_AL2)]
    )
    assert props["ComputeResources"]["Ec2Configuration"] == [{"ImageType": "ECS_AL2"}]
    assert ce_warnings(stack, "ce-image-al2-deprecated")
    # An AMI of your own: no image type is added next to it.
    ami = ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})
    _, props = ce_in({F.DEFAULT_TO_AL2023: True}, image=ami)
    assert "Ec2Configuration" not in props["ComputeResources"]
    assert "ImageId" in props["ComputeResources"]


def test_d10_an_untyped_image_warns_as_al2_only_without_either_flag() -> None:
    ami = ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})
    stack, props = ce_in(images=[batch.EcsMachineImage(image=ami)])
    assert props["ComputeResources"]["Ec2Configuration"][0]["ImageType"] == "ECS_AL2"
    assert ce_warnings(stack, "ce-image-al2-deprecated")
    stack, _ = ce_in({F.DEFAULT_TO_AL2023: True}, images=[batch.EcsMachineImage(image=ami)])
    assert ce_warnings(stack, "ce-image-al2-deprecated") == []


# --- D15 tagsNoReplacement ------------------------------------------------------------


def test_d15_moves_environment_tags_to_the_instances_and_drops_queue_tags(
    templates: dict[str, dict[str, Any]],
) -> None:
    on, off = templates[F.TAGS_NO_REPLACEMENT], templates["off"]
    for prefix in ("Ec2", "Spot", "Gpu", "InPlace"):
        assert env(off, prefix)["Tags"] == {"team": "data"}
        assert "Tags" not in env(on, prefix), prefix
        assert env(on, prefix)["ComputeResources"]["Tags"] == {"team": "data"}
    assert env(off, "Queue")["Tags"] == {"team": "data"}
    assert "Tags" not in env(on, "Queue")
    # Fargate and unmanaged environments keep their tags (checked above); nothing else moves.
    moved = dict.fromkeys(("Ec2", "Spot", "Gpu", "InPlace"), ("ComputeResources.Tags",))
    assert without(on, moved) == without(
        off, {**dict.fromkeys(moved, ("Tags",)), "Queue": ("Tags",)}
    )


def test_d15_explicit_resource_keeps_tags_on_the_environment_and_the_queue() -> None:
    stack = cdk.Stack(cdk.App(context={F.TAGS_NO_REPLACEMENT: True}), "Stack")
    ce = batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources=batch.ComputeResources(vpc=vpc_of(stack)),
        inherited_tags=batch.InheritedTags.RESOURCE,
    )
    batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
        inherited_tags=batch.InheritedTags.RESOURCE,
    )
    cdk.Tags.of(stack).add("team", "data")
    template = cdk.assertions.Template.from_stack(stack).to_json()
    assert env(template, "CE")["Tags"] == {"team": "data"}
    assert "Tags" not in env(template, "CE")["ComputeResources"]
    assert env(template, "Queue")["Tags"] == {"team": "data"}


def test_d15_flag_defaulted_environment_does_not_warn_about_tag_replacement() -> None:
    stack, _ = ce_in({F.TAGS_NO_REPLACEMENT: True}, name="named")
    assert ce_warnings(stack, "ce-tags-force-replacement") == []
    stack, _ = ce_in(name="named")
    assert ce_warnings(stack, "ce-tags-force-replacement")


def test_d15_named_fargate_environment_still_warns() -> None:
    stack, props = ce_in({F.TAGS_NO_REPLACEMENT: True}, name="named", type=T.FARGATE)
    assert props["Tags"] == {"team": "data"}
    assert ce_warnings(stack, "ce-tags-force-replacement")


# --- JobQueue(inherited_tags=...) (spec 2.16) -----------------------------------------


def queue_props(inherited: Any) -> dict[str, Any]:
    stack = cdk.Stack(cdk.App(), "Stack")
    ce = batch.ComputeEnvironment.from_compute_environment_arn(
        stack, "CE", "arn:aws:batch:us-east-1:123456789012:compute-environment/ce"
    )
    batch.JobQueue(
        stack,
        "Queue",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
        inherited_tags=inherited,
    )
    cdk.Tags.of(stack).add("team", "data")
    return env(cdk.assertions.Template.from_stack(stack).to_json(), "Queue")


@pytest.mark.parametrize(
    "inherited", [None, batch.InheritedTags.RESOURCE], ids=["unset", "RESOURCE"]
)
def test_queue_resource_keeps_inherited_tags_on_the_queue(inherited: Any) -> None:
    assert queue_props(inherited)["Tags"] == {"team": "data"}


def test_queue_ignore_leaves_inherited_tags_off_the_queue() -> None:
    props = queue_props(batch.InheritedTags.IGNORE)
    assert "Tags" not in props
    assert props["Priority"] == 1 and props["State"] == "ENABLED"


def test_queue_instances_is_refused() -> None:
    with pytest.raises(batch.BatchValidationError) as err:
        queue_props(batch.InheritedTags.INSTANCES)
    assert [p.rule_id for p in err.value.problems] == ["jq-inherited-tags-instances"]
    assert "must be RESOURCE or IGNORE for a job queue" in str(err.value)


# --- scoping, precedence of explicit False, cfn-lint --------------------------------


def test_a_flag_on_one_stack_leaves_its_sibling_alone(
    templates: dict[str, dict[str, Any]],
) -> None:
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        flagged = cdk.Stack(app, "Stack")
        for flag in MY_FLAGS:
            flagged.node.set_context(flag, True)
        program(flagged, batch)
        program(cdk.Stack(app, "Sibling"), batch)
        assembly = app.synth()
        sibling = json.dumps(assembly.get_stack_by_name("Sibling").template)
        # The security group descriptions name the stack.
        assert json.loads(sibling.replace('"Sibling/', '"Stack/')) == templates["off"]
        assert assembly.get_stack_by_name("Stack").template == templates["all"]


@pytest.mark.parametrize("flag", [*MY_FLAGS, "all"])
def test_flag_on_templates_pass_cfn_lint(templates: dict[str, dict[str, Any]], flag: str) -> None:
    assert cfn_lint_errors(templates[flag]) == []


def test_all_five_together(templates: dict[str, dict[str, Any]]) -> None:
    on = templates["all"]
    ec2_ = env(on, "Ec2")["ComputeResources"]
    assert ec2_["InstanceTypes"] == ["default_x86_64"]
    assert ec2_["AllocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert ec2_["Ec2Configuration"] == [{"ImageType": "ECS_AL2023"}]
    assert ec2_["Tags"] == {"team": "data"}
    # The role created here still blocks in-place updates (serviceLinkedRole is off).
    assert "ReplaceComputeEnvironment" not in env(on, "Ec2")
    in_place = env(on, "InPlace")
    assert in_place["ReplaceComputeEnvironment"] is False
    assert in_place["UpdatePolicy"] == UPDATE_POLICY


# --- helpers --------------------------------------------------------------------------


def ce_warnings(stack: cdk.Stack, rule_id: str = "ce-") -> list[Any]:
    found: list[Any] = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp(r"\[rule: " + rule_id)
    )
    return found


# --- adopting on a live stack: keywords that keep the classic output ------------------


def test_d7_optimal_given_explicitly_keeps_the_classic_instance_types() -> None:
    _, props = ce_in({F.DEFAULT_INSTANCE_CLASS: True}, instance_types=[ec2.InstanceType("optimal")])
    assert props["ComputeResources"]["InstanceTypes"] == ["optimal"]


def test_d8_pinning_a_live_spot_environment_reproduces_its_classic_fragment(
    templates: dict[str, dict[str, Any]],
) -> None:
    def pinned(stack: cdk.Stack, b: ModuleType) -> None:
        fleet_role = stack.format_arn(
            service="iam", region="", resource="role", resource_name=SPOT_FLEET_SLR
        )
        b.ComputeEnvironment(
            stack,
            "Spot",
            compute_resources=b.ComputeResources(
                vpc=vpc_of(stack),
                type=b.ComputeResourceType.SPOT,
                allocation_strategy=b.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
                spot_fleet_role=iam.Role.from_role_arn(stack, "FleetRole", fleet_role),
            ),
        )
        cdk.Tags.of(stack).add("team", "data")

    mine = env(synth(pinned, {F.ALLOCATION_STRATEGY: True}), "Spot")
    assert mine == env(templates["off"], "Spot")
