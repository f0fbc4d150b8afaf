"""Compute environments beyond the alpha: AL2023 images, instance classes, in-place updates.

One stack with a VPC and three managed EC2 compute environments behind one
queue each:

- ``Gpu``: GPU instances on the AL2023 NVIDIA image.
- ``Arm``: Graviton instances chosen by AWS Batch (``default_arm64``), set up
  so that changes update the instances in place (an update policy, no
  replacement, the service-linked role, a strategy other than BEST_FIT) and
  with inherited tags on the instances rather than on the environment.
- ``Pinned``: instances started from a launch template pinned to its latest
  version number, so an edit of the template rolls out to the environment.

Run it directly (``python examples/compute_app.py``) to write the cloud
assembly to ``cdk.out/``.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

import cdk_batch as batch

SERVICE_LINKED_ROLE = "aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"


def _build_stack(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    # Infrastructure updates need the service-linked role; the role kind of an
    # environment cannot change in place, so choose it when creating it.
    service_linked = iam.Role.from_role_arn(
        stack,
        "BatchServiceLinkedRole",
        stack.format_arn(
            service="iam", region="", resource="role", resource_name=SERVICE_LINKED_ROLE
        ),
    )

    gpu = batch.ComputeEnvironment(
        stack,
        "Gpu",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            instance_types=[ec2.InstanceType("g5.xlarge"), ec2.InstanceType("g6.xlarge")],
            images=[batch.EcsMachineImage(image_type=batch.EcsMachineImageType.ECS_AL2023_NVIDIA)],
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            maxv_cpus=64,
        ),
        service_role=service_linked,
        replace_compute_environment=False,
    )

    arm = batch.ComputeEnvironment(
        stack,
        "Arm",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            default_instance_classes=[batch.DefaultInstanceClass.ARM64],
            images=[batch.EcsMachineImage(image_type=batch.EcsMachineImageType.ECS_AL2023)],
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            update_to_latest_image_version=True,
            maxv_cpus=128,
        ),
        service_role=service_linked,
        replace_compute_environment=False,
        update_timeout=cdk.Duration.minutes(60),
        terminate_on_update=False,
        inherited_tags=batch.InheritedTags.INSTANCES,
    )

    user_data = ec2.MultipartUserData()
    script = ec2.UserData.for_linux()
    script.add_commands("echo ECS_IMAGE_PULL_BEHAVIOR=prefer-cached >> /etc/ecs/ecs.config")
    user_data.add_user_data_part(script, ec2.MultipartBody.SHELL_SCRIPT, True)
    template = ec2.LaunchTemplate(
        stack,
        "Template",
        user_data=user_data,
        block_devices=[
            ec2.BlockDevice(
                device_name="/dev/xvda",
                volume=ec2.BlockDeviceVolume.ebs(100, volume_type=ec2.EbsDeviceVolumeType.GP3),
            )
        ],
    )
    pinned = batch.ComputeEnvironment(
        stack,
        "Pinned",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            instance_types=[ec2.InstanceType("c6i.large")],
            images=[batch.EcsMachineImage(image_type=batch.EcsMachineImageType.ECS_AL2023)],
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            launch_template=batch.LaunchTemplateSpecification.from_launch_template(template),
        ),
        service_role=service_linked,
        replace_compute_environment=False,
        update_timeout=cdk.Duration.minutes(30),
    )

    for name, env in (("GpuQueue", gpu), ("ArmQueue", arm), ("PinnedQueue", pinned)):
        batch.JobQueue(
            stack,
            name,
            compute_environments=[
                batch.JobQueueComputeEnvironment(compute_environment=env, order=1)
            ],
        )
    cdk.Tags.of(stack).add("project", "compute-example")


def build_app(outdir: str | None = None) -> cdk.App:
    """An app with one stack holding the three compute environments."""
    app = cdk.App(outdir=outdir)
    _build_stack(cdk.Stack(app, "ComputeEnvironments"))
    return app


if __name__ == "__main__":
    build_app().synth()
