"""Rule cases for job definition values that the alpha replaced by a default.

The alpha rendered a 0 for ``vcpus``, ``memory_limit_mib`` and
``retry_attempts`` as the default; cdk_batch renders the same and warns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs

import cdk_batch as batch


def jd(retry_attempts: float | None = None, **container: Any) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        return batch.JobDefinition(
            s,
            "JD",
            retry_attempts=retry_attempts,
            container=batch.JobDefinitionContainer(
                image=ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux"),
                **container,
            ),
        )

    return build


CASES = [
    ("jd-vcpus-zero", jd(vcpus=0), jd(vcpus=1)),
    ("jd-memory-zero", jd(memory_limit_mib=0), jd(memory_limit_mib=2048)),
    ("jd-retry-attempts-zero", jd(retry_attempts=0), jd(retry_attempts=1)),
]

SAYS = {
    "jd-vcpus-zero": "container.vcpus of 0 is rendered as the default 1 vCPU, as the alpha did",
    "jd-memory-zero": (
        "container.memory_limit_mib of 0 is rendered as the default 4 MiB, as the alpha did"
    ),
    "jd-retry-attempts-zero": "retry_attempts of 0 is rendered as 1 (one attempt, no retry)",
}
