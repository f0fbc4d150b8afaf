"""Every rule: a program that breaks it, and the nearest program that does not.

Each case names a rule and two builders. The bad builder must raise a
BatchValidationError holding a problem of that rule (errors) or leave a
warning with that rule id (warnings); the good builder must do neither. A
meta-test checks that every registered rule has a case, a source and its row
in docs/validation.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

import cdk_batch as batch
from cdk_batch._core.registry import RULES
from cdk_batch.errors import BatchValidationError
from cdk_batch.rules import catalogue

from . import (
    rule_cases_ce_defaults,
    rule_cases_ce_roles,
    rule_cases_flags,
    rule_cases_queues,
    rules_cases_jobdefs,
)
from .helpers import new_stack
from .rule_cases_eks import EKS_CASES, EKS_SAYS, EKS_TOKEN_CASES
from .rule_cases_jobdefs_flags import CASES as JD_FLAG_CASES
from .rule_cases_jobdefs_flags import SAYS as JD_FLAG_SAYS

Builder = Callable[[cdk.Stack], Any]

T = batch.ComputeResourceType
CAPS_FARGATE = [batch.PlatformCapabilities.FARGATE]


@dataclass
class Case:
    rule_id: str
    bad: Builder
    good: Builder


# --- builders -----------------------------------------------------------------


def vpc(s: cdk.Stack) -> ec2.IVpc:
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


def ce(**resources: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        extra = {k: v(s) if callable(v) and k in _LAZY else v for k, v in resources.items()}
        return batch.ComputeEnvironment(
            s, "CE", compute_resources=batch.ComputeResources(vpc=vpc(s), **extra)
        )

    return build


_LAZY = {"security_groups", "spot_fleet_role"}


def security_groups(n: int) -> Callable[[cdk.Stack], list[ec2.ISecurityGroup]]:
    return lambda s: [
        ec2.SecurityGroup.from_security_group_id(s, f"Sg{i}", f"sg-0123456789abcdef{i}")
        for i in range(n)
    ]


def ce_props(**props: Any) -> Builder:
    return lambda s: batch.ComputeEnvironment(s, "CE", **props)


def ce_with_resources(**props: Any) -> Builder:
    return lambda s: batch.ComputeEnvironment(
        s, "CE", compute_resources=batch.ComputeResources(vpc=vpc(s)), **props
    )


def queue(orders: list[float], *, same_ce: bool = False, **props: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        first = batch.ComputeEnvironment(s, "CE0", managed=False)
        entries = []
        for i, order in enumerate(orders):
            env = (
                first
                if (same_ce or i == 0)
                else batch.ComputeEnvironment(s, f"CE{i}", managed=False)
            )
            entries.append(batch.JobQueueComputeEnvironment(compute_environment=env, order=order))
        return batch.JobQueue(s, "Q", compute_environments=entries, **props)

    return build


def mixed_queue(kinds: list[Any]) -> Builder:
    def build(s: cdk.Stack) -> Any:
        entries = [
            batch.JobQueueComputeEnvironment(
                compute_environment=batch.ComputeEnvironment(
                    s, f"CE{i}", compute_resources=batch.ComputeResources(vpc=vpc(s), type=kind)
                ),
                order=i,
            )
            for i, kind in enumerate(kinds)
        ]
        return batch.JobQueue(s, "Q", compute_environments=entries)

    return build


IMAGE = ecs.ContainerImage.from_registry("x")


def jd(container: dict[str, Any] | None = None, **props: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        fields = {k: v(s) if callable(v) else v for k, v in (container or {}).items()}
        return batch.JobDefinition(
            s, "JD", container=batch.JobDefinitionContainer(image=IMAGE, **fields), **props
        )

    return build


def exec_role(s: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(s, "Exec", "arn:aws:iam::123456789012:role/exec")


def fargate_jd(container: dict[str, Any] | None = None, **props: Any) -> Builder:
    return jd(
        {"execution_role": exec_role, **(container or {})},
        platform_capabilities=CAPS_FARGATE,
        **props,
    )


def linux(**kwargs: Any) -> Callable[[cdk.Stack], ecs.LinuxParameters]:
    def build(s: cdk.Stack) -> ecs.LinuxParameters:
        caps = kwargs.pop("capabilities", None)
        lp = ecs.LinuxParameters(s, "LP", **kwargs)
        if caps:
            lp.add_capabilities(*caps)
        return lp

    return build


def nodes(count: int, main: int, ranges: list[tuple[int | None, int | None, str]]) -> Any:
    return batch.MultiNodeProps(
        count=count,
        main_node=main,
        range_props=[
            batch.NodeRangeProps(
                container=batch.JobDefinitionContainer(
                    image=IMAGE, instance_type=ec2.InstanceType(kind)
                ),
                from_node_index=start,
                to_node_index=end,
            )
            for start, end, kind in ranges
        ],
    )


def multinode(node_props: Any, **props: Any) -> Builder:
    return lambda s: batch.JobDefinition(
        s, "JD", container=batch.JobDefinitionContainer(image=IMAGE), node_props=node_props, **props
    )


def imported(factory: str, arn: str) -> Builder:
    def build(s: cdk.Stack) -> Any:
        owner = {
            "from_compute_environment_arn": batch.ComputeEnvironment,
            "from_job_queue_arn": batch.JobQueue,
            "from_job_definition_arn": batch.JobDefinition,
        }[factory]
        return getattr(owner, factory)(s, "Imported", arn)

    return build


ARN = "arn:aws:batch:us-east-1:123456789012"
M5 = ec2.InstanceType("m5.large")


# compute environment images, updates and launch templates (0.2.0)
IMG = batch.EcsMachineImageType
AMI = ec2.MachineImage.generic_linux({"us-east-1": "ami-0123456789abcdef0"})
SLR_ARN = (
    "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
)
BFP = batch.AllocationStrategy.BEST_FIT_PROGRESSIVE


def image(kind: Any = None, ami: Any = None) -> Any:
    return batch.EcsMachineImage(image=ami, image_type=kind)


def ce_full(resources: dict[str, Any] | None = None, **props: Any) -> Builder:
    """A compute environment with compute resources and top-level props; callables get the stack."""

    def build(s: cdk.Stack) -> Any:
        fields = {k: v(s) if callable(v) else v for k, v in (resources or {}).items()}
        top = {k: v(s) if callable(v) else v for k, v in props.items()}
        return batch.ComputeEnvironment(
            s, "CE", compute_resources=batch.ComputeResources(vpc=vpc(s), **fields), **top
        )

    return build


def slr(s: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(s, "Slr", SLR_ARN)


def template(user_data: Callable[[], Any] | None = None, **spec: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        lt = ec2.LaunchTemplate(s, "LT", user_data=user_data() if user_data else None)
        return batch.LaunchTemplateSpecification.from_launch_template(lt, **spec)

    return build


def imported_template(**spec: Any) -> Builder:
    def build(s: cdk.Stack) -> Any:
        lt = ec2.LaunchTemplate.from_launch_template_attributes(
            s, "LT", launch_template_id="lt-0123456789abcdef0"
        )
        return batch.LaunchTemplateSpecification.from_launch_template(lt, **spec)

    return build


IN_PLACE = {"replace_compute_environment": False, "service_role": slr}

# --- the cases ------------------------------------------------------------------

CASES = [
    # compute environments
    Case(
        "ce-name-format",
        ce_with_resources(compute_environment_name="bad name!"),
        ce_with_resources(compute_environment_name="good-name_1"),
    ),
    Case("ce-managed-compute-resources-required", ce_props(), ce_props(managed=False)),
    Case(
        "ce-unmanaged-compute-resources-absent",
        ce_with_resources(managed=False),
        ce_props(managed=False),
    ),
    Case("ce-minv-cpus-nonnegative", ce(minv_cpus=-1), ce(minv_cpus=0)),
    Case("ce-maxv-cpus-nonnegative", ce(maxv_cpus=-1), ce(maxv_cpus=1)),
    Case("ce-maxv-cpus-zero", ce(maxv_cpus=0), ce(maxv_cpus=1)),
    Case("ce-vcpus-order", ce(minv_cpus=8, maxv_cpus=4), ce(minv_cpus=4, maxv_cpus=4)),
    Case("ce-desiredv-cpus-range", ce(desiredv_cpus=257), ce(desiredv_cpus=256)),
    Case(
        "ce-allocation-strategy-spot-only",
        ce(allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED),
        ce(type=T.SPOT, allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED),
    ),
    Case("ce-bid-percentage-spot-only", ce(bid_percentage=50), ce(type=T.SPOT, bid_percentage=50)),
    Case(
        "ce-bid-percentage-range",
        ce(type=T.SPOT, bid_percentage=101),
        ce(type=T.SPOT, bid_percentage=100),
    ),
    Case(
        "ce-spot-fleet-role-service-linked",
        ce(type=T.SPOT),
        ce(type=T.SPOT, allocation_strategy=batch.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED),
    ),
    Case(
        "ce-launch-template-id-or-name",
        ce(launch_template=batch.LaunchTemplateSpecification()),
        ce(launch_template=batch.LaunchTemplateSpecification(launch_template_name="lt")),
    ),
    Case(
        "ce-security-groups-network-interfaces",
        ce(
            security_groups=security_groups(0),
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_name="lt", use_network_interface_security_groups=True
            ),
        ),
        ce(
            launch_template=batch.LaunchTemplateSpecification(
                launch_template_name="lt", use_network_interface_security_groups=True
            )
        ),
    ),
    Case(
        "ce-security-groups-count",
        ce(security_groups=security_groups(6)),
        ce(security_groups=security_groups(5)),
    ),
    Case("ce-fargate-ec2-only-fields", ce(type=T.FARGATE, minv_cpus=0), ce(type=T.FARGATE)),
    Case(
        "ce-fargate-tags", ce(type=T.FARGATE, compute_resources_tags={"a": "b"}), ce(type=T.FARGATE)
    ),
    Case(
        "ce-tags-limits",
        ce(compute_resources_tags={"aws:team": "x"}),
        ce(compute_resources_tags={"team": "x"}),
    ),
    Case(
        "ce-instance-types-architecture",
        ce(instance_types=[M5, ec2.InstanceType("m6g.large")]),
        ce(instance_types=[M5, ec2.InstanceType("c5.large")]),
    ),
    Case(
        "ce-import-arn-format",
        imported("from_compute_environment_arn", f"{ARN}:compute-environment"),
        imported("from_compute_environment_arn", f"{ARN}:compute-environment/x"),
    ),
    # job queues
    Case(
        "jq-name-format", queue([1], job_queue_name="q" * 129), queue([1], job_queue_name="q" * 128)
    ),
    Case("jq-compute-environments-required", queue([]), queue([1])),
    Case("jq-compute-environments-count", queue([1, 2, 3, 4]), queue([1, 2, 3])),
    Case("jq-priority-range", queue([1], priority=1001), queue([1], priority=1000)),
    Case("jq-order-unique", queue([1, 1]), queue([1, 2])),
    Case("jq-compute-environment-duplicate", queue([1, 2], same_ce=True), queue([1, 2])),
    Case(
        "jq-fargate-ec2-mix",
        mixed_queue([T.FARGATE, T.ON_DEMAND]),
        mixed_queue([T.FARGATE, T.FARGATE_SPOT]),
    ),
    Case(
        "jq-import-arn-format",
        imported("from_job_queue_arn", f"{ARN}:job-queue"),
        imported("from_job_queue_arn", f"{ARN}:job-queue/q"),
    ),
    # job definitions
    Case("jd-name-format", jd(job_definition_name="my job"), jd(job_definition_name="my_job")),
    Case("jd-retry-attempts-range", jd(retry_attempts=11), jd(retry_attempts=10)),
    Case(
        "jd-timeout-minimum",
        jd(timeout=cdk.Duration.seconds(59)),
        jd(timeout=cdk.Duration.seconds(60)),
    ),
    Case(
        "jd-log-driver-supported",
        jd({"log_configuration": batch.LogConfiguration(log_driver=batch.LogDriver.LOGENTRIES)}),
        jd({"log_configuration": batch.LogConfiguration(log_driver=batch.LogDriver.SYSLOG)}),
    ),
    Case(
        "jd-environment-reserved-names",
        jd({"environment": {"AWS_BATCH_X": "1"}}),
        jd({"environment": {"MY_AWS_BATCH_X": "1"}}),
    ),
    Case(
        "jd-linux-parameters-capabilities",
        jd({"linux_params": linux(capabilities=[ecs.Capability.SYS_ADMIN])}),
        jd({"linux_params": linux()}),
    ),
    Case("jd-instance-type-multinode-only", jd({"instance_type": M5}), jd()),
    Case("jd-ec2-resources-minimum", jd({"memory_limit_mib": 3}), jd({"memory_limit_mib": 4})),
    Case("jd-ec2-vcpus-whole", jd({"vcpus": 1.5}), jd({"vcpus": 2})),
    Case(
        "jd-assign-public-ip-fargate-only",
        jd({"assign_public_ip": False}),
        fargate_jd({"assign_public_ip": False}),
    ),
    Case(
        "jd-platform-version-fargate-only",
        jd({"platform_version": ecs.FargatePlatformVersion.LATEST}),
        fargate_jd({"platform_version": ecs.FargatePlatformVersion.LATEST}),
    ),
    Case(
        "jd-fargate-execution-role-required", jd(platform_capabilities=CAPS_FARGATE), fargate_jd()
    ),
    Case("jd-fargate-gpu-absent", fargate_jd({"gpu_count": 1}), fargate_jd()),
    Case(
        "jd-fargate-resources-combination",
        fargate_jd({"vcpus": 1, "memory_limit_mib": 1024}),
        fargate_jd({"vcpus": 1, "memory_limit_mib": 2048}),
    ),
    Case(
        "jd-fargate-privileged-absent",
        fargate_jd({"privileged": True}),
        fargate_jd({"privileged": False}),
    ),
    Case(
        "jd-fargate-ulimits-absent",
        fargate_jd(
            {"ulimits": [ecs.Ulimit(name=ecs.UlimitName.NOFILE, soft_limit=1, hard_limit=1)]}
        ),
        fargate_jd({"ulimits": []}),
    ),
    Case(
        "jd-fargate-linux-parameters",
        fargate_jd({"linux_params": linux(shared_memory_size=64)}),
        fargate_jd({"linux_params": linux(init_process_enabled=True)}),
    ),
    Case(
        "jd-fargate-log-driver",
        fargate_jd(
            {"log_configuration": batch.LogConfiguration(log_driver=batch.LogDriver.SYSLOG)}
        ),
        fargate_jd(
            {"log_configuration": batch.LogConfiguration(log_driver=batch.LogDriver.AWSLOGS)}
        ),
    ),
    Case(
        "jd-fargate-platform-version",
        fargate_jd({"platform_version": ecs.FargatePlatformVersion.VERSION1_2}),
        fargate_jd({"platform_version": ecs.FargatePlatformVersion.VERSION1_3}),
    ),
    Case(
        "jd-multinode-not-fargate",
        lambda s: multinode(
            nodes(2, 0, [(None, None, "c5.large")]), platform_capabilities=CAPS_FARGATE
        )(s),
        multinode(nodes(2, 0, [(None, None, "c5.large")])),
    ),
    Case(
        "jd-multinode-main-node",
        multinode(nodes(3, 3, [(None, None, "c5.large")])),
        multinode(nodes(3, 2, [(None, None, "c5.large")])),
    ),
    Case(
        "jd-multinode-ranges",
        multinode(nodes(3, 0, [(0, 0, "c5.large"), (2, None, "c5.large")])),
        multinode(nodes(3, 0, [(0, 0, "c5.large"), (1, None, "c5.large")])),
    ),
    Case(
        "jd-multinode-ranges-overlap",
        multinode(nodes(4, 0, [(0, 2, "c5.large"), (1, 3, "c5.large")])),
        multinode(nodes(4, 0, [(0, 3, "c5.large"), (1, 2, "c5.large")])),
    ),
    Case(
        "jd-multinode-range-count",
        multinode(nodes(6, 0, [(i, i, "c5.large") for i in range(6)])),
        multinode(nodes(6, 0, [(i, i, "c5.large") for i in range(4)] + [(4, 5, "c5.large")])),
    ),
    Case(
        "jd-multinode-instance-type",
        multinode(nodes(2, 0, [(0, 0, "c5.large"), (1, 1, "c5.xlarge")])),
        multinode(nodes(2, 0, [(0, 0, "c5.large"), (1, 1, "c5.large")])),
    ),
    Case(
        "jd-import-arn-format",
        imported("from_job_definition_arn", f"{ARN}:job-definition"),
        imported("from_job_definition_arn", f"{ARN}:job-definition/jd:1"),
    ),
    # job queues and scheduling (0.2.0)
    *(Case(*c) for c in rule_cases_queues.CASES),
    # compute environment images, updates and launch templates (0.2.0)
    Case(
        "ce-images-count",
        ce(images=[image(IMG.ECS_AL2023)] * 3),
        ce(images=[image(IMG.ECS_AL2023), image(IMG.ECS_AL2023_NVIDIA)]),
    ),
    Case(
        "ce-image-type-ecs",
        ce(images=[image("EKS_AL2023")]),
        ce(images=[image(IMG.ECS_AL2023)]),
    ),
    Case(
        "ce-image-al2-deprecated",
        ce(images=[image(IMG.ECS_AL2)]),
        ce(images=[image(IMG.ECS_AL2023)]),
    ),
    Case(
        "ce-gpu-instance-nvidia-image",
        ce(instance_types=[ec2.InstanceType("g5.xlarge")], images=[image(IMG.ECS_AL2023)]),
        ce(
            instance_types=[ec2.InstanceType("g5.xlarge")],
            images=[image(IMG.ECS_AL2023_NVIDIA)],
        ),
    ),
    Case(
        "ce-images-override-image",
        ce(image=AMI, images=[image(IMG.ECS_AL2023, AMI)]),
        ce(images=[image(IMG.ECS_AL2023, AMI)]),
    ),
    Case(
        "ce-default-instance-classes-architecture",
        ce(default_instance_classes=[batch.DefaultInstanceClass.ARM64], instance_types=[M5]),
        ce(
            default_instance_classes=[batch.DefaultInstanceClass.ARM64],
            instance_types=[ec2.InstanceType("m6g.large")],
        ),
    ),
    Case(
        "ce-update-timeout-range",
        ce_with_resources(update_timeout=cdk.Duration.minutes(361)),
        ce_with_resources(update_timeout=cdk.Duration.minutes(360)),
    ),
    Case(
        "ce-update-timeout-terminate",
        ce_with_resources(update_timeout=cdk.Duration.minutes(30), terminate_on_update=True),
        ce_with_resources(update_timeout=cdk.Duration.minutes(30), terminate_on_update=False),
    ),
    Case(
        "ce-update-policy-unmanaged",
        ce_props(managed=False, terminate_on_update=False),
        ce_props(managed=False),
    ),
    Case(
        "ce-update-policy-fargate",
        ce_full({"type": T.FARGATE}, terminate_on_update=False),
        ce_full({"type": T.FARGATE}),
    ),
    Case(
        "ce-update-latest-image-ignored",
        ce(update_to_latest_image_version=True, image=AMI),
        ce(update_to_latest_image_version=True),
    ),
    Case(
        "ce-infrastructure-update-unsupported",
        ce_full(replace_compute_environment=False),
        ce_full({"allocation_strategy": BFP}, **IN_PLACE),
    ),
    Case(
        "ce-named-replacement",
        ce_full(compute_environment_name="named"),
        ce_full({"allocation_strategy": BFP}, compute_environment_name="named", **IN_PLACE),
    ),
    Case(
        "ce-tags-force-replacement",
        ce_full(compute_environment_name="named"),
        ce_full(compute_environment_name="named", inherited_tags=batch.InheritedTags.INSTANCES),
    ),
    Case(
        "ce-inherited-tags-instances",
        ce_full({"type": T.FARGATE}, inherited_tags=batch.InheritedTags.INSTANCES),
        ce_full({"type": T.FARGATE}, inherited_tags=batch.InheritedTags.IGNORE),
    ),
    Case(
        "ce-unmanagedv-cpus-unmanaged-only",
        ce_with_resources(unmanagedv_cpus=4),
        ce_props(managed=False, unmanagedv_cpus=4),
    ),
    Case(
        "ce-unmanagedv-cpus-range",
        ce_props(managed=False, unmanagedv_cpus=-1),
        ce_props(managed=False, unmanagedv_cpus=0),
    ),
    Case(
        "ce-launch-template-version-number",
        ce_full({"launch_template": imported_template()}),
        ce_full({"launch_template": imported_template(version=batch.LaunchTemplateVersion.LATEST)}),
    ),
    Case(
        "ce-launch-template-pinned-replacement",
        ce_full({"launch_template": template()}),
        ce_full({"launch_template": template(), "allocation_strategy": BFP}, **IN_PLACE),
    ),
    Case(
        "ce-launch-template-user-data-mime",
        ce_full({"launch_template": template(ec2.UserData.for_linux)}),
        ce_full({"launch_template": template(ec2.MultipartUserData)}),
    ),
    # AWS Batch on Amazon EKS (tests/rule_cases_eks.py)
    *[Case(*c) for c in EKS_CASES],
    # --- values of the wrong type (every construct) ---
    Case("any-property-type", ce(type="SPOT"), ce(type=batch.ComputeResourceType.SPOT)),
    # job definitions, 0.2.0 keywords (tests/rules_cases_jobdefs.py)
    *[Case(*c) for c in rules_cases_jobdefs.CASES],
    # upper bounds (rules/limits.py)
    Case("ce-vcpus-maximum", ce(maxv_cpus=10**12), ce(maxv_cpus=2**31 - 1)),
    Case(
        "jd-resources-maximum",
        jd({"memory_limit_mib": 10**12}),
        jd({"memory_limit_mib": 2**31 - 1}),
    ),
    Case("jd-ec2-vcpus-cpu-shares", jd({"vcpus": 100000}), jd({"vcpus": 256})),
    # corrected-defaults flags in the context (tests/rule_cases_flags.py)
    *[Case(*c) for c in rule_cases_flags.CASES],
    *[Case(*c) for c in rule_cases_ce_roles.CASES],
    *[Case(*c) for c in JD_FLAG_CASES],
    *[Case(*c) for c in rule_cases_ce_defaults.CASES],
]


# What each rule must say about the bad program: the property path and the
# words that tell the user what is allowed.
SAYS = {
    "ce-name-format": "compute_environment_name may only hold letters, digits, hyphens",
    "ce-managed-compute-resources-required": "compute_resources is required when managed",
    "ce-unmanaged-compute-resources-absent": "compute_resources must not be set when managed is false",
    "ce-minv-cpus-nonnegative": "compute_resources.minv_cpus must be at least 0, got -1",
    "ce-maxv-cpus-nonnegative": "compute_resources.maxv_cpus must be at least 0, got -1",
    "ce-maxv-cpus-zero": "compute_resources.maxv_cpus of 0 is rendered as the default 256",
    "ce-vcpus-order": "compute_resources.minv_cpus must not exceed maxv_cpus (4), got 8",
    "ce-desiredv-cpus-range": "compute_resources.desiredv_cpus must be between 0 and 256, got 257",
    "ce-allocation-strategy-spot-only": "SPOT_CAPACITY_OPTIMIZED is only allowed with type SPOT",
    "ce-bid-percentage-spot-only": "compute_resources.bid_percentage is only allowed with type SPOT",
    "ce-bid-percentage-range": "compute_resources.bid_percentage must be between 0 and 100, got 101",
    "ce-spot-fleet-role-service-linked": (
        "or set allocation_strategy=AllocationStrategy.SPOT_CAPACITY_OPTIMIZED explicitly"
    ),
    "ce-launch-template-id-or-name": "must set exactly one of launch_template_id and launch_template_name",
    "ce-security-groups-network-interfaces": "compute_resources.security_groups must not be set when",
    "ce-security-groups-count": "compute_resources.security_groups must hold at most 5 entries, got 6",
    "ce-fargate-ec2-only-fields": "compute_resources.minv_cpus must not be set for type FARGATE",
    "ce-fargate-tags": "compute_resources.compute_resources_tags is documented as not applicable",
    "ce-tags-limits": "keys must not start with 'aws:', got 'aws:team'",
    "ce-instance-types-architecture": "mix CPU architectures (arm_64, x86_64)",
    "ce-import-arn-format": "compute_environment_arn must look like",
    "jq-name-format": "job_queue_name must be 1 to 128 characters long, got 129",
    "jq-compute-environments-required": "compute_environments must hold at least 1 entry, got 0",
    "jq-compute-environments-count": "should hold at most 3 entries (the AWS Batch quota), got 4",
    "jq-priority-range": "priority must be between 0 and 1000, got 1001",
    "jq-order-unique": "must give each entry its own order, got order 1 2 times",
    "jq-compute-environment-duplicate": "compute_environments[1].compute_environment lists",
    "jq-fargate-ec2-mix": "must not mix Fargate environments (at index 0) with EC2",
    "jq-import-arn-format": "job_queue_arn must look like",
    "jd-name-format": "job_definition_name may only hold letters, digits, hyphens",
    "jd-retry-attempts-range": "retry_attempts must be between 1 and 10, got 11",
    "jd-timeout-minimum": "timeout must be at least 60 seconds, got 59 seconds",
    "jd-log-driver-supported": "AWS Batch does not support LOGENTRIES",
    "jd-environment-reserved-names": "must not name variables starting with AWS_BATCH",
    "jd-linux-parameters-capabilities": "kernel capabilities, which AWS Batch does not support",
    "jd-instance-type-multinode-only": "container.instance_type only applies to the node ranges",
    "jd-ec2-resources-minimum": "container.memory_limit_mib must be at least 4, got 3",
    "jd-ec2-vcpus-whole": "container.vcpus must be a whole number, got 1.5",
    "jd-assign-public-ip-fargate-only": "container.assign_public_ip must not be set when the job",
    "jd-platform-version-fargate-only": "container.platform_version must not be set for an EC2",
    "jd-fargate-execution-role-required": "container.execution_role is required when",
    "jd-fargate-gpu-absent": "container.gpu_count must not be set when platform_capabilities",
    "jd-fargate-resources-combination": (
        "container.memory_limit_mib must be 2048 to 8192 in steps of 1024 with 1 vCPU"
    ),
    "jd-fargate-privileged-absent": "container.privileged must not be true on Fargate",
    "jd-fargate-ulimits-absent": "container.ulimits must be empty on Fargate, got 1",
    "jd-fargate-linux-parameters": "container.linux_params.shared_memory_size must not be set",
    "jd-fargate-log-driver": "must be AWSLOGS or SPLUNK on Fargate, got SYSLOG",
    "jd-fargate-platform-version": "must be LATEST, VERSION1_3 or VERSION1_4, got VERSION1_2",
    "jd-multinode-not-fargate": "node_props must not be set when platform_capabilities includes",
    "jd-multinode-main-node": "node_props.main_node must be between 0 and 2, got 3",
    "jd-multinode-ranges": "node_props.range_props must cover every node, missing 1",
    "jd-multinode-ranges-overlap": "ranges 0 (0:2) and 1 (1:3) overlap without one containing the other",
    "jd-multinode-range-count": "node_props.range_props should hold at most 5 ranges, got 6",
    "jd-multinode-instance-type": "must use one instance type in every range, got c5.large, c5.xlarge",
    "jd-import-arn-format": "job_definition_arn must look like",
    # job queues and scheduling (0.2.0)
    **rule_cases_queues.SAYS,
    # corrected-defaults flags in the context
    **rule_cases_flags.SAYS,
    **rule_cases_ce_roles.SAYS,
    **JD_FLAG_SAYS,
    **rule_cases_ce_defaults.SAYS,
    # compute environment images, updates and launch templates (0.2.0)
    "ce-images-count": "compute_resources.images must hold 1 or 2 entries, got 3",
    "ce-image-type-ecs": "compute_resources.images[0].image_type must be one of ECS_AL2, ",
    "ce-image-al2-deprecated": "compute_resources.images[0].image_type is ECS_AL2: AWS is ending",
    "ce-gpu-instance-nvidia-image": "has no ECS_AL2023_NVIDIA (or ECS_AL2_NVIDIA) entry for the GPU",
    "ce-images-override-image": "compute_resources.image is overridden by the image of an images",
    "ce-default-instance-classes-architecture": (
        "mix CPU architectures: m5.large is x86_64 and default_arm64 is arm64"
    ),
    "ce-update-timeout-range": "update_timeout must be between 1 and 360, got 361 minutes",
    "ce-update-timeout-terminate": "update_timeout has no effect: terminate_on_update=True",
    "ce-update-policy-unmanaged": "terminate_on_update must not be set when managed is false",
    "ce-update-policy-fargate": "terminate_on_update has no effect for type FARGATE",
    "ce-update-latest-image-ignored": "update_to_latest_image_version is ignored by AWS Batch",
    "ce-infrastructure-update-unsupported": (
        "the allocation strategy is BEST_FIT (the default for ON_DEMAND); the service role is "
        "the role created here, not the service-linked role AWSServiceRoleForBatch"
    ),
    "ce-named-replacement": "compute_environment_name is set, and replace_compute_environment",
    "ce-tags-force-replacement": "inherited_tags renders inherited tags (Tags.of(...).add) on",
    "ce-inherited-tags-instances": "inherited_tags must not be INSTANCES for a FARGATE environment",
    "ce-unmanagedv-cpus-unmanaged-only": "unmanagedv_cpus is only allowed when managed is false",
    "ce-unmanagedv-cpus-range": "unmanagedv_cpus must be at least 0, got -1",
    "ce-launch-template-version-number": "is LATEST_NUMBER, but the version numbers of an imported",
    "ce-launch-template-pinned-replacement": (
        "is pinned to a version number and replace_compute_environment is not False, so each "
        "template edit replaces the environment"
    ),
    "ce-launch-template-user-data-mime": "has user data that is not MIME multipart",
    **EKS_SAYS,
    "any-property-type": "compute_resources.type must be a ComputeResourceType member, got 'SPOT'",
    **rules_cases_jobdefs.SAYS,
    "ce-vcpus-maximum": "compute_resources.maxv_cpus must be at most 2147483647, got 1000000000000",
    "jd-resources-maximum": "container.memory_limit_mib must be at most 2147483647, got 1000000000000",
    "jd-ec2-vcpus-cpu-shares": "container.vcpus should be at most 256 (the 262144 CPU shares",
}


def warnings_of(construct: Any) -> list[str]:
    return [
        str(m.data)
        for c in construct.node.find_all()
        for m in c.node.metadata
        if m.type == "aws:cdk:warning"
    ]


def outcome(build: Builder) -> tuple[list[str], list[str], str]:
    """The errors (``rule-id: property message``) and warnings a builder causes, and str(error)."""
    stack = new_stack()
    try:
        build(stack)
    except BatchValidationError as err:
        errors = [f"{p.rule_id}: {p.property} {p.message}" for p in err.problems]
        return errors, warnings_of(stack), str(err)
    return [], warnings_of(stack), ""


def rule_ids(errors: list[str]) -> list[str]:
    return [e.split(":", 1)[0] for e in errors]


@pytest.mark.parametrize("case", CASES, ids=[c.rule_id for c in CASES])
def test_rule_fires_on_the_bad_program(case: Case) -> None:
    errors, warnings, message = outcome(case.bad)
    if RULES[case.rule_id].level == "error":
        assert f"[rule: {case.rule_id}]" in message
        lines = [e for e in errors if e.startswith(f"{case.rule_id}: ")]
    else:
        lines = [w for w in warnings if f"[rule: {case.rule_id}]" in w]
    assert any(SAYS[case.rule_id] in line for line in lines), (SAYS[case.rule_id], lines)


@pytest.mark.parametrize("case", CASES, ids=[c.rule_id for c in CASES])
def test_rule_is_quiet_on_the_nearest_good_program(case: Case) -> None:
    errors, warnings, message = outcome(case.good)
    assert errors == [], message
    assert not any(case.rule_id in w for w in warnings), warnings


# --- tokens ---------------------------------------------------------------------


def n(s: cdk.Stack) -> float:
    param = s.node.try_find_child("N") or cdk.CfnParameter(s, "N", type="Number")
    return param.value_as_number  # type: ignore[attr-defined,no-any-return]


TOKEN_CASES = {
    "ce-vcpus": lambda s: ce(minv_cpus=n(s), maxv_cpus=n(s), desiredv_cpus=n(s))(s),
    "ce-bid": lambda s: ce(type=T.SPOT, bid_percentage=n(s))(s),
    "ce-name": lambda s: ce_with_resources(
        compute_environment_name=cdk.CfnParameter(s, "Name").value_as_string
    )(s),
    "jq-priority-order": lambda s: queue([n(s), n(s)], priority=n(s))(s),
    "jd-retry-resources": lambda s: jd(
        {"vcpus": n(s), "memory_limit_mib": n(s)}, retry_attempts=n(s)
    )(s),
    "jd-fargate-resources": lambda s: fargate_jd({"vcpus": n(s), "memory_limit_mib": n(s)})(s),
    "jd-timeout": lambda s: jd(timeout=cdk.Duration.seconds(n(s)))(s),
    "ce-update-timeout": lambda s: ce_with_resources(update_timeout=cdk.Duration.minutes(n(s)))(s),
    "ce-unmanagedv-cpus": lambda s: ce_props(managed=False, unmanagedv_cpus=n(s))(s),
    "limits": lambda s: jd({"vcpus": n(s), "memory_limit_mib": n(s), "gpu_count": n(s)})(s),
    "jd-multinode": lambda s: multinode(
        batch.MultiNodeProps(
            count=n(s),
            main_node=n(s),
            range_props=[
                batch.NodeRangeProps(
                    container=batch.JobDefinitionContainer(image=IMAGE), to_node_index=n(s)
                )
            ],
        )
    )(s),
    # job queues and scheduling (0.2.0)
    **rule_cases_queues.TOKEN_CASES,
    **EKS_TOKEN_CASES,
    **rules_cases_jobdefs.TOKEN_CASES,
}


@pytest.mark.parametrize("build", TOKEN_CASES.values(), ids=list(TOKEN_CASES))
def test_rules_leave_tokens_to_cloudformation(build: Builder) -> None:
    errors, _warnings, message = outcome(build)
    assert errors == [], message


# --- the catalogue --------------------------------------------------------------


def test_every_rule_has_a_case_and_a_source() -> None:
    assert sorted(c.rule_id for c in CASES) == sorted(RULES) == sorted(SAYS)
    for r in RULES.values():
        assert r.source.startswith("https://"), r.id
        assert r.summary and r.properties, r.id


def test_validation_docs_are_current() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "validation.md"
    assert docs.read_text() == catalogue(), (
        "docs/validation.md is stale: run python -m cdk_batch.rules > docs/validation.md"
    )


def test_several_problems_are_reported_together() -> None:
    errors, _, message = outcome(ce(type=T.SPOT, bid_percentage=120, minv_cpus=300))
    assert rule_ids(errors) == ["ce-vcpus-order", "ce-bid-percentage-range"]
    assert message.startswith("2 problems in ComputeEnvironment 'Stack/CE':\n")


def test_a_fractional_ec2_vcpus_says_fractions_are_fargate_sizes() -> None:
    errors, _, _ = outcome(jd({"vcpus": 0.5}))
    assert (
        "jd-ec2-resources-minimum: container.vcpus must be at least 1 on EC2 resources "
        "(0.25 and 0.5 are Fargate sizes), got 0.5" in errors
    )


# --- acknowledging warnings -----------------------------------------------------
# Observed on aws-cdk-lib 2.275: Annotations.acknowledge_warning(id) removes
# warnings already added under the scope (so on the app it works once the
# constructs exist), and suppresses later ones only when given on the stack or
# a construct inside it.

SPOT_WARNING = "ce-spot-fleet-role-service-linked"


def _spot_warnings(where: str, when: str) -> list[str]:
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    scope = app if where == "app" else stack
    if when == "before":
        cdk.Annotations.of(scope).acknowledge_warning(SPOT_WARNING, "we own the role")
    env = ce(type=T.SPOT)(stack)
    if when == "after":
        target = env if where == "construct" else scope
        cdk.Annotations.of(target).acknowledge_warning(SPOT_WARNING, "we own the role")
    return [w for w in warnings_of(stack) if SPOT_WARNING in w]


@pytest.mark.parametrize(
    ("where", "when"),
    [("app", "after"), ("stack", "before"), ("stack", "after"), ("construct", "after")],
)
def test_warnings_are_acknowledged_by_rule_id(where: str, when: str) -> None:
    assert _spot_warnings("stack", "never") != []
    assert _spot_warnings(where, when) == []


@pytest.mark.parametrize("form", [SPOT_WARNING, f"Annotation::{SPOT_WARNING}"])
@pytest.mark.parametrize("where", ["app", "stack"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_the_acknowledgement_the_cdk_report_suggests(form: str, where: str, when: str) -> None:
    # The CDK's validation report says "Acknowledge with 'Annotation::<id>'":
    # Validations.of(scope).acknowledge(...), with or without the prefix.
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    scope = app if where == "app" else stack

    def ack() -> None:
        cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=form, reason="our role"))

    if when == "before":
        ack()
    ce(type=T.SPOT)(stack)
    if when == "after":
        ack()
    assert not [w for w in warnings_of(stack) if SPOT_WARNING in w]


def test_an_acknowledgement_of_another_rule_keeps_the_warning() -> None:
    app = cdk.App()
    cdk.Validations.of(app).acknowledge(
        cdk.Acknowledgment(id="Annotation::ce-maxv-cpus-zero", reason="r")
    )
    stack = cdk.Stack(app, "Stack")
    ce(type=T.SPOT)(stack)
    assert [w for w in warnings_of(stack) if SPOT_WARNING in w]


@pytest.mark.parametrize(
    ("build", "rule_id", "says"),
    [
        (ce(minv_cpus=2**31), "ce-vcpus-maximum", "compute_resources.minv_cpus must be at most"),
        (
            ce(desiredv_cpus=2**31, maxv_cpus=2**31),
            "ce-vcpus-maximum",
            "compute_resources.desiredv_cpus must be at most 2147483647",
        ),
        (jd({"vcpus": 2097152}), "jd-resources-maximum", "container.vcpus must be at most 2097151"),
        (jd({"gpu_count": 2**31}), "jd-resources-maximum", "container.gpu_count must be at most"),
    ],
)
def test_upper_bounds_of_every_number(build: Builder, rule_id: str, says: str) -> None:
    errors, _, _ = outcome(build)
    assert any(e.startswith(f"{rule_id}: {says}") for e in errors), errors


def test_the_cpu_share_warning_is_for_ec2_only() -> None:
    _, warnings, _ = outcome(fargate_jd({"vcpus": 300, "memory_limit_mib": 2048}))
    assert not any("jd-ec2-vcpus-cpu-shares" in w for w in warnings)
