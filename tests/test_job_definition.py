"""JobDefinition and ExposedSecret: rendering, importers and the refused props."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Annotations, Match

import cdk_batch as batch
from cdk_batch.errors import BatchValidationError

from .helpers import new_stack, node_classes, number_token, only_resource


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


def image(name: str = "x") -> ecs.ContainerImage:
    return ecs.ContainerImage.from_registry(name)


def jd_props(stack: cdk.Stack) -> dict:
    return only_resource(stack, "AWS::Batch::JobDefinition")["Properties"]


def exec_role(stack: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(stack, "Exec", "arn:aws:iam::123456789012:role/exec")


# --- rendering ---------------------------------------------------------------


def test_ec2_defaults(stack) -> None:
    batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(image=image()))
    props = jd_props(stack)
    assert props["Type"] == "container"
    assert props["PlatformCapabilities"] == ["EC2"]
    assert props["RetryStrategy"] == {"Attempts": 1}
    assert props["Timeout"] == {}
    cp = props["ContainerProperties"]
    assert cp["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "1"},
        {"Type": "MEMORY", "Value": "4"},
    ]
    assert cp["Environment"] == [
        {"Name": "AWS_REGION", "Value": {"Ref": "AWS::Region"}},
        {"Name": "AWS_ACCOUNT", "Value": {"Ref": "AWS::AccountId"}},
    ]
    assert cp["Privileged"] is False and cp["ReadonlyRootFilesystem"] is False


def test_fargate_defaults(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        platform_capabilities=[batch.PlatformCapabilities.FARGATE],
        container=batch.JobDefinitionContainer(
            image=image(), execution_role=exec_role(stack), assign_public_ip=True
        ),
    )
    cp = jd_props(stack)["ContainerProperties"]
    assert cp["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "0.25"},
        {"Type": "MEMORY", "Value": "512"},
    ]
    assert cp["NetworkConfiguration"] == {"AssignPublicIp": "ENABLED"}
    assert cp["ExecutionRoleArn"] == "arn:aws:iam::123456789012:role/exec"


def test_user_environment_comes_first_and_overrides_defaults(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(), environment={"B": "b", "AWS_ACCOUNT": "999"}
        ),
    )
    env = jd_props(stack)["ContainerProperties"]["Environment"]
    assert [e["Name"] for e in env] == ["B", "AWS_ACCOUNT", "AWS_REGION"]
    assert env[1]["Value"] == "999"


def test_numbers_render_as_javascript_does(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(), vcpus=2.0, memory_limit_mib=1024.0, gpu_count=1
        ),
    )
    reqs = jd_props(stack)["ContainerProperties"]["ResourceRequirements"]
    assert reqs == [
        {"Type": "VCPU", "Value": "2"},
        {"Type": "MEMORY", "Value": "1024"},
        {"Type": "GPU", "Value": "1"},
    ]


def test_secrets_are_granted_to_the_execution_role(stack) -> None:
    secret = sm.Secret(stack, "Secret")
    role = iam.Role(stack, "Exec", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(),
            execution_role=role,
            secrets={"PASSWORD": ecs.Secret.from_secrets_manager(secret, "password")},
        ),
    )
    cp = jd_props(stack)["ContainerProperties"]
    assert cp["Secrets"][0]["Name"] == "PASSWORD"
    assert cp["Secrets"][0]["ValueFrom"]["Fn::Join"][1][-1] == ":password::"
    policy = only_resource(stack, "AWS::IAM::Policy")["Properties"]
    assert policy["Roles"] == [{"Ref": stack.get_logical_id(role.node.default_child)}]
    assert "secretsmanager:GetSecretValue" in str(policy["PolicyDocument"])


def test_log_configuration(stack) -> None:
    param = ssm.StringParameter.from_string_parameter_name(stack, "P", "xyz")
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(),
            log_configuration={
                "log_driver": batch.LogDriver.JSON_FILE,
                "options": {"max-size": "10m"},
                "secret_options": [batch.ExposedSecret.from_parameters_store("xyz", param)],
            },
        ),
    )
    log = jd_props(stack)["ContainerProperties"]["LogConfiguration"]
    assert log["LogDriver"] == "json-file"
    assert log["Options"] == {"max-size": "10m"}
    assert log["SecretOptions"][0]["Name"] == "xyz"


def test_exposed_secret_factories(stack) -> None:
    secret = sm.Secret.from_secret_name_v2(stack, "S", "creds")
    param = ssm.StringParameter.from_string_parameter_name(stack, "P", "xyz")
    from_sm = batch.ExposedSecret.from_secrets_manager("a", secret)
    from_ssm = batch.ExposedSecret.from_parameters_store("b", param)
    plain = batch.ExposedSecret("c", "arn:aws:ssm:us-east-1:1:parameter/c")
    assert (from_sm.option_name, from_ssm.option_name, plain.option_name) == ("a", "b", "c")
    assert from_sm.secret_arn == secret.secret_arn
    assert stack.resolve(from_ssm.secret_arn) == stack.resolve(param.parameter_arn)
    assert plain.secret_arn == "arn:aws:ssm:us-east-1:1:parameter/c"


def test_retry_timeout_parameters_and_tags(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        retry_attempts=3,
        timeout=cdk.Duration.minutes(2),
        parameters={"p": "v"},
        propagate_tags=True,
        job_definition_name="named",
        container=batch.JobDefinitionContainer(image=image()),
    )
    props = jd_props(stack)
    assert props["RetryStrategy"] == {"Attempts": 3}
    assert props["Timeout"] == {"AttemptDurationSeconds": 120}
    assert props["Parameters"] == {"p": "v"}
    assert props["PropagateTags"] is True
    assert props["JobDefinitionName"] == "named"


def test_single_node_instance_type_is_dropped_with_a_warning(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(), instance_type=ec2.InstanceType("m5.large")
        ),
    )
    assert "InstanceType" not in jd_props(stack)["ContainerProperties"]
    warnings = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("jd-instance-type-multinode-only")
    )
    assert len(warnings) == 1


def test_linux_parameter_capabilities_warn(stack) -> None:
    lp = ecs.LinuxParameters(stack, "LP")
    lp.add_capabilities(ecs.Capability.SYS_ADMIN)
    batch.JobDefinition(
        stack, "JD", container=batch.JobDefinitionContainer(image=image(), linux_params=lp)
    )
    warnings = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("jd-linux-parameters-capabilities")
    )
    assert len(warnings) == 1


# --- multi-node --------------------------------------------------------------


Range, Nodes = node_classes(batch)


def container(name: str) -> batch.JobDefinitionContainer:
    return batch.JobDefinitionContainer(
        image=image(name), instance_type=ec2.InstanceType("c5.large")
    )


@pytest.mark.parametrize(
    "node_props",
    [
        Nodes(3, 0, [Range(container("a"), 0, 0), Range(container("b"), 1)]),
        batch.MultiNodeProps(
            count=3,
            main_node=0,
            range_props=[
                batch.NodeRangeProps(container=container("a"), to_node_index=0),
                batch.NodeRangeProps(container=container("b"), from_node_index=1),
            ],
        ),
        {
            "count": 3,
            "main_node": 0,
            "range_props": [
                {"container": container("a"), "from_node_index": 0, "to_node_index": 0},
                {"container": container("b"), "from_node_index": 1},
            ],
        },
    ],
    ids=["jsii-implements", "dataclasses", "dicts"],
)
def test_multi_node_definitions(stack, node_props) -> None:
    batch.JobDefinition(stack, "JD", container=container("unused"), node_props=node_props)
    props = jd_props(stack)
    assert props["Type"] == "multinode"
    assert "ContainerProperties" not in props
    nodes = props["NodeProperties"]
    assert (nodes["NumNodes"], nodes["MainNode"]) == (3, 0)
    assert [
        (r["TargetNodes"], r["Container"]["Image"], r["Container"]["InstanceType"])
        for r in nodes["NodeRangeProperties"]
    ] == [("0:0", "a", "c5.large"), ("1:2", "b", "c5.large")]


def test_jsii_implements_classes_satisfy_the_protocols() -> None:
    nodes = Nodes(1, 0, [Range(container("a"))])
    assert isinstance(nodes, batch.IMultiNodeProps)
    assert isinstance(nodes.range_props[0], batch.INodeRangeProps)


# --- attributes and importers --------------------------------------------------


def test_arn_and_name_attributes(stack) -> None:
    jd = batch.JobDefinition(stack, "JD", container=batch.JobDefinitionContainer(image=image()))
    assert stack.resolve(jd.job_definition_arn) == {"Ref": "JDC27EACF9"}
    name = stack.resolve(jd.job_definition_name)
    assert name["Fn::Select"][0] == 0


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        ("arn:aws:batch:us-east-1:555555555555:job-definition/my-job", "my-job"),
        ("arn:aws:batch:us-east-1:555555555555:job-definition/my-job:3", "my-job:3"),
    ],
)
def test_import_by_arn(stack, arn, name) -> None:
    jd = batch.JobDefinition.from_job_definition_arn(stack, "Imported", arn)
    assert jd.job_definition_arn == arn
    assert jd.job_definition_name == name


@pytest.mark.parametrize("name", ["my-job", "my-job:3"])
def test_import_by_name(stack, name) -> None:
    jd = batch.JobDefinition.from_job_definition_name(stack, "Imported", name)
    assert jd.job_definition_name == name
    arn = stack.resolve(jd.job_definition_arn)
    assert arn["Fn::Join"][1][-1] == f":job-definition/{name}"


# --- refused props -------------------------------------------------------------


def test_assign_public_ip_needs_fargate(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.JobDefinition(
            stack,
            "JD",
            container=batch.JobDefinitionContainer(image=image(), assign_public_ip=False),
        )
    assert str(exc.value) == (
        "JobDefinition 'Stack/JD': container.assign_public_ip must not be set when the job can "
        "run on EC2 (platform_capabilities includes EC2, the default); it only applies to "
        "Fargate [rule: jd-assign-public-ip-fargate-only]"
    )


def test_fargate_refuses_gpus_even_zero(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.JobDefinition(
            stack,
            "JD",
            platform_capabilities=[batch.PlatformCapabilities.FARGATE],
            container=batch.JobDefinitionContainer(
                image=image(), execution_role=exec_role(stack), gpu_count=0
            ),
        )
    assert [p.rule_id for p in exc.value.problems] == ["jd-fargate-gpu-absent"]


def test_environment_keys_follow_javascript_order(stack) -> None:
    batch.JobDefinition(
        stack,
        "JD",
        container=batch.JobDefinitionContainer(
            image=image(), environment={"B": "b", "2": "two", "1": "one", "A": "a"}
        ),
    )
    env = jd_props(stack)["ContainerProperties"]["Environment"]
    assert [e["Name"] for e in env] == ["1", "2", "B", "A", "AWS_REGION", "AWS_ACCOUNT"]


def test_fargate_needs_an_execution_role(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.JobDefinition(
            stack,
            "JD",
            platform_capabilities=[batch.PlatformCapabilities.FARGATE],
            container=batch.JobDefinitionContainer(image=image()),
        )
    assert [p.rule_id for p in exc.value.problems] == ["jd-fargate-execution-role-required"]


def test_logentries_is_refused(stack) -> None:
    with pytest.raises(BatchValidationError) as exc:
        batch.JobDefinition(
            stack,
            "JD",
            container=batch.JobDefinitionContainer(
                image=image(),
                log_configuration=batch.LogConfiguration(log_driver=batch.LogDriver.LOGENTRIES),
            ),
        )
    problem = exc.value.problems[0]
    assert problem.rule_id == "jd-log-driver-supported"
    assert problem.property == "container.log_configuration.log_driver"
    assert "AWS Batch does not support LOGENTRIES" in problem.message


def test_tokens_pass_through(stack) -> None:
    n = number_token(stack)
    batch.JobDefinition(
        stack,
        "JD",
        retry_attempts=n,
        container=batch.JobDefinitionContainer(image=image(), vcpus=n, memory_limit_mib=n),
    )
    props = jd_props(stack)
    assert props["RetryStrategy"] == {"Attempts": {"Ref": "N"}}
    assert props["ContainerProperties"]["ResourceRequirements"][0]["Value"] == {"Ref": "N"}
