"""What the classic and the 0.2.0 rules of JobDefinition share."""

from __future__ import annotations

from collections.abc import Iterator

from ..._props.job_definition import (
    EcsTaskProperties,
    JobDefinitionContainer,
    JobDefinitionProps,
    TaskContainer,
)

JD = "JobDefinition"
CONTAINER_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html"


def fargate_containers(
    p: JobDefinitionProps,
) -> Iterator[tuple[str, JobDefinitionContainer | TaskContainer]]:
    """The containers the Fargate rules check: the job's container or the task's."""
    if p.ecs_properties is not None:
        yield from p.rendered_containers()
    elif p.container is not None:
        yield "container", p.container


def task_level(
    p: JobDefinitionProps,
) -> Iterator[tuple[str, JobDefinitionContainer | EcsTaskProperties]]:
    """Where the task-level settings (roles, platform, network) are: container or task."""
    if p.ecs_properties is not None:
        yield "ecs_properties", p.ecs_properties
    elif p.container is not None:
        yield "container", p.container
