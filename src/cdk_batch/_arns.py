"""Reading resource names out of the ARNs that importers are given."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from constructs import Construct

from ._validation import is_unknown
from .errors import BatchValidationError, Problem

_ARN_RULE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"


def resource_name_from_arn(scope: Construct, construct_type: str, arn: str) -> str:
    """The resource name of ``arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/NAME``.

    A concrete ARN is parsed in Python; a malformed one raises
    :class:`BatchValidationError` naming the importer. A token is split by
    CloudFormation at deploy time.
    """
    if is_unknown(arn):
        name = Stack.of(scope).split_arn(arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        assert name is not None
        return name
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 and parts[0] == "arn" else ""
    for sep in ("/", ":"):
        if sep in resource:
            name = resource.split(sep, 1)[1]
            if name:
                return name
    raise BatchValidationError(
        construct_type,
        scope.node.path,
        (
            Problem(
                "arn-resource-name",
                "arn",
                f"must look like arn:PARTITION:batch:REGION:ACCOUNT:TYPE/NAME, got {arn!r}",
                arn,
                _ARN_RULE,
            ),
        ),
    )
