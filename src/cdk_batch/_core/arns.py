"""Reading resource names out of ARNs, in Python and without the CDK runtime."""

from __future__ import annotations


def resource_name(arn: str) -> str | None:
    """The name in ``arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/NAME`` (or ``TYPE:NAME``).

    None when the ARN has no name.
    """
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 and parts[0] == "arn" else ""
    for sep in ("/", ":"):
        if sep in resource:
            name = resource.split(sep, 1)[1]
            if name:
                return name
    return None
