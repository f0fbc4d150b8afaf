"""Telling unresolved CDK tokens from concrete values, and showing values in messages.

Values that are unresolved CDK tokens are *unknown*: every check treats an
unknown value as "no problem", leaving it for CloudFormation to judge.
"""

from __future__ import annotations

import re
import struct

_STRING_TOKEN = re.compile(r"[$#]\{Token\[")
# CDK encodes a number token as a double whose top 16 bits are 0xFBFF.
_NUMBER_TOKEN_MARK = 0xFBFF


def is_unknown(value: object) -> bool:
    """Whether ``value`` is an unresolved CDK token (or holds one).

    The check runs in Python, without a call into the CDK runtime: string and
    list tokens carry a ``${Token[`` or ``#{Token[`` marker, and number tokens
    are encoded as doubles with a fixed bit pattern. Objects that are not plain
    data (an ``IResolvable``, for instance) are unknown too.
    """
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        return _STRING_TOKEN.search(value) is not None
    if isinstance(value, float):
        bits: int = struct.unpack("<Q", struct.pack("<d", value))[0]
        return bits >> 48 == _NUMBER_TOKEN_MARK
    if isinstance(value, int):
        return False
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(is_unknown(k) or is_unknown(v) for k, v in value.items())
    return True


def fmt(value: object) -> str:
    """Format a value for an error message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(value)
