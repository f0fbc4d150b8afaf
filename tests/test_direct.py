"""The shortcuts of cdk_batch._render.direct: what they rely on, and that nothing changes.

These tests fail loudly when a jsii or aws-cdk-lib upgrade changes what the
shortcuts rely on; the library then falls back to the generated bindings,
which the last tests exercise.
"""

from __future__ import annotations

import inspect
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch._render import direct

from .helpers import new_stack

CLASSES_MADE_DIRECTLY = (
    cfn.CfnComputeEnvironment,
    cfn.CfnJobQueue,
    cfn.CfnJobDefinition,
    cfn.CfnSchedulingPolicy,
    cfn.CfnConsumableResource,
    cfn.CfnServiceEnvironment,
    iam.CfnInstanceProfile,
    iam.Role,
    ec2.SecurityGroup,
)


# --- what the shortcuts rely on -------------------------------------------------


def test_jsii_exports_create_with_the_signature_the_bindings_use() -> None:
    assert "create" in jsii.__all__
    assert list(inspect.signature(jsii.create).parameters)[:3] == ["klass", "obj", "args"]


@pytest.mark.parametrize("cls", CLASSES_MADE_DIRECTLY, ids=lambda c: c.__name__)
def test_every_class_made_directly_has_a_props_name_mapping(cls: type) -> None:
    mapping = direct._name_mapping(cls)
    assert mapping is not None, f"{cls.__name__} would silently fall back to its binding"
    # The binding's keywords and the mapping's keys are the same names.
    keywords = {
        name
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert keywords == set(mapping)


def test_a_resolved_registry_image_holds_its_name_and_options() -> None:
    stack = new_stack()
    assert stack.resolve(ecs.ContainerImage.from_registry("busybox:1")) == {
        "imageName": "busybox:1",
        "props": {},
    }


# --- new() -----------------------------------------------------------------------------


def _queue(stack: cdk.Stack, make: Any) -> Any:
    return make(
        cfn.CfnJobQueue,
        stack,
        "Queue",
        priority=1,
        state="ENABLED",
        compute_environment_order=[
            cfn.CfnJobQueue.ComputeEnvironmentOrderProperty(compute_environment="arn:ce", order=1)
        ],
    )


def _binding(cls: type, scope: Any, id: str, **props: Any) -> Any:
    return cls(scope, id, **props)


def test_new_renders_what_the_binding_renders() -> None:
    ours, theirs = new_stack(), new_stack()
    made = _queue(ours, direct.new)
    _queue(theirs, _binding)
    assert isinstance(made, cfn.CfnJobQueue)
    assert Template.from_stack(ours).to_json() == Template.from_stack(theirs).to_json()


def test_the_kernel_still_refuses_a_wrong_value() -> None:
    with pytest.raises(RuntimeError, match="CfnJobQueueProps"):
        direct.new(cfn.CfnJobQueue, new_stack(), "Queue", priority="high")


def test_an_unknown_keyword_is_refused() -> None:
    with pytest.raises(KeyError, match="priorty"):
        direct.new(cfn.CfnJobQueue, new_stack(), "Queue", priorty=1)


def _environment(stack: cdk.Stack) -> batch.ComputeEnvironment:
    return batch.ComputeEnvironment(
        stack,
        "CE",
        compute_resources=batch.ComputeResources(vpc=ec2.Vpc(stack, "Vpc", max_azs=1)),
    )


def test_default_child_is_the_l1_and_its_setters_reach_the_template() -> None:
    stack = new_stack()
    ce = _environment(stack)
    child = ce.node.default_child
    assert isinstance(child, cfn.CfnComputeEnvironment)
    child.override_logical_id("Renamed")
    child.add_property_override("State", "DISABLED")
    resources = Template.from_stack(stack).find_resources("AWS::Batch::ComputeEnvironment")
    assert list(resources) == ["Renamed"]
    assert resources["Renamed"]["Properties"]["State"] == "DISABLED"


def test_tags_reach_resources_made_directly() -> None:
    stack = new_stack()
    _environment(stack)
    cdk.Tags.of(stack).add("team", "research")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Batch::ComputeEnvironment", {"Tags": {"team": "research"}}
    )
    template.has_resource_properties(
        "AWS::IAM::Role", {"Tags": [{"Key": "team", "Value": "research"}]}
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup", {"Tags": [{"Key": "team", "Value": "research"}]}
    )


def test_connections_use_the_security_group_made_directly() -> None:
    stack = new_stack()
    ce = _environment(stack)
    peer = ec2.SecurityGroup(stack, "Peer", vpc=ec2.Vpc(stack, "Other", max_azs=1))
    peer.connections.allow_from(ce, ec2.Port.tcp(443))
    Template.from_stack(stack).has_resource_properties(
        "AWS::EC2::SecurityGroupIngress", {"FromPort": 443, "ToPort": 443}
    )


def test_customize_roles_sees_roles_made_directly() -> None:
    stack = new_stack()
    iam.Role.customize_roles(stack)
    _environment(stack)
    # With customized roles, no AWS::IAM::Role is synthesized, for ours as for any.
    assert Template.from_stack(stack).find_resources("AWS::IAM::Role") == {}


# --- registry_image_name() -------------------------------------------------------------


def test_a_plain_registry_image_is_read_with_one_resolve() -> None:
    stack = new_stack()
    image = ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2")
    assert direct.registry_image_name(stack, image) == "public.ecr.aws/amazonlinux/amazonlinux:2"


def test_images_that_need_a_binding_are_left_to_it() -> None:
    stack = new_stack()
    secret = secretsmanager.Secret(stack, "Secret")
    token_name = cdk.Fn.join("", ["repo/", cdk.Aws.REGION])
    assert (
        direct.registry_image_name(
            stack, ecs.ContainerImage.from_registry("private/image", credentials=secret)
        )
        is None
    )
    assert direct.registry_image_name(stack, ecs.ContainerImage.from_registry(token_name)) is None
    assert direct.registry_image_name(stack, ecs.ContainerImage.from_tarball("x.tar")) is None


# --- the fallback to the bindings --------------------------------------------------------


def test_without_jsii_create_the_bindings_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(direct, "_create", None)
    monkeypatch.setattr(direct, "_mappings", {})
    fallback, fast = new_stack(), new_stack()
    _queue(fallback, direct.new)
    monkeypatch.undo()
    _queue(fast, direct.new)
    assert Template.from_stack(fallback).to_json() == Template.from_stack(fast).to_json()


# --- init_resource() ------------------------------------------------------------------


def test_resource_props_map_the_physical_name() -> None:
    assert direct._RESOURCE_PROPS is not None, "init_resource would fall back to the binding"
    assert direct._RESOURCE_PROPS["physical_name"] == "physicalName"


class _Named(cdk.Resource):
    def __init__(self, scope: Any, id: str, name: str | None) -> None:
        direct.init_resource(self, scope, id, physical_name=name)


def test_init_resource_makes_the_subclass_with_its_physical_name() -> None:
    stack = new_stack()
    named, unnamed = _Named(stack, "Named", "my-name"), _Named(stack, "Unnamed", None)
    assert isinstance(named, cdk.Resource) and type(named) is _Named
    # The kernel knows the object as this Python instance (a construct of the tree).
    assert stack.node.find_child("Named") is named
    assert stack.resolve(named._physical_name) == "my-name"
    assert cdk.Token.is_unresolved(unnamed._physical_name)


def test_without_jsii_create_init_resource_calls_the_binding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(direct, "_create", None)
    stack = new_stack()
    named = _Named(stack, "Named", "my-name")
    assert stack.node.find_child("Named") is named
    assert stack.resolve(named._physical_name) == "my-name"


# --- js_struct() ---------------------------------------------------------------------

STRUCTS_AS_MAPS = (
    cfn.CfnComputeEnvironment.ComputeResourcesProperty,
    cfn.CfnJobQueue.ComputeEnvironmentOrderProperty,
)


@pytest.mark.parametrize("cls", STRUCTS_AS_MAPS, ids=lambda c: c.__qualname__)
def test_every_struct_given_as_a_map_has_a_name_mapping(cls: type) -> None:
    mapping = getattr(cls, "__jsii_name_mapping__", None)
    assert mapping, f"{cls.__qualname__} would silently stay a struct object"
    keywords = {
        name
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert keywords == set(mapping)


def test_js_struct_keys_are_the_javascript_names_without_unset_fields() -> None:
    made = direct.js_struct(
        cfn.CfnComputeEnvironment.ComputeResourcesProperty,
        maxv_cpus=256,
        type="FARGATE",
        minv_cpus=0,
        desiredv_cpus=None,
        update_to_latest_image_version=False,
    )
    assert made == {
        "maxvCpus": 256,
        "type": "FARGATE",
        "minvCpus": 0,
        "updateToLatestImageVersion": False,
    }


def _queue_with_order(stack: cdk.Stack, order: Any) -> None:
    direct.new(cfn.CfnJobQueue, stack, "Queue", priority=1, compute_environment_order=[order])


def test_a_struct_given_as_a_map_renders_what_the_struct_object_renders() -> None:
    ours, theirs = new_stack(), new_stack()
    _queue_with_order(
        ours,
        direct.js_struct(
            cfn.CfnJobQueue.ComputeEnvironmentOrderProperty, compute_environment="arn:ce", order=1
        ),
    )
    _queue_with_order(
        theirs,
        cfn.CfnJobQueue.ComputeEnvironmentOrderProperty(compute_environment="arn:ce", order=1),
    )
    assert Template.from_stack(ours).to_json() == Template.from_stack(theirs).to_json()


def test_the_kernel_still_refuses_a_wrong_value_in_a_struct_map() -> None:
    order = direct.js_struct(
        cfn.CfnJobQueue.ComputeEnvironmentOrderProperty, compute_environment="arn:ce", order="first"
    )
    with pytest.raises(RuntimeError, match="ComputeEnvironmentOrderProperty"):
        _queue_with_order(new_stack(), order)


def test_js_struct_refuses_an_unknown_keyword() -> None:
    with pytest.raises(KeyError, match="ordr"):
        direct.js_struct(cfn.CfnJobQueue.ComputeEnvironmentOrderProperty, ordr=1)


def test_without_jsii_create_js_struct_makes_the_struct_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(direct, "_create", None)
    made = direct.js_struct(
        cfn.CfnJobQueue.ComputeEnvironmentOrderProperty, compute_environment="arn:ce", order=1
    )
    assert isinstance(made, cfn.CfnJobQueue.ComputeEnvironmentOrderProperty)
    assert made.order == 1
