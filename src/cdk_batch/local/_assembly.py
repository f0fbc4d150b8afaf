"""Read the stacks of a cloud assembly (``cdk.out``) in deployment order.

The cloud assembly's ``manifest.json`` lists one artifact per stack with its
template file, its environment (``aws://ACCOUNT/REGION``) and the artifacts it
depends on. CDK records a dependency for every cross-stack reference, so the
order in which every stack comes after the stacks it depends on is one in which
each ``Fn::ImportValue`` finds its export. Nested assemblies (``Stage``) are
read too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STACK = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
ASSET_MANIFEST = "cdk:asset-manifest"

UNKNOWN_ACCOUNT = "unknown-account"
UNKNOWN_REGION = "unknown-region"


class AssemblyError(ValueError):
    """The input is not a cloud assembly that can be read."""


@dataclass(frozen=True, kw_only=True)
class AssetSummary:
    """The assets of one stack that a real deploy would publish first."""

    files: tuple[str, ...] = ()
    """The display names of the file assets (the stack's own template excluded)."""

    images: tuple[str, ...] = ()
    """The display names of the container image assets."""

    @property
    def count(self) -> int:
        """How many assets there are."""
        return len(self.files) + len(self.images)


@dataclass(frozen=True, kw_only=True)
class StackArtifact:
    """One stack of a cloud assembly, as its manifest describes it."""

    artifact_id: str
    stack_name: str
    display_name: str
    account: str | None
    """The stack's account, or None when the stack is environment-agnostic."""
    region: str | None
    """The stack's region, or None when the stack is environment-agnostic."""
    template: dict[str, Any]
    dependencies: tuple[str, ...]
    """Artifact ids of the stacks this stack depends on."""
    assets: AssetSummary


def synthesize(source: Any) -> Path:
    """The directory of the cloud assembly that ``source`` stands for.

    ``source`` is an ``aws_cdk.App`` or ``Stage`` (synthesized here), an
    ``aws_cdk.cx_api.CloudAssembly``, or the path of a ``cdk.out`` directory.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
    elif hasattr(source, "synth"):
        path = Path(source.synth().directory)
    elif hasattr(source, "directory"):
        path = Path(source.directory)
    else:
        raise AssemblyError(
            "expected an aws_cdk.App, a CloudAssembly or a cdk.out path, "
            f"got {type(source).__name__}"
        )
    if not (path / "manifest.json").is_file():
        raise AssemblyError(f"{path} is not a cloud assembly: it has no manifest.json")
    return path


def read_stacks(directory: Path) -> list[StackArtifact]:
    """Every stack of the assembly in ``directory``, each after its dependencies."""
    found: dict[str, StackArtifact] = {}
    _collect(directory, found)
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(artifact_id: str, trail: tuple[str, ...]) -> None:
        if state.get(artifact_id) == "done":
            return
        if state.get(artifact_id) == "visiting":
            cycle = " -> ".join((*trail, artifact_id))
            raise AssemblyError(f"the stacks depend on each other in a cycle: {cycle}")
        state[artifact_id] = "visiting"
        for dep in found[artifact_id].dependencies:
            visit(dep, (*trail, artifact_id))
        state[artifact_id] = "done"
        order.append(artifact_id)

    for artifact_id in found:
        visit(artifact_id, ())
    return [found[a] for a in order]


def _collect(directory: Path, found: dict[str, StackArtifact]) -> None:
    manifest = _load_json(directory / "manifest.json")
    artifacts: dict[str, Any] = manifest.get("artifacts", {})
    stack_ids = {k for k, v in artifacts.items() if v.get("type") == STACK}
    for artifact_id, artifact in artifacts.items():
        kind = artifact.get("type")
        props = artifact.get("properties", {})
        if kind == NESTED_ASSEMBLY:
            _collect(directory / props["directoryName"], found)
        elif kind == STACK:
            account, region = _environment(artifact.get("environment", ""))
            template_file = props["templateFile"]
            deps = tuple(d for d in artifact.get("dependencies", []) if d in stack_ids)
            assets = _assets(directory, artifacts, artifact, template_file)
            found[artifact_id] = StackArtifact(
                artifact_id=artifact_id,
                stack_name=props.get("stackName", artifact_id),
                display_name=artifact.get("displayName", artifact_id),
                account=account,
                region=region,
                template=_load_json(directory / template_file),
                dependencies=deps,
                assets=assets,
            )


def _environment(env: str) -> tuple[str | None, str | None]:
    # aws://ACCOUNT/REGION, with unknown-account / unknown-region when agnostic
    parts = env.removeprefix("aws://").split("/")
    account = parts[0] if parts and parts[0] else UNKNOWN_ACCOUNT
    region = parts[1] if len(parts) > 1 and parts[1] else UNKNOWN_REGION
    return (
        None if account == UNKNOWN_ACCOUNT else account,
        None if region == UNKNOWN_REGION else region,
    )


def _assets(
    directory: Path, artifacts: dict[str, Any], stack: dict[str, Any], template_file: str
) -> AssetSummary:
    files: list[str] = []
    images: list[str] = []
    for dep in stack.get("dependencies", []):
        artifact = artifacts.get(dep, {})
        if artifact.get("type") != ASSET_MANIFEST:
            continue
        manifest = _load_json(directory / artifact["properties"]["file"])
        for asset_id, asset in manifest.get("files", {}).items():
            if asset.get("source", {}).get("path") == template_file:
                continue  # the template itself, which a deploy uploads
            files.append(asset.get("displayName", asset_id))
        for asset_id, asset in manifest.get("dockerImages", {}).items():
            images.append(asset.get("displayName", asset_id))
    return AssetSummary(files=tuple(files), images=tuple(images))


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as err:
        raise AssemblyError(f"cannot read {path}: {err}") from err
