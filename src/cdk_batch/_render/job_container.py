"""Rendering job containers into the L1 properties of AWS::Batch::JobDefinition.

One renderer serves a job definition's container and the containers of the
node ranges of a multi-node job. It binds each image (see ``_image_binding``),
grants secrets to the execution role and renders every field the way the
alpha did, except where ``docs/differences.md`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Size, Stack, Token
from aws_cdk import aws_batch as cfn
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._core.tokens import is_unknown
from .._props.job_definition import (
    EcsTaskProperties,
    IMultiNodeProps,
    JobDefinitionContainer,
    JobDefinitionProps,
    LogConfiguration,
    TaskContainer,
    cpu_architecture_name,
    default_resources,
    os_family_name,
)
from ..flags import NO_INJECTED_ENV, SANE_MEMORY
from .image_binding import bind_image
from .shared import region_and_account, service_principal


class ContainerRenderer:
    """Renders containers of one job definition into L1 properties."""

    def __init__(
        self,
        scope: Construct,
        stack: Stack,
        props: JobDefinitionProps,
        corrected: frozenset[str] = frozenset(),
    ) -> None:
        self._scope = scope
        self._stack = stack
        self._props = props
        self._fargate = props.is_fargate
        self._pull_role: iam.IRole | None = None
        # The corrected-defaults flags that change how a container renders.
        self._default_vcpus, self._default_memory = default_resources(
            self._fargate, sane_memory=SANE_MEMORY in corrected
        )
        self._inject_env = NO_INJECTED_ENV not in corrected

    def render(
        self, container: JobDefinitionContainer, *, node_range: bool = False
    ) -> cfn.CfnJobDefinition.ContainerPropertiesProperty:
        c = container
        # CloudFormation refuses InstanceType outside a node range; the alpha
        # rendered it anyway (docs/differences.md). The rule
        # jd-instance-type-multinode-only warns about it.
        instance_type = (
            c.instance_type.to_string() if node_range and c.instance_type is not None else None
        )
        environment = _javascript_key_order(c.environment or {})
        if self._inject_env:
            region, account = region_and_account(self._stack)
            environment.setdefault("AWS_REGION", region)
            environment.setdefault("AWS_ACCOUNT", account)

        if c.secrets and c.execution_role is not None:
            for secret in c.secrets.values():
                secret.grant_read(c.execution_role)

        resources = [
            cfn.CfnJobDefinition.ResourceRequirementProperty(
                type="VCPU",
                # Kept from the alpha: 0 means the default (jd-vcpus-zero
                # and jd-memory-zero warn about it).
                value=_number_text(c.vcpus or self._default_vcpus),
            ),
            cfn.CfnJobDefinition.ResourceRequirementProperty(
                type="MEMORY",
                value=_number_text(c.memory_limit_mib or self._default_memory),
            ),
        ]
        if c.gpu_count:
            resources.append(
                cfn.CfnJobDefinition.ResourceRequirementProperty(
                    type="GPU", value=_number_text(c.gpu_count)
                )
            )

        # Windows containers take neither setting, so the always-rendered
        # false values are left out for a Windows family (a 0.2.0 keyword).
        windows = is_windows(c.fargate_operating_system_family)
        return cfn.CfnJobDefinition.ContainerPropertiesProperty(
            command=list(c.command) if c.command is not None else None,
            ephemeral_storage=_ephemeral_storage(c.ephemeral_storage_size),
            runtime_platform=_runtime_platform(
                c.fargate_cpu_architecture, c.fargate_operating_system_family
            ),
            environment=(
                [
                    cfn.CfnJobDefinition.EnvironmentProperty(name=k, value=v)
                    for k, v in environment.items()
                ]
                # With noInjectedEnv, no variables render no key.
                if environment or c.environment is not None
                else None
            ),
            execution_role_arn=c.execution_role.role_arn if c.execution_role else None,
            fargate_platform_configuration=(
                cfn.CfnJobDefinition.FargatePlatformConfigurationProperty(
                    platform_version=_platform_version(c.platform_version)
                )
                if c.platform_version is not None
                else None
            ),
            image=self._bind_image(c),
            instance_type=instance_type,
            job_role_arn=c.job_role.role_arn if c.job_role else None,
            linux_parameters=(
                _render_linux_parameters(self._stack, c.linux_params) if c.linux_params else None
            ),
            log_configuration=(
                _render_log_configuration(c.log_configuration) if c.log_configuration else None
            ),
            mount_points=(
                [
                    cfn.CfnJobDefinition.MountPointsProperty(
                        container_path=m.container_path,
                        read_only=m.read_only,
                        source_volume=m.source_volume,
                    )
                    for m in c.mount_points
                ]
                if c.mount_points is not None
                else None
            ),
            network_configuration=(
                cfn.CfnJobDefinition.NetworkConfigurationProperty(assign_public_ip="ENABLED")
                if c.assign_public_ip
                else None
            ),
            privileged=None if windows else bool(c.privileged),
            readonly_root_filesystem=None if windows else bool(c.read_only),
            resource_requirements=resources,
            secrets=(
                [
                    cfn.CfnJobDefinition.SecretProperty(name=k, value_from=s.arn)
                    for k, s in c.secrets.items()
                ]
                if c.secrets is not None
                else None
            ),
            ulimits=(
                [
                    cfn.CfnJobDefinition.UlimitProperty(
                        hard_limit=u.hard_limit, name=u.name.value.lower(), soft_limit=u.soft_limit
                    )
                    for u in c.ulimits
                ]
                if c.ulimits is not None
                else None
            ),
            user=c.user,
            volumes=([_render_volume(v) for v in c.volumes] if c.volumes is not None else None),
        )

    def render_nodes(self, nodes: IMultiNodeProps) -> cfn.CfnJobDefinition.NodePropertiesProperty:
        last = nodes.count - 1 if not is_unknown(nodes.count) else None
        ranges = []
        for r in nodes.range_props:
            start = 0 if r.from_node_index is None else r.from_node_index
            end = r.to_node_index if r.to_node_index is not None else last
            target = f"{_number_text(start)}:{_number_text(end) if end is not None else ''}"
            ranges.append(
                cfn.CfnJobDefinition.NodeRangePropertyProperty(
                    container=self.render(r.container, node_range=True),
                    target_nodes=target,
                )
            )
        return cfn.CfnJobDefinition.NodePropertiesProperty(
            main_node=nodes.main_node,
            num_nodes=nodes.count,
            node_range_properties=ranges,
        )

    def render_task(self, task: EcsTaskProperties) -> cfn.CfnJobDefinition.EcsPropertiesProperty:
        """The ``EcsProperties`` of a multi-container job (one task, as Batch allows)."""
        containers = [self._render_task_container(task, c) for c in task.containers]
        return cfn.CfnJobDefinition.EcsPropertiesProperty(
            task_properties=[
                cfn.CfnJobDefinition.EcsTaskPropertiesProperty(
                    containers=containers,
                    enable_execute_command=task.enable_execute_command,
                    ephemeral_storage=_ephemeral_storage(task.ephemeral_storage_size),
                    execution_role_arn=(
                        task.execution_role.role_arn if task.execution_role else None
                    ),
                    ipc_mode=task.ipc_mode,
                    network_configuration=(
                        cfn.CfnJobDefinition.NetworkConfigurationProperty(
                            assign_public_ip="ENABLED" if task.assign_public_ip else "DISABLED"
                        )
                        if task.assign_public_ip is not None
                        else None
                    ),
                    pid_mode=task.pid_mode,
                    platform_version=(
                        _platform_version(task.platform_version)
                        if task.platform_version is not None
                        else None
                    ),
                    runtime_platform=_runtime_platform(
                        task.fargate_cpu_architecture, task.fargate_operating_system_family
                    ),
                    task_role_arn=task.task_role.role_arn if task.task_role else None,
                    volumes=(
                        [_render_volume(v) for v in task.volumes]
                        if task.volumes is not None
                        else None
                    ),
                )
            ]
        )

    def _render_task_container(
        self, task: EcsTaskProperties, c: TaskContainer
    ) -> cfn.CfnJobDefinition.TaskContainerPropertiesProperty:
        if c.secrets and task.execution_role is not None:
            for secret in c.secrets.values():
                secret.grant_read(task.execution_role)
        resources = [
            cfn.CfnJobDefinition.ResourceRequirementProperty(type=kind, value=_number_text(v))
            for kind, v in (("VCPU", c.vcpus), ("MEMORY", c.memory_limit_mib), ("GPU", c.gpu_count))
            if v is not None
        ]
        environment = _javascript_key_order(c.environment or {})
        image = bind_image(
            self._scope,
            self._stack,
            c.image,
            lambda: self._pull_role_for(task.execution_role, task.task_role),
        )
        return cfn.CfnJobDefinition.TaskContainerPropertiesProperty(
            image=image,
            command=list(c.command) if c.command is not None else None,
            depends_on=(
                [
                    cfn.CfnJobDefinition.TaskContainerDependencyProperty(
                        condition=d.condition, container_name=d.container_name
                    )
                    for d in c.depends_on
                ]
                if c.depends_on is not None
                else None
            ),
            environment=(
                [
                    cfn.CfnJobDefinition.EnvironmentProperty(name=k, value=v)
                    for k, v in environment.items()
                ]
                if c.environment is not None
                else None
            ),
            essential=c.essential,
            linux_parameters=(
                _render_linux_parameters(self._stack, c.linux_params) if c.linux_params else None
            ),
            log_configuration=(
                _render_log_configuration(c.log_configuration) if c.log_configuration else None
            ),
            mount_points=(
                [
                    cfn.CfnJobDefinition.MountPointProperty(
                        container_path=m.container_path,
                        read_only=m.read_only,
                        source_volume=m.source_volume,
                    )
                    for m in c.mount_points
                ]
                if c.mount_points is not None
                else None
            ),
            name=c.name,
            privileged=c.privileged,
            readonly_root_filesystem=c.read_only,
            resource_requirements=resources or None,
            secrets=(
                [
                    cfn.CfnJobDefinition.SecretProperty(name=k, value_from=s.arn)
                    for k, s in c.secrets.items()
                ]
                if c.secrets is not None
                else None
            ),
            start_timeout=c.start_timeout.to_seconds() if c.start_timeout is not None else None,
            stop_timeout=c.stop_timeout.to_seconds() if c.stop_timeout is not None else None,
            ulimits=(
                [
                    cfn.CfnJobDefinition.UlimitProperty(
                        hard_limit=u.hard_limit, name=u.name.value.lower(), soft_limit=u.soft_limit
                    )
                    for u in c.ulimits
                ]
                if c.ulimits is not None
                else None
            ),
            user=c.user,
        )

    def _bind_image(self, c: JobDefinitionContainer) -> str:
        """Bind the image as an ECS task would, granting pull access to the right role."""
        return bind_image(
            self._scope,
            self._stack,
            c.image,
            lambda: self._pull_role_for(c.execution_role, c.job_role),
        )

    def _pull_role_for(
        self, execution_role: iam.IRole | None, job_role: iam.IRole | None
    ) -> iam.IRole:
        if self._fargate and execution_role is not None:
            # On Fargate the execution role pulls the image; the alpha granted
            # the job role instead (docs/differences.md).
            return execution_role
        if job_role is not None:
            return job_role
        if self._pull_role is None:
            # As in the alpha: a role that only materializes when a grant
            # needs its ARN.
            self._pull_role = iam.LazyRole(
                self._scope,
                "Resource-Batch-Task-Definition-Role",
                assumed_by=service_principal("batch.amazonaws.com"),
            )
        return self._pull_role


def is_windows(family: ecs.OperatingSystemFamily | None) -> bool:
    """Whether ``family`` is a Windows Server family."""
    return family is not None and (os_family_name(family) or "").startswith("WINDOWS")


def _runtime_platform(
    arch: ecs.CpuArchitecture | None, family: ecs.OperatingSystemFamily | None
) -> cfn.CfnJobDefinition.RuntimePlatformProperty | None:
    if arch is None and family is None:
        return None
    return cfn.CfnJobDefinition.RuntimePlatformProperty(
        cpu_architecture=cpu_architecture_name(arch) if arch is not None else None,
        operating_system_family=os_family_name(family) if family is not None else None,
    )


def _ephemeral_storage(size: Size | None) -> cfn.CfnJobDefinition.EphemeralStorageProperty | None:
    if size is None:
        return None
    return cfn.CfnJobDefinition.EphemeralStorageProperty(size_in_gib=size.to_gibibytes())


def _javascript_key_order(mapping: Mapping[str, str]) -> dict[str, str]:
    """``mapping`` in the order a JavaScript object keeps its keys.

    Keys that are array indexes ("0", "17") come first in ascending order,
    then the other keys in insertion order; the alpha's environment variables
    follow that order.
    """
    indexes = sorted((k for k in mapping if _is_array_index(k)), key=int)
    ordered = {k: mapping[k] for k in indexes}
    ordered.update((k, v) for k, v in mapping.items() if k not in ordered)
    return ordered


def _is_array_index(key: str) -> bool:
    return key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def _number_text(value: float) -> str:
    """A number as JavaScript writes it (``1`` not ``1.0``); tokens stay tokens."""
    if is_unknown(value):
        return Token.as_string(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _platform_version(version: ecs.FargatePlatformVersion) -> str:
    return _PLATFORM_VERSIONS.get(version.name, version.value)


_PLATFORM_VERSIONS = {
    "LATEST": "LATEST",
    "VERSION1_4": "1.4.0",
    "VERSION1_3": "1.3.0",
    "VERSION1_2": "1.2.0",
    "VERSION1_1": "1.1.0",
    "VERSION1_0": "1.0.0",
}

_LOG_DRIVERS = {
    "AWSLOGS": "awslogs",
    "FLUENTD": "fluentd",
    "GELF": "gelf",
    "JOURNALD": "journald",
    "LOGENTRIES": "logentries",
    "JSON_FILE": "json-file",
    "SPLUNK": "splunk",
    "SYSLOG": "syslog",
}


def _render_log_configuration(
    log: LogConfiguration,
) -> cfn.CfnJobDefinition.LogConfigurationProperty:
    return cfn.CfnJobDefinition.LogConfigurationProperty(
        log_driver=_LOG_DRIVERS[log.log_driver.name],
        options=log.options,
        secret_options=(
            [
                cfn.CfnJobDefinition.SecretProperty(name=s.option_name, value_from=s.secret_arn)
                for s in log.secret_options
            ]
            if log.secret_options is not None
            else None
        ),
    )


def _render_linux_parameters(
    stack: Stack, params: ecs.LinuxParameters
) -> cfn.CfnJobDefinition.LinuxParametersProperty:
    """Every Batch field of ``params`` (the alpha kept only the devices)."""
    rendered = params.render_linux_parameters()
    devices = stack.resolve(rendered.devices) or []
    tmpfs = stack.resolve(rendered.tmpfs) or []
    # Kernel capabilities have no place in Batch; jd-linux-parameters-capabilities
    # warns about them.
    return cfn.CfnJobDefinition.LinuxParametersProperty(
        devices=(
            [
                cfn.CfnJobDefinition.DeviceProperty(
                    container_path=d.get("containerPath"),
                    host_path=d.get("hostPath"),
                    permissions=d.get("permissions"),
                )
                for d in devices
            ]
            if devices
            else None
        ),
        init_process_enabled=rendered.init_process_enabled,
        max_swap=rendered.max_swap,
        shared_memory_size=rendered.shared_memory_size,
        swappiness=rendered.swappiness,
        tmpfs=(
            [
                cfn.CfnJobDefinition.TmpfsProperty(
                    container_path=t["containerPath"],
                    size=t["size"],
                    mount_options=t.get("mountOptions"),
                )
                for t in tmpfs
            ]
            if tmpfs
            else None
        ),
    )


def _render_volume(volume: ecs.Volume) -> cfn.CfnJobDefinition.VolumesProperty:
    efs = volume.efs_volume_configuration
    auth = efs.authorization_config if efs is not None else None
    return cfn.CfnJobDefinition.VolumesProperty(
        name=volume.name,
        host=(
            cfn.CfnJobDefinition.VolumesHostProperty(source_path=volume.host.source_path)
            if volume.host is not None
            else None
        ),
        efs_volume_configuration=(
            cfn.CfnJobDefinition.EfsVolumeConfigurationProperty(
                file_system_id=efs.file_system_id,
                root_directory=efs.root_directory,
                transit_encryption=efs.transit_encryption,
                transit_encryption_port=efs.transit_encryption_port,
                authorization_config=(
                    cfn.CfnJobDefinition.AuthorizationConfigProperty(
                        access_point_id=auth.access_point_id, iam=auth.iam
                    )
                    if auth is not None
                    else None
                ),
            )
            if efs is not None
            else None
        ),
    )
