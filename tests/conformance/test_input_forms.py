"""Every input position of the classic API, in every form the reference accepts.

Each program passes one value in one form (a struct object, a snake_case or
camelCase dict, a jsii interface implementation, a token, an imported
resource, a subclass, an alpha enum member or struct) and is synthesized with
the reference and with cdk_batch: the templates must be identical, and
cfn-lint must find no error in ours. ``docs/inputs.md`` is the table of these
forms.

Forms the reference refuses but cdk_batch accepts (camelCase dicts given
directly, snake_case dicts in lists, tuples) are checked against the
reference's template of the same program written in the canonical form, after
checking that the reference does refuse them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as alpha
import jsii
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm

import cdk_batch
from cdk_batch.migrate._compare import compare_templates
from cdk_batch.migrate._explain import explain

from ..helpers import node_classes
from ..lint import cfn_lint_errors
from .harness import Program, assert_same_template, differences, reference, synth

pytestmark = pytest.mark.conformance

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ACCOUNT_ENV = cdk.Environment(account="123456789012", region="us-east-1")
ROLE_ARN = "arn:aws:iam::123456789012:role/existing"
CE_ARN = "arn:aws:batch:us-east-1:123456789012:compute-environment/existing"

# --- small builders ---------------------------------------------------------------


def ce(**resources: Any) -> Program:
    """A managed environment whose compute resources hold ``resources``.

    A value that is a callable is called with ``(stack, batch)`` first.
    """

    def program(s: cdk.Stack, batch: ModuleType) -> None:
        given = {k: v(s, batch) if callable(v) else v for k, v in resources.items()}
        vpc = given.pop("vpc", None) or ec2.Vpc(s, "Vpc")
        batch.ComputeEnvironment(
            s, "CE", compute_resources=batch.ComputeResources(vpc=vpc, **given)
        )

    return program


def container(**fields: Any) -> Program:
    """A job definition whose container holds ``fields`` (callables as in :func:`ce`)."""

    def program(s: cdk.Stack, batch: ModuleType) -> None:
        given = {k: v(s, batch) if callable(v) else v for k, v in fields.items()}
        image = given.pop("image", None) or ecs.ContainerImage.from_registry("busybox")
        caps = given.pop("platform_capabilities", None)
        batch.JobDefinition(
            s,
            "JD",
            platform_capabilities=caps,
            container=batch.JobDefinitionContainer(image=image, **given),
        )

    return program


def queue(entry: Callable[[cdk.Stack, ModuleType, Any], Any]) -> Program:
    """A queue over one unmanaged environment, given as ``entry(stack, batch, ce)`` makes it."""

    def program(s: cdk.Stack, batch: ModuleType) -> None:
        env = batch.ComputeEnvironment(s, "CE", managed=False)
        batch.JobQueue(s, "Q", compute_environments=[entry(s, batch, env)])

    return program


def subnet(subnet_id: Callable[[cdk.Stack], str]) -> Callable[[cdk.Stack, ModuleType], Any]:
    def selection(s: cdk.Stack, batch: ModuleType) -> ec2.SubnetSelection:
        return ec2.SubnetSelection(subnets=[ec2.Subnet.from_subnet_id(s, "S", subnet_id(s))])

    return selection


def number_token(s: cdk.Stack) -> float:
    return cdk.CfnParameter(s, "N", type="Number").value_as_number


def string_token(s: cdk.Stack) -> str:
    return cdk.CfnParameter(s, "T").value_as_string


def with_linux_parameters(s: cdk.Stack, batch: ModuleType) -> ecs.LinuxParameters:
    lp = ecs.LinuxParameters(s, "LP")
    lp.add_devices(ecs.Device(host_path="/dev/fuse", container_path="/dev/fuse"))
    return lp


def ssm_secret(s: cdk.Stack, batch: ModuleType) -> dict[str, ecs.Secret]:
    param = ssm.StringParameter.from_string_parameter_name(s, "P", "existing")
    return {"TOKEN": ecs.Secret.from_ssm_parameter(param)}


def machine_image(s: cdk.Stack, batch: ModuleType) -> ec2.IMachineImage:
    @jsii.implements(ec2.IMachineImage)
    class FixedImage:
        def get_image(self, scope: Any) -> ec2.MachineImageConfig:
            return ec2.MachineImageConfig(
                image_id="ami-0123456789abcdef0",
                os_type=ec2.OperatingSystemType.LINUX,
                user_data=ec2.UserData.for_linux(),
            )

    return FixedImage()


def role_implementation(s: cdk.Stack, batch: ModuleType) -> iam.IRole:
    # An IRole from outside the app, as a library that wraps roles hands it over.
    return iam.Role.from_role_arn(s, "R", ROLE_ARN, mutable=False)


def subclassed_environment(s: cdk.Stack, batch: ModuleType) -> None:
    class TeamEnvironment(batch.ComputeEnvironment):  # type: ignore[misc,name-defined]
        def __init__(self, scope: Any, id: str) -> None:
            super().__init__(
                scope,
                id,
                compute_resources=batch.ComputeResources(
                    vpc=ec2.Vpc(scope, "Vpc"), maxv_cpus=32, type=batch.ComputeResourceType.SPOT
                ),
            )

    env = TeamEnvironment(s, "CE")
    batch.JobQueue(
        s,
        "Q",
        compute_environments=[batch.JobQueueComputeEnvironment(compute_environment=env, order=1)],
    )


def subclassed_job_definition(s: cdk.Stack, batch: ModuleType) -> None:
    class Echo(batch.JobDefinition):  # type: ignore[misc,name-defined]
        def __init__(self, scope: Any, id: str, word: str) -> None:
            super().__init__(
                scope,
                id,
                container=batch.JobDefinitionContainer(
                    image=ecs.ContainerImage.from_registry("busybox"), command=["echo", word]
                ),
            )

    Echo(s, "JD", "hello")


def nodes(range_form: Callable[[Any, Any], Any]) -> Program:
    """A multi-node job whose one range is ``range_form(Range, container)``."""

    def program(s: cdk.Stack, batch: ModuleType) -> None:
        range_class, nodes_class = node_classes(batch)
        image = ecs.ContainerImage.from_registry("busybox")
        top = batch.JobDefinitionContainer(image=image, instance_type=ec2.InstanceType("c5.large"))
        batch.JobDefinition(
            s,
            "JD",
            container=top,
            node_props=nodes_class(2, 0, [range_form(range_class, top)]),
        )

    return program


def multi_queue_of_alpha_environments(s: cdk.Stack, batch: ModuleType) -> None:
    # A half-migrated app: the environment still comes from the alpha.
    env = alpha.ComputeEnvironment(s, "CE", managed=False)
    batch.JobQueue(s, "Q", compute_environments=[{"computeEnvironment": env, "order": 1}])


# --- forms the reference accepts: identical templates -------------------------------

SAME: dict[str, Program] = {
    # JobQueue.compute_environments
    "queue-entry-struct": queue(
        lambda s, b, e: b.JobQueueComputeEnvironment(compute_environment=e, order=1)
    ),
    "queue-entry-camel-dict": queue(lambda s, b, e: {"computeEnvironment": e, "order": 1}),
    "queue-entry-alpha-struct": queue(
        lambda s, b, e: alpha.JobQueueComputeEnvironment(compute_environment=e, order=1)
    ),
    "queue-order-token": queue(
        lambda s, b, e: b.JobQueueComputeEnvironment(compute_environment=e, order=number_token(s))
    ),
    "queue-imported-environment": queue(
        lambda s, b, e: {
            "computeEnvironment": b.ComputeEnvironment.from_compute_environment_arn(s, "I", CE_ARN),
            "order": 2,
        }
    ),
    "queue-alpha-environment": multi_queue_of_alpha_environments,
    "queue-subclassed-environment": subclassed_environment,
    # ComputeEnvironment and ComputeResources
    "resources-snake-dict": lambda s, b: b.ComputeEnvironment(
        s, "CE", compute_resources={"vpc": ec2.Vpc(s, "Vpc"), "maxv_cpus": 8}
    ),
    "resources-alpha-struct": lambda s, b: b.ComputeEnvironment(
        s,
        "CE",
        compute_resources=alpha.ComputeResources(
            vpc=ec2.Vpc(s, "Vpc"),
            type=alpha.ComputeResourceType.SPOT,
            launch_template=alpha.LaunchTemplateSpecification(launch_template_name="lt"),
        ),
    ),
    "service-role-imported": lambda s, b: b.ComputeEnvironment(
        s, "CE", managed=False, service_role=role_implementation(s, b)
    ),
    "launch-template-struct": ce(
        launch_template=lambda s, b: b.LaunchTemplateSpecification(
            launch_template_name="lt", version="$Latest"
        )
    ),
    "launch-template-snake-dict": ce(
        launch_template={"launch_template_id": "lt-0123456789abcdef0"}
    ),
    "launch-template-cfn-ref": ce(
        launch_template=lambda s, b: b.LaunchTemplateSpecification(
            launch_template_id=ec2.CfnLaunchTemplate(s, "LT", launch_template_data={}).ref
        )
    ),
    "launch-template-l2-name": ce(
        launch_template=lambda s, b: b.LaunchTemplateSpecification(
            launch_template_name=ec2.LaunchTemplate(
                s, "LT", launch_template_name="lt-name"
            ).node.default_child.launch_template_name,  # type: ignore[union-attr]
        )
    ),
    "subnets-by-type": ce(vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)),
    "subnets-snake-dict": ce(vpc_subnets={"subnet_type": ec2.SubnetType.PUBLIC}),
    "subnets-of-the-vpc": lambda s, b: ce(
        vpc=(vpc := ec2.Vpc(s, "Vpc")), vpc_subnets=ec2.SubnetSelection(subnets=vpc.public_subnets)
    )(s, b),
    "subnets-imported-by-id": ce(vpc_subnets=subnet(lambda s: "subnet-0123456789abcdef0")),
    "subnets-imported-with-zone": ce(
        vpc_subnets=lambda s, b: ec2.SubnetSelection(
            subnets=[
                ec2.Subnet.from_subnet_attributes(
                    s, "S", subnet_id="subnet-0123456789abcdef0", availability_zone="us-east-1a"
                )
            ]
        )
    ),
    "subnets-token-id": ce(vpc_subnets=subnet(string_token)),
    "subnets-imported-value": ce(vpc_subnets=subnet(lambda s: cdk.Fn.import_value("SubnetId"))),
    "vpc-from-attributes": ce(
        vpc=lambda s, b: ec2.Vpc.from_vpc_attributes(
            s,
            "V",
            vpc_id="vpc-0123456789abcdef0",
            availability_zones=["us-east-1a", "us-east-1b"],
            private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        )
    ),
    "vpc-from-attributes-imported-subnet": ce(
        vpc=lambda s, b: ec2.Vpc.from_vpc_attributes(
            s, "V", vpc_id="vpc-0123456789abcdef0", availability_zones=["us-east-1a"]
        ),
        vpc_subnets=subnet(lambda s: "subnet-0123456789abcdef2"),
    ),
    "security-group-imported": ce(
        security_groups=lambda s, b: [
            ec2.SecurityGroup.from_security_group_id(s, "SG", "sg-0123456789abcdef0")
        ]
    ),
    "security-group-token": ce(
        security_groups=lambda s, b: [
            ec2.SecurityGroup.from_security_group_id(s, "SG", string_token(s))
        ]
    ),
    "spot-fleet-role-imported": ce(
        type=lambda s, b: b.ComputeResourceType.SPOT,
        allocation_strategy=lambda s, b: b.AllocationStrategy.BEST_FIT,
        spot_fleet_role=lambda s, b: iam.Role.from_role_name(s, "R", "fleet"),
    ),
    "image-ecs-optimized": ce(image=lambda s, b: ecs.EcsOptimizedImage.amazon_linux2()),
    "image-latest-amazon-linux": ce(image=lambda s, b: ec2.MachineImage.latest_amazon_linux2023()),
    "image-generic": ce(
        image=lambda s, b: ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})
    ),
    "image-implementation": ce(image=machine_image),
    "instance-types-of": ce(
        instance_types=lambda s, b: [
            ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE),
            ec2.InstanceType("c5"),
        ]
    ),
    "instance-role-token": ce(
        instance_role=lambda s, b: iam.CfnInstanceProfile(s, "Profile", roles=["existing"]).attr_arn
    ),
    "numbers-int": ce(maxv_cpus=64, minv_cpus=2, desiredv_cpus=4),
    "numbers-token": ce(maxv_cpus=lambda s, b: number_token(s)),
    "bid-percentage-int": ce(type=lambda s, b: b.ComputeResourceType.SPOT, bid_percentage=60),
    "tags-token": ce(compute_resources_tags={"team": cdk.Fn.import_value("Team")}),
    # half-migrated programs: alpha enum members everywhere an enum goes
    **{
        f"alpha-type-{t.name}": ce(type=t)
        for t in (
            alpha.ComputeResourceType.ON_DEMAND,
            alpha.ComputeResourceType.SPOT,
            alpha.ComputeResourceType.FARGATE,
            alpha.ComputeResourceType.FARGATE_SPOT,
        )
    },
    **{
        f"alpha-strategy-{a.name}": ce(allocation_strategy=a)
        for a in (alpha.AllocationStrategy.BEST_FIT, alpha.AllocationStrategy.BEST_FIT_PROGRESSIVE)
    },
    "alpha-spot-strategy": ce(
        type=alpha.ComputeResourceType.SPOT,
        allocation_strategy=alpha.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED,
    ),
    # JobDefinition and JobDefinitionContainer
    "container-snake-dict": lambda s, b: b.JobDefinition(
        s, "JD", container={"image": ecs.ContainerImage.from_registry("busybox"), "vcpus": 2}
    ),
    "container-alpha-struct": lambda s, b: b.JobDefinition(
        s,
        "JD",
        container=alpha.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry("busybox"),
            log_configuration=alpha.LogConfiguration(log_driver=alpha.LogDriver.SYSLOG),
        ),
    ),
    "mount-points-struct": container(
        mount_points=[ecs.MountPoint(container_path="/s", read_only=True, source_volume="v")]
    ),
    "mount-points-camel-dict": container(
        mount_points=[{"containerPath": "/s", "readOnly": False, "sourceVolume": "v"}]
    ),
    "mount-points-camel-dict-in-dict-container": lambda s, b: b.JobDefinition(
        s,
        "JD",
        container={
            "image": ecs.ContainerImage.from_registry("busybox"),
            "mount_points": [{"containerPath": "/s", "readOnly": True, "sourceVolume": "v"}],
            "volumes": [{"name": "v", "host": {"sourcePath": "/scratch"}}],
        },
    ),
    "volumes-struct": container(volumes=[ecs.Volume(name="v", host=ecs.Host(source_path="/s"))]),
    "volumes-camel-dict": container(volumes=[{"name": "v", "host": {"sourcePath": "/s"}}]),
    "volumes-name-only": container(volumes=[{"name": "v"}]),
    "volumes-efs-camel-dict": container(
        volumes=[
            {
                "name": "efs",
                "efsVolumeConfiguration": {
                    "fileSystemId": "fs-0123456789abcdef0",
                    "rootDirectory": "/",
                    "transitEncryption": "ENABLED",
                    "transitEncryptionPort": 2049,
                    "authorizationConfig": {
                        "accessPointId": "fsap-0123456789abcdef0",
                        "iam": "ENABLED",
                    },
                },
            }
        ]
    ),
    "volumes-efs-struct": container(
        volumes=[
            ecs.Volume(
                name="efs",
                efs_volume_configuration=ecs.EfsVolumeConfiguration(
                    file_system_id="fs-0123456789abcdef0",
                    transit_encryption="ENABLED",
                    authorization_config=ecs.AuthorizationConfig(
                        access_point_id="fsap-0123456789abcdef0", iam="ENABLED"
                    ),
                ),
            )
        ]
    ),
    "volumes-efs-snake-dict-in-struct": container(
        volumes=lambda s, b: [
            ecs.Volume(
                name="efs",
                efs_volume_configuration={
                    "file_system_id": "fs-0123456789abcdef0",
                    "authorization_config": {"access_point_id": "fsap-0123456789abcdef0"},
                },
            )
        ]
    ),
    "ulimits-struct": container(
        ulimits=[ecs.Ulimit(name=ecs.UlimitName.NOFILE, hard_limit=4096, soft_limit=1024)]
    ),
    "ulimits-camel-dict": container(
        ulimits=[{"name": ecs.UlimitName.NOFILE, "hardLimit": 4096, "softLimit": 1024}]
    ),
    "log-configuration-struct": container(
        log_configuration=lambda s, b: b.LogConfiguration(
            log_driver=b.LogDriver.AWSLOGS, options={"awslogs-group": "g"}
        )
    ),
    "log-configuration-snake-dict": container(
        log_configuration=lambda s, b: {"log_driver": b.LogDriver.JSON_FILE}
    ),
    "log-configuration-alpha-driver": container(
        log_configuration=lambda s, b: b.LogConfiguration(log_driver=alpha.LogDriver.GELF)
    ),
    "log-secret-options-alpha-secret": container(
        log_configuration=lambda s, b: b.LogConfiguration(
            log_driver=b.LogDriver.SPLUNK,
            secret_options=[
                alpha.ExposedSecret(
                    "splunk-token", "arn:aws:ssm:us-east-1:123456789012:parameter/token"
                )
            ],
        )
    ),
    "linux-parameters-devices": container(linux_params=with_linux_parameters),
    "secrets-ssm": container(secrets=ssm_secret),
    "environment-token": container(environment={"TABLE": cdk.Fn.import_value("Table")}),
    "roles-imported": container(
        job_role=lambda s, b: iam.Role.from_role_arn(s, "J", ROLE_ARN),
        execution_role=lambda s, b: iam.Role.from_role_name(s, "E", "exec"),
    ),
    "image-ecr-imported": container(
        image=lambda s, b: ecs.ContainerImage.from_ecr_repository(
            ecr.Repository.from_repository_name(s, "Repo", "repo"), "v1"
        )
    ),
    "vcpus-token": container(vcpus=lambda s, b: number_token(s)),
    "numbers-int-container": container(vcpus=2, memory_limit_mib=1024, gpu_count=1),
    "platform-capabilities-alpha": container(
        platform_capabilities=[alpha.PlatformCapabilities.FARGATE],
        execution_role=lambda s, b: iam.Role.from_role_name(s, "E", "exec"),
        platform_version=ecs.FargatePlatformVersion.VERSION1_4,
        assign_public_ip=True,
    ),
    "platform-capabilities-by-value": container(
        platform_capabilities=lambda s, b: [b.PlatformCapabilities("EC2")]
    ),
    "job-definition-subclass": subclassed_job_definition,
}

# Forms that the reference accepts but renders differently, for documented
# reasons (docs/differences.md): the multi-node rendering, the instance type of
# single-node jobs, the Linux parameters beyond devices, and snake_case keys
# nested in dicts in lists.
SAME_EXCEPT: dict[str, tuple[Program, set[str]]] = {
    "node-range-implementation-container-camel-dict": (
        nodes(
            lambda r, top: r(
                {"image": ecs.ContainerImage.from_registry("busybox"), "memoryLimitMiB": 64}, 0, 1
            )
        ),
        {"ContainerProperties", "NodeProperties", "Type"},
    ),
    "node-range-implementation": (
        nodes(lambda r, top: r(top, 0, 1)),
        {"ContainerProperties", "NodeProperties", "Type"},
    ),
    "node-range-implementation-container-snake-dict": (
        nodes(
            lambda r, top: r(
                {"image": ecs.ContainerImage.from_registry("busybox"), "memory_limit_mib": 64},
                0,
                1,
            )
        ),
        {"ContainerProperties", "NodeProperties", "Type"},
    ),
    "volumes-snake-dict-host": (
        container(volumes=[{"name": "v", "host": {"source_path": "/scratch"}}]),
        {"Volumes"},
    ),
}


@pytest.mark.parametrize("program", SAME.values(), ids=list(SAME))
def test_form_gives_the_reference_template(program: Program) -> None:
    assert_same_template(program)


@pytest.mark.parametrize("program", SAME.values(), ids=list(SAME))
def test_form_template_passes_cfn_lint(program: Program) -> None:
    assert cfn_lint_errors(synth(cdk_batch, program)) == []


@pytest.mark.parametrize("name", list(SAME_EXCEPT))
def test_form_differs_only_where_documented(name: str) -> None:
    program, where = SAME_EXCEPT[name]
    diffs = differences(program)
    assert diffs, "expected the documented difference"
    assert all(_under(d.path, where) for d in diffs), diffs
    # The migration check explains every one of them.
    assert all(explain(d) is not None for d in diffs), [d for d in diffs if explain(d) is None]
    assert cfn_lint_errors(synth(cdk_batch, program)) == []


def _under(path: str, where: set[str]) -> bool:
    """Whether the template path ``path`` lies under one of the property names ``where``."""
    return any(part.split("[")[0] in where for part in path.split("."))


def test_snake_case_host_keys_are_rendered() -> None:
    # The reference read a dict nested in a list as JavaScript: it ignored the
    # snake_case source_path and rendered an empty Host. cdk_batch renders it.
    template = synth(
        cdk_batch, container(volumes=[{"name": "v", "host": {"source_path": "/scratch"}}])
    )
    (jd,) = (r for r in template["Resources"].values() if r["Type"] == "AWS::Batch::JobDefinition")
    assert jd["Properties"]["ContainerProperties"]["Volumes"] == [
        {"Host": {"SourcePath": "/scratch"}, "Name": "v"}
    ]
    reference_template = synth(
        reference, container(volumes=[{"name": "v", "host": {"source_path": "/scratch"}}])
    )
    (ref_jd,) = (
        r
        for r in reference_template["Resources"].values()
        if r["Type"] == "AWS::Batch::JobDefinition"
    )
    assert ref_jd["Properties"]["ContainerProperties"]["Volumes"] == [{"Host": {}, "Name": "v"}]


# --- lookups: the reference and cdk_batch read the same context ------------------------


def looked_up_vpc(s: cdk.Stack, batch: ModuleType) -> None:
    # Without credentials the lookups return the CDK's dummy ids (ami-1234,
    # p-12345), which aws-cdk-lib's template validation reports as bad formats.
    cdk.Validations.of(s).acknowledge(
        *(
            cdk.Acknowledgment(id=f"CloudFormation-Validate::{rule}", reason="lookup placeholders")
            for rule in ("E1152", "E1154")
        )
    )
    vpc = ec2.Vpc.from_lookup(s, "Vpc", vpc_id="vpc-0123456789abcdef0")
    sg = ec2.SecurityGroup.from_lookup_by_name(s, "SG", "batch", vpc)
    batch.ComputeEnvironment(
        s,
        "CE",
        compute_resources=batch.ComputeResources(
            vpc=vpc,
            security_groups=[sg],
            vpc_subnets=ec2.SubnetSelection(subnets=vpc.private_subnets),
            image=ec2.MachineImage.lookup(name="batch-ami-*"),
        ),
    )


def test_looked_up_vpc_subnets_and_image() -> None:
    assert_same_template(looked_up_vpc, env=ACCOUNT_ENV)


# --- forms beyond the reference: the canonical form's template ---------------------------

BEYOND: dict[str, tuple[Program, Program]] = {
    "queue-entry-snake-dict": (
        queue(lambda s, b, e: {"compute_environment": e, "order": 1}),
        queue(lambda s, b, e: {"computeEnvironment": e, "order": 1}),
    ),
    "queue-entries-tuple": (
        lambda s, b: b.JobQueue(
            s,
            "Q",
            compute_environments=(
                {"computeEnvironment": b.ComputeEnvironment(s, "CE", managed=False), "order": 1},
            ),
        ),
        queue(lambda s, b, e: {"computeEnvironment": e, "order": 1}),
    ),
    "resources-camel-dict": (
        lambda s, b: b.ComputeEnvironment(
            s, "CE", compute_resources={"vpc": ec2.Vpc(s, "Vpc"), "maxvCpus": 8, "minvCpus": 1}
        ),
        ce(maxv_cpus=8, minv_cpus=1),
    ),
    "launch-template-camel-dict": (
        ce(launch_template={"launchTemplateName": "lt", "version": "2"}),
        ce(launch_template={"launch_template_name": "lt", "version": "2"}),
    ),
    "subnets-camel-dict": (
        ce(vpc_subnets={"subnetType": ec2.SubnetType.PUBLIC}),
        ce(vpc_subnets={"subnet_type": ec2.SubnetType.PUBLIC}),
    ),
    "instance-types-tuple": (
        ce(instance_types=(ec2.InstanceType("m5.large"),)),
        ce(instance_types=[ec2.InstanceType("m5.large")]),
    ),
    "container-camel-dict": (
        lambda s, b: b.JobDefinition(
            s,
            "JD",
            container={"image": ecs.ContainerImage.from_registry("busybox"), "memoryLimitMiB": 64},
        ),
        container(memory_limit_mib=64),
    ),
    "log-configuration-camel-dict": (
        container(log_configuration=lambda s, b: {"logDriver": b.LogDriver.SYSLOG}),
        container(log_configuration=lambda s, b: {"log_driver": b.LogDriver.SYSLOG}),
    ),
    "mount-points-snake-dict": (
        container(mount_points=[{"container_path": "/s", "read_only": True, "source_volume": "v"}]),
        container(mount_points=[{"containerPath": "/s", "readOnly": True, "sourceVolume": "v"}]),
    ),
    "ulimits-snake-dict": (
        container(ulimits=[{"name": ecs.UlimitName.CORE, "hard_limit": 0, "soft_limit": 0}]),
        container(ulimits=[{"name": ecs.UlimitName.CORE, "hardLimit": 0, "softLimit": 0}]),
    ),
    "command-tuple": (container(command=("echo", "hi")), container(command=["echo", "hi"])),
    "platform-capabilities-tuple": (
        container(platform_capabilities=lambda s, b: (b.PlatformCapabilities.EC2,)),
        container(platform_capabilities=lambda s, b: [b.PlatformCapabilities.EC2]),
    ),
}


@pytest.mark.parametrize("name", list(BEYOND))
def test_form_beyond_the_reference_gives_the_canonical_template(name: str) -> None:
    form, canonical = BEYOND[name]
    with pytest.raises(Exception):  # noqa: B017 - jsii raises TypeError or RuntimeError
        synth(reference, form)
    ours = synth(cdk_batch, form)
    expected = synth(reference, canonical)
    assert compare_templates(expected, ours) == []
    assert cfn_lint_errors(ours) == []


# The multi-node forms beyond the reference: dicts given for node props and ranges.
def test_node_props_as_dicts_in_either_spelling() -> None:
    def canonical(s: cdk.Stack, batch: ModuleType) -> None:
        range_class, nodes_class = node_classes(batch)
        top = batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry("busybox"),
            instance_type=ec2.InstanceType("c5.large"),
        )
        batch.JobDefinition(
            s, "JD", container=top, node_props=nodes_class(2, 0, [range_class(top, 0, 1)])
        )

    def as_dicts(camel: bool) -> Program:
        def program(s: cdk.Stack, batch: ModuleType) -> None:
            top = batch.JobDefinitionContainer(
                image=ecs.ContainerImage.from_registry("busybox"),
                instance_type=ec2.InstanceType("c5.large"),
            )
            if camel:
                np = {
                    "count": 2,
                    "mainNode": 0,
                    "rangeProps": [{"container": top, "fromNodeIndex": 0, "toNodeIndex": 1}],
                }
            else:
                np = {
                    "count": 2,
                    "main_node": 0,
                    "range_props": [{"container": top, "from_node_index": 0, "to_node_index": 1}],
                }
            batch.JobDefinition(s, "JD", container=top, node_props=np)

        return program

    # The reference renders multi-node jobs differently (docs/differences.md):
    # the dict forms differ from its template only where that difference lies.
    expected = synth(reference, canonical)
    for camel in (True, False):
        with pytest.raises(Exception):  # noqa: B017
            synth(reference, as_dicts(camel))
        diffs = compare_templates(expected, synth(cdk_batch, as_dicts(camel)))
        assert diffs
        assert all(_under(d.path, {"ContainerProperties", "NodeProperties", "Type"}) for d in diffs)
