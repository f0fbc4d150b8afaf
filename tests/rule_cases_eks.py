"""The (rule_id, bad, nearest_good) cases of the EKS rules, for tests/test_rules.py.

Kept apart so that the table in test_rules.py grows by one line; the
meta-test there sees these cases like its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_eks as eks

import cdk_batch as batch

Builder = Callable[[cdk.Stack], Any]
A = batch.AllocationStrategy
MiB = cdk.Size.mebibytes
IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2023")


def _vpc(s: cdk.Stack) -> ec2.IVpc:
    found = s.node.try_find_child("Vpc")
    if found is not None:
        return found  # type: ignore[return-value]
    return ec2.Vpc.from_vpc_attributes(
        s,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a"],
        private_subnet_ids=["subnet-0123456789abcdef0"],
    )


def eks_ce(**props: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        kwargs: dict[str, Any] = {"kubernetes_namespace": "batch", **props}
        if "eks_cluster" not in kwargs:
            kwargs["eks_cluster"] = eks.Cluster.from_cluster_attributes(
                s, "Cluster", cluster_name="batch-cluster"
            )
        return batch.ManagedEc2EksComputeEnvironment(s, "CE", vpc=_vpc(s), **kwargs)

    return build


def container(**props: Any) -> Builder:
    return lambda s: batch.EksContainerDefinition(s, "Container", image=IMAGE, **props)


def eks_jd(**props: Any) -> Builder:
    return lambda s: batch.EksJobDefinition(
        s, "JD", container=batch.EksContainerDefinition(s, "Container", image=IMAGE), **props
    )


def eks_and_ecs_queue(with_ecs: bool) -> Builder:
    def build(s: cdk.Stack) -> Any:
        entries = [
            batch.JobQueueComputeEnvironment(compute_environment=eks_ce()(s), order=1),
        ]
        other: Any
        if with_ecs:
            other = batch.ComputeEnvironment(s, "Ecs", managed=False)
        else:
            other = batch.ManagedEc2EksComputeEnvironment(
                s,
                "CE2",
                vpc=_vpc(s),
                eks_cluster="arn:aws:eks:us-east-1:123456789012:cluster/other",
                kubernetes_namespace="batch",
            )
        entries.append(batch.JobQueueComputeEnvironment(compute_environment=other, order=2))
        return batch.JobQueue(s, "Q", compute_environments=entries)

    return build


def empty_dir(**props: Any) -> batch.EksVolume:
    return batch.EksVolume.empty_dir(**props)


EKS_CASES: list[tuple[str, Builder, Builder]] = [
    (
        "eks-ce-allocation-strategy-best-fit",
        eks_ce(allocation_strategy=A.BEST_FIT),
        eks_ce(allocation_strategy=A.BEST_FIT_PROGRESSIVE),
    ),
    (
        "eks-ce-spot-strategy-needs-spot",
        eks_ce(allocation_strategy=A.SPOT_PRICE_CAPACITY_OPTIMIZED),
        eks_ce(allocation_strategy=A.SPOT_PRICE_CAPACITY_OPTIMIZED, spot=True),
    ),
    (
        "eks-ce-bid-percentage-spot",
        eks_ce(spot_bid_percentage=50),
        eks_ce(spot_bid_percentage=50, spot=True),
    ),
    ("eks-ce-vcpus-order", eks_ce(minv_cpus=16, maxv_cpus=8), eks_ce(minv_cpus=8, maxv_cpus=8)),
    (
        "eks-ce-instance-types-required",
        eks_ce(use_optimal_instance_classes=False),
        eks_ce(use_optimal_instance_classes=False, instance_classes=[ec2.InstanceClass.M6I]),
    ),
    (
        "eks-ce-namespace-format",
        eks_ce(kubernetes_namespace="kube-batch"),
        eks_ce(kubernetes_namespace="batch-kube"),
    ),
    (
        "eks-ce-cluster-arn-format",
        eks_ce(eks_cluster="arn:aws:eks:us-east-1:123456789012:nodegroup/batch"),
        eks_ce(eks_cluster="arn:aws:eks:us-east-1:123456789012:cluster/batch"),
    ),
    (
        "eks-ce-name-format",
        eks_ce(compute_environment_name="eks ce"),
        eks_ce(compute_environment_name="eks-ce"),
    ),
    (
        "eks-ce-images-eks-types",
        eks_ce(images=[{"image_type": "ECS_AL2023"}]),
        eks_ce(images=[{"image_type": batch.EksMachineImageType.EKS_AL2023}]),
    ),
    (
        "eks-ce-image-al2",
        eks_ce(images=[{"image_type": batch.EksMachineImageType.EKS_AL2_NVIDIA}]),
        eks_ce(images=[{"image_type": batch.EksMachineImageType.EKS_AL2023_NVIDIA}]),
    ),
    (
        "eks-container-cpu-order",
        container(cpu_limit=1, cpu_reservation=1.5),
        container(cpu_limit=1.5, cpu_reservation=1.5),
    ),
    (
        "eks-container-memory-match",
        container(memory_limit=MiB(2048), memory_reservation=MiB(1024)),
        container(memory_limit=MiB(2048), memory_reservation=MiB(2048)),
    ),
    (
        "eks-container-gpu-match",
        container(gpu_limit=2, gpu_reservation=1),
        container(gpu_limit=2, gpu_reservation=2),
    ),
    (
        "eks-container-env-reserved",
        container(env={"AWS_BATCH_JOB_X": "1"}),
        container(env={"MY_AWS_BATCH_JOB_X": "1"}),
    ),
    (
        "eks-container-volume-names",
        container(
            volumes=[
                empty_dir(name="data", mount_path="/a"),
                empty_dir(name="data", mount_path="/b"),
            ]
        ),
        container(
            volumes=[
                empty_dir(name="data", mount_path="/a"),
                empty_dir(name="data2", mount_path="/b"),
            ]
        ),
    ),
    (
        "eks-container-mount-paths-unique",
        container(
            volumes=[
                empty_dir(name="a", mount_path="/data"),
                empty_dir(name="b", mount_path="/data"),
            ]
        ),
        container(
            volumes=[empty_dir(name="a", mount_path="/data"), empty_dir(name="b", mount_path="/d2")]
        ),
    ),
    (
        "eks-container-empty-dir-size",
        container(volumes=[empty_dir(name="a", size_limit=cdk.Size.kibibytes(1536))]),
        container(volumes=[empty_dir(name="a", size_limit=cdk.Size.kibibytes(2048))]),
    ),
    (
        "eks-jd-dns-policy-network",
        eks_jd(dns_policy=batch.DnsPolicy.CLUSTER_FIRST),
        eks_jd(dns_policy=batch.DnsPolicy.CLUSTER_FIRST, use_host_network=False),
    ),
    (
        "eks-jd-name-format",
        eks_jd(job_definition_name="x" * 129),
        eks_jd(job_definition_name="x" * 128),
    ),
    ("eks-jd-retry-attempts-range", eks_jd(retry_attempts=11), eks_jd(retry_attempts=10)),
    (
        "eks-jd-timeout-minimum",
        eks_jd(timeout=cdk.Duration.seconds(59)),
        eks_jd(timeout=cdk.Duration.seconds(60)),
    ),
    ("jq-eks-ecs-mix", eks_and_ecs_queue(with_ecs=True), eks_and_ecs_queue(with_ecs=False)),
]

EKS_SAYS: dict[str, str] = {
    "eks-ce-allocation-strategy-best-fit": "allocation_strategy must be BEST_FIT_PROGRESSIVE",
    "eks-ce-spot-strategy-needs-spot": (
        "allocation_strategy SPOT_PRICE_CAPACITY_OPTIMIZED needs spot=True, got spot=None"
    ),
    "eks-ce-bid-percentage-spot": "spot_bid_percentage must not be set unless spot=True",
    "eks-ce-vcpus-order": "minv_cpus must be <= maxv_cpus (8), got 16",
    "eks-ce-instance-types-required": "instance_types must hold at least one entry",
    "eks-ce-namespace-format": "must not be 'default' or start with 'kube-', got 'kube-batch'",
    "eks-ce-cluster-arn-format": "eks_cluster must be an eks.ICluster or an ARN like",
    "eks-ce-name-format": "compute_environment_name may only hold letters, digits",
    "eks-ce-images-eks-types": "images[0].image_type must be one of EKS_AL2, EKS_AL2_NVIDIA",
    "eks-ce-image-al2": "images[0].image_type is EKS_AL2_NVIDIA: AWS ended support",
    "eks-container-cpu-order": "cpu_reservation must be <= cpu_limit (1), got 1.5",
    "eks-container-memory-match": (
        "memory_reservation must equal memory_limit (2048 MiB) when both are set, got 1024 MiB"
    ),
    "eks-container-gpu-match": "gpu_reservation must equal gpu_limit (2) when both are set, got 1",
    "eks-container-env-reserved": "must not name variables starting with AWS_BATCH",
    "eks-container-volume-names": "volumes must name each volume once, got 'data' 2 times",
    "eks-container-mount-paths-unique": "must mount one volume per path, got '/data' 2 times",
    "eks-container-empty-dir-size": "volumes[0].size_limit must be a whole number of MiB",
    "eks-jd-dns-policy-network": "dns_policy should be CLUSTER_FIRST_WITH_HOST_NET",
    "eks-jd-name-format": "job_definition_name must be 1 to 128 characters long, got 129",
    "eks-jd-retry-attempts-range": "retry_attempts must be between 1 and 10, got 11",
    "eks-jd-timeout-minimum": "timeout must be at least 60 seconds, got 59 seconds",
    "jq-eks-ecs-mix": "must not mix EKS environments (entries 0) with ECS environments (entries 1)",
}


def _n(s: cdk.Stack) -> float:
    param = s.node.try_find_child("N") or cdk.CfnParameter(s, "N", type="Number")
    return param.value_as_number  # type: ignore[attr-defined,no-any-return]


EKS_TOKEN_CASES: dict[str, Builder] = {
    "eks-ce-vcpus-bid": lambda s: eks_ce(
        minv_cpus=_n(s), maxv_cpus=_n(s), spot=True, spot_bid_percentage=_n(s)
    )(s),
    "eks-ce-namespace": lambda s: eks_ce(
        kubernetes_namespace=cdk.CfnParameter(s, "Ns").value_as_string
    )(s),
    "eks-container-resources": lambda s: container(
        cpu_limit=_n(s),
        cpu_reservation=_n(s),
        gpu_limit=_n(s),
        gpu_reservation=_n(s),
        memory_limit=MiB(_n(s)),
        memory_reservation=MiB(_n(s)),
    )(s),
    "eks-jd-retry-timeout": lambda s: eks_jd(
        retry_attempts=_n(s), timeout=cdk.Duration.seconds(_n(s))
    )(s),
}
