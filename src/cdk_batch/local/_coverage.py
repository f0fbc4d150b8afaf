"""What the emulator accepts without checking it, found from the template alone.

moto deploys some things without modelling them, and says nothing: resource
types it has no CloudFormation support for are skipped (a ``Ref`` to one
resolves to nothing), and its Batch handlers read only some properties. Each
such case becomes a :class:`NotChecked` entry, so that a local deploy never
reports as verified what was not looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ._result import NotChecked

# The properties that moto 5.2's CloudFormation handlers for Batch read (and so
# create, store and describe). Every other property is accepted and dropped.
READ_PROPERTIES: dict[str, frozenset[str]] = {
    "AWS::Batch::ComputeEnvironment": frozenset(
        {"ComputeEnvironmentName", "Type", "State", "ComputeResources", "ServiceRole"}
    ),
    "AWS::Batch::JobQueue": frozenset(
        {"JobQueueName", "Priority", "State", "ComputeEnvironmentOrder"}
    ),
    "AWS::Batch::JobDefinition": frozenset(
        {
            "JobDefinitionName",
            "Parameters",
            "Tags",
            "RetryStrategy",
            "ContainerProperties",
            "EksProperties",
        }
    ),
}

# Properties whose loss changes what the resource is, with the reason in words.
_DROPPED_MEANING = {
    ("AWS::Batch::JobDefinition", "NodeProperties"): (
        "multi-node job definition: the emulator registers it as a single-node container "
        "(with the first node range's container) and drops NodeProperties"
    ),
    ("AWS::Batch::JobDefinition", "PlatformCapabilities"): (
        "the emulator drops PlatformCapabilities: the Fargate rules for the definition are "
        "not checked (jobs are still matched to queues by it)"
    ),
}

# Values the emulator's handler assumes anyway, so dropping them loses nothing.
_IMPLIED = {
    ("AWS::Batch::JobDefinition", "Type"): "container",
    ("AWS::Batch::JobDefinition", "PlatformCapabilities"): ["EC2"],
}

_NOTHING = object()
_UNRESOLVED_SECRETS = "stored but never resolved: the secrets' existence and access are not checked"
_SUB_NAME = re.compile(r"\$\{(?!!)([A-Za-z0-9.]+)\}")

# Types CloudFormation accepts that create nothing, which moto rightly ignores.
NO_OP_TYPES = frozenset(
    {
        "AWS::CDK::Metadata",
        "AWS::CloudFormation::WaitCondition",
        "AWS::CloudFormation::WaitConditionHandle",
    }
)


def supported_types() -> frozenset[str]:
    """The resource types moto's CloudFormation creates."""
    from moto.cloudformation.parsing import get_model_map

    return frozenset(get_model_map())


def not_checked(
    stack: str, template: dict[str, Any], supported: frozenset[str]
) -> Iterator[NotChecked]:
    """Every part of ``template`` that a deploy into the emulator would not verify."""
    resources: dict[str, Any] = template.get("Resources", {})
    skipped = {
        logical_id
        for logical_id, r in resources.items()
        if r.get("Type") not in supported
        and r.get("Type") not in NO_OP_TYPES
        and not str(r.get("Type", "")).startswith("Custom::")
    }
    for logical_id, resource in resources.items():
        kind = str(resource.get("Type", ""))
        props: dict[str, Any] = resource.get("Properties") or {}
        if kind == "AWS::Batch::JobQueue" and "ServiceEnvironmentOrder" in props:
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="resource",
                reason="the emulator's job queues take compute environments only, so a "
                "SageMaker Training queue is left out of the local deploy",
            )
            continue
        if logical_id in skipped:
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="resource",
                reason="the emulator has no support for this type: it is not created, "
                "and references to it resolve to nothing",
            )
            continue
        if kind.startswith("Custom::"):
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="resource",
                reason="custom resource: its handler is not run",
            )
        refs = sorted(_references(resource) & skipped)
        if refs:
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="references " + ", ".join(refs),
                reason="it refers to resources the emulator skipped, so it was created "
                "with missing values",
            )
        yield from _batch_properties(stack, logical_id, kind, props)


def _batch_properties(
    stack: str, logical_id: str, kind: str, props: dict[str, Any]
) -> Iterator[NotChecked]:
    read = READ_PROPERTIES.get(kind)
    if read is None:
        return
    dropped = sorted(
        k
        for k, v in props.items()
        if k not in read
        and (kind, k) not in _DROPPED_MEANING
        and v not in ({}, [], None)
        and _IMPLIED.get((kind, k), _NOTHING) != v
        and not (k == "Type" and "NodeProperties" in props)
    )
    meaningful = (
        k
        for k, v in props.items()
        if (kind, k) in _DROPPED_MEANING and _IMPLIED.get((kind, k), _NOTHING) != v
    )
    for key in sorted(meaningful):
        yield NotChecked(
            stack=stack,
            logical_id=logical_id,
            resource_type=kind,
            what=key,
            reason=_DROPPED_MEANING[(kind, key)],
        )
    if dropped:
        yield NotChecked(
            stack=stack,
            logical_id=logical_id,
            resource_type=kind,
            what=", ".join(dropped),
            reason="the emulator accepts and drops these properties",
        )
    if kind == "AWS::Batch::ComputeEnvironment" and "ComputeResources" not in props:
        yield NotChecked(
            stack=stack,
            logical_id=logical_id,
            resource_type=kind,
            what="unmanaged compute environment",
            reason="created through a workaround for an emulator bug (moto 5.2 fails on "
            "compute environments without ComputeResources)",
        )
    resources = props.get("ComputeResources")
    if (
        kind == "AWS::Batch::ComputeEnvironment"
        and isinstance(resources, dict)
        and "LaunchTemplate" in resources
        and "SecurityGroupIds" not in resources
    ):
        yield NotChecked(
            stack=stack,
            logical_id=logical_id,
            resource_type=kind,
            what="security groups from the launch template",
            reason="the emulator requires SecurityGroupIds; the environment was created through "
            "a workaround and the launch template's security groups are not checked",
        )
    container = props.get("ContainerProperties") or {}
    if isinstance(container, dict):
        if container.get("Secrets"):
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="ContainerProperties.Secrets",
                reason=_UNRESOLVED_SECRETS,
            )
        log = container.get("LogConfiguration") or {}
        if isinstance(log, dict) and log.get("SecretOptions"):
            yield NotChecked(
                stack=stack,
                logical_id=logical_id,
                resource_type=kind,
                what="ContainerProperties.LogConfiguration.SecretOptions",
                reason=_UNRESOLVED_SECRETS,
            )


def _references(value: Any) -> set[str]:
    """The logical IDs that ``value`` refers to with Ref, Fn::GetAtt or DependsOn."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                target = item[0] if isinstance(item, list) else str(item).split(".")[0]
                found.add(str(target))
            elif key == "DependsOn" and isinstance(item, str):
                found.add(item)
            elif key == "DependsOn" and all(isinstance(i, str) for i in item or ()):
                # A resource's DependsOn; a property of that name (a task
                # container's DependsOn) holds objects and is searched below.
                found.update(item)
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                found.update(m.split(".")[0] for m in _SUB_NAME.findall(str(text)))
                if isinstance(item, list) and len(item) > 1:
                    found |= _references(item[1])
            else:
                found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found
