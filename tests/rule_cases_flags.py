"""Rule cases for the corrected-defaults flags read from the context (rules/context.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk

import cdk_batch as batch

F = batch.flags


def with_context(context: dict[str, Any]) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        for key, value in context.items():
            s.node.set_context(key, value)
        return batch.JobDefinition(
            s, "JD", container=batch.JobDefinitionContainer(image=batch_image())
        )

    return build


def batch_image() -> Any:
    from aws_cdk import aws_ecs as ecs

    return ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2023")


CASES = [
    (
        "context-flag-value",
        with_context({F.NO_EMPTY_TIMEOUT: "yes"}),
        with_context({F.NO_EMPTY_TIMEOUT: "TRUE"}),
    ),
    (
        "context-flag-unknown",
        with_context({"@cdk-batch/aws-batch:noEmptyTimout": True}),
        with_context({F.NO_EMPTY_TIMEOUT: True, "@aws-cdk/aws-batch:defaultToAL2023": True}),
    ),
]

SAYS = {
    "context-flag-value": (
        "@cdk-batch/aws-batch:noEmptyTimeout must be true or false "
        '(or "true" or "false"), got \'yes\''
    ),
    "context-flag-unknown": (
        "@cdk-batch/aws-batch:noEmptyTimout is not a cdk_batch flag and has no effect; "
        "did you mean @cdk-batch/aws-batch:noEmptyTimeout?"
    ),
}
