"""The names of imported resources, read from the ARNs that importers are given."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from constructs import Construct

from .._core.arns import resource_name
from .._core.registry import validate
from .._core.tokens import is_unknown


def resource_name_from_arn(scope: Construct, construct_type: str, arn: str) -> str:
    """The resource name of an imported resource's ARN.

    A concrete ARN is parsed in Python; a malformed one breaks the importer
    rule of ``construct_type`` (``ce-import-arn-format``, ...). A token is
    split by CloudFormation at deploy time.
    """
    if is_unknown(arn):
        name = Stack.of(scope).split_arn(arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        assert name is not None
        return name
    validate(scope, construct_type, arn, on="arn")
    found = resource_name(arn)
    assert found is not None
    return found
