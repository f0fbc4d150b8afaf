"""The corrected-defaults flags of job definitions: D4, D5, D6, D12 and D13.

For each flag: off, the template is the reference alpha's; on, the fragment is
the corrected one of the spec (modern-api.md section 3.1); an explicit keyword
beats the flag; a flag set on one stack leaves its sibling alone; and the
flag-on templates pass cfn-lint. The expected fragments are written from the
spec and the CloudFormation reference, not read from our output.
"""

from __future__ import annotations

import tempfile
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_batch_alpha as reference
import pytest
from aws_cdk import aws_batch as stable
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as sm

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError
from cdk_batch.migrate._compare import compare_templates

from .conformance.harness import assert_same_template, synth
from .helpers import node_classes
from .lint import cfn_lint_errors

F = batch.flags
MINE = (F.NO_EMPTY_TIMEOUT, F.SANE_MEMORY, F.NO_INJECTED_ENV, F.EXECUTION_ROLE, F.KEEP_REVISIONS)
ALL_ON = dict(F.CORRECTED_DEFAULTS_V1)
IMAGE = "public.ecr.aws/amazonlinux/amazonlinux:2023"


# --- programs, each built with either module -------------------------------------


def ec2_defaults(s: cdk.Stack, m: ModuleType) -> None:
    """An EC2 container that gives nothing the flags correct."""
    m.JobDefinition(
        s,
        "Plain",
        container=m.JobDefinitionContainer(image=ecs.ContainerImage.from_registry(IMAGE)),
    )


def explicit_values(s: cdk.Stack, m: ModuleType) -> None:
    """Every corrected setting given explicitly (the flags must not touch them)."""
    m.JobDefinition(
        s,
        "Explicit",
        timeout=cdk.Duration.minutes(5),
        container=m.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE),
            memory_limit_mib=4,
            environment={"AWS_REGION": "eu-west-1", "MODE": "x"},
        ),
    )


def multi_node(s: cdk.Stack, m: ModuleType) -> None:
    Range, Nodes = node_classes(m)
    m.JobDefinition(
        s,
        "Nodes",
        container=m.JobDefinitionContainer(image=ecs.ContainerImage.from_registry(IMAGE)),
        node_props=Nodes(
            count=2,
            main_node=0,
            range_props=[
                Range(
                    m.JobDefinitionContainer(image=ecs.ContainerImage.from_registry(IMAGE)),
                    from_node_index=0,
                    to_node_index=1,
                )
            ],
        ),
    )


def fargate_with_role(s: cdk.Stack, m: ModuleType) -> None:
    """Fargate with a secret and a role of the user's.

    (A registry image: with an ECR image the alpha grants the pull to another
    role, a difference of 0.1 listed in docs/differences.md.)
    """
    role = iam.Role(s, "UserExec", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    m.JobDefinition(
        s,
        "Fargate",
        platform_capabilities=[m.PlatformCapabilities.FARGATE],
        container=m.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE),
            execution_role=role,
            secrets={"PW": ecs.Secret.from_secrets_manager(sm.Secret(s, "Secret"))},
        ),
    )


def fargate_without_role(s: cdk.Stack, m: ModuleType) -> None:
    m.JobDefinition(
        s,
        "Fargate",
        platform_capabilities=[m.PlatformCapabilities.FARGATE],
        container=m.JobDefinitionContainer(
            image=ecs.ContainerImage.from_ecr_repository(ecr.Repository(s, "Repo"), "v1"),
            secrets={"PW": ecs.Secret.from_secrets_manager(sm.Secret(s, "Secret"))},
        ),
    )


def zeros(s: cdk.Stack, m: ModuleType) -> None:
    """The values the alpha silently replaced: 0 vCPUs, memory, GPUs and attempts."""
    m.JobDefinition(
        s,
        "Zeros",
        retry_attempts=0,
        container=m.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE), vcpus=0, memory_limit_mib=0, gpu_count=0
        ),
    )
    m.JobDefinition(
        s,
        "FargateZeros",
        platform_capabilities=[m.PlatformCapabilities.FARGATE],
        container=m.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE),
            vcpus=0,
            memory_limit_mib=0,
            execution_role=iam.Role(
                s, "ZeroExec", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com")
            ),
        ),
    )


def every_program(s: cdk.Stack, m: ModuleType) -> None:
    """The programs whose whole template the reference renders too."""
    for program in (ec2_defaults, explicit_values, fargate_with_role):
        program(s, m)


# --- shared synthesis ------------------------------------------------------------


@pytest.fixture(scope="module")
def on() -> dict[str, Any]:
    """The template of every program with all flags on (fargate_without_role included)."""

    def program(s: cdk.Stack, m: ModuleType) -> None:
        every_program(s, m)
        multi_node(s, m)
        task_program(s)
        ec2_with_secret(s)
        fargate_without_role(cdk.Stack(s.node.scope, "NoRole"), m)  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir, context=ALL_ON)
        program(cdk.Stack(app, "Stack"), batch)
        assembly = app.synth()
        templates = {st.stack_name: st.template for st in assembly.stacks}
    return templates


def task_program(s: cdk.Stack) -> None:
    """A multi-container Fargate job without an execution role (0.2.0 ecs_properties)."""
    batch.JobDefinition(
        s,
        "Task",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        ecs_properties=batch.EcsTaskProperties(
            containers=[
                batch.TaskContainer(
                    name="app",
                    image=ecs.ContainerImage.from_registry(IMAGE),
                    vcpus=0.25,
                    memory_limit_mib=512,
                    log_configuration=batch.LogConfiguration(
                        log_driver=batch.LogDriver.AWSLOGS, options={"awslogs-group": "/my/jobs"}
                    ),
                )
            ]
        ),
    )


def ec2_with_secret(s: cdk.Stack) -> None:
    batch.JobDefinition(
        s,
        "Ec2Secret",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE),
            secrets={"PW": ecs.Secret.from_secrets_manager(sm.Secret(s, "Ec2SecretValue"))},
        ),
    )


def job_definition(template: dict[str, Any], id_prefix: str) -> dict[str, Any]:
    found = [
        r["Properties"]
        for k, r in template["Resources"].items()
        if r["Type"] == "AWS::Batch::JobDefinition" and k.startswith(id_prefix)
    ]
    assert len(found) == 1, f"{id_prefix}: {len(found)} job definitions"
    return found[0]


def resources(template: dict[str, Any], cfn_type: str, id_prefix: str = "") -> dict[str, Any]:
    return {
        k: r
        for k, r in template["Resources"].items()
        if r["Type"] == cfn_type and k.startswith(id_prefix)
    }


# --- (1) off: the reference's template -------------------------------------------


@pytest.mark.parametrize(
    "program", [every_program, zeros], ids=["every-corrected-setting", "zero-values"]
)
def test_flags_off_render_the_reference_template(program: Any) -> None:
    assert_same_template(program)


def test_flags_off_render_the_reference_node_ranges() -> None:
    # The alpha's multi-node template fails at deploy (Type container; fixed in
    # 0.1, docs/differences.md), but its node ranges are rendered as ours.
    expected = job_definition(synth(reference, multi_node), "Nodes")["NodeProperties"]
    assert job_definition(synth(batch, multi_node), "Nodes")["NodeProperties"] == expected


def test_flags_set_to_false_render_the_reference_template() -> None:
    assert_same_template(every_program, context=dict.fromkeys(MINE, "false"))


def test_flags_on_for_other_areas_leave_job_definitions_as_the_reference() -> None:
    # The flags of this file are the only ones that change a job definition.
    others = {k: True for k in F.ALL if k not in MINE}
    expected = synth(reference, every_program)
    actual = synth(batch, every_program, context=others)
    assert not compare_templates(expected, actual)


def test_fargate_without_execution_role_is_refused_without_the_flag() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(BatchValidationError) as err:
        fargate_without_role(stack, batch)
    assert [p.rule_id for p in err.value.problems] == ["jd-fargate-execution-role-required"]


# --- (2) on: the corrected fragments, and (3) keywords beat them ---------------


def test_no_empty_timeout(on: dict[str, Any]) -> None:
    assert "Timeout" not in job_definition(on["Stack"], "Plain")
    assert job_definition(on["Stack"], "Explicit")["Timeout"] == {"AttemptDurationSeconds": 300}


def test_sane_memory_on_ec2(on: dict[str, Any]) -> None:
    plain = job_definition(on["Stack"], "Plain")["ContainerProperties"]
    assert plain["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "1"},
        {"Type": "MEMORY", "Value": "2048"},
    ]
    nodes = job_definition(on["Stack"], "Nodes")["NodeProperties"]["NodeRangeProperties"]
    assert nodes[0]["Container"]["ResourceRequirements"][1] == {"Type": "MEMORY", "Value": "2048"}
    explicit = job_definition(on["Stack"], "Explicit")["ContainerProperties"]
    assert {"Type": "MEMORY", "Value": "4"} in explicit["ResourceRequirements"]


def test_sane_memory_keeps_the_fargate_default(on: dict[str, Any]) -> None:
    fargate = job_definition(on["Stack"], "Fargate")["ContainerProperties"]
    assert fargate["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "0.25"},
        {"Type": "MEMORY", "Value": "512"},
    ]


def test_sane_memory_size_is_valid_on_one_vcpu_fargate() -> None:
    # The spec chose 2048 MiB as the smallest size that 1 vCPU also takes on Fargate.
    from cdk_batch.rules.job_definition import FARGATE_MEMORY

    assert min(FARGATE_MEMORY[1]) == 2048


def test_no_injected_env(on: dict[str, Any]) -> None:
    assert "Environment" not in job_definition(on["Stack"], "Plain")["ContainerProperties"]
    nodes = job_definition(on["Stack"], "Nodes")["NodeProperties"]["NodeRangeProperties"]
    assert "Environment" not in nodes[0]["Container"]
    # Variables the user gives, including those names, stay as given.
    explicit = job_definition(on["Stack"], "Explicit")["ContainerProperties"]
    assert explicit["Environment"] == [
        {"Name": "AWS_REGION", "Value": "eu-west-1"},
        {"Name": "MODE", "Value": "x"},
    ]


def test_no_injected_env_keeps_an_explicit_empty_environment() -> None:
    stack = cdk.Stack(cdk.App(context={F.NO_INJECTED_ENV: True}), "S")
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE), environment={}
        ),
    )
    template = cdk.assertions.Template.from_stack(stack).to_json()
    assert job_definition(template, "JD")["ContainerProperties"]["Environment"] == []


def test_keep_revisions(on: dict[str, Any]) -> None:
    for name in ("Plain", "Nodes", "Fargate", "Task"):
        assert job_definition(on["Stack"], name)["ResourceRetentionPolicy"] == {
            "SkipDeregisterOnUpdate": True
        }


def test_keep_revisions_yields_to_an_explicit_false() -> None:
    stack = cdk.Stack(cdk.App(context={F.KEEP_REVISIONS: True}), "S")
    batch.JobDefinition(
        stack,
        "JD",
        skip_deregister_on_update=False,
        container=batch.JobDefinitionContainer(image=ecs.ContainerImage.from_registry(IMAGE)),
    )
    template = cdk.assertions.Template.from_stack(stack).to_json()
    assert job_definition(template, "JD")["ResourceRetentionPolicy"] == {
        "SkipDeregisterOnUpdate": False
    }


TRUST_ECS_TASKS = {
    "Statement": [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        }
    ],
    "Version": "2012-10-17",
}


def batch_job_logs(group: str) -> dict[str, Any]:
    return {
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Effect": "Allow",
        "Resource": {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":logs:",
                    {"Ref": "AWS::Region"},
                    ":",
                    {"Ref": "AWS::AccountId"},
                    f":log-group:{group}:*",
                ],
            ]
        },
    }


def test_execution_role_is_created_and_granted(on: dict[str, Any]) -> None:
    template = on["NoRole"]
    (role_id, role), *more = resources(template, "AWS::IAM::Role").items()
    assert not more, "one role: no LazyRole for batch.amazonaws.com"
    assert role_id.startswith("FargateExecutionRole")
    assert role["Properties"] == {"AssumeRolePolicyDocument": TRUST_ECS_TASKS}
    container = job_definition(template, "Fargate")["ContainerProperties"]
    assert container["ExecutionRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    (policy,) = resources(template, "AWS::IAM::Policy").values()
    assert policy["Properties"]["Roles"] == [{"Ref": role_id}]
    repo = next(iter(resources(template, "AWS::ECR::Repository")))
    secret = next(iter(resources(template, "AWS::SecretsManager::Secret")))
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    for wanted in (
        batch_job_logs("/aws/batch/job"),
        {
            "Action": [
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
            ],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [repo, "Arn"]},
        },
        {"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"},
        {
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Effect": "Allow",
            "Resource": {"Ref": secret},
        },
    ):
        assert wanted in statements
    assert len(statements) == 4


def test_execution_role_matches_the_stable_module() -> None:
    """The same Fargate container (ECR image, one secret) through aws_cdk.aws_batch."""

    def ours() -> dict[str, Any]:
        stack = cdk.Stack(cdk.App(context={F.EXECUTION_ROLE: True}), "S")
        fargate_without_role(stack, batch)
        return cdk.assertions.Template.from_stack(stack).to_json()

    def theirs() -> dict[str, Any]:
        stack = cdk.Stack(cdk.App(), "S")
        container = stable.EcsFargateContainerDefinition(
            stack,
            "C",
            image=ecs.ContainerImage.from_ecr_repository(ecr.Repository(stack, "Repo"), "v1"),
            cpu=0.25,
            memory=cdk.Size.mebibytes(512),
            secrets={"PW": stable.Secret.from_secrets_manager(sm.Secret(stack, "Secret"))},
        )
        stable.EcsJobDefinition(stack, "Fargate", container=container)
        return cdk.assertions.Template.from_stack(stack).to_json()

    def role_shape(template: dict[str, Any]) -> tuple[Any, list[str]]:
        (role,) = resources(template, "AWS::IAM::Role").values()
        (policy,) = resources(template, "AWS::IAM::Policy").values()
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        return role["Properties"], sorted(repr(s) for s in statements)

    assert role_shape(ours()) == role_shape(theirs())


def test_execution_role_keyword_beats_the_flag(on: dict[str, Any]) -> None:
    container = job_definition(on["Stack"], "Fargate")["ContainerProperties"]
    user_role = next(iter(resources(on["Stack"], "AWS::IAM::Role", "UserExec")))
    assert container["ExecutionRoleArn"] == {"Fn::GetAtt": [user_role, "Arn"]}
    assert not resources(on["Stack"], "AWS::IAM::Role", "FargateExecutionRole")


def test_execution_role_for_a_multi_container_task(on: dict[str, Any]) -> None:
    template = on["Stack"]
    (role_id,) = resources(template, "AWS::IAM::Role", "TaskExecutionRole")
    task = job_definition(template, "Task")["EcsProperties"]["TaskProperties"][0]
    assert task["ExecutionRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    (policy,) = resources(template, "AWS::IAM::Policy", "TaskExecutionRole").values()
    # The awslogs group the container names, not /aws/batch/job.
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [batch_job_logs("/my/jobs")]


def test_execution_role_is_not_created_for_ec2(on: dict[str, Any]) -> None:
    template = on["Stack"]
    for name in ("Plain", "Nodes", "Ec2Secret"):
        assert not resources(template, "AWS::IAM::Role", f"{name}ExecutionRole")
    assert "ExecutionRoleArn" not in job_definition(template, "Ec2Secret")["ContainerProperties"]


def test_no_scratch_container_definition_in_the_tree() -> None:
    # The alpha adds an ecs.ContainerDefinition child that renders nothing.
    stack = cdk.Stack(cdk.App(context={F.EXECUTION_ROLE: True}), "S")
    fargate_without_role(stack, batch)
    jd = stack.node.find_child("Fargate")
    assert sorted(c.node.id for c in jd.node.children) == ["ExecutionRole", "Resource"]


# --- (4) per-stack scoping ---------------------------------------------------------


def test_a_flag_on_one_stack_leaves_its_sibling_as_the_reference() -> None:
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        corrected = cdk.Stack(app, "Corrected")
        for flag in MINE:
            corrected.node.set_context(flag, True)
        every_program(corrected, batch)
        every_program(cdk.Stack(app, "Stack"), batch)
        assembly = app.synth()
        sibling = assembly.get_stack_by_name("Stack").template
        flagged = assembly.get_stack_by_name("Corrected").template
    assert not compare_templates(synth(reference, every_program), sibling)
    plain = job_definition(flagged, "Plain")
    assert "Timeout" not in plain
    assert "Environment" not in plain["ContainerProperties"]
    assert plain["ResourceRetentionPolicy"] == {"SkipDeregisterOnUpdate": True}


# --- (5) cfn-lint -------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["Stack", "NoRole"])
def test_flag_on_templates_pass_cfn_lint(on: dict[str, Any], stack: str) -> None:
    assert cfn_lint_errors(on[stack]) == []


# --- values the alpha replaced silently ---------------------------------------------


def warnings_of(stack: cdk.Stack) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for c in stack.node.find_all():
        for m in c.node.metadata:
            if m.type == "aws:cdk:warning":
                found.setdefault(c.node.id, []).append(str(m.data))
    return found


@pytest.mark.parametrize(
    ("context", "ec2_memory"), [({}, "4"), ({F.SANE_MEMORY: True}, "2048")], ids=["off", "on"]
)
def test_zero_values_warn_with_what_is_rendered(context: dict[str, Any], ec2_memory: str) -> None:
    stack = cdk.Stack(cdk.App(context=context), "S")
    zeros(stack, batch)
    template = cdk.assertions.Template.from_stack(stack).to_json()
    # What is rendered, as the reference renders it (checked against the alpha above).
    assert job_definition(template, "Zeros")["RetryStrategy"] == {"Attempts": 1}
    assert job_definition(template, "Zeros")["ContainerProperties"]["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "1"},
        {"Type": "MEMORY", "Value": ec2_memory},
    ]
    said = warnings_of(stack)
    assert sorted(said["Zeros"]) == sorted(
        [
            "container.vcpus of 0 is rendered as the default 1 vCPU, as the alpha did; give "
            "the vCPUs you want [rule: jd-vcpus-zero] [ack: jd-vcpus-zero]",
            f"container.memory_limit_mib of 0 is rendered as the default {ec2_memory} MiB, as "
            "the alpha did; give the memory you want [rule: jd-memory-zero] "
            "[ack: jd-memory-zero]",
            "retry_attempts of 0 is rendered as 1 (one attempt, no retry), as the alpha did; "
            "give 1 to 10 attempts [rule: jd-retry-attempts-zero] [ack: jd-retry-attempts-zero]",
        ]
    )
    fargate = " ".join(said["FargateZeros"])
    assert "default 0.25 vCPU" in fargate and "default 512 MiB" in fargate


def test_zero_values_in_a_node_range_warn_and_the_task_containers_do_not() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    Range, Nodes = node_classes(batch)
    image = ecs.ContainerImage.from_registry(IMAGE)
    batch.JobDefinition(
        stack,
        "Nodes",
        container=batch.JobDefinitionContainer(image=image),
        node_props=Nodes(
            count=1,
            main_node=0,
            range_props=[Range(batch.JobDefinitionContainer(image=image, memory_limit_mib=0))],
        ),
    )
    said = warnings_of(stack)["Nodes"]
    assert len(said) == 1
    assert said[0].startswith(
        "node_props.range_props[0].container.memory_limit_mib of 0 is rendered as the default 4 MiB"
    )


@pytest.mark.parametrize(
    ("log", "statements"),
    [
        ({"log_driver": batch.LogDriver.AWSLOGS}, [batch_job_logs("/aws/batch/job")]),
        ({"log_driver": batch.LogDriver.SPLUNK, "options": {"splunk-url": "https://s"}}, None),
    ],
    ids=["awslogs-without-group", "splunk"],
)
def test_execution_role_logs_where_the_container_logs(
    log: dict[str, Any], statements: list[Any] | None
) -> None:
    stack = cdk.Stack(cdk.App(context={F.EXECUTION_ROLE: True}), "S")
    batch.JobDefinition(
        stack,
        "Fargate",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        container=batch.JobDefinitionContainer(
            image=ecs.ContainerImage.from_registry(IMAGE), log_configuration=log
        ),
    )
    template = cdk.assertions.Template.from_stack(stack).to_json()
    assert len(resources(template, "AWS::IAM::Role")) == 1
    policies = list(resources(template, "AWS::IAM::Policy").values())
    found = [p["Properties"]["PolicyDocument"]["Statement"] for p in policies]
    assert found == ([statements] if statements else [])
