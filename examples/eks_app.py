"""AWS Batch on Amazon EKS: a cluster, an EKS compute environment, a queue, a job definition.

The cluster comes from ``aws_cdk.aws_eks`` (with the kubectl layer of
``aws-cdk.lambda-layer-kubectl-v35``). The app prepares it for AWS Batch the
way the AWS Batch guide describes: a namespace for the jobs and an
``aws-auth`` mapping that lets the nodes AWS Batch launches join the cluster.
The RBAC roles AWS Batch itself needs in the namespace are left to the
cluster's owners; see
https://docs.aws.amazon.com/batch/latest/userguide/getting-started-eks.html.

Run it directly (``python examples/eks_app.py``) to write ``cdk.out/``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_eks as eks
from aws_cdk.lambda_layer_kubectl_v35 import KubectlV35Layer

import cdk_batch as batch

NAMESPACE = "batch-jobs"


def build_stack(app: cdk.App, name: str = "EksBatch") -> cdk.Stack:
    """A stack with an EKS cluster and the AWS Batch resources that run jobs on it."""
    stack = cdk.Stack(app, name)
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    cluster = eks.Cluster(
        stack,
        "Cluster",
        vpc=vpc,
        version=eks.KubernetesVersion.V1_35,
        kubectl_layer=KubectlV35Layer(stack, "Kubectl"),
        default_capacity=0,
    )
    namespace = cluster.add_manifest(
        "Namespace", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    )

    environment = batch.ManagedEc2EksComputeEnvironment(
        stack,
        "EksEnvironment",
        eks_cluster=cluster,
        kubernetes_namespace=NAMESPACE,
        vpc=vpc,
        instance_classes=[ec2.InstanceClass.M6I, ec2.InstanceClass.C6I],
        use_optimal_instance_classes=False,
        images=[batch.EksMachineImage(image_type=batch.EksMachineImageType.EKS_AL2023)],
        maxv_cpus=128,
    )
    environment.node.add_dependency(namespace)
    cluster.aws_auth.add_role_mapping(
        environment.instance_role,
        groups=["system:bootstrappers", "system:nodes"],
        username="system:node:{{EC2PrivateDNSName}}",
    )

    batch.JobQueue(
        stack,
        "EksQueue",
        compute_environments=[
            batch.JobQueueComputeEnvironment(compute_environment=environment, order=1)
        ],
    )

    container = batch.EksContainerDefinition(
        stack,
        "Container",
        image=ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2023"),
        command=["sh", "-c", "ls /scratch /config /data && sleep 30"],
        cpu_limit=1,
        cpu_reservation=0.5,
        memory_limit=cdk.Size.mebibytes(2048),
        run_as_user=1000,
        volumes=[
            batch.EksVolume.empty_dir(
                name="scratch", mount_path="/scratch", size_limit=cdk.Size.gibibytes(4)
            ),
            batch.EksVolume.secret(
                name="config", secret_name="job-config", mount_path="/config", readonly=True
            ),
            batch.EksVolume.persistent_volume_claim(
                name="data", claim_name="shared-data", mount_path="/data"
            ),
        ],
    )
    container.add_volume(
        batch.EksVolume.host_path(
            name="host-logs", host_path="/var/log", mount_path="/host/log", readonly=True
        )
    )
    batch.EksJobDefinition(
        stack,
        "EksJob",
        container=container,
        use_host_network=False,
        dns_policy=batch.DnsPolicy.CLUSTER_FIRST,
        retry_attempts=2,
        timeout=cdk.Duration.hours(1),
    )
    return stack


NOT_DEPLOYED_LOCALLY = (
    "an aws_eks.Cluster is created by custom resources backed by Lambda functions, "
    "which the emulator cannot run without Docker"
)


def build_app(outdir: str | None = None) -> cdk.App:
    """The EKS example app: one stack."""
    app = cdk.App(outdir=outdir)
    build_stack(app)
    return app


if __name__ == "__main__":
    build_app().synth()
