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
from cdk_batch._validation import RULES
from cdk_batch.errors import BatchValidationError
from cdk_batch.rules import catalogue

from .helpers import new_stack

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
]


def warnings_of(construct: Any) -> list[str]:
    return [
        str(m.data)
        for c in construct.node.find_all()
        for m in c.node.metadata
        if m.type == "aws:cdk:warning"
    ]


def outcome(build: Builder) -> tuple[list[str], list[str], str]:
    """The rule ids of the errors and warnings that a builder causes, and the message."""
    stack = new_stack()
    try:
        build(stack)
    except BatchValidationError as err:
        return [p.rule_id for p in err.problems], warnings_of(stack), str(err)
    return [], warnings_of(stack), ""


@pytest.mark.parametrize("case", CASES, ids=[c.rule_id for c in CASES])
def test_rule_fires_on_the_bad_program(case: Case) -> None:
    errors, warnings, message = outcome(case.bad)
    if RULES[case.rule_id].level == "error":
        assert case.rule_id in errors
        assert f"[rule: {case.rule_id}]" in message
    else:
        assert any(f"[rule: {case.rule_id}]" in w for w in warnings), warnings


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
}


@pytest.mark.parametrize("build", TOKEN_CASES.values(), ids=list(TOKEN_CASES))
def test_rules_leave_tokens_to_cloudformation(build: Builder) -> None:
    errors, _warnings, message = outcome(build)
    assert errors == [], message


# --- the catalogue --------------------------------------------------------------


def test_every_rule_has_a_case_and_a_source() -> None:
    assert sorted(c.rule_id for c in CASES) == sorted(RULES)
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
    assert errors == ["ce-vcpus-order", "ce-bid-percentage-range"]
    assert message.startswith("2 problems in ComputeEnvironment 'Stack/CE':\n")
