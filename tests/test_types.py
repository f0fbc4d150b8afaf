"""Values of the wrong type are refused at construction, as rule any-property-type.

The cases are generated from the annotations of the props classes: every
field whose type is an enum, a number, a bool or a sequence of enum members
gets a string, and the construct must refuse it with the construct path, the
property path, the expected type and the value given. The reference refuses
the same values (with jsii's TypeError), so nothing it accepted is refused.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Callable, Sequence
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as alpha
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

import cdk_batch as batch
from cdk_batch._core.structs import field_types, is_union
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack

Build = Callable[[cdk.Stack, Any, str, Any], None]


def _image() -> ecs.ContainerImage:
    return ecs.ContainerImage.from_registry("busybox")


def _env(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    fields = {"managed": False, name: value}
    mod.ComputeEnvironment(s, "CE", **fields)


def _resources(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    vpc = ec2.Vpc(s, "Vpc")
    mod.ComputeEnvironment(
        s, "CE", compute_resources=mod.ComputeResources(vpc=vpc, **{name: value})
    )


def _launch_template(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    lt = mod.LaunchTemplateSpecification(launch_template_name="lt", **{name: value})
    _resources(s, mod, "launch_template", lt)


def _queue(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    env = mod.ComputeEnvironment(s, "CE", managed=False)
    entry = mod.JobQueueComputeEnvironment(compute_environment=env, order=1)
    mod.JobQueue(s, "Q", compute_environments=[entry], **{name: value})


def _queue_entry(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    env = mod.ComputeEnvironment(s, "CE", managed=False)
    fields = {"compute_environment": env, "order": 1, name: value}
    mod.JobQueue(s, "Q", compute_environments=[mod.JobQueueComputeEnvironment(**fields)])


def _job_definition(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    container = mod.JobDefinitionContainer(image=_image())
    mod.JobDefinition(s, "JD", container=container, **{name: value})


def _container(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    mod.JobDefinition(
        s, "JD", container=mod.JobDefinitionContainer(image=_image(), **{name: value})
    )


def _log(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    fields = {"log_driver": mod.LogDriver.AWSLOGS, name: value}
    _container(s, mod, "log_configuration", mod.LogConfiguration(**fields))


def _multi_node(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    c = batch.JobDefinitionContainer(image=_image())
    fields = {"count": 2, "main_node": 0, "range_props": [batch.NodeRangeProps(container=c)]}
    fields[name] = value
    batch.JobDefinition(s, "JD", container=c, node_props=batch.MultiNodeProps(**fields))


def _node_range(s: cdk.Stack, mod: Any, name: str, value: Any) -> None:
    c = batch.JobDefinitionContainer(image=_image())
    ranges = [batch.NodeRangeProps(container=c, **{name: value})]
    nodes = batch.MultiNodeProps(count=2, main_node=0, range_props=ranges)
    batch.JobDefinition(s, "JD", container=c, node_props=nodes)


# Each props class, where its fields sit (the property path prefix), the
# construct that refuses them, and a builder that puts one field in place.
# MultiNodeProps and NodeRangeProps are ours only (the alpha had interfaces).
STRUCTS: list[tuple[type, str, str, Build, bool]] = [
    (batch.ComputeEnvironmentProps, "", "ComputeEnvironment", _env, True),
    (batch.ComputeResources, "compute_resources.", "ComputeEnvironment", _resources, True),
    (
        batch.LaunchTemplateSpecification,
        "compute_resources.launch_template.",
        "ComputeEnvironment",
        _launch_template,
        True,
    ),
    (batch.JobQueueProps, "", "JobQueue", _queue, True),
    (batch.JobQueueComputeEnvironment, "compute_environments[0].", "JobQueue", _queue_entry, True),
    (batch.JobDefinitionProps, "", "JobDefinition", _job_definition, True),
    (batch.JobDefinitionContainer, "container.", "JobDefinition", _container, True),
    (batch.LogConfiguration, "container.log_configuration.", "JobDefinition", _log, True),
    (batch.MultiNodeProps, "node_props.", "JobDefinition", _multi_node, False),
    (batch.NodeRangeProps, "node_props.range_props[0].", "JobDefinition", _node_range, False),
]

# Fields that one builder already sets for the construct to exist.
_SET_BY_BUILDER = {"compute_resources", "compute_environments", "container", "node_props"}


def _kind(tp: Any) -> tuple[str, Any] | None:
    """('enum', E), ('number', None), ('bool', None) or ('enum-list', E) for a field type."""
    if is_union(tp):
        options = [o for o in typing.get_args(tp) if o is not type(None)]
        if len(options) != 1:
            return None
        tp = options[0]
    origin = typing.get_origin(tp)
    if origin is not None and issubclass(origin, Sequence):
        (item,) = typing.get_args(tp)
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return ("enum-list", item)
        return None
    if tp in (int, float):
        return ("number", None)
    if tp is bool:
        return ("bool", None)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return ("enum", tp)
    return None


def _enum_name(cls: type) -> str:
    ours = cls.__module__.startswith("cdk_batch")
    name = cls.__name__ if ours else f"{cls.__module__}.{cls.__qualname__}"
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _cases() -> list[Any]:
    cases = []
    for cls, prefix, construct, build, in_alpha in STRUCTS:
        for name, tp in field_types(cls).items():
            kind = _kind(tp)
            if kind is None or name in _SET_BY_BUILDER:
                continue
            what, enum_class = kind
            if what == "enum":
                bad: Any = next(iter(enum_class)).value
                expected = f"must be {_enum_name(enum_class)} member"
                path = f"{prefix}{name}"
            elif what == "enum-list":
                bad = [next(iter(enum_class)).value]
                expected = f"{_enum_name(enum_class)} member"
                path = f"{prefix}{name}[0]"
            elif what == "number":
                bad = "16"
                expected = "must be a number"
                path = f"{prefix}{name}"
            else:
                bad = "yes"
                expected = "must be a bool"
                path = f"{prefix}{name}"
            cases.append(
                pytest.param(
                    build,
                    construct,
                    name,
                    bad,
                    path,
                    expected,
                    in_alpha,
                    id=f"{cls.__name__}.{name}",
                )
            )
    return cases


CASES = _cases()


def test_the_cases_cover_the_keywords_of_the_issue() -> None:
    ids = {c.id for c in CASES}
    assert {
        "ComputeResources.type",
        "ComputeResources.allocation_strategy",
        "ComputeResources.maxv_cpus",
        "JobDefinitionProps.platform_capabilities",
        "JobDefinitionContainer.vcpus",
        "LogConfiguration.log_driver",
        "JobQueueProps.priority",
        "JobQueueComputeEnvironment.order",
    } <= ids
    assert len(ids) >= 25


@pytest.mark.parametrize(
    ("build", "construct", "name", "bad", "path", "expected", "in_alpha"), CASES
)
def test_wrong_type_is_refused_with_our_error(
    build: Build, construct: str, name: str, bad: Any, path: str, expected: str, in_alpha: bool
) -> None:
    stack = new_stack()
    with pytest.raises(BatchValidationError) as caught:
        build(stack, batch, name, bad)
    err = caught.value
    assert err.construct_type == construct
    assert err.construct_path.startswith("Stack/")
    (problem,) = [p for p in err.problems if p.property == path]
    assert problem.rule_id == "any-property-type"
    assert expected in problem.message
    assert (
        "(str)" in problem.message
        and repr(bad if isinstance(bad, str) else bad[0]) in problem.message
    )
    assert str(err).startswith(f"{construct} '{err.construct_path}': {path} must be ")
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("build", "construct", "name", "bad", "path", "expected", "in_alpha"), CASES
)
def test_the_reference_refuses_the_same_value(
    build: Build, construct: str, name: str, bad: Any, path: str, expected: str, in_alpha: bool
) -> None:
    if not in_alpha or not hasattr(alpha, construct):
        pytest.skip("not a keyword of the reference")
    params: set[str] = set()
    for cls_name in (
        "ComputeEnvironmentProps",
        "ComputeResources",
        "LaunchTemplateSpecification",
        "JobQueueProps",
        "JobQueueComputeEnvironment",
        "JobDefinitionProps",
        "JobDefinitionContainer",
        "LogConfiguration",
    ):
        params |= set(inspect.signature(getattr(alpha, cls_name)).parameters)
    if name not in params:
        pytest.skip("a keyword added after the reference")
    with pytest.raises((TypeError, RuntimeError)):
        build(new_stack(), alpha, name, bad)


def test_several_wrong_types_are_reported_together() -> None:
    stack = new_stack()
    with pytest.raises(BatchValidationError) as caught:
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=ec2.Vpc(stack, "Vpc"),
                type="SPOT",
                allocation_strategy="BEST_FIT",
                maxv_cpus="16",
            ),
        )
    assert [p.property for p in caught.value.problems] == [
        "compute_resources.allocation_strategy",
        "compute_resources.maxv_cpus",
        "compute_resources.type",
    ]
    assert str(caught.value).startswith("3 problems in ComputeEnvironment 'Stack/CE':")


def test_sequences_mappings_and_classes_are_checked() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc")
    with pytest.raises(BatchValidationError) as caught:
        batch.ComputeEnvironment(
            stack,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                instance_types=["m5.large"],
                security_groups="sg-1",
                compute_resources_tags={"team": 1},
                vpc_subnets="private",
            ),
        )
    said = {p.property: p.message for p in caught.value.problems}
    assert said == {
        "compute_resources.compute_resources_tags['team']": "must be a string, got 1 (int)",
        "compute_resources.instance_types[0]": (
            "must be an instance of aws_cdk.aws_ec2.InstanceType, got 'm5.large' (str)"
        ),
        "compute_resources.security_groups": (
            "must be a sequence of aws_cdk.aws_ec2.ISecurityGroup, got 'sg-1' (str)"
        ),
        "compute_resources.vpc_subnets": (
            "must be an aws_cdk.aws_ec2.SubnetSelection or a dict, got 'private' (str)"
        ),
    }


def test_what_the_alpha_accepts_is_accepted() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc")
    token = cdk.CfnParameter(stack, "N", type="Number").value_as_number
    env = batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources={
            "vpc": vpc,
            "type": alpha.ComputeResourceType.SPOT,  # an alpha member
            "maxv_cpus": token,  # a number token
            "minv_cpus": 0,  # an int for a float
            "instance_types": (ec2.InstanceType("m5.large"),),  # a tuple
            "security_groups": [ec2.SecurityGroup.from_security_group_id(stack, "SG", "sg-1")],
        },
    )
    batch.JobQueue(
        stack, "Q", priority=10, compute_environments=[{"computeEnvironment": env, "order": 1}]
    )
    batch.JobDefinition(
        stack,
        "JD",
        container={"image": _image(), "vcpus": 2, "environment": {"A": cdk.Fn.import_value("X")}},
        timeout=cdk.Duration.minutes(5),
    )
