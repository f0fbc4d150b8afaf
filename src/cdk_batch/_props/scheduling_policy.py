"""The props of scheduling policies: shares, the props struct and the interfaces.

A job queue without a scheduling policy runs its jobs first in, first out. A
fair-share policy instead divides the queue's compute among share identifiers
by weight, so that one busy team cannot starve another.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_scheduling.html
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aws_cdk import Duration, IResource

from .._core.structs import Struct, coerce

__all__ = [
    "FairshareSchedulingPolicyProps",
    "IFairshareSchedulingPolicy",
    "ISchedulingPolicy",
    "Share",
]


@dataclass(frozen=True, kw_only=True, repr=False)
class Share(Struct):
    """The weight of one share identifier (or of every identifier with a prefix).

    .. versionadded:: 0.2.0
    """

    share_identifier: str
    """The share identifier that jobs are submitted with.

    Up to 255 letters and digits; a trailing ``*`` makes it a prefix that
    covers every identifier starting with the letters before it.
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_ShareAttributes.html
    """
    weight_factor: float
    """The weight of the identifier, from 0.0001 to 999.9999.

    A lower weight gets more compute: jobs with weight 0.5 receive twice the
    share of jobs with weight 1 (the weight of identifiers not listed).
    """


@dataclass(frozen=True, kw_only=True, repr=False)
class FairshareSchedulingPolicyProps(Struct):
    """The props of :class:`FairshareSchedulingPolicy`.

    .. versionadded:: 0.2.0
    """

    compute_reservation: float | None = None
    """The percentage (0 to 99) of the maximum vCPUs held back for identifiers not yet active.

    Batch reserves ``(compute_reservation / 100) ** active_identifiers`` of
    the capacity, so the reservation shrinks as more identifiers run.
    Default: no reservation
    See: https://docs.aws.amazon.com/batch/latest/APIReference/API_FairsharePolicy.html
    """
    scheduling_policy_name: str | None = None
    """The name of the policy; changing it replaces the policy.

    Default: a name CloudFormation generates
    """
    share_decay: Duration | None = None
    """The window over which past usage counts, in whole seconds up to 7 days.

    Zero means the shortest window AWS Batch allows (600 seconds).
    Default: none set, so AWS Batch's default window applies
    """
    shares: Sequence[Share] | None = None
    """The weights of share identifiers. Default: no shares (every identifier weighs 1)"""

    def __post_init__(self) -> None:
        if self.shares is not None:
            object.__setattr__(self, "shares", [coerce(Share, s) for s in self.shares])


class ISchedulingPolicy(IResource, Protocol):
    """A scheduling policy: one defined in this app, or one imported by ARN.

    .. versionadded:: 0.2.0
    """

    @property
    def scheduling_policy_arn(self) -> str:
        """The ARN of the scheduling policy."""
        ...

    @property
    def scheduling_policy_name(self) -> str:
        """The name of the scheduling policy."""
        ...


class IFairshareSchedulingPolicy(ISchedulingPolicy, Protocol):
    """A fair-share scheduling policy.

    .. versionadded:: 0.2.0
    """
