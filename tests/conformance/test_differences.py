"""The documented differences from the reference (docs/differences.md).

Each test builds a program that touches one fixed alpha defect and asserts
that the templates differ exactly where the documentation says, and what
cdk_batch renders there. A program that does not touch the setting is
covered by the other conformance tests, which require identical templates.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

import cdk_batch
from cdk_batch.migrate._compare import Difference
from cdk_batch.migrate._explain import EXPLANATIONS, explain

from ..helpers import node_classes
from .harness import differences, synth

pytestmark = pytest.mark.conformance


def where(diffs: list[Difference]) -> set[tuple[str, str, str]]:
    return {(d.kind, d.logical_id, d.path) for d in diffs}


def explained_by(diffs: list[Difference]) -> set[str | None]:
    """The docs/differences.md entries that the migration check names for ``diffs``."""
    return {e.id if (e := explain(d)) else None for d in diffs}


def test_every_explanation_has_its_section() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "differences.md").read_text()
    for e in EXPLANATIONS:
        assert f"\n### {e.id}\n" in docs, e.id


def multi_node(s: cdk.Stack, batch: ModuleType) -> None:
    Range, Nodes = node_classes(batch)

    def container(image: str):
        return batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(image),
            instance_type=ec2.InstanceType("c5.large"),
        )

    batch.JobDefinition(
        s,
        "JD",
        container=container("main"),
        node_props=Nodes(4, 0, [Range(container("first"), 0, 0), Range(container("rest"), 1)]),
    )


def test_multi_node_job_definition() -> None:
    diffs = differences(multi_node)
    assert where(diffs) == {
        ("changed", "JDC27EACF9", "Properties.Type"),
        ("removed", "JDC27EACF9", "Properties.ContainerProperties"),
        (
            "changed",
            "JDC27EACF9",
            "Properties.NodeProperties.NodeRangeProperties[0].Container.Image",
        ),
        ("changed", "JDC27EACF9", "Properties.NodeProperties.NodeRangeProperties[0].TargetNodes"),
        (
            "changed",
            "JDC27EACF9",
            "Properties.NodeProperties.NodeRangeProperties[1].Container.Image",
        ),
        ("changed", "JDC27EACF9", "Properties.NodeProperties.NodeRangeProperties[1].TargetNodes"),
    }
    assert explained_by(diffs) == {"multi-node-job-definitions"}
    ours = synth(cdk_batch, multi_node)["Resources"]["JDC27EACF9"]["Properties"]
    assert ours["Type"] == "multinode"
    ranges = ours["NodeProperties"]["NodeRangeProperties"]
    assert [(r["Container"]["Image"], r["TargetNodes"]) for r in ranges] == [
        ("first", "0:0"),
        ("rest", "1:3"),
    ]
    assert all(r["Container"]["InstanceType"] == "c5.large" for r in ranges)


def queue_priority_zero(s: cdk.Stack, batch: ModuleType) -> None:
    ce = batch.ComputeEnvironment(s, "CE", managed=False)
    batch.JobQueue(
        s,
        "Q",
        priority=0,
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )


def test_queue_priority_zero() -> None:
    diffs = differences(queue_priority_zero)
    assert [(d.path, d.expected, d.actual) for d in diffs] == [("Properties.Priority", 1, 0)]
    assert explained_by(diffs) == {"queue-priority-zero"}


@pytest.mark.parametrize("strategy", ["BEST_FIT_PROGRESSIVE", "SPOT_CAPACITY_OPTIMIZED"])
def test_user_spot_fleet_role_is_kept(strategy: str) -> None:
    def program(s: cdk.Stack, batch: ModuleType) -> None:
        vpc = ec2.Vpc(s, "Vpc")
        role = iam.Role.from_role_arn(s, "Fleet", "arn:aws:iam::123456789012:role/fleet")
        batch.ComputeEnvironment(
            s,
            "CE",
            compute_resources=batch.ComputeResources(
                vpc=vpc,
                type=batch.ComputeResourceType.SPOT,
                allocation_strategy=getattr(batch.AllocationStrategy, strategy),
                spot_fleet_role=role,
            ),
        )

    diffs = differences(program)
    assert [(d.kind, d.path, d.actual) for d in diffs] == [
        (
            "added",
            "Properties.ComputeResources.SpotIamFleetRole",
            "arn:aws:iam::123456789012:role/fleet",
        )
    ]
    assert explained_by(diffs) == {"spot-fleet-role-kept"}


def name_attributes(s: cdk.Stack, batch: ModuleType) -> None:
    ce = batch.ComputeEnvironment(s, "CE", managed=False)
    q = batch.JobQueue(
        s,
        "Q",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)],
    )
    jd = batch.JobDefinition(
        s, "JD", container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_registry("x"))
    )
    cdk.CfnOutput(s, "CeName", value=ce.compute_environment_name)
    cdk.CfnOutput(s, "QueueName", value=q.job_queue_name)
    cdk.CfnOutput(s, "JobDefinitionName", value=jd.job_definition_name)


def test_name_attributes_are_names() -> None:
    diffs = differences(name_attributes)
    assert {(d.section, d.logical_id, d.path) for d in diffs} == {
        ("Outputs", "CeName", "Value"),
        ("Outputs", "QueueName", "Value"),
        ("Outputs", "JobDefinitionName", "Value"),
    }
    assert explained_by(diffs) == {"name-attributes"}
    outputs = synth(cdk_batch, name_attributes)["Outputs"]
    assert outputs["CeName"]["Value"] == {
        "Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "CE1BFE03A1"}]}]
    }
    assert outputs["JobDefinitionName"]["Value"] == {
        "Fn::Select": [
            0,
            {"Fn::Split": [":", {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "JDC27EACF9"}]}]}]},
        ]
    }


def single_node_instance_type(s: cdk.Stack, batch: ModuleType) -> None:
    batch.JobDefinition(
        s,
        "JD",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry("x"), instance_type=ec2.InstanceType("m5.large")
        ),
    )


def test_instance_type_is_not_rendered_for_single_node_jobs() -> None:
    diffs = differences(single_node_instance_type)
    assert [(d.kind, d.path, d.expected) for d in diffs] == [
        ("removed", "Properties.ContainerProperties.InstanceType", "m5.large")
    ]
    assert explained_by(diffs) == {"single-node-instance-type"}


def fargate_ecr_image(s: cdk.Stack, batch: ModuleType) -> None:
    repo = ecr.Repository(s, "Repo")
    job_role = iam.Role(s, "JobRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    exec_role = iam.Role(s, "ExecRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    batch.JobDefinition(
        s,
        "JD",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        container=batch.JobDefinitionContainer(
            image=ecs.EcrImage(repo, "latest"), job_role=job_role, execution_role=exec_role
        ),
    )


def test_fargate_image_pull_is_granted_to_the_execution_role() -> None:
    diffs = differences(fargate_ecr_image)
    assert {(d.kind, d.logical_id, d.path) for d in diffs} == {
        ("removed", "JobRoleDefaultPolicy5DE0D8F9", ""),
        ("added", "ExecRoleDefaultPolicyD94BCE3E", ""),
    }
    assert explained_by(diffs) == {"fargate-image-pull-role"}
    policy = synth(cdk_batch, fargate_ecr_image)["Resources"]["ExecRoleDefaultPolicyD94BCE3E"]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert "ecr:BatchGetImage" in statements[0]["Action"]


def linux_parameters(s: cdk.Stack, batch: ModuleType) -> None:
    lp = ecs.LinuxParameters(
        s,
        "LP",
        init_process_enabled=True,
        shared_memory_size=256,
        max_swap=cdk.Size.mebibytes(1024),
        swappiness=60,
    )
    lp.add_devices(ecs.Device(host_path="/dev/fuse"))
    lp.add_tmpfs(
        ecs.Tmpfs(container_path="/tmp", size=128, mount_options=[ecs.TmpfsMountOption.RW])
    )
    batch.JobDefinition(
        s,
        "JD",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry("x"), linux_params=lp
        ),
    )


def test_every_linux_parameter_is_rendered() -> None:
    base = "Properties.ContainerProperties.LinuxParameters"
    diffs = differences(linux_parameters)
    assert where(diffs) == {
        ("added", "JDC27EACF9", f"{base}.{key}")
        for key in ("InitProcessEnabled", "SharedMemorySize", "MaxSwap", "Swappiness", "Tmpfs")
    }
    assert explained_by(diffs) == {"linux-parameters"}
    ours = synth(cdk_batch, linux_parameters)["Resources"]["JDC27EACF9"]
    assert ours["Properties"]["ContainerProperties"]["LinuxParameters"] == {
        "Devices": [{"HostPath": "/dev/fuse"}],
        "InitProcessEnabled": True,
        "MaxSwap": 1024,
        "SharedMemorySize": 256,
        "Swappiness": 60,
        "Tmpfs": [{"ContainerPath": "/tmp", "MountOptions": ["rw"], "Size": 128}],
    }
