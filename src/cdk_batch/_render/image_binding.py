"""Binding container images for job definitions, as an ECS task would.

``ecs.ContainerImage.bind(scope, container_definition)`` returns the image
reference and grants pull access (ECR, assets) or read access (registry
credentials) to the execution role of the task behind
``container_definition``. A Batch job definition has no ECS task, so images
are bound against container definitions in a scratch app that is never
synthesized: only the image reference and the grants on the role that is
passed in (which lives in the user's stack) have an effect.

Most images come from a registry without credentials and grant nothing. They
are bound against one shared probe definition per environment, and only an
image whose binding reports registry credentials is bound again against a
definition whose execution role is the real one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from .._core.tokens import is_unknown
from .direct import registry_image_name
from .shared import region_and_account

_EnvKey = tuple[str | None, str | None]

_app: App | None = None
_stacks: dict[_EnvKey, Stack] = {}
_probes: dict[_EnvKey, ecs.ContainerDefinition] = {}
_ids = itertools.count()


def bind_image(
    scope: Stack | object,
    stack: Stack,
    image: ecs.ContainerImage,
    pull_role: Callable[[], iam.IRole],
) -> str:
    """Bind ``image`` in ``scope`` and return its reference.

    Args:
        scope: The construct the image binds in (assets are created under it).
        stack: The stack of ``scope``.
        image: The image.
        pull_role: Returns the role that receives the image's grants; only
            called when the image needs one.

    """
    name = registry_image_name(stack, image)
    if name is not None:
        return name
    key = _env_key(stack)
    if isinstance(image, ecs.RepositoryImage):
        config = image.bind(scope, _probe(key))  # type: ignore[arg-type]
        if config.repository_credentials is None:
            return config.image_name
    definition = _definition(key, image, pull_role())
    return image.bind(scope, definition).image_name  # type: ignore[arg-type]


def _env_key(stack: Stack) -> _EnvKey:
    # Grants compare the account of the role with the account of the resource;
    # a scratch stack in the same environment keeps a probe's stray grant on
    # the scratch role instead of on a resource policy in the user's stack.
    region, account = region_and_account(stack)
    return (None if is_unknown(account) else account, None if is_unknown(region) else region)


def _scratch_stack(key: _EnvKey) -> Stack:
    global _app
    found = _stacks.get(key)
    if found is None:
        if _app is None:
            _app = App(context={"aws:cdk:disable-asset-staging": True})
        account, region = key
        env = Environment(account=account, region=region) if account or region else None
        found = _stacks[key] = Stack(_app, f"Scratch{len(_stacks)}", env=env)
    return found


def _definition(
    key: _EnvKey, image: ecs.ContainerImage, execution_role: iam.IRole
) -> ecs.ContainerDefinition:
    stack = _scratch_stack(key)
    n = next(_ids)
    task = ecs.TaskDefinition(
        stack, f"Task{n}", compatibility=ecs.Compatibility.EC2, execution_role=execution_role
    )
    return ecs.ContainerDefinition(
        stack, f"Container{n}", task_definition=task, image=image, memory_limit_mib=4
    )


def _probe(key: _EnvKey) -> ecs.ContainerDefinition:
    found = _probes.get(key)
    if found is None:
        stack = _scratch_stack(key)
        role = iam.Role(stack, "ProbeRole", assumed_by=iam.AccountRootPrincipal())
        found = _probes[key] = _definition(key, ecs.ContainerImage.from_registry("probe"), role)
    return found


def bind_pod_image(scope: Stack | object, stack: Stack, image: ecs.ContainerImage) -> str:
    """Bind ``image`` for a Kubernetes pod and return its reference.

    A pod has no execution role: the nodes pull with their instance role. Any
    grant the binding makes lands on the scratch probe role, outside the
    user's stacks.
    """
    return image.bind(scope, _probe(_env_key(stack))).image_name  # type: ignore[arg-type]
