"""The rules of the ``from_*_arn`` importers: the ARN must name a resource."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .._core.arns import resource_name
from .._core.registry import Finding, rule

_ARN_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"


def _arn_rule(rule_id: str, construct: str, prop: str, kind: str) -> None:
    def check(arn: str) -> Iterator[Finding]:
        if resource_name(arn) is None:
            yield Finding(
                prop,
                f"must look like arn:PARTITION:batch:REGION:ACCOUNT:{kind}/NAME, got {arn!r}",
                arn,
            )

    register: Callable[..., object] = rule(
        rule_id,
        construct=construct,
        properties=(prop,),
        summary=f"an imported ARN must end in {kind}/NAME",
        source=_ARN_DOCS,
        on="arn",
        alpha_checks="partly (malformed ARNs fail; a missing name fails when the name is read)",
    )
    register(check)


_arn_rule(
    "ce-import-arn-format", "ComputeEnvironment", "compute_environment_arn", "compute-environment"
)
_arn_rule("jq-import-arn-format", "JobQueue", "job_queue_arn", "job-queue")
_arn_rule("jd-import-arn-format", "JobDefinition", "job_definition_arn", "job-definition")
_arn_rule(
    "sp-import-arn-format",
    "FairshareSchedulingPolicy",
    "scheduling_policy_arn",
    "scheduling-policy",
)
_arn_rule(
    "cr-import-arn-format",
    "ConsumableResource",
    "consumable_resource_arn",
    "consumable-resource",
)
_arn_rule(
    "se-import-arn-format",
    "ServiceEnvironment",
    "service_environment_arn",
    "service-environment",
)
