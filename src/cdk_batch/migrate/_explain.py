"""Which documented difference (``docs/differences.md``) explains a template difference.

Each entry has the id of its section in ``docs/differences.md`` and a test on
one :class:`~cdk_batch.migrate._compare.Difference`. A difference that no entry
explains is a bug in cdk_batch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._compare import Difference

DOCS = "docs/differences.md"


@dataclass(frozen=True)
class Explanation:
    """A fixed alpha defect that changes templates, with the test that recognizes it."""

    id: str
    title: str
    matches: Callable[[Difference], bool]
    doc: str = DOCS

    @property
    def link(self) -> str:
        """Where the documentation explains it."""
        return f"{self.doc}#{self.id}" if self.id else self.doc


CORRECTED_DEFAULTS = Explanation(
    id="",
    title="a corrected-defaults flag that the app's context turns on",
    matches=lambda d: False,  # recognized by comparing with the flags off
    doc="docs/corrected-defaults.md",
)
"""What explains a difference that goes away when the app's cdk_batch flags are off."""


def _is(rtype: str, d: Difference) -> bool:
    return d.section == "Resources" and d.resource_type == rtype


def _multi_node(d: Difference) -> bool:
    return _is("AWS::Batch::JobDefinition", d) and (
        (d.path == "Properties.Type" and d.expected == "container" and d.actual == "multinode")
        or d.path.startswith("Properties.NodeProperties")
        or (d.path == "Properties.ContainerProperties" and d.kind == "removed")
    )


def _priority_zero(d: Difference) -> bool:
    return (
        _is("AWS::Batch::JobQueue", d)
        and d.path == "Properties.Priority"
        and d.expected == 1
        and d.actual == 0
    )


def _spot_fleet_role(d: Difference) -> bool:
    return (
        _is("AWS::Batch::ComputeEnvironment", d)
        and d.path == "Properties.ComputeResources.SpotIamFleetRole"
        and d.kind == "added"
    )


def _refs(value: Any) -> set[str]:
    return set(re.findall(r"\{\"Ref\": \"([^\"]+)\"\}", json.dumps(value)))


def _name_attribute(d: Difference) -> bool:
    # The alpha's *_name attributes were a bare Ref (the ARN); cdk_batch
    # selects the name out of that same Ref. In another stack the Ref arrives
    # through an export: the alpha used the Fn::ImportValue as it is, cdk_batch
    # selects the name out of that same Fn::ImportValue.
    e, a = d.expected, d.actual
    if d.kind != "changed" or not (isinstance(a, dict) and "Fn::Select" in a):
        return False
    if isinstance(e, dict) and set(e) == {"Ref"}:
        return _refs(a) == {e["Ref"]}
    if isinstance(e, dict) and set(e) == {"Fn::ImportValue"}:
        return _refs(a) == set() and _imports(a) == [e]
    return False


def _imports(value: Any) -> list[Any]:
    if isinstance(value, dict):
        if set(value) == {"Fn::ImportValue"}:
            return [value]
        return [i for v in value.values() for i in _imports(v)]
    if isinstance(value, list):
        return [i for v in value for i in _imports(v)]
    return []


def _instance_type(d: Difference) -> bool:
    return (
        _is("AWS::Batch::JobDefinition", d)
        and d.kind == "removed"
        and d.path.endswith("ContainerProperties.InstanceType")
    )


_ECR_PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken")


def _image_pull_role(d: Difference) -> bool:
    if not _is("AWS::IAM::Policy", d):
        return False
    text = json.dumps([d.expected, d.actual])
    return any(action in text for action in _ECR_PULL)


def _linux_parameters(d: Difference) -> bool:
    return (
        _is("AWS::Batch::JobDefinition", d)
        and d.kind == "added"
        and ".LinuxParameters." in f"{d.path}."
        and not d.path.endswith("LinuxParameters.Devices")
    )


def _listed_snake_case_keys(d: Difference) -> bool:
    # Keys of a volume given as a snake_case dict in a list, which the alpha
    # read as a JavaScript object and dropped.
    return (
        _is("AWS::Batch::JobDefinition", d)
        and d.kind == "added"
        and ".Volumes[" in d.path
        and (d.path.endswith(".Host.SourcePath") or ".EfsVolumeConfiguration" in d.path)
    )


EXPLANATIONS: tuple[Explanation, ...] = (
    Explanation("multi-node-job-definitions", "multi-node job definitions", _multi_node),
    Explanation("queue-priority-zero", "a queue priority of 0", _priority_zero),
    Explanation("spot-fleet-role-kept", "a given spot fleet role is kept", _spot_fleet_role),
    Explanation("name-attributes", "name attributes return names", _name_attribute),
    Explanation("single-node-instance-type", "no InstanceType on single-node jobs", _instance_type),
    Explanation("fargate-image-pull-role", "image pull grants on Fargate", _image_pull_role),
    Explanation("linux-parameters", "every Linux parameter is rendered", _linux_parameters),
    Explanation(
        "snake-case-keys-in-listed-dicts",
        "snake_case keys of dicts in lists are read",
        _listed_snake_case_keys,
    ),
)


def explain(d: Difference) -> Explanation | None:
    """The documented difference that explains ``d``, or None."""
    for e in EXPLANATIONS:
        if e.matches(d):
            return e
    return None
