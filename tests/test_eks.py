"""AWS Batch on Amazon EKS, side by side with aws_cdk.aws_batch.

Each case builds the same setting through cdk_batch and through the stable
module of aws-cdk-lib, and compares the rendered fragments: ``EksConfiguration``
and ``ComputeResources`` of the compute environment, ``EksProperties`` of the
job definition. The stable module renders empty values for unset props
(``Env: []``, ``Limits: {}``, ``Requests: {}``); cdk_batch renders no key for
them, so empty values are dropped from the stable side before comparing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as v2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_eks as eks
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .lint import cfn_lint_errors

Build = Callable[[cdk.Stack, Any], Any]


def _vpc(s: cdk.Stack) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        s,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    )


def _cluster(s: cdk.Stack) -> eks.ICluster:
    return eks.Cluster.from_cluster_attributes(s, "Cluster", cluster_name="batch-cluster")


def _template(build: Build, module: Any, context: dict[str, Any] | None = None) -> dict[str, Any]:
    app = cdk.App(context=context)
    stack = cdk.Stack(app, "Stack", env=cdk.Environment(account="123456789012", region="us-east-1"))
    build(stack, module)
    return Template.from_stack(stack).to_json()  # type: ignore[no-any-return]


_EMPTY_WHEN_UNSET = ("Env", "Limits", "Requests", "Resources", "RetryStrategy", "Timeout")


def _drop_empty(value: Any) -> Any:
    """The stable module's fragment without the empty values it renders for unset props."""
    if isinstance(value, dict):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if not (k in _EMPTY_WHEN_UNSET and v in ({}, []))}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _only(template: dict[str, Any], cfn_type: str) -> dict[str, Any]:
    found = [r for r in template["Resources"].values() if r["Type"] == cfn_type]
    assert len(found) == 1, found
    return found[0]["Properties"]  # type: ignore[no-any-return]


# --- compute environments ---------------------------------------------------


def ce(**extra: Callable[[cdk.Stack, Any], Any] | Any) -> Build:
    def build(s: cdk.Stack, m: Any) -> Any:
        kwargs = {k: (v(s, m) if callable(v) else v) for k, v in extra.items()}
        return m.ManagedEc2EksComputeEnvironment(
            s, "CE", vpc=_vpc(s), eks_cluster=_cluster(s), kubernetes_namespace="batch", **kwargs
        )

    return build


CE_CASES: dict[str, Build] = {
    "defaults": ce(),
    "spot": ce(spot=True),
    "spot-bid": ce(spot=True, spot_bid_percentage=60),
    "allocation-strategy": ce(
        spot=True, allocation_strategy=lambda s, m: m.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED
    ),
    "progressive": ce(allocation_strategy=lambda s, m: m.AllocationStrategy.BEST_FIT_PROGRESSIVE),
    "vcpus": ce(minv_cpus=4, maxv_cpus=64),
    "instance-types": ce(
        instance_types=lambda s, m: [ec2.InstanceType("m5.large"), ec2.InstanceType("c5.xlarge")]
    ),
    "instance-classes": ce(
        instance_classes=lambda s, m: [ec2.InstanceClass.R5, ec2.InstanceClass.M6I]
    ),
    "no-optimal": ce(
        use_optimal_instance_classes=False,
        instance_types=lambda s, m: [ec2.InstanceType("m5.large")],
        instance_classes=lambda s, m: [ec2.InstanceClass.C5],
    ),
    "images": ce(
        images=lambda s, m: [
            m.EksMachineImage(image_type=m.EksMachineImageType.EKS_AL2023),
            m.EksMachineImage(
                image=ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"}),
                image_type=m.EksMachineImageType.EKS_AL2023_NVIDIA,
            ),
        ]
    ),
    "image-default-type": ce(images=lambda s, m: [m.EksMachineImage()]),
    "launch-template": ce(launch_template=lambda s, m: ec2.LaunchTemplate(s, "LT")),
    "instance-role": ce(
        instance_role=lambda s, m: iam.Role(
            s, "NodeRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")
        )
    ),
    "security-groups": ce(
        security_groups=lambda s, m: [
            ec2.SecurityGroup.from_security_group_id(s, "Sg", "sg-0123456789abcdef0")
        ]
    ),
    "placement-group": ce(placement_group=lambda s, m: ec2.PlacementGroup(s, "PG")),
    "subnets": ce(
        vpc_subnets=lambda s, m: ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    ),
    "update-latest-image": ce(update_to_latest_image_version=True),
}


@pytest.mark.parametrize("build", CE_CASES.values(), ids=list(CE_CASES))
def test_compute_environment_fragments_equal_the_stable_module(build: Build) -> None:
    ours = _only(_template(build, batch), "AWS::Batch::ComputeEnvironment")
    theirs = _only(_template(build, v2), "AWS::Batch::ComputeEnvironment")
    for key in ("EksConfiguration", "ComputeResources"):
        assert ours[key] == _drop_empty(theirs[key]), key


def test_compute_environment_supporting_resources_equal_the_stable_module() -> None:
    ours = _template(ce(), batch)["Resources"]
    theirs = _template(ce(), v2)["Resources"]
    for logical_id, resource in theirs.items():
        if resource["Type"] != "AWS::Batch::ComputeEnvironment":
            assert ours[logical_id] == resource, logical_id


def test_image_type_follows_the_al2023_context_flag() -> None:
    context = {"@aws-cdk/aws-batch:defaultToAL2023": True}
    build = ce(images=lambda s, m: [m.EksMachineImage()])
    ours = _only(_template(build, batch, context), "AWS::Batch::ComputeEnvironment")
    theirs = _only(_template(build, v2, context), "AWS::Batch::ComputeEnvironment")
    assert ours["ComputeResources"]["Ec2Configuration"] == [{"ImageType": "EKS_AL2023"}]
    assert ours["ComputeResources"] == _drop_empty(theirs["ComputeResources"])


def test_added_instance_types_and_classes_equal_the_stable_module() -> None:
    def build(s: cdk.Stack, m: Any) -> None:
        env = ce()(s, m)
        env.add_instance_type(ec2.InstanceType("c5.xlarge"))
        env.add_instance_class(ec2.InstanceClass.M6I)

    ours = _only(_template(build, batch), "AWS::Batch::ComputeEnvironment")
    theirs = _only(_template(build, v2), "AWS::Batch::ComputeEnvironment")
    assert ours["ComputeResources"]["InstanceTypes"] == ["c5.xlarge", "m6i", "optimal"]
    assert ours["ComputeResources"] == _drop_empty(theirs["ComputeResources"])


def test_long_instance_class_names_render_the_family() -> None:
    # The stable module renders InstanceClass.MEMORY5 as "memory5", which EC2 does not know.
    build = ce(instance_classes=lambda s, m: [ec2.InstanceClass.MEMORY5])
    ours = _only(_template(build, batch), "AWS::Batch::ComputeEnvironment")
    assert ours["ComputeResources"]["InstanceTypes"] == ["r5", "optimal"]


def test_top_level_keys_render_only_when_set() -> None:
    props = _only(_template(ce(), batch), "AWS::Batch::ComputeEnvironment")
    assert sorted(props) == [
        "ComputeResources",
        "EksConfiguration",
        "State",
        "Type",
    ]
    assert props["Type"] == "MANAGED" and props["State"] == "ENABLED"

    build = ce(
        compute_environment_name="eks-ce",
        enabled=False,
        replace_compute_environment=False,
        terminate_on_update=False,
        update_timeout=cdk.Duration.minutes(20),
        service_role=lambda s, m: iam.Role.from_role_arn(
            s, "Svc", "arn:aws:iam::123456789012:role/batch"
        ),
    )
    props = _only(_template(build, batch), "AWS::Batch::ComputeEnvironment")
    theirs = _only(_template(build, v2), "AWS::Batch::ComputeEnvironment")
    for key in ("ComputeEnvironmentName", "ReplaceComputeEnvironment", "UpdatePolicy", "State"):
        assert props[key] == theirs[key], key
    assert props["ServiceRole"] == "arn:aws:iam::123456789012:role/batch"


def test_cluster_by_arn_and_launch_template_by_name() -> None:
    arn = "arn:aws:eks:us-east-1:123456789012:cluster/batch-cluster"
    stack = cdk.Stack(cdk.App(), "Stack")
    batch.ManagedEc2EksComputeEnvironment(
        stack,
        "CE",
        vpc=_vpc(stack),
        eks_cluster=arn,
        kubernetes_namespace="batch",
        launch_template=ec2.LaunchTemplate.from_launch_template_attributes(
            stack, "LT", launch_template_name="nodes"
        ),
    )
    props = _only(Template.from_stack(stack).to_json(), "AWS::Batch::ComputeEnvironment")
    assert props["EksConfiguration"] == {"EksClusterArn": arn, "KubernetesNamespace": "batch"}
    # The stable module renders {} here; the template's name is what CloudFormation needs.
    assert props["ComputeResources"]["LaunchTemplate"] == {"LaunchTemplateName": "nodes"}


def test_an_eks_environment_joins_a_job_queue() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    env = ce()(stack, batch)
    batch.JobQueue(
        stack,
        "Q",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )
    queue = _only(Template.from_stack(stack).to_json(), "AWS::Batch::JobQueue")
    ref = {"Ref": stack.get_logical_id(env.node.default_child)}  # type: ignore[arg-type]
    assert queue["ComputeEnvironmentOrder"] == [{"ComputeEnvironment": ref, "Order": 1}]


def test_a_queue_refuses_eks_and_ecs_environments_together() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    env = ce()(stack, batch)
    ecs_env = batch.ComputeEnvironment(
        stack, "Ecs", compute_resources=batch.ComputeResources(vpc=stack.node.find_child("Vpc"))
    )
    with pytest.raises(BatchValidationError) as err:
        batch.JobQueue(
            stack,
            "Q",
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=env, order=1),
                batch.JobQueueComputeEnvironment(compute_environment=ecs_env, order=2),
            ],
        )
    assert [p.rule_id for p in err.value.problems] == ["jq-eks-ecs-mix"]
    assert "EKS environments (entries 0) with ECS environments (entries 1)" in str(err.value)


# --- job definitions --------------------------------------------------------


def jd(container: dict[str, Any] | None = None, **job: Any) -> Build:
    def build(s: cdk.Stack, m: Any) -> Any:
        c_kwargs = {k: (v(s, m) if callable(v) else v) for k, v in (container or {}).items()}
        j_kwargs = {k: (v(s, m) if callable(v) else v) for k, v in job.items()}
        image = ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2023")
        c = m.EksContainerDefinition(s, "Container", image=image, **c_kwargs)
        return m.EksJobDefinition(s, "JD", container=c, **j_kwargs)

    return build


MiB = cdk.Size.mebibytes

JD_CASES: dict[str, Build] = {
    "defaults": jd(),
    "command-args-env": jd(
        {"command": ["sh", "-c"], "args": ["echo $(A)"], "env": {"A": "1", "B": "two"}}
    ),
    "limits": jd({"cpu_limit": 2, "memory_limit": MiB(2048), "gpu_limit": 1}),
    "requests": jd({"cpu_reservation": 0.5, "memory_reservation": MiB(1024), "gpu_reservation": 1}),
    "limits-and-requests": jd(
        {
            "cpu_limit": 4,
            "cpu_reservation": 1.25,
            "memory_limit": cdk.Size.gibibytes(2),
            "memory_reservation": MiB(2048),
            "gpu_limit": 2,
            "gpu_reservation": 2,
        }
    ),
    "security-context": jd(
        {
            "privileged": True,
            "readonly_root_filesystem": True,
            "run_as_group": 100,
            "run_as_user": 1000,
        }
    ),
    "run-as-root": jd({"run_as_root": True}),
    "run-as-non-root": jd({"run_as_root": False}),
    "pull-policy-and-name": jd(
        {"image_pull_policy": lambda s, m: m.ImagePullPolicy.IF_NOT_PRESENT, "name": "main"}
    ),
    "empty-dir": jd(
        {
            "volumes": lambda s, m: [
                m.EksVolume.empty_dir(name="scratch", mount_path="/scratch"),
                m.EksVolume.empty_dir(
                    name="ram",
                    mount_path="/ram",
                    medium=m.EmptyDirMediumType.MEMORY,
                    size_limit=MiB(256),
                ),
                m.EksVolume.empty_dir(
                    name="disk", mount_path="/disk", medium=m.EmptyDirMediumType.DISK
                ),
            ]
        }
    ),
    "host-path": jd(
        {
            "volumes": lambda s, m: [
                m.EksVolume.host_path(
                    name="logs", host_path="/var/log", mount_path="/host/log", readonly=True
                )
            ]
        }
    ),
    "secret": jd(
        {
            "volumes": lambda s, m: [
                m.EksVolume.secret(name="creds", secret_name="db-creds", mount_path="/creds"),
                m.EksVolume.secret(
                    name="opt", secret_name="maybe", mount_path="/opt/s", optional=True
                ),
            ]
        }
    ),
    "service-account": jd(service_account="batch-jobs"),
    "host-network": jd(
        use_host_network=True, dns_policy=lambda s, m: m.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET
    ),
    "pod-network": jd(use_host_network=False, dns_policy=lambda s, m: m.DnsPolicy.CLUSTER_FIRST),
    "dns-default": jd(dns_policy=lambda s, m: m.DnsPolicy.DEFAULT),
}


@pytest.mark.parametrize("build", JD_CASES.values(), ids=list(JD_CASES))
def test_job_definition_fragments_equal_the_stable_module(build: Build) -> None:
    ours = _only(_template(build, batch), "AWS::Batch::JobDefinition")
    theirs = _only(_template(build, v2), "AWS::Batch::JobDefinition")
    assert ours["EksProperties"] == _drop_empty(theirs["EksProperties"])
    assert ours["Type"] == theirs["Type"] == "container"


def test_job_definition_top_level_keys_equal_the_stable_module() -> None:
    build = jd(
        job_definition_name="eks-job",
        parameters={"input": "s3://bucket/key"},
        retry_attempts=3,
        timeout=cdk.Duration.minutes(10),
        scheduling_priority=5,
        skip_deregister_on_update=True,
    )
    ours = _only(_template(build, batch), "AWS::Batch::JobDefinition")
    theirs = _only(_template(build, v2), "AWS::Batch::JobDefinition")
    assert ours == _drop_empty(theirs)
    # Unset, the stable module still renders RetryStrategy: {} and Timeout: {}; we render nothing.
    bare = _only(_template(jd(), batch), "AWS::Batch::JobDefinition")
    assert sorted(bare) == ["EksProperties", "Type"]


def test_added_volumes_reach_the_job_definition() -> None:
    def build(s: cdk.Stack, m: Any) -> None:
        job = jd()(s, m)
        job.container.add_volume(m.EksVolume.empty_dir(name="late", mount_path="/late"))

    ours = _only(_template(build, batch), "AWS::Batch::JobDefinition")
    theirs = _only(_template(build, v2), "AWS::Batch::JobDefinition")
    pod = ours["EksProperties"]["PodProperties"]
    assert pod["Volumes"] == [{"Name": "late", "EmptyDir": {}}]
    assert pod["Containers"][0]["VolumeMounts"] == [{"Name": "late", "MountPath": "/late"}]
    assert ours["EksProperties"] == _drop_empty(theirs["EksProperties"])


def test_a_volume_without_mount_path_is_declared_but_not_mounted() -> None:
    build = jd({"volumes": lambda s, m: [m.EksVolume.empty_dir(name="unmounted")]})
    pod = _only(_template(build, batch), "AWS::Batch::JobDefinition")["EksProperties"][
        "PodProperties"
    ]
    assert pod["Volumes"] == [{"Name": "unmounted", "EmptyDir": {}}]
    # The stable module renders a mount without MountPath, which Kubernetes refuses.
    assert "VolumeMounts" not in pod["Containers"][0]


def test_persistent_volume_claims_render_the_cloudformation_shape() -> None:
    build = jd(
        {
            "volumes": lambda s, m: [
                m.EksVolume.persistent_volume_claim(
                    name="data", claim_name="shared-data", mount_path="/data", readonly=True
                )
            ]
        }
    )
    pod = _only(_template(build, batch), "AWS::Batch::JobDefinition")["EksProperties"][
        "PodProperties"
    ]
    assert pod["Volumes"] == [
        {"Name": "data", "PersistentVolumeClaim": {"ClaimName": "shared-data", "ReadOnly": True}}
    ]
    assert pod["Containers"][0]["VolumeMounts"] == [
        {"Name": "data", "MountPath": "/data", "ReadOnly": True}
    ]


def test_imported_eks_job_definition_reads_its_name() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    arn = "arn:aws:batch:us-east-1:123456789012:job-definition/eks-job:3"
    imported = batch.EksJobDefinition.from_eks_job_definition_arn(stack, "Imported", arn)
    assert imported.job_definition_arn == arn
    # As the classic importer does: the part after "job-definition/".
    assert imported.job_definition_name == "eks-job:3"


def test_a_memory_token_renders_as_the_stable_module_does() -> None:
    def build(s: cdk.Stack, m: Any) -> None:
        n = cdk.CfnParameter(s, "Mem", type="Number").value_as_number
        jd({"memory_limit": MiB(n)})(s, m)

    ours = _only(_template(build, batch), "AWS::Batch::JobDefinition")
    theirs = _only(_template(build, v2), "AWS::Batch::JobDefinition")
    limits = ours["EksProperties"]["PodProperties"]["Containers"][0]["Resources"]["Limits"]
    assert limits == {"memory": {"Fn::Join": ["", [{"Ref": "Mem"}, "Mi"]]}}
    assert ours["EksProperties"] == _drop_empty(theirs["EksProperties"])


def test_eks_problems_are_reported_together_with_path_and_property() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    with pytest.raises(BatchValidationError) as err:
        batch.ManagedEc2EksComputeEnvironment(
            stack,
            "CE",
            vpc=_vpc(stack),
            eks_cluster=_cluster(stack),
            kubernetes_namespace="default",
            allocation_strategy=batch.AllocationStrategy.BEST_FIT,
            minv_cpus=512,
        )
    assert [p.rule_id for p in err.value.problems] == [
        "eks-ce-allocation-strategy-best-fit",
        "eks-ce-vcpus-order",
        "eks-ce-namespace-format",
    ]
    assert str(err.value).splitlines()[0] == (
        "3 problems in ManagedEc2EksComputeEnvironment 'Stack/CE':"
    )
    assert "  minv_cpus: must be <= maxv_cpus (256), got 512 [rule: eks-ce-vcpus-order]" in str(
        err.value
    )


def test_add_volume_checks_the_new_volume() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    container = batch.EksContainerDefinition(
        stack,
        "Container",
        image=ecs.ContainerImage.from_registry("busybox"),
        volumes=[batch.EksVolume.empty_dir(name="data", mount_path="/data")],
    )
    with pytest.raises(BatchValidationError) as err:
        container.add_volume(batch.EksVolume.host_path(name="data", host_path="/tmp"))
    assert str(err.value) == (
        "EksContainerDefinition 'Stack/Container': volumes must name each volume once, "
        "got 'data' 2 times [rule: eks-container-volume-names]"
    )
    assert [v.name for v in container.volumes] == ["data"]


@pytest.mark.parametrize(
    "build",
    [*CE_CASES.values(), *JD_CASES.values()],
    ids=[*(f"ce-{k}" for k in CE_CASES), *(f"jd-{k}" for k in JD_CASES)],
)
def test_eks_templates_pass_cfn_lint(build: Build) -> None:
    assert cfn_lint_errors(_template(build, batch)) == []
