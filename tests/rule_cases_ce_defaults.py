"""Rule cases for the JobQueue half of ``inherited_tags`` (rules/job_queue.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk

import cdk_batch as batch


def queue_with_tags(inherited: batch.InheritedTags) -> Callable[[cdk.Stack], Any]:
    def build(s: cdk.Stack) -> Any:
        ce = batch.ComputeEnvironment.from_compute_environment_arn(
            s, "CE", "arn:aws:batch:us-east-1:123456789012:compute-environment/ce"
        )
        return batch.JobQueue(
            s,
            "Queue",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)
            ],
            inherited_tags=inherited,
        )

    return build


CASES = [
    (
        "jq-inherited-tags-instances",
        queue_with_tags(batch.InheritedTags.INSTANCES),
        queue_with_tags(batch.InheritedTags.IGNORE),
    ),
]

SAYS = {
    "jq-inherited-tags-instances": (
        "inherited_tags must be RESOURCE or IGNORE for a job queue, which has no instances "
        "to tag, got INSTANCES"
    ),
}
