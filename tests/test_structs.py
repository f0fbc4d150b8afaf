"""The generic coercion of props fields (cdk_batch._core.structs)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import aws_cdk.aws_batch_alpha as alpha
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

import cdk_batch as batch
from cdk_batch._core.structs import Struct, coerce, coerce_value


def test_both_key_spellings_at_every_level() -> None:
    given = {
        "image": ecs.ContainerImage.from_registry("busybox"),
        "memoryLimitMiB": 64,
        "log_configuration": {"logDriver": batch.LogDriver.SYSLOG},
        "volumes": [
            {
                "name": "v",
                "efsVolumeConfiguration": {
                    "file_system_id": "fs-1",
                    "authorizationConfig": {"accessPointId": "fsap-1"},
                },
            }
        ],
        "mountPoints": [{"containerPath": "/s", "read_only": True, "sourceVolume": "v"}],
    }
    c = coerce(batch.JobDefinitionContainer, given)
    assert c.memory_limit_mib == 64
    assert isinstance(c.log_configuration, batch.LogConfiguration)
    assert c.log_configuration.log_driver is batch.LogDriver.SYSLOG
    (volume,) = c.volumes or []
    assert isinstance(volume, ecs.Volume)
    assert volume.efs_volume_configuration is not None
    assert volume.efs_volume_configuration.authorization_config is not None
    assert volume.efs_volume_configuration.authorization_config.access_point_id == "fsap-1"
    (mount,) = c.mount_points or []
    assert isinstance(mount, ecs.MountPoint)
    assert (mount.container_path, mount.read_only, mount.source_volume) == ("/s", True, "v")


def test_alpha_enum_members_and_structs_become_their_namesakes() -> None:
    assert coerce_value(batch.ComputeResourceType, alpha.ComputeResourceType.FARGATE) is (
        batch.ComputeResourceType.FARGATE
    )
    lt = coerce(
        batch.LaunchTemplateSpecification,
        alpha.LaunchTemplateSpecification(launch_template_name="lt", version="2"),
    )
    assert isinstance(lt, batch.LaunchTemplateSpecification)
    assert (lt.launch_template_name, lt.version) == ("lt", "2")


def test_an_enum_of_another_module_with_the_same_name_is_left_alone() -> None:
    class ComputeResourceType(enum.Enum):
        SPOT = "SPOT"

    member = ComputeResourceType.SPOT
    assert coerce_value(batch.ComputeResourceType, member) is member


def test_subnet_selections_in_either_spelling() -> None:
    for given in ({"subnetType": ec2.SubnetType.PUBLIC}, {"subnet_type": ec2.SubnetType.PUBLIC}):
        sel = coerce_value(ec2.SubnetSelection | None, given)
        assert isinstance(sel, ec2.SubnetSelection)
        assert sel.subnet_type is ec2.SubnetType.PUBLIC


def test_a_subclass_post_init_runs_after_the_coercion() -> None:
    seen: list[object] = []

    @dataclass(frozen=True, kw_only=True, repr=False)
    class Holder(Struct):
        template: batch.LaunchTemplateSpecification | None = None

        def __post_init__(self) -> None:
            seen.append(self.template)

    h = Holder(template={"launchTemplateId": "lt-1"})
    assert isinstance(h.template, batch.LaunchTemplateSpecification)
    assert seen == [h.template]


def test_implementations_are_read_into_the_ready_made_struct() -> None:
    class Range:
        def __init__(self) -> None:
            self.container = {"image": ecs.ContainerImage.from_registry("busybox"), "vcpus": 2}
            self.from_node_index = 0
            self.to_node_index = 1

    class Nodes:
        def __init__(self) -> None:
            self.count = 2
            self.main_node = 0
            self.range_props = [Range()]

    props = batch.JobDefinitionProps(
        container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_registry("x")),
        node_props=Nodes(),  # type: ignore[arg-type]
    )
    nodes = props.node_props
    assert isinstance(nodes, batch.MultiNodeProps)
    (r,) = nodes.range_props
    assert isinstance(r, batch.NodeRangeProps)
    assert isinstance(r.container, batch.JobDefinitionContainer) and r.container.vcpus == 2
