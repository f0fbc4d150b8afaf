"""The 0.2.0 job definition keywords: templates, the stable module as oracle, grants.

The stable ``aws_cdk.aws_batch`` module has retry strategies, scheduling
priority, the Fargate runtime platform, ephemeral storage,
skip_deregister_on_update and a single-revision grant: each is built through
both modules and the fragments are compared side by side.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_batch as v2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, only_resource

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox:latest")
QUEUE_ARN = "arn:aws:batch:us-east-1:123456789012:job-queue/q"
FARGATE = [batch.PlatformCapabilities.FARGATE]


def exec_role(stack: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(stack, "Exec", "arn:aws:iam::123456789012:role/exec")


def props_of(stack: cdk.Stack) -> dict[str, Any]:
    return only_resource(stack, "AWS::Batch::JobDefinition")["Properties"]


def ours(**kwargs: Any) -> dict[str, Any]:
    stack = new_stack()
    container = kwargs.pop("container", {})
    fargate = kwargs.pop("fargate", False)
    if fargate:
        container = {"execution_role": exec_role(stack), **container}
        kwargs["platform_capabilities"] = FARGATE
    batch.JobDefinition(
        stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE, **container), **kwargs
    )
    return props_of(stack)


def stable(container: dict[str, Any] | None = None, fargate: bool = False, **kwargs: Any) -> Any:
    stack = new_stack()
    if fargate:
        c = v2.EcsFargateContainerDefinition(
            stack, "C", image=IMAGE, cpu=0.25, memory=cdk.Size.mebibytes(512), **(container or {})
        )
    else:
        c = v2.EcsEc2ContainerDefinition(
            stack, "C", image=IMAGE, cpu=1, memory=cdk.Size.mebibytes(2048), **(container or {})
        )
    v2.EcsJobDefinition(stack, "JD", container=c, **kwargs)
    return props_of(stack)


# --- the stable module as oracle -----------------------------------------------------


def test_retry_strategies_render_as_the_stable_module_renders_them() -> None:
    def strategies(m: Any) -> list[Any]:
        return [
            m.RetryStrategy.of(m.Action.EXIT, m.Reason.CANNOT_PULL_CONTAINER),
            m.RetryStrategy.of(m.Action.RETRY, m.Reason.SPOT_INSTANCE_RECLAIMED),
            m.RetryStrategy.of(m.Action.EXIT, m.Reason.NON_ZERO_EXIT_CODE),
            m.RetryStrategy.of(
                m.Action.RETRY,
                m.Reason.custom(
                    on_exit_code="13*", on_reason="Out of*", on_status_reason="Essential"
                ),
            ),
        ]

    mine = ours(retry_attempts=4, retry_strategies=strategies(batch))
    theirs = stable(retry_attempts=4, retry_strategies=strategies(v2))
    assert mine["RetryStrategy"] == theirs["RetryStrategy"]
    assert mine["RetryStrategy"]["EvaluateOnExit"][1] == {
        "Action": "RETRY",
        "OnStatusReason": "Host EC2*",
    }


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"scheduling_priority": 42}, "SchedulingPriority"),
        ({"skip_deregister_on_update": True}, "ResourceRetentionPolicy"),
        ({"skip_deregister_on_update": False}, "ResourceRetentionPolicy"),
    ],
)
def test_top_level_keywords_match_the_stable_module(kwargs: dict[str, Any], key: str) -> None:
    assert ours(**kwargs)[key] == stable(**kwargs)[key]


@pytest.mark.parametrize(
    "platform",
    [
        {"fargate_cpu_architecture": ecs.CpuArchitecture.ARM64},
        {"fargate_operating_system_family": ecs.OperatingSystemFamily.LINUX},
        {
            "fargate_cpu_architecture": ecs.CpuArchitecture.X86_64,
            "fargate_operating_system_family": ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_FULL,
        },
        {"ephemeral_storage_size": cdk.Size.gibibytes(100)},
    ],
    ids=["arm64", "linux", "windows", "storage"],
)
def test_fargate_platform_matches_the_stable_module(platform: dict[str, Any]) -> None:
    mine = ours(fargate=True, container=platform)["ContainerProperties"]
    theirs = stable(fargate=True, container=platform)["ContainerProperties"]
    for key in ("RuntimePlatform", "EphemeralStorage"):
        # The stable module renders an empty RuntimePlatform when neither
        # field is set; an unset keyword renders nothing here (spec 0.1).
        assert mine.get(key) == (theirs.get(key) or None)
    assert ("RuntimePlatform" in mine) == ("ephemeral_storage_size" not in platform)


def test_windows_leaves_out_privileged_and_read_only_as_the_stable_module_does() -> None:
    windows = {
        "fargate_operating_system_family": ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_CORE
    }
    mine = ours(fargate=True, container=windows)["ContainerProperties"]
    theirs = stable(fargate=True, container=windows)["ContainerProperties"]
    for key in ("Privileged", "ReadonlyRootFilesystem"):
        assert key not in mine and key not in theirs
    linux = ours(fargate=True)["ContainerProperties"]
    assert linux["Privileged"] is False and linux["ReadonlyRootFilesystem"] is False


def grant_statements(stack: cdk.Stack, role_id: str = "R") -> list[Any]:
    """The statements of the policies attached to the role ``role_id``."""
    role = stack.node.find_child(role_id.split("/")[0])
    for part in role_id.split("/")[1:]:
        role = role.node.find_child(part)
    logical = stack.resolve(role.node.default_child.ref)  # type: ignore[union-attr]
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    return [
        s
        for p in policies.values()
        if logical in p["Properties"].get("Roles", [])
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_single_revision_grant_matches_the_stable_module() -> None:
    mine_stack, theirs_stack = new_stack(), new_stack()
    for stack, module in ((mine_stack, batch), (theirs_stack, v2)):
        role = iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        queue = module.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN)
        if module is batch:
            jd = batch.JobDefinition(
                stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE)
            )
            jd.grant_submit_job(role, queue, all_revisions=False)
        else:
            container = v2.EcsEc2ContainerDefinition(
                stack, "C", image=IMAGE, cpu=1, memory=cdk.Size.mebibytes(4)
            )
            v2.EcsJobDefinition(stack, "JD", container=container).grant_submit_job(role, queue)
    assert grant_statements(mine_stack) == grant_statements(theirs_stack)


# --- templates of each keyword --------------------------------------------------------


CLASSIC_KEYS = {"ContainerProperties", "PlatformCapabilities", "RetryStrategy", "Timeout", "Type"}


def test_unset_keywords_add_nothing() -> None:
    stack = new_stack()
    jd = batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE))
    props = props_of(stack)
    assert set(props) == CLASSIC_KEYS
    assert props["RetryStrategy"] == {"Attempts": 1}
    assert "JobRoleArn" not in props["ContainerProperties"]
    assert jd.job_definition_arn  # reading attributes creates no role
    assert not Template.from_stack(stack).find_resources("AWS::IAM::Role")


def test_add_retry_strategy_after_construction() -> None:
    stack = new_stack()
    jd = batch.JobDefinition(
        stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE), retry_attempts=3
    )
    jd.add_retry_strategy(
        batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED)
    )
    jd.add_retry_strategy({"action": batch.Action.EXIT, "on": {"on_exit_code": "1"}})
    assert props_of(stack)["RetryStrategy"] == {
        "Attempts": 3,
        "EvaluateOnExit": [
            {"Action": "RETRY", "OnStatusReason": "Host EC2*"},
            {"Action": "EXIT", "OnExitCode": "1"},
        ],
    }


def test_add_retry_strategy_refuses_a_sixth() -> None:
    stack = new_stack()
    five = [
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom(on_exit_code=str(i)))
        for i in range(5)
    ]
    jd = batch.JobDefinition(
        stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE), retry_strategies=five
    )
    with pytest.raises(BatchValidationError) as err:
        jd.add_retry_strategy(five[0])
    assert [p.rule_id for p in err.value.problems] == ["jd-retry-strategies-count"]
    assert len(props_of(stack)["RetryStrategy"]["EvaluateOnExit"]) == 5


@jsii.implements(cdk.IResource)
class _Resource:
    """An IConsumableResource stand-in (the construct lives in its own module)."""

    def __init__(self, arn: str, total: int | None = None) -> None:
        self.consumable_resource_arn = arn
        self.consumable_resource_name = arn.rsplit("/", 1)[-1]
        self._props = type("P", (), {"total_quantity": total})()


def test_consumable_resources() -> None:
    stack = new_stack()
    arn = "arn:aws:batch:us-east-1:123456789012:consumable-resource/licences"
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        consumable_resources=[
            batch.ConsumableResourceRequirement(resource=_Resource(arn), quantity=2),  # type: ignore[arg-type]
            {"resource": "tokens", "quantity": 1},
            batch.ConsumableResourceRequirement(
                resource=arn.replace("licences", "seats"), quantity=3
            ),
        ],
    )
    listed = props_of(stack)["ConsumableResourceProperties"]["ConsumableResourceList"]
    assert listed[0] == {"ConsumableResource": arn, "Quantity": 2}
    assert listed[1]["Quantity"] == 1
    assert listed[1]["ConsumableResource"]["Fn::Join"][1][-1] == ":consumable-resource/tokens"
    assert listed[2] == {"ConsumableResource": arn.replace("licences", "seats"), "Quantity": 3}


def multi_container(stack: cdk.Stack, **task: Any) -> batch.JobDefinition:
    return batch.JobDefinition(
        stack,
        "JD",
        platform_capabilities=FARGATE,
        ecs_properties=batch.EcsTaskProperties(
            execution_role=exec_role(stack),
            containers=[
                batch.TaskContainer(
                    name="app",
                    image=IMAGE,
                    vcpus=0.75,
                    memory_limit_mib=1536,
                    command=["run"],
                    environment={"MODE": "batch"},
                    depends_on=[
                        batch.TaskContainerDependency(container_name="proxy", condition="START")
                    ],
                ),
                {
                    "name": "proxy",
                    "image": IMAGE,
                    "vcpus": 0.25,
                    "memory_limit_mib": 512,
                    "essential": False,
                },
            ],
            **task,
        ),
    )


def test_multi_container_job() -> None:
    stack = new_stack()
    multi_container(
        stack,
        assign_public_ip=True,
        ephemeral_storage_size=cdk.Size.gibibytes(40),
        fargate_cpu_architecture=ecs.CpuArchitecture.ARM64,
        platform_version=ecs.FargatePlatformVersion.VERSION1_4,
    )
    props = props_of(stack)
    assert "ContainerProperties" not in props and props["Type"] == "container"
    (task,) = props["EcsProperties"]["TaskProperties"]
    assert task["ExecutionRoleArn"] == "arn:aws:iam::123456789012:role/exec"
    assert task["NetworkConfiguration"] == {"AssignPublicIp": "ENABLED"}
    assert task["EphemeralStorage"] == {"SizeInGiB": 40}
    assert task["RuntimePlatform"] == {"CpuArchitecture": "ARM64"}
    assert task["PlatformVersion"] == "1.4.0"
    app, proxy = task["Containers"]
    assert app == {
        "Name": "app",
        "Image": "public.ecr.aws/docker/library/busybox:latest",
        "Command": ["run"],
        "Environment": [{"Name": "MODE", "Value": "batch"}],
        "DependsOn": [{"ContainerName": "proxy", "Condition": "START"}],
        "ResourceRequirements": [
            {"Type": "VCPU", "Value": "0.75"},
            {"Type": "MEMORY", "Value": "1536"},
        ],
    }
    assert proxy["Essential"] is False and "TaskRoleArn" not in task


def test_multi_container_fargate_size_is_the_sum() -> None:
    stack = new_stack()
    with pytest.raises(BatchValidationError) as err:
        batch.JobDefinition(
            stack,
            "JD",
            platform_capabilities=FARGATE,
            ecs_properties=batch.EcsTaskProperties(
                execution_role=exec_role(stack),
                containers=[
                    batch.TaskContainer(name="a", image=IMAGE, vcpus=0.5, memory_limit_mib=512),
                    batch.TaskContainer(name="b", image=IMAGE, vcpus=0.5, memory_limit_mib=512),
                ],
            ),
        )
    (problem,) = err.value.problems
    assert problem.rule_id == "jd-fargate-resources-combination"
    assert "with 1 vCPU on Fargate (the sum over the containers), got 1024" in problem.message


def test_job_role_is_made_on_first_read_and_wired_in() -> None:
    stack = new_stack()
    jd = batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE))
    bucket = s3.Bucket(stack, "Bucket")
    bucket.grant_read(jd)  # the job definition is an IGrantable
    assert jd.job_role is jd.job_role
    template = Template.from_stack(stack)
    roles = template.find_resources("AWS::IAM::Role")
    (role_id,) = roles
    assert roles[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0][
        "Principal"
    ] == {"Service": "ecs-tasks.amazonaws.com"}
    assert props_of(stack)["ContainerProperties"]["JobRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    (policy,) = template.find_resources("AWS::IAM::Policy").values()
    assert policy["Properties"]["Roles"] == [{"Ref": role_id}]


def test_given_job_role_is_returned() -> None:
    stack = new_stack()
    role = iam.Role(stack, "Mine", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    jd = batch.JobDefinition(
        stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE, job_role=role)
    )
    assert jd.job_role is role and jd.grant_principal is not None
    assert len(Template.from_stack(stack).find_resources("AWS::IAM::Role")) == 1


def test_multi_container_job_role_is_the_task_role() -> None:
    stack = new_stack()
    jd = multi_container(stack)
    assert jd.grant_principal
    (task,) = props_of(stack)["EcsProperties"]["TaskProperties"]
    assert task["TaskRoleArn"]["Fn::GetAtt"][1] == "Arn"


# --- grants over every revision -------------------------------------------------------

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def evaluate(value: Any) -> str:
    """A policy resource with the pseudo parameters filled in."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return PSEUDO[value["Ref"]]
    sep, parts = value["Fn::Join"]
    return sep.join(evaluate(p) for p in parts)


def covers(resources: list[str], arn: str) -> bool:
    # IAM resource globs: * matches any run of characters, colons included.
    return any(fnmatch.fnmatchcase(arn, r) for r in resources)


def granted_resources(build: Any) -> list[str]:
    stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    jd = build(stack)
    jd.grant_submit_job(role, batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN))
    (statement,) = grant_statements(stack)
    assert statement["Action"] == "batch:SubmitJob"
    return [evaluate(r) for r in statement["Resource"]]


JD_ARN = "arn:aws:batch:us-east-1:123456789012:job-definition/"


@pytest.mark.parametrize(
    "build",
    [
        lambda s: batch.JobDefinition(
            s,
            "JD",
            container=batch.JobDefinitionContainer(image=IMAGE),
            job_definition_name="nightly",
        ),
        lambda s: batch.JobDefinition.from_job_definition_name(s, "JD", "nightly"),
        lambda s: batch.JobDefinition.from_job_definition_name(s, "JD", "nightly:3"),
        lambda s: batch.JobDefinition.from_job_definition_arn(s, "JD", JD_ARN + "nightly:3"),
    ],
    ids=["named", "imported-by-name", "imported-by-name-revision", "imported-by-arn"],
)
def test_grant_covers_every_revision_of_a_named_definition(build: Any) -> None:
    resources = granted_resources(build)
    assert resources == [JD_ARN + "nightly:*", QUEUE_ARN]
    assert covers(resources, JD_ARN + "nightly:1")
    assert covers(resources, JD_ARN + "nightly:7")
    assert not covers(resources, JD_ARN + "nightly-other:1")
    assert not covers(resources, JD_ARN + "nightlyx:7")


def test_grant_of_an_unnamed_definition_reads_the_name_from_its_arn() -> None:
    stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    jd = batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(image=IMAGE))
    jd.grant_submit_job(role, batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN))
    (statement,) = grant_statements(stack)
    parts = statement["Resource"][0]["Fn::Join"][1]
    assert parts[-2:] == [
        {
            "Fn::Select": [
                0,
                {
                    "Fn::Split": [
                        ":",
                        {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "JDC27EACF9"}]}]},
                    ]
                },
            ]
        },
        ":*",
    ]


def test_grant_to_a_lambda_function() -> None:
    stack = new_stack()
    fn = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context): pass"),
    )
    jd = batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        job_definition_name="nightly",
    )
    grant = jd.grant_submit_job(fn, batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN))
    assert grant.success
    statements = grant_statements(stack, "Fn/ServiceRole")
    assert [s["Resource"][1] for s in statements] == [QUEUE_ARN]


class _PolicyQueue:
    """A queue whose props carry a scheduling policy, as JobQueue keeps them."""

    job_queue_arn = QUEUE_ARN

    def __init__(self, policy: object) -> None:
        self._props = type("P", (), {"scheduling_policy": policy})()


def warnings(stack: cdk.Stack) -> list[str]:
    return [
        str(m.data)
        for c in stack.node.find_all()
        for m in c.node.metadata
        if m.type == "aws:cdk:warning"
    ]


@pytest.mark.parametrize(("priority", "warned"), [(None, True), (5, False)])
def test_fair_share_queue_wants_a_priority(priority: int | None, warned: bool) -> None:
    stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    jd = batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        scheduling_priority=priority,
    )
    jd.grant_submit_job(role, _PolicyQueue(object()))  # type: ignore[arg-type]
    found = [w for w in warnings(stack) if "[rule: jd-fair-share-priority-missing]" in w]
    assert bool(found) is warned


# --- cdk-nag ---------------------------------------------------------------------------


def nag_findings(stack: cdk.Stack, path_part: str) -> set[str]:
    import cdk_nag

    cdk.Aspects.of(stack).add(cdk_nag.AwsSolutionsChecks())
    cdk.App.of(stack).synth()  # type: ignore[union-attr]
    found = set()
    for c in stack.node.find_all():
        if path_part not in c.node.path:
            continue
        for m in c.node.metadata:
            if m.type in ("aws:cdk:warning", "aws:cdk:error"):
                found.add(str(m.data).split(":", 1)[0].split("[", 1)[0])
    return found


def test_cdk_nag_finds_nothing_in_our_grant_that_it_does_not_find_in_the_stable_one() -> None:
    pytest.importorskip("cdk_nag")
    mine, theirs = new_stack(), new_stack()
    for stack in (mine, theirs):
        role = iam.Role(stack, "Submitter", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        if stack is mine:
            queue = batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN)
            for name in ("JD", "Named"):
                batch.JobDefinition(
                    stack,
                    name,
                    container=batch.JobDefinitionContainer(image=IMAGE),
                    job_definition_name="nightly" if name == "Named" else None,
                ).grant_submit_job(role, queue)
            batch.JobDefinition.from_job_definition_name(
                stack, "Imported", "weekly"
            ).grant_submit_job(role, queue)
        else:
            queue = v2.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN)
            container = v2.EcsEc2ContainerDefinition(
                stack, "C", image=IMAGE, cpu=1, memory=cdk.Size.mebibytes(4)
            )
            v2.EcsJobDefinition(stack, "JD", container=container).grant_submit_job(role, queue)
    assert nag_findings(mine, "Submitter") <= nag_findings(theirs, "Submitter")


def test_cdk_nag_still_sees_other_wildcards_in_the_grantee_policy() -> None:
    pytest.importorskip("cdk_nag")
    stack = new_stack()
    role = iam.Role(stack, "Submitter", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["batch:SubmitJob"], resources=[JD_ARN + "*"]))
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        job_definition_name="nightly",
    ).grant_submit_job(role, batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN))
    assert "AwsSolutions-IAM5" in nag_findings(stack, "Submitter")


# --- multi-container jobs get the checks of single containers ------------------------


def refused(build: Any) -> list[tuple[str, str]]:
    stack = new_stack()
    with pytest.raises(BatchValidationError) as err:
        build(stack)
    return [(p.rule_id, p.property) for p in err.value.problems]


def test_multi_container_fargate_checks() -> None:
    def build(stack: cdk.Stack) -> None:
        batch.JobDefinition(
            stack,
            "JD",
            platform_capabilities=FARGATE,
            ecs_properties=batch.EcsTaskProperties(
                containers=[
                    batch.TaskContainer(
                        image=IMAGE,
                        vcpus=0.25,
                        memory_limit_mib=512,
                        gpu_count=1,
                        privileged=True,
                        log_configuration=batch.LogConfiguration(log_driver=batch.LogDriver.SYSLOG),
                    )
                ],
                platform_version=ecs.FargatePlatformVersion.VERSION1_2,
            ),
        )

    assert refused(build) == [
        ("jd-fargate-execution-role-required", "ecs_properties.execution_role"),
        ("jd-fargate-gpu-absent", "ecs_properties.containers[0].gpu_count"),
        ("jd-fargate-privileged-absent", "ecs_properties.containers[0].privileged"),
        ("jd-fargate-log-driver", "ecs_properties.containers[0].log_configuration.log_driver"),
        ("jd-fargate-platform-version", "ecs_properties.platform_version"),
    ]


def test_multi_container_ec2_checks() -> None:
    def build(stack: cdk.Stack) -> None:
        batch.JobDefinition(
            stack,
            "JD",
            ecs_properties=batch.EcsTaskProperties(
                containers=[
                    batch.TaskContainer(image=IMAGE, name="a", environment={"AWS_BATCH_X": "1"}),
                    batch.TaskContainer(
                        image=IMAGE,
                        name="b",
                        depends_on=[
                            batch.TaskContainerDependency(container_name="c", condition="START"),
                            batch.TaskContainerDependency(container_name="b", condition="START"),
                        ],
                    ),
                ],
                assign_public_ip=True,
                ephemeral_storage_size=cdk.Size.gibibytes(30),
            ),
        )

    assert refused(build) == [
        ("jd-environment-reserved-names", "ecs_properties.containers[0].environment"),
        ("jd-assign-public-ip-fargate-only", "ecs_properties.assign_public_ip"),
        ("jd-runtime-platform-fargate-only", "ecs_properties.ephemeral_storage_size"),
        ("jd-task-depends-on", "ecs_properties.containers[1].depends_on[0].container_name"),
        ("jd-task-depends-on", "ecs_properties.containers[1].depends_on[1].container_name"),
    ]


def test_multi_container_needs_names_when_more_than_one() -> None:
    def build(stack: cdk.Stack) -> None:
        batch.JobDefinition(
            stack,
            "JD",
            ecs_properties=batch.EcsTaskProperties(
                containers=[
                    batch.TaskContainer(image=IMAGE),
                    batch.TaskContainer(image=IMAGE, name="x y"),
                ]
            ),
        )

    assert refused(build) == [
        ("jd-task-container-names", "ecs_properties.containers[0].name"),
        ("jd-task-container-names", "ecs_properties.containers[1].name"),
    ]


def test_neither_container_nor_task_is_refused() -> None:
    assert refused(lambda s: batch.JobDefinition(s, "JD")) == [
        ("jd-container-or-ecs-properties", "container")
    ]


def test_task_container_secrets_and_images_are_granted_to_the_execution_role() -> None:
    from aws_cdk import aws_ecr as ecr
    from aws_cdk import aws_secretsmanager as sm

    stack = new_stack()
    role = iam.Role(stack, "Exec", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    repo = ecr.Repository(stack, "Repo")
    secret = sm.Secret(stack, "Secret")
    batch.JobDefinition(
        stack,
        "JD",
        platform_capabilities=FARGATE,
        ecs_properties=batch.EcsTaskProperties(
            execution_role=role,
            containers=[
                batch.TaskContainer(
                    image=ecs.ContainerImage.from_ecr_repository(repo),
                    vcpus=0.25,
                    memory_limit_mib=512,
                    secrets={"TOKEN": ecs.Secret.from_secrets_manager(secret)},
                )
            ],
        ),
    )
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    actions = {
        a
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"ecr:BatchGetImage", "ecr:GetAuthorizationToken"} <= actions
    assert "secretsmanager:GetSecretValue" in actions
    (container,) = props_of(stack)["EcsProperties"]["TaskProperties"][0]["Containers"]
    assert container["Secrets"][0]["Name"] == "TOKEN"


def test_multinode_job_role_goes_to_the_ranges_without_one() -> None:
    from aws_cdk import aws_ec2 as ec2

    stack = new_stack()
    own = iam.Role(stack, "Own", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    kind = ec2.InstanceType("c5.large")
    jd = batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(image=IMAGE),
        node_props=batch.MultiNodeProps(
            count=2,
            main_node=0,
            range_props=[
                batch.NodeRangeProps(
                    container=batch.JobDefinitionContainer(image=IMAGE, instance_type=kind),
                    from_node_index=0,
                    to_node_index=0,
                ),
                batch.NodeRangeProps(
                    container=batch.JobDefinitionContainer(
                        image=IMAGE, instance_type=kind, job_role=own
                    ),
                    from_node_index=1,
                    to_node_index=1,
                ),
            ],
        ),
    )
    role = jd.job_role
    assert role is not own
    first, second = props_of(stack)["NodeProperties"]["NodeRangeProperties"]
    assert first["Container"]["JobRoleArn"]["Fn::GetAtt"][1] == "Arn"
    assert second["Container"]["JobRoleArn"] == {
        "Fn::GetAtt": [stack.resolve(own.node.default_child.ref)["Ref"], "Arn"]
    }  # type: ignore[union-attr]


def test_node_ranges_take_no_fargate_platform() -> None:
    from aws_cdk import aws_ec2 as ec2

    def build(stack: cdk.Stack) -> None:
        container = batch.JobDefinitionContainer(
            image=IMAGE,
            instance_type=ec2.InstanceType("c5.large"),
            fargate_cpu_architecture=ecs.CpuArchitecture.ARM64,
        )
        batch.JobDefinition(
            stack,
            "JD",
            container=batch.JobDefinitionContainer(image=IMAGE),
            node_props=batch.MultiNodeProps(
                count=1, main_node=0, range_props=[batch.NodeRangeProps(container=container)]
            ),
        )

    assert refused(build) == [
        (
            "jd-runtime-platform-fargate-only",
            "node_props.range_props[0].container.fargate_cpu_architecture",
        )
    ]


def test_every_keyword_together_passes_cfn_lint() -> None:
    from .lint import cfn_lint_errors

    stack = new_stack()
    role = iam.Role(stack, "Submitter", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    queue = batch.JobQueue.from_job_queue_arn(stack, "Q", QUEUE_ARN)
    windows = batch.JobDefinition(
        stack,
        "Windows",
        platform_capabilities=FARGATE,
        retry_attempts=2,
        retry_strategies=[
            batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED)
        ],
        scheduling_priority=1,
        skip_deregister_on_update=True,
        consumable_resources=[batch.ConsumableResourceRequirement(resource="licences", quantity=1)],
        container=batch.JobDefinitionContainer(
            image=IMAGE,
            execution_role=exec_role(stack),
            vcpus=1,
            memory_limit_mib=2048,
            fargate_cpu_architecture=ecs.CpuArchitecture.X86_64,
            fargate_operating_system_family=ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE,
            ephemeral_storage_size=cdk.Size.gibibytes(21),
        ),
    )
    windows.grant_submit_job(role, queue)
    assert windows.job_role
    task = batch.JobDefinition(
        stack,
        "Task",
        ecs_properties=batch.EcsTaskProperties(
            containers=[batch.TaskContainer(image=IMAGE, vcpus=1, memory_limit_mib=2048)],
            ipc_mode="task",
            pid_mode="task",
        ),
    )
    task.grant_submit_job(role, queue, all_revisions=False)
    assert task.grant_principal
    template = Template.from_stack(stack).to_json()
    assert cfn_lint_errors(template) == []
