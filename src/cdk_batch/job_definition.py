"""Job definitions: the container, resources and retry rules of a Batch job.

A job definition describes one container (or, for a multi-node parallel job,
a container per range of nodes) and how AWS Batch runs it: image, command,
environment, vCPUs and memory, roles, volumes, logging, retries and timeout.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_definitions.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Fn, Resource, Stack
from aws_cdk import aws_batch as cfn
from constructs import Construct

from ._core.registry import validate
from ._core.structs import coerce
from ._props.job_definition import (
    IJobDefinition,
    IMultiNodeProps,
    INodeRangeProps,
    JobDefinitionContainer,
    JobDefinitionProps,
    LogConfiguration,
    LogDriver,
    MultiNodeProps,
    NodeRangeProps,
    PlatformCapabilities,
    coerce_node_props,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import new
from ._render.job_container import ContainerRenderer
from ._render.shared import arn_attribute, stack_of

__all__ = [
    "IJobDefinition",
    "IMultiNodeProps",
    "INodeRangeProps",
    "JobDefinition",
    "JobDefinitionContainer",
    "JobDefinitionProps",
    "LogConfiguration",
    "LogDriver",
    "MultiNodeProps",
    "NodeRangeProps",
    "PlatformCapabilities",
]


# --- the construct ---------------------------------------------------------


class JobDefinition(Resource):
    """An AWS Batch job definition.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        container: JobDefinitionContainer | Mapping[str, Any],
        job_definition_name: str | None = None,
        node_props: IMultiNodeProps | Mapping[str, Any] | None = None,
        parameters: Mapping[str, str] | None = None,
        platform_capabilities: Sequence[PlatformCapabilities] | None = None,
        propagate_tags: bool | None = None,
        retry_attempts: float | None = None,
        timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, id, physical_name=job_definition_name)
        props = JobDefinitionProps(
            container=coerce(JobDefinitionContainer, container),
            job_definition_name=job_definition_name,
            node_props=coerce_node_props(node_props),
            parameters=parameters,
            platform_capabilities=platform_capabilities,
            propagate_tags=propagate_tags,
            retry_attempts=retry_attempts,
            timeout=timeout,
        )
        validate(self, "JobDefinition", props)
        self._props = props

        renderer = ContainerRenderer(self, stack_of(scope), props)
        nodes = props.node_props
        if nodes is None:
            container_properties = renderer.render(props.container)
            node_properties = None
            job_type = "container"
        else:
            container_properties = None
            node_properties = renderer.render_nodes(nodes)
            job_type = "multinode"

        self._resource = new(
            cfn.CfnJobDefinition,
            self,
            "Resource",
            job_definition_name=job_definition_name,
            container_properties=container_properties,
            node_properties=node_properties,
            parameters=dict(parameters) if parameters is not None else None,
            platform_capabilities=[
                c.value
                for c in (
                    platform_capabilities
                    if platform_capabilities is not None
                    else [PlatformCapabilities.EC2]
                )
            ],
            propagate_tags=propagate_tags,
            retry_strategy=cfn.CfnJobDefinition.RetryStrategyProperty(attempts=retry_attempts or 1),
            # Kept from the alpha: an empty Timeout when none is given.
            timeout=cfn.CfnJobDefinition.TimeoutProperty(
                attempt_duration_seconds=timeout.to_seconds() if timeout is not None else None
            ),
            type=job_type,
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_job_definition_arn(
        scope: Construct, id: str, job_definition_arn: str
    ) -> IJobDefinition:
        """Refer to an existing job definition by its ARN.

        The name is read from the ARN (``...:job-definition/NAME[:REVISION]``).
        """
        return _ImportedJobDefinition(scope, id, arn=job_definition_arn)

    @staticmethod
    def from_job_definition_name(
        scope: Construct, id: str, job_definition_name: str
    ) -> IJobDefinition:
        """Refer to an existing job definition by its name, with or without ``:REVISION``.

        Without a revision, jobs use the latest active revision.
        """
        stack = Stack.of(scope)
        arn = stack.format_arn(
            service="batch", resource="job-definition", resource_name=job_definition_name
        )
        return _ImportedJobDefinition(scope, id, arn=arn, name=job_definition_name)

    @property
    def job_definition_arn(self) -> str:
        """The ARN of the job definition, with its revision."""
        if self._arn is None:
            self._arn = arn_attribute(
                self, self._resource, "job-definition", self._props.job_definition_name
            )
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name of the job definition, without the revision.

        Read from the ARN that CloudFormation returns, so that a consumer of the
        name depends on the definition. (The alpha returned the ARN here; see
        ``docs/differences.md``.)
        """
        if self._name is None:
            resource = Fn.select(1, Fn.split("/", self._resource.ref))
            self._name = self._get_resource_name_attribute(Fn.select(0, Fn.split(":", resource)))
        return self._name


class _ImportedJobDefinition(Resource):
    """A job definition that exists outside this app."""

    def __init__(self, scope: Construct, id: str, *, arn: str, name: str | None = None) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = (
            name if name is not None else resource_name_from_arn(self, "JobDefinition", arn)
        )

    @property
    def job_definition_arn(self) -> str:
        """The ARN the definition was imported with (or built from its name)."""
        return self._arn

    @property
    def job_definition_name(self) -> str:
        """The name the definition was imported with (or read from its ARN)."""
        return self._name
