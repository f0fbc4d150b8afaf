"""The props of AWS Batch on Amazon EKS: enums, volumes and props structs.

An EKS compute environment runs jobs as pods on nodes that AWS Batch adds to
an existing Amazon EKS cluster, in one Kubernetes namespace; an EKS job
definition describes the pod (one container, its volumes, DNS and network).

See: https://docs.aws.amazon.com/batch/latest/userguide/eks.html

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from aws_cdk import Duration, Size
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from .._core.lazy import LazyModule
from .._core.structs import Struct, coerce, coerce_optional

if TYPE_CHECKING:
    from aws_cdk import aws_eks as eks
else:
    # Only an annotation names it: imported when EKS props are first coerced,
    # so that programs without EKS never load aws_eks.
    eks = LazyModule("aws_cdk.aws_eks")
from .compute_environment import AllocationStrategy

__all__ = [
    "DnsPolicy",
    "EksContainerDefinitionProps",
    "EksJobDefinitionProps",
    "EksMachineImage",
    "EksMachineImageType",
    "EksVolume",
    "EmptyDirMediumType",
    "EmptyDirVolume",
    "HostPathVolume",
    "ImagePullPolicy",
    "ManagedEc2EksComputeEnvironmentProps",
    "PersistentVolumeClaimVolume",
    "SecretPathVolume",
]


# --- enums -----------------------------------------------------------------


class EksMachineImageType(str, Enum):
    """The kind of Amazon EKS-optimized AMI that AWS Batch starts the nodes from.

    Each value is the ``ImageType`` rendered into ``Ec2Configuration``.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html

    .. versionadded:: 0.2.0
    """

    EKS_AL2 = "EKS_AL2"
    """Amazon Linux 2, EKS-optimized."""
    EKS_AL2_NVIDIA = "EKS_AL2_NVIDIA"
    """Amazon Linux 2 with NVIDIA drivers, for GPU instance families."""
    EKS_AL2023 = "EKS_AL2023"
    """Amazon Linux 2023, EKS-optimized (nodes join with ``nodeadm``)."""
    EKS_AL2023_NVIDIA = "EKS_AL2023_NVIDIA"
    """Amazon Linux 2023 with NVIDIA drivers, for GPU instance families."""


class DnsPolicy(str, Enum):
    """How the pod of a job resolves names; each value is the rendered ``DnsPolicy``.

    See: https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy

    .. versionadded:: 0.2.0
    """

    DEFAULT = "Default"
    """Use the name resolution of the node the pod runs on."""
    CLUSTER_FIRST = "ClusterFirst"
    """Ask the cluster DNS first; names outside the cluster domain go upstream."""
    CLUSTER_FIRST_WITH_HOST_NET = "ClusterFirstWithHostNet"
    """Cluster DNS first, for a pod on the host's network."""


class ImagePullPolicy(str, Enum):
    """When the kubelet pulls the container image; each value is the rendered string.

    See: https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy

    .. versionadded:: 0.2.0
    """

    ALWAYS = "Always"
    """Pull on every start of the container."""
    IF_NOT_PRESENT = "IfNotPresent"
    """Pull only when the node does not hold the image yet."""
    NEVER = "Never"
    """Never pull: the image must already be on the node."""


class EmptyDirMediumType(str, Enum):
    """Where an ``emptyDir`` volume keeps its data; each value is the rendered ``Medium``.

    .. versionadded:: 0.2.0
    """

    DISK = ""
    """The node's disk."""
    MEMORY = "Memory"
    """A RAM-backed file system; its contents count against the container's memory."""


# --- structs ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, repr=False)
class EksMachineImage(Struct):
    """One entry of ``Ec2Configuration``: an EKS image type, optionally with your own AMI.

    .. versionadded:: 0.2.0
    """

    image: ec2.IMachineImage | None = None
    """An AMI for the nodes of ``image_type`` (``ImageIdOverride``).

    Default: the latest AMI of ``image_type`` that AWS Batch supports
    """
    image_type: EksMachineImageType | str | None = None
    """The kind of image: a member, or its value as a string (``"EKS_AL2023"``).

    Default: ``EKS_AL2``, or ``EKS_AL2023`` when the aws-cdk-lib context flag
    ``@aws-cdk/aws-batch:defaultToAL2023`` is true
    """


@dataclass(frozen=True, kw_only=True, repr=False)
class EksVolume(Struct):
    """A Kubernetes volume of an EKS job's pod, and where the container mounts it.

    Build one with :meth:`empty_dir`, :meth:`host_path`, :meth:`secret` or
    :meth:`persistent_volume_claim`.

    See: https://kubernetes.io/docs/concepts/storage/volumes/

    .. versionadded:: 0.2.0
    """

    name: str
    """The name of the volume: a DNS subdomain name, unique in the pod."""
    mount_path: str | None = None
    """Where the container sees the volume. Default: the volume is not mounted"""
    readonly: bool | None = None
    """Mount the volume read-only. Default: false (read and write)"""

    @staticmethod
    def empty_dir(
        *,
        name: str,
        mount_path: str | None = None,
        readonly: bool | None = None,
        medium: EmptyDirMediumType | None = None,
        size_limit: Size | None = None,
    ) -> EmptyDirVolume:
        """A scratch directory that lives as long as the pod.

        Args:
            name: The name of the volume.
            mount_path: Where the container mounts it. Default: not mounted
            readonly: Mount it read-only. Default: false
            medium: Disk or memory. Default: the node's default medium
            size_limit: The most the volume may hold, in whole MiB. Default: no limit

        """
        return EmptyDirVolume(
            name=name,
            mount_path=mount_path,
            readonly=readonly,
            medium=medium,
            size_limit=size_limit,
        )

    @staticmethod
    def host_path(
        *,
        name: str,
        host_path: str,
        mount_path: str | None = None,
        readonly: bool | None = None,
    ) -> HostPathVolume:
        """A file or directory of the node, shared into the pod.

        Args:
            name: The name of the volume.
            host_path: The path on the node.
            mount_path: Where the container mounts it. Default: not mounted
            readonly: Mount it read-only. Default: false

        """
        return HostPathVolume(
            name=name, host_path=host_path, mount_path=mount_path, readonly=readonly
        )

    @staticmethod
    def secret(
        *,
        name: str,
        secret_name: str,
        mount_path: str | None = None,
        readonly: bool | None = None,
        optional: bool | None = None,
    ) -> SecretPathVolume:
        """A Kubernetes secret of the job's namespace, as files.

        Args:
            name: The name of the volume.
            secret_name: The name of the Kubernetes secret.
            mount_path: Where the container mounts it. Default: not mounted
            readonly: Mount it read-only. Default: false
            optional: Whether the pod may start when the secret is missing.
                Default: true

        """
        return SecretPathVolume(
            name=name,
            secret_name=secret_name,
            mount_path=mount_path,
            readonly=readonly,
            optional=optional,
        )

    @staticmethod
    def persistent_volume_claim(
        *,
        name: str,
        claim_name: str,
        mount_path: str | None = None,
        readonly: bool | None = None,
    ) -> PersistentVolumeClaimVolume:
        """A persistent volume claim of the job's namespace.

        Args:
            name: The name of the volume.
            claim_name: The name of the claim.
            mount_path: Where the container mounts it. Default: not mounted
            readonly: Mount the claim, and the volume, read-only. Default: false

        """
        return PersistentVolumeClaimVolume(
            name=name, claim_name=claim_name, mount_path=mount_path, readonly=readonly
        )


@dataclass(frozen=True, kw_only=True, repr=False)
class EmptyDirVolume(EksVolume):
    """An ``emptyDir`` volume; see :meth:`EksVolume.empty_dir`.

    .. versionadded:: 0.2.0
    """

    medium: EmptyDirMediumType | None = None
    """Disk or memory. Default: none, the node's disk"""
    size_limit: Size | None = None
    """The most the volume may hold, in whole MiB. Default: no limit"""


@dataclass(frozen=True, kw_only=True, repr=False)
class HostPathVolume(EksVolume):
    """A ``hostPath`` volume; see :meth:`EksVolume.host_path`.

    .. versionadded:: 0.2.0
    """

    host_path: str  # type: ignore[assignment]  # the field shadows the factory
    """The path on the node."""


@dataclass(frozen=True, kw_only=True, repr=False)
class SecretPathVolume(EksVolume):
    """A ``secret`` volume; see :meth:`EksVolume.secret`.

    .. versionadded:: 0.2.0
    """

    secret_name: str
    """The name of the Kubernetes secret."""
    optional: bool | None = None
    """Whether the pod may start without the secret. Default: true"""


@dataclass(frozen=True, kw_only=True, repr=False)
class PersistentVolumeClaimVolume(EksVolume):
    """A ``persistentVolumeClaim`` volume; see :meth:`EksVolume.persistent_volume_claim`.

    .. versionadded:: 0.2.0
    """

    claim_name: str
    """The name of the persistent volume claim."""


@dataclass(frozen=True, kw_only=True, repr=False)
class ManagedEc2EksComputeEnvironmentProps(Struct):
    """The props of :class:`ManagedEc2EksComputeEnvironment`.

    .. versionadded:: 0.2.0
    """

    eks_cluster: eks.ICluster | str
    """The EKS cluster, or its ARN, that the nodes join.

    The cluster must be prepared for AWS Batch (RBAC for the namespace, an
    access entry or ``aws-auth`` mapping for the node role). See:
    https://docs.aws.amazon.com/batch/latest/userguide/getting-started-eks.html
    """
    kubernetes_namespace: str
    """The namespace AWS Batch runs the pods in."""
    vpc: ec2.IVpc
    """The VPC the nodes run in."""
    allocation_strategy: AllocationStrategy | None = None
    """How instance types are chosen when the best fit is short; BEST_FIT is refused.

    Default: BEST_FIT_PROGRESSIVE, or SPOT_PRICE_CAPACITY_OPTIMIZED with ``spot``
    """
    compute_environment_name: str | None = None
    """The name of the compute environment. Default: a name CloudFormation generates"""
    enabled: bool | None = None
    """Whether the environment accepts jobs. Default: true"""
    images: Sequence[EksMachineImage] | None = None
    """One or two EKS image types (``Ec2Configuration``). Default: none, AWS Batch chooses"""
    instance_classes: Sequence[ec2.InstanceClass] | None = None
    """Instance families the nodes may use. Default: none"""
    instance_role: iam.IRole | None = None
    """The role of the nodes; an instance profile is made for it.

    Default: a role with ``AmazonEC2ContainerServiceforEC2Role``
    """
    instance_types: Sequence[ec2.InstanceType] | None = None
    """Instance types the nodes may use. Default: none"""
    launch_template: ec2.ILaunchTemplate | None = None
    """A launch template for the nodes. Default: no launch template"""
    maxv_cpus: float | None = None
    """The most vCPUs the environment may run. Default: 256"""
    minv_cpus: float | None = None
    """The vCPUs kept running even when idle. Default: 0"""
    placement_group: ec2.IPlacementGroup | None = None
    """The EC2 placement group of the nodes. Default: no placement group"""
    replace_compute_environment: bool | None = None
    """Whether an update that needs new instances replaces the environment.

    Default: none, so no key is rendered (AWS Batch treats it as true)
    """
    security_groups: Sequence[ec2.ISecurityGroup] | None = None
    """The security groups of the nodes. Default: one security group is created"""
    service_role: iam.IRole | None = None
    """The role AWS Batch uses. Default: none, the AWS Batch service-linked role"""
    spot: bool | None = None
    """Run Spot instances. Default: false"""
    spot_bid_percentage: float | None = None
    """Spot only: the highest Spot price, as a percentage of On-Demand. Default: none (100)"""
    terminate_on_update: bool | None = None
    """Stop running jobs at an infrastructure update. Default: none (false)"""
    update_timeout: Duration | None = None
    """How long running jobs may go on in an infrastructure update. Default: none (30 min)"""
    update_to_latest_image_version: bool | None = None
    """Move to the latest supported AMI at infrastructure updates. Default: none (false)"""
    use_optimal_instance_classes: bool | None = None
    """Add ``optimal`` to the instance types. Default: true"""
    vpc_subnets: ec2.SubnetSelection | None = None
    """The subnets of the nodes. Default: the VPC's private subnets"""

    def __post_init__(self) -> None:
        if self.images is not None:
            object.__setattr__(
                self, "images", tuple(coerce(EksMachineImage, i) for i in self.images)
            )
        object.__setattr__(
            self, "vpc_subnets", coerce_optional(ec2.SubnetSelection, self.vpc_subnets)
        )

    @property
    def is_spot(self) -> bool:
        """Whether the environment runs Spot instances."""
        return bool(self.spot)


@dataclass(frozen=True, kw_only=True, repr=False)
class EksContainerDefinitionProps(Struct):
    """The props of :class:`EksContainerDefinition`.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_EksContainer.html

    .. versionadded:: 0.2.0
    """

    image: ecs.ContainerImage
    """The image of the container."""
    args: Sequence[str] | None = None
    """Arguments to the entrypoint. Default: the image's ``CMD``"""
    command: Sequence[str] | None = None
    """The entrypoint, run without a shell. Default: the image's ``ENTRYPOINT``"""
    cpu_limit: float | None = None
    """The CPUs the container may use at most, in steps of 0.25. Default: no limit"""
    cpu_reservation: float | None = None
    """The CPUs reserved for the container, in steps of 0.25. Default: none"""
    env: Mapping[str, str] | None = None
    """Environment variables; names may not start with ``AWS_BATCH``. Default: none"""
    gpu_limit: float | None = None
    """The GPUs the container may use at most. Default: no limit"""
    gpu_reservation: float | None = None
    """The GPUs reserved for the container. Default: none"""
    image_pull_policy: ImagePullPolicy | None = None
    """When the image is pulled.

    Default: none; Kubernetes pulls ``:latest`` images always and others if not present
    """
    memory_limit: Size | None = None
    """The memory the container may use at most, in whole MiB, at least 4. Default: no limit"""
    memory_reservation: Size | None = None
    """The memory reserved for the container; equal to ``memory_limit`` if both are set.

    Default: none
    """
    name: str | None = None
    """The name of the container. Default: none (AWS Batch names it ``Default``)"""
    privileged: bool | None = None
    """Give the container root-like access to the node. Default: false"""
    readonly_root_filesystem: bool | None = None
    """Make the root file system read-only. Default: false"""
    run_as_group: float | None = None
    """The group id the container runs as. Default: the image's"""
    run_as_root: bool | None = None
    """Allow the container to run as root (uid 0).

    Default: false, rendered as ``RunAsNonRoot: true``: the image (or
    ``run_as_user``) must then give a non-root user, or the pod does not start
    """
    run_as_user: float | None = None
    """The user id the container runs as. Default: the image's"""
    volumes: Sequence[EksVolume] | None = None
    """The volumes of the pod; those with a ``mount_path`` are mounted. Default: none"""

    def __post_init__(self) -> None:
        if self.volumes is not None:
            object.__setattr__(self, "volumes", tuple(self.volumes))


@dataclass(frozen=True, kw_only=True, repr=False)
class EksJobDefinitionProps(Struct):
    """The props of :class:`EksJobDefinition`.

    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_EksPodProperties.html

    .. versionadded:: 0.2.0
    """

    container: Any
    """The container (an :class:`EksContainerDefinition`) the pod runs."""
    dns_policy: DnsPolicy | None = None
    """The DNS policy of the pod. Default: none (Kubernetes uses ``ClusterFirst``)"""
    job_definition_name: str | None = None
    """The name of the job definition. Default: a name CloudFormation generates"""
    parameters: Mapping[str, Any] | None = None
    """Default values of ``Ref::`` parameters in the command. Default: none"""
    retry_attempts: float | None = None
    """How many times a job is tried, 1 to 10. Default: none (AWS Batch tries once)"""
    scheduling_priority: float | None = None
    """The priority of the jobs in a fair-share queue. Default: none"""
    service_account: str | None = None
    """The Kubernetes service account the pod runs as. Default: the namespace's default"""
    skip_deregister_on_update: bool | None = None
    """Keep the previous revision active after an update. Default: none (false)"""
    timeout: Duration | None = None
    """How long an attempt may run, at least 60 seconds. Default: no timeout"""
    use_host_network: bool | None = None
    """Run the pod on the node's network. Default: none (AWS Batch uses true)"""
