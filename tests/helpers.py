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


def node_classes(batch: Any) -> tuple[type, type]:
    """INodeRangeProps / IMultiNodeProps implemented the way alpha users did.

    jsii exposes only properties to JavaScript, so alpha users wrote them as
    properties of classes decorated with ``jsii.implements``.
    """
    import jsii

    @jsii.implements(batch.INodeRangeProps)
    class Range:
        def __init__(self, container: Any, from_node_index: Any = None, to_node_index: Any = None):
            self._container, self._from, self._to = container, from_node_index, to_node_index

        @property
        def container(self) -> Any:
            return self._container

        @property
        def from_node_index(self) -> Any:
            return self._from

        @property
        def to_node_index(self) -> Any:
            return self._to

    @jsii.implements(batch.IMultiNodeProps)
    class Nodes:
        def __init__(self, count: Any, main_node: Any, range_props: Any):
            self._count, self._main, self._ranges = count, main_node, range_props

        @property
        def count(self) -> Any:
            return self._count

        @property
        def main_node(self) -> Any:
            return self._main

        @property
        def range_props(self) -> Any:
            return self._ranges

    return Range, Nodes
