"""docs/updates.md agrees with the resource schemas CloudFormation publishes.

cfn-lint ships those schemas; their ``createOnlyProperties`` are the changes
that always replace a resource, and the compute environment's
``conditionalCreateOnlyProperties`` are the ones that replace it unless an
infrastructure update is possible.
"""

from __future__ import annotations

from pathlib import Path

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

DOC = (Path(__file__).resolve().parent.parent / "docs" / "updates.md").read_text()
# Parts of the schemas that cdk_batch does not render (EKS, managed instances).
NOT_RENDERED = ("EksConfiguration", "ManagedInstancesProvider", "ScalingPolicy")


def schema(resource_type: str) -> dict:  # type: ignore[type-arg]
    return PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema


def names(paths: list[str]) -> set[str]:
    found = set()
    for path in paths:
        if any(part in path for part in NOT_RENDERED):
            continue
        found.add(path.rsplit("/", 1)[-1])
    return found


def section(title: str, end: str) -> str:
    return DOC.split(title, 1)[1].split(end, 1)[0]


def test_every_create_only_property_is_listed_as_a_replacement() -> None:
    always = section("### Always a replacement", "### Always in place")
    for name in names(schema("AWS::Batch::ComputeEnvironment")["createOnlyProperties"]):
        assert f"`{name}`" in always or f"`ComputeResources.{name}`" in always, name
    queue = section("## Job queues", "## How the")
    for name in names(schema("AWS::Batch::JobQueue")["createOnlyProperties"]):
        assert f"`{name}`" in queue.split("Replacement", 1)[0], name


def test_every_conditionally_create_only_field_is_listed_as_an_infrastructure_update() -> None:
    conditional = section("### Infrastructure updates or replacement", "### Fargate")
    for name in names(schema("AWS::Batch::ComputeEnvironment")["conditionalCreateOnlyProperties"]):
        assert f"`{name}`" in conditional, name


def test_the_scaling_updates_are_not_create_only() -> None:
    ce = schema("AWS::Batch::ComputeEnvironment")
    create_only = names(ce["createOnlyProperties"] + ce["conditionalCreateOnlyProperties"])
    for name in ("MinvCpus", "MaxvCpus", "DesiredvCpus", "State", "ServiceRole", "UpdatePolicy"):
        assert name not in create_only
        assert f"`{name}`" in section("### Always in place", "### Infrastructure updates"), name


def test_queue_tags_are_updatable_and_environment_tags_are_not() -> None:
    assert schema("AWS::Batch::JobQueue")["tagging"]["tagUpdatable"] is True
    assert schema("AWS::Batch::ComputeEnvironment")["tagging"]["tagUpdatable"] is False
