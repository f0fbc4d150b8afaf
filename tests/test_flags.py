"""The corrected-defaults flags: how they are read, scoped and checked.

What each flag changes in a template is tested beside its construct
(tests/test_flags_*.py); this module tests the mechanism they share.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ecs as ecs
from constructs import Construct

import cdk_batch as batch
from cdk_batch import flags
from cdk_batch._core.flags import flag_on, flags_on
from cdk_batch.errors import BatchValidationError

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/amazonlinux/amazonlinux:2023")


def job_definition(scope: Any, id: str = "JD") -> batch.JobDefinition:
    return batch.JobDefinition(scope, id, container=batch.JobDefinitionContainer(image=IMAGE))


def warnings_on(construct: Any) -> list[str]:
    return [str(m.data) for m in construct.node.metadata if m.type == "aws:cdk:warning"]


# --- the published names ---------------------------------------------------------


def test_every_flag_is_a_constant_under_the_prefix() -> None:
    constants = {
        name: getattr(flags, name)
        for name in flags.__all__
        if name.isupper() and name not in ("ALL", "CORRECTED_DEFAULTS_V1", "PREFIX")
    }
    assert set(constants.values()) == flags.ALL
    assert len(flags.ALL) == 14  # D1-D13 and D15 of the spec; D14 needs no flag
    assert all(v.startswith("@cdk-batch/aws-batch:") for v in flags.ALL)
    assert flags.UPDATE_POLICY == "@cdk-batch/aws-batch:updatePolicy"
    assert flags.DEFAULT_TO_AL2023 == "@cdk-batch/aws-batch:defaultToAL2023"


def test_corrected_defaults_v1_turns_every_flag_on_and_is_frozen() -> None:
    assert dict(flags.CORRECTED_DEFAULTS_V1) == dict.fromkeys(flags.ALL, True)
    with pytest.raises(TypeError):
        flags.CORRECTED_DEFAULTS_V1[flags.UPDATE_POLICY] = False  # type: ignore[index]


def test_corrected_defaults_v1_is_read_as_app_context() -> None:
    app = cdk.App(context=dict(flags.CORRECTED_DEFAULTS_V1))
    stack = cdk.Stack(app, "S")
    jd = job_definition(stack)
    assert flags_on(stack) == flags.ALL
    assert warnings_on(stack) == []
    assert jd.node.path == "S/JD"


# --- values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "on"),
    [(True, True), ("true", True), ("True", True), (False, False), ("false", False)],
)
def test_a_flag_is_on_for_true_and_off_for_false_in_either_spelling(value: Any, on: bool) -> None:
    app = cdk.App(context={flags.KEEP_REVISIONS: value})
    stack = cdk.Stack(app, "S")
    job_definition(stack)
    assert flag_on(stack, flags.KEEP_REVISIONS) is on


def test_an_absent_flag_is_off() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    assert flags_on(stack) == frozenset()


def test_the_string_false_is_off_where_feature_flags_reads_it_as_on() -> None:
    # `cdk synth -c KEY=false` passes the string "false"; aws-cdk-lib's
    # FeatureFlags reads any non-empty string as on. That is why cdk_batch
    # reads its own keys.
    app = cdk.App(context={flags.KEEP_REVISIONS: "false"})
    stack = cdk.Stack(app, "S")
    assert cdk.FeatureFlags.of(stack).is_enabled(flags.KEEP_REVISIONS) is True
    assert flag_on(stack, flags.KEEP_REVISIONS) is False


@pytest.mark.parametrize("value", [True, "true", False])
def test_where_feature_flags_and_cdk_batch_agree(value: Any) -> None:
    app = cdk.App(context={flags.KEEP_REVISIONS: value})
    stack = cdk.Stack(app, "S")
    assert flag_on(stack, flags.KEEP_REVISIONS) is bool(
        cdk.FeatureFlags.of(stack).is_enabled(flags.KEEP_REVISIONS)
    )


@pytest.mark.parametrize("value", ["yes", 1, "on", ""])
def test_a_value_that_is_not_a_boolean_is_refused(value: Any) -> None:
    app = cdk.App(context={flags.NO_EMPTY_TIMEOUT: value})
    stack = cdk.Stack(app, "S")
    with pytest.raises(BatchValidationError) as caught:
        job_definition(stack)
    (problem,) = caught.value.problems
    assert problem.rule_id == "context-flag-value"
    assert problem.property == flags.NO_EMPTY_TIMEOUT
    assert str(caught.value).startswith(
        f"Stack 'S': {flags.NO_EMPTY_TIMEOUT} must be true or false"
    )


# --- scope -----------------------------------------------------------------------


def test_a_flag_set_on_one_stack_leaves_its_sibling_alone() -> None:
    app = cdk.App()
    adopted = cdk.Stack(app, "Adopted")
    adopted.node.set_context(flags.NO_EMPTY_TIMEOUT, True)
    other = cdk.Stack(app, "Other")
    job_definition(adopted)
    job_definition(other)
    assert flag_on(adopted, flags.NO_EMPTY_TIMEOUT)
    assert not flag_on(other, flags.NO_EMPTY_TIMEOUT)


def test_a_flag_set_on_a_construct_reaches_the_constructs_below_it() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "S")
    group = Construct(stack, "G")
    group.node.set_context(flags.KEEP_REVISIONS, True)
    job_definition(group)
    job_definition(stack, "Outside")
    assert flag_on(group, flags.KEEP_REVISIONS)
    assert not flag_on(stack, flags.KEEP_REVISIONS)


def test_the_stack_context_overrides_the_app_context() -> None:
    app = cdk.App(context={flags.KEEP_REVISIONS: True})
    stack = cdk.Stack(app, "S")
    stack.node.set_context(flags.KEEP_REVISIONS, False)
    job_definition(stack)
    assert not flag_on(stack, flags.KEEP_REVISIONS)


# --- unknown keys ----------------------------------------------------------------


def test_an_unknown_key_warns_once_per_stack_naming_the_nearest_flag() -> None:
    app = cdk.App(context={"@cdk-batch/aws-batch:keepRevision": True})
    first, second = cdk.Stack(app, "A"), cdk.Stack(app, "B")
    for stack in (first, second):
        job_definition(stack, "One")
        job_definition(stack, "Two")
    for stack in (first, second):
        (warning,) = warnings_on(stack)
        assert warning.startswith(
            "@cdk-batch/aws-batch:keepRevision is not a cdk_batch flag and has no effect; "
            "did you mean @cdk-batch/aws-batch:keepRevisions? [rule: context-flag-unknown]"
        )
    assert not flag_on(first, flags.KEEP_REVISIONS)


def test_keys_outside_the_prefix_are_not_ours_to_check() -> None:
    app = cdk.App(context={"@aws-cdk/aws-batch:defaultToAL2023": True, "my-key": "x"})
    stack = cdk.Stack(app, "S")
    job_definition(stack)
    assert warnings_on(stack) == []


def test_the_unknown_key_warning_is_acknowledged_by_rule_id() -> None:
    app = cdk.App(context={"@cdk-batch/aws-batch:noEmptyTimout": True})
    stack = cdk.Stack(app, "S")
    cdk.Validations.of(stack).acknowledge(
        cdk.Acknowledgment(id="context-flag-unknown", reason="a key of our own")
    )
    job_definition(stack)
    assert warnings_on(stack) == []


def test_a_stack_without_cdk_batch_constructs_reads_no_flags() -> None:
    # The context is read by the constructs; a plain stack costs nothing.
    app = cdk.App(context={"@cdk-batch/aws-batch:noEmptyTimout": True})
    stack = cdk.Stack(app, "S")
    assert warnings_on(stack) == []
