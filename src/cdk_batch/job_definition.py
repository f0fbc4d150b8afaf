"""Job definitions: the container, resources and retry rules of a Batch job.

A job definition describes one container (or, for a multi-node parallel job,
a container per range of nodes) and how AWS Batch runs it: image, command,
environment, vCPUs and memory, roles, volumes, logging, retries and timeout.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_definitions.html
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

import jsii
from aws_cdk import (
    ArnFormat,
    CfnResource,
    Duration,
    Fn,
    IAnyProducer,
    IResolveContext,
    Lazy,
    Resource,
    Stack,
)
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_iam as iam
from constructs import Construct

from . import flags
from ._core.flags import flags_on
from ._core.registry import RULES, find_problems, validate
from ._core.structs import coerce, coerce_optional
from ._core.tokens import is_unknown
from ._props.consumable_resource import IConsumableResource
from ._props.corrected import mark_corrected_defaults
from ._props.job_definition import (
    Action,
    ConsumableResourceRequirement,
    EcsTaskProperties,
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
    Reason,
    RetryStrategy,
    TaskContainer,
    TaskContainerDependency,
    coerce_node_props,
)
from ._props.job_queue import IJobQueue
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, new
from ._render.job_container import ContainerRenderer
from ._render.shared import arn_attribute, service_principal, stack_of
from .errors import BatchValidationError

__all__ = [
    "Action",
    "ConsumableResourceRequirement",
    "EcsTaskProperties",
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
    "Reason",
    "RetryStrategy",
    "TaskContainer",
    "TaskContainerDependency",
]


# --- the construct ---------------------------------------------------------


@jsii.implements(iam.IGrantable)
class JobDefinition(Resource):
    """An AWS Batch job definition.

    A job definition is also an ``iam.IGrantable``: its principal is the job
    role (see :attr:`job_role`), so ``bucket.grant_read(job_definition)``
    gives the job's code access.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        container: JobDefinitionContainer | Mapping[str, Any] | None = None,
        job_definition_name: str | None = None,
        node_props: IMultiNodeProps | Mapping[str, Any] | None = None,
        parameters: Mapping[str, str] | None = None,
        platform_capabilities: Sequence[PlatformCapabilities] | None = None,
        propagate_tags: bool | None = None,
        retry_attempts: float | None = None,
        timeout: Duration | None = None,
        retry_strategies: Sequence[RetryStrategy | Mapping[str, Any]] | None = None,
        scheduling_priority: int | None = None,
        skip_deregister_on_update: bool | None = None,
        consumable_resources: Sequence[ConsumableResourceRequirement | Mapping[str, Any]]
        | None = None,
        ecs_properties: EcsTaskProperties | Mapping[str, Any] | None = None,
    ) -> None:
        """Define a job definition.

        Args:
            scope: The parent construct.
            id: The construct id.
            container: The container of the job; give it or ``ecs_properties``.
            job_definition_name: See :class:`JobDefinitionProps`.
            node_props: See :class:`JobDefinitionProps`.
            parameters: See :class:`JobDefinitionProps`.
            platform_capabilities: See :class:`JobDefinitionProps`.
            propagate_tags: See :class:`JobDefinitionProps`.
            retry_attempts: See :class:`JobDefinitionProps`.
            timeout: See :class:`JobDefinitionProps`.
            retry_strategies: See :class:`JobDefinitionProps` (0.2.0).
            scheduling_priority: See :class:`JobDefinitionProps` (0.2.0).
            skip_deregister_on_update: See :class:`JobDefinitionProps` (0.2.0).
            consumable_resources: See :class:`JobDefinitionProps` (0.2.0).
            ecs_properties: See :class:`JobDefinitionProps` (0.2.0).

        """
        init_resource(self, scope, id, physical_name=job_definition_name)
        # The corrected-defaults flags on here (cdk_batch.flags); read once.
        self._corrected = flags_on(scope)
        props = JobDefinitionProps(
            container=coerce_optional(JobDefinitionContainer, container),
            job_definition_name=job_definition_name,
            node_props=coerce_node_props(node_props),
            parameters=parameters,
            platform_capabilities=platform_capabilities,
            propagate_tags=propagate_tags,
            retry_attempts=retry_attempts,
            timeout=timeout,
            retry_strategies=(
                [coerce(RetryStrategy, r) for r in retry_strategies]
                if retry_strategies is not None
                else None
            ),
            scheduling_priority=scheduling_priority,
            skip_deregister_on_update=skip_deregister_on_update,
            consumable_resources=(
                [coerce(ConsumableResourceRequirement, r) for r in consumable_resources]
                if consumable_resources is not None
                else None
            ),
            ecs_properties=coerce_optional(EcsTaskProperties, ecs_properties),
        )
        corrected = self._corrected
        stack = stack_of(scope)
        if flags.EXECUTION_ROLE in corrected:
            # Before the rules, so jd-fargate-execution-role-required sees the role.
            props = self._supply_execution_role(stack, props)
        validate(self, "JobDefinition", mark_corrected_defaults(props, corrected))
        self._props = props
        if skip_deregister_on_update is None and flags.KEEP_REVISIONS in corrected:
            skip_deregister_on_update = True
        timeout_property: cfn.CfnJobDefinition.TimeoutProperty | None
        if timeout is None and flags.NO_EMPTY_TIMEOUT not in corrected:
            # Kept from the alpha: an empty Timeout when none is given.
            timeout_property = cfn.CfnJobDefinition.TimeoutProperty()
        else:
            timeout_property = (
                cfn.CfnJobDefinition.TimeoutProperty(attempt_duration_seconds=timeout.to_seconds())
                if timeout is not None
                else None
            )

        renderer = ContainerRenderer(self, stack, props, corrected)
        nodes = props.node_props
        container_properties = node_properties = ecs = None
        if props.ecs_properties is not None:
            ecs = renderer.render_task(props.ecs_properties)
        elif nodes is None:
            assert props.container is not None
            container_properties = renderer.render(props.container)
        else:
            node_properties = renderer.render_nodes(nodes)
        job_type = "multinode" if nodes is not None else "container"

        self._resource = new(
            cfn.CfnJobDefinition,
            self,
            "Resource",
            job_definition_name=job_definition_name,
            consumable_resource_properties=_render_consumable_resources(
                stack, props.consumable_resources
            ),
            container_properties=container_properties,
            ecs_properties=ecs,
            node_properties=node_properties,
            parameters=dict(parameters) if parameters is not None else None,
            platform_capabilities=[
                c.value
                for c in (
                    props.platform_capabilities
                    if props.platform_capabilities is not None
                    else [PlatformCapabilities.EC2]
                )
            ],
            propagate_tags=propagate_tags,
            resource_retention_policy=(
                cfn.CfnJobDefinition.ResourceRetentionPolicyProperty(
                    skip_deregister_on_update=skip_deregister_on_update
                )
                if skip_deregister_on_update is not None
                else None
            ),
            retry_strategy=cfn.CfnJobDefinition.RetryStrategyProperty(attempts=retry_attempts or 1),
            scheduling_priority=scheduling_priority,
            timeout=timeout_property,
            type=job_type,
        )
        self._arn: str | None = None
        self._name: str | None = None
        self._job_role: iam.IRole | None = None
        self._retry_strategies: list[RetryStrategy] = list(props.retry_strategies or ())
        self._retry_lazy = False
        if self._retry_strategies:
            self._render_retry_strategies()

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

    # --- 0.2.0 additions --------------------------------------------------

    def add_retry_strategy(self, strategy: RetryStrategy | Mapping[str, Any]) -> None:
        """Append a retry strategy; it is evaluated after those given before.

        Raises:
            BatchValidationError: the strategies would break a retry rule.

        .. versionadded:: 0.2.0

        """
        strategy = coerce(RetryStrategy, strategy)
        candidate = dataclasses.replace(
            self._props, retry_strategies=[*self._retry_strategies, strategy]
        )
        errors = tuple(
            p
            for p in find_problems("JobDefinition", candidate)
            if p.rule_id in _RETRY_RULES and RULES[p.rule_id].level == "error"
        )
        if errors:
            raise BatchValidationError("JobDefinition", self.node.path, errors)
        self._retry_strategies.append(strategy)
        self._props = candidate
        if not self._retry_lazy:
            self._render_retry_strategies()

    @property
    def job_role(self) -> iam.IRole:
        """The role the job's code runs as.

        The role given as ``container.job_role`` (or ``ecs_properties.task_role``)
        if there is one. Otherwise the first read creates ``JobRole``, trusting
        ``ecs-tasks.amazonaws.com``, and sets it as the job role of every
        container that has none; a program that never reads it renders no role.

        .. versionadded:: 0.2.0
        """
        if self._job_role is None:
            self._job_role = self._given_job_role() or self._make_job_role()
        return self._job_role

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal of :attr:`job_role`, so the job definition can be granted to.

        .. versionadded:: 0.2.0
        """
        return self.job_role.grant_principal

    def grant_submit_job(
        self, identity: iam.IGrantable, queue: IJobQueue, *, all_revisions: bool = True
    ) -> iam.Grant:
        """Let ``identity`` submit jobs of this definition to ``queue``.

        Args:
            identity: Who may submit.
            queue: The job queue the jobs go to.
            all_revisions: Whether every revision of the definition is covered
                (``job-definition/NAME:*``), so that a submission by name, by
                ``NAME:REVISION`` or by any revision's ARN is allowed and an
                update does not invalidate the policy. ``False`` allows only
                this template's revision.

        .. versionadded:: 0.2.0

        """
        warn_fair_share_priority(self, self._props.scheduling_priority, queue)
        if not all_revisions:
            return _grant_submit(identity, self.job_definition_arn, queue)
        name = self._props.job_definition_name
        if name is not None:
            pattern = re.escape(name)
        else:
            logical_id = Stack.of(self).get_logical_id(self._resource)
            pattern = '.*"Ref":"' + re.escape(logical_id) + '".*'
            name = self.job_definition_name
        grant = _grant_submit(identity, _all_revisions_arn(self, name), queue)
        _acknowledge_revision_wildcard(identity, pattern)
        return grant

    def _supply_execution_role(self, stack: Stack, props: JobDefinitionProps) -> JobDefinitionProps:
        """The ``executionRole`` flag: a Fargate definition without an execution role gets one.

        The role ``ExecutionRole`` trusts ``ecs-tasks.amazonaws.com`` and may
        write the job's CloudWatch log streams; rendering then grants it the
        image pull and the secrets, as for a role the user gives.
        """
        try:
            fargate = props.is_fargate
        except TypeError:  # the type rules report it
            return props
        task, container = props.ecs_properties, props.container
        if not fargate or props.node_props is not None:
            return props
        if isinstance(task, EcsTaskProperties):
            if task.execution_role is not None:
                return props
            logs = [getattr(c, "log_configuration", None) for c in task.containers or ()]
        elif isinstance(container, JobDefinitionContainer) and task is None:
            if container.execution_role is not None:
                return props
            logs = [container.log_configuration]
        else:
            return props
        role = iam.Role(
            self, "ExecutionRole", assumed_by=service_principal("ecs-tasks.amazonaws.com")
        )
        groups = sorted({g for g in (_awslogs_group(log) for log in logs) if g is not None})
        if groups:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[
                        stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name=f"{g}:*",
                            arn_format=ArnFormat.COLON_RESOURCE_NAME,
                        )
                        for g in groups
                    ],
                )
            )
        if isinstance(task, EcsTaskProperties):
            return dataclasses.replace(
                props, ecs_properties=dataclasses.replace(task, execution_role=role)
            )
        assert container is not None
        return dataclasses.replace(
            props, container=dataclasses.replace(container, execution_role=role)
        )

    def _given_job_role(self) -> iam.IRole | None:
        p = self._props
        if p.ecs_properties is not None:
            return p.ecs_properties.task_role
        if p.node_props is None and p.container is not None:
            return p.container.job_role
        return None

    def _make_job_role(self) -> iam.IRole:
        role = iam.Role(self, "JobRole", assumed_by=service_principal("ecs-tasks.amazonaws.com"))
        p = self._props
        if p.ecs_properties is not None:
            paths = ["EcsProperties.TaskProperties.0.TaskRoleArn"]
        elif p.node_props is None:
            paths = ["ContainerProperties.JobRoleArn"]
        else:
            paths = [
                f"NodeProperties.NodeRangeProperties.{i}.Container.JobRoleArn"
                for i, r in enumerate(p.node_props.range_props)
                if r.container.job_role is None
            ]
        arn = role.role_arn
        for path in paths:
            self._resource.add_property_override(path, arn)
        return role

    def _render_retry_strategies(self) -> None:
        # Lazy, so that add_retry_strategy still reaches the template.
        self._retry_lazy = True
        self._resource.add_property_override(
            "RetryStrategy.EvaluateOnExit",
            Lazy.uncached_any(_RetryProducer(self._retry_strategies)),
        )


@jsii.implements(IAnyProducer)
class _RetryProducer:
    """Renders the retry strategies of a job definition at synth."""

    def __init__(self, strategies: list[RetryStrategy]) -> None:
        self._strategies = strategies

    def produce(self, context: IResolveContext) -> Any:
        return [_render_retry_strategy(s) for s in self._strategies]


def _render_retry_strategy(strategy: RetryStrategy) -> dict[str, str]:
    on = strategy.on
    rendered = {"Action": strategy.action.value}
    for key, value in (
        ("OnExitCode", on.on_exit_code),
        ("OnReason", on.on_reason),
        ("OnStatusReason", on.on_status_reason),
    ):
        if value is not None:
            rendered[key] = value
    return rendered


def _awslogs_group(log: LogConfiguration | None) -> str | None:
    """The CloudWatch log group a container logs to with ``awslogs``, if it is known.

    Without a log configuration, Batch sends the output of a job to
    ``/aws/batch/job`` with ``awslogs``.
    """
    if log is None:
        return BATCH_LOG_GROUP
    if not isinstance(log, LogConfiguration) or log.log_driver is not LogDriver.AWSLOGS:
        return None  # another driver (or a value of the wrong type, which the rules report)
    options = log.options if isinstance(log.options, Mapping) else {}
    group = options.get("awslogs-group")
    return BATCH_LOG_GROUP if group is None else str(group)


BATCH_LOG_GROUP = "/aws/batch/job"
"""The log group of a job that sets no log configuration."""

_RETRY_RULES = frozenset(
    {
        "jd-retry-strategies-count",
        "jd-retry-reason-condition",
        "jd-retry-exit-code-format",
        "jd-retry-reason-format",
    }
)


def warn_fair_share_priority(definition: Construct, priority: int | None, queue: Any) -> None:
    """Warn when ``queue`` has a scheduling policy and the definition no priority."""
    policy = getattr(getattr(queue, "_props", None), "scheduling_policy", None)
    validate(definition, "JobDefinition", (priority, policy), on="grant")


def _grant_submit(identity: iam.IGrantable, definition: str, queue: IJobQueue) -> iam.Grant:
    return iam.Grant.add_to_principal(
        grantee=identity,
        actions=["batch:SubmitJob"],
        resource_arns=[definition, queue.job_queue_arn],
    )


def _acknowledge_revision_wildcard(identity: iam.IGrantable, name_pattern: str) -> None:
    """Tell cdk-nag that the ``NAME:*`` wildcard of a grant is deliberate.

    ``:*`` stands for the revision numbers, the one part of the ARN a policy
    cannot know ahead; cdk-nag's AwsSolutions-IAM5 would flag it. The
    acknowledgement is scoped to this one resource pattern and is written as
    the ``cdk_nag`` metadata that cdk-nag's own suppressions use, on the
    grantee's default policy (when it has one in this app).
    """
    principal = identity.grant_principal
    node = getattr(principal, "node", None)
    policy = node.try_find_child("DefaultPolicy") if node is not None else None
    cfn_policy = policy.node.default_child if policy is not None else None
    if not isinstance(cfn_policy, CfnResource):
        return
    existing = cfn_policy.get_metadata("cdk_nag") or {}
    rules = list(existing.get("rules_to_suppress", []))
    rules.append(
        {
            "id": "AwsSolutions-IAM5",
            "reason": "job-definition/NAME:* covers every revision of one job definition: "
            "SubmitJob requests name a revision, and a new one is made on each update",
            "applies_to": [
                {"regex": f"/^Resource::arn:.*:batch:.*:job-definition/{name_pattern}:\\*$/"}
            ],
        }
    )
    cfn_policy.add_metadata("cdk_nag", {**existing, "rules_to_suppress": rules})


def _all_revisions_arn(scope: Construct, name: str) -> str:
    """``arn:...:job-definition/NAME:*``: every revision of the definition ``name``."""
    return Stack.of(scope).format_arn(
        service="batch", resource="job-definition", resource_name=f"{name}:*"
    )


def _render_consumable_resources(
    stack: Stack, requirements: Sequence[ConsumableResourceRequirement] | None
) -> cfn.CfnJobDefinition.ConsumableResourcePropertiesProperty | None:
    if requirements is None:
        return None
    return cfn.CfnJobDefinition.ConsumableResourcePropertiesProperty(
        consumable_resource_list=[
            cfn.CfnJobDefinition.ConsumableResourceRequirementProperty(
                consumable_resource=_consumable_resource_arn(stack, r.resource),
                quantity=r.quantity,
            )
            for r in requirements
        ]
    )


def _consumable_resource_arn(stack: Stack, resource: IConsumableResource | str) -> str:
    # CloudFormation takes only an ARN here, although the API also takes a name.
    if not isinstance(resource, str):
        return resource.consumable_resource_arn
    if is_unknown(resource) or resource.startswith("arn:"):
        return resource
    return stack.format_arn(service="batch", resource="consumable-resource", resource_name=resource)


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

    def grant_submit_job(
        self, identity: iam.IGrantable, queue: IJobQueue, *, all_revisions: bool = True
    ) -> iam.Grant:
        """Let ``identity`` submit jobs of this definition to ``queue``.

        With ``all_revisions`` (the default) every revision of the named
        definition is covered; otherwise only the ARN it was imported with.

        .. versionadded:: 0.2.0
        """
        warn_fair_share_priority(self, None, queue)
        if not all_revisions or is_unknown(self._name):
            return _grant_submit(identity, self._arn, queue)
        name = self._name.split(":", 1)[0]
        if is_unknown(self._arn):
            definition = _all_revisions_arn(self, name)
        else:
            # The account and region of the ARN, not of this stack.
            prefix = self._arn.split("job-definition/", 1)[0]
            definition = f"{prefix}job-definition/{name}:*"
        grant = _grant_submit(identity, definition, queue)
        _acknowledge_revision_wildcard(identity, re.escape(name))
        return grant
