"""The rules of FairshareSchedulingPolicy props."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .._core.checks import in_range, is_integer, name_format
from .._core.registry import Finding, rule
from .._core.tokens import fmt, is_unknown
from .._props.scheduling_policy import FairshareSchedulingPolicyProps

_SP = "FairshareSchedulingPolicy"
_POLICY_CFN = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-batch-schedulingpolicy.html"
)
_FAIRSHARE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_FairsharePolicy.html"
_SHARE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_ShareAttributes.html"
_IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,255}\*?")


@rule(
    "sp-name-format",
    construct=_SP,
    properties=("scheduling_policy_name",),
    summary="the name is 1 to 128 letters, digits, hyphens and underscores",
    source=_POLICY_CFN,
)
def _name_format(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    yield from name_format(p.scheduling_policy_name, "scheduling_policy_name")


@rule(
    "sp-compute-reservation-range",
    construct=_SP,
    properties=("compute_reservation",),
    summary="compute_reservation is a whole number from 0 to 99",
    source=_FAIRSHARE_API,
)
def _reservation_range(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    yield from in_range(p.compute_reservation, "compute_reservation", 0, 99)
    yield from is_integer(p.compute_reservation, "compute_reservation")


@rule(
    "sp-share-decay-range",
    construct=_SP,
    properties=("share_decay",),
    summary="share_decay is a whole number of seconds from 0 to 604800 (7 days)",
    source=_FAIRSHARE_API,
)
def _decay_range(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    decay = p.share_decay
    if decay is None or decay.is_unresolved():
        return
    seconds = decay.to_seconds(integral=False)
    if not 0 <= seconds <= 604800 or not float(seconds).is_integer():
        yield Finding(
            "share_decay",
            f"must be a whole number of seconds from 0 to 604800, got {fmt(seconds)} seconds",
            seconds,
        )


@rule(
    "sp-weight-factor-range",
    construct=_SP,
    properties=("shares[].weight_factor",),
    summary="each weight_factor is between 0.0001 and 999.9999",
    source=_SHARE_API,
)
def _weight_range(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    for i, share in enumerate(p.shares or ()):
        yield from in_range(share.weight_factor, f"shares[{i}].weight_factor", 0.0001, 999.9999)


@rule(
    "sp-share-identifier-format",
    construct=_SP,
    properties=("shares[].share_identifier",),
    summary="a share identifier is 1 to 255 letters and digits, optionally ending in '*'",
    source=_SHARE_API,
)
def _identifier_format(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    for i, share in enumerate(p.shares or ()):
        ident = share.share_identifier
        if is_unknown(ident) or _IDENTIFIER.fullmatch(ident):
            continue
        yield Finding(
            f"shares[{i}].share_identifier",
            f"must be 1 to 255 letters and digits, optionally followed by '*', got {fmt(ident)}",
            ident,
        )


@rule(
    "sp-share-identifier-overlap",
    construct=_SP,
    properties=("shares[].share_identifier",),
    summary="share identifiers are distinct and no prefix ('UserA*') covers another ('UserA1')",
    source=_SHARE_API,
)
def _identifiers_disjoint(p: FairshareSchedulingPolicyProps) -> Iterator[Finding]:
    idents = [s.share_identifier for s in p.shares or () if not is_unknown(s.share_identifier)]
    for ident, n in Counter(idents).items():
        if n > 1:
            yield Finding(
                "shares", f"must list each share identifier once, got {ident!r} {n} times"
            )
    distinct = list(dict.fromkeys(idents))
    for prefix in (i for i in distinct if i.endswith("*")):
        stem = prefix[:-1]
        for other in distinct:
            if other != prefix and other.rstrip("*").startswith(stem):
                yield Finding(
                    "shares",
                    f"must not overlap: the prefix {prefix!r} also covers {other!r}",
                    other,
                )
