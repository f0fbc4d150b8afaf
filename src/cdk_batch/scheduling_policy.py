"""Fair-share scheduling policies: how a job queue divides compute among share identifiers.

Attach a policy to a queue with ``JobQueue(..., scheduling_policy=policy)``.
Jobs are then submitted with a share identifier, and each identifier gets
compute in inverse proportion to its weight, measured over the decay window.

See: https://docs.aws.amazon.com/batch/latest/userguide/job_scheduling.html

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Fn, Resource
from aws_cdk import aws_batch as cfn
from constructs import Construct

from ._core.registry import validate
from ._core.structs import coerce
from ._props.scheduling_policy import (
    FairshareSchedulingPolicyProps,
    IFairshareSchedulingPolicy,
    ISchedulingPolicy,
    Share,
)
from ._render.arns import resource_name_from_arn
from ._render.direct import init_resource, new
from ._render.shared import arn_attribute

__all__ = [
    "FairshareSchedulingPolicy",
    "FairshareSchedulingPolicyProps",
    "IFairshareSchedulingPolicy",
    "ISchedulingPolicy",
    "Share",
]


class FairshareSchedulingPolicy(Resource):
    """An AWS Batch fair-share scheduling policy (``AWS::Batch::SchedulingPolicy``).

    Shares can be given when the policy is created or added later with
    :meth:`add_share`. The template always holds a ``FairsharePolicy`` (with
    an empty ``ShareDistribution`` when there are no shares), so a policy
    without shares still makes its queues fair-share queues.

    Raises:
        BatchValidationError: the props break a rule (see ``docs/validation.md``).

    .. versionadded:: 0.2.0

    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        compute_reservation: float | None = None,
        scheduling_policy_name: str | None = None,
        share_decay: Duration | None = None,
        shares: Sequence[Share | Mapping[str, Any]] | None = None,
    ) -> None:
        init_resource(self, scope, id, physical_name=scheduling_policy_name)
        props = FairshareSchedulingPolicyProps(
            compute_reservation=compute_reservation,
            scheduling_policy_name=scheduling_policy_name,
            share_decay=share_decay,
            shares=[coerce(Share, s) for s in shares] if shares is not None else None,
        )
        validate(self, "FairshareSchedulingPolicy", props)
        self._props = props
        self._resource = new(
            cfn.CfnSchedulingPolicy,
            self,
            "Resource",
            fairshare_policy=cfn.CfnSchedulingPolicy.FairsharePolicyProperty(
                compute_reservation=compute_reservation,
                share_decay_seconds=share_decay.to_seconds() if share_decay is not None else None,
                share_distribution=[
                    cfn.CfnSchedulingPolicy.ShareAttributesProperty(
                        share_identifier=s.share_identifier, weight_factor=s.weight_factor
                    )
                    for s in props.shares or ()
                ],
            ),
            name=scheduling_policy_name,
        )
        self._arn: str | None = None
        self._name: str | None = None

    @staticmethod
    def from_fairshare_scheduling_policy_arn(
        scope: Construct, id: str, fairshare_scheduling_policy_arn: str
    ) -> IFairshareSchedulingPolicy:
        """Refer to an existing fair-share scheduling policy by its ARN.

        The name is read from the ARN (``...:scheduling-policy/NAME``).
        """
        return _ImportedFairshareSchedulingPolicy(scope, id, fairshare_scheduling_policy_arn)

    @property
    def scheduling_policy_arn(self) -> str:
        """The ARN of the scheduling policy."""
        if self._arn is None:
            self._arn = arn_attribute(
                self,
                self._resource,
                "scheduling-policy",
                self._props.scheduling_policy_name,
                arn=self._resource.attr_arn,
            )
        return self._arn

    @property
    def scheduling_policy_name(self) -> str:
        """The name of the scheduling policy, read from its ARN."""
        if self._name is None:
            self._name = self._get_resource_name_attribute(
                Fn.select(1, Fn.split("/", self._resource.attr_arn))
            )
        return self._name

    @property
    def compute_reservation(self) -> float | None:
        """The share of vCPUs held back for identifiers not yet active, if set."""
        return self._props.compute_reservation

    @property
    def share_decay(self) -> Duration | None:
        """The window over which usage counts, if set."""
        return self._props.share_decay

    @property
    def shares(self) -> list[Share]:
        """The shares of the policy, including those added with :meth:`add_share`."""
        return list(self._props.shares or ())

    def add_share(self, *, share_identifier: str, weight_factor: float) -> None:
        """Give a share identifier (or prefix ending in ``*``) a weight.

        Raises:
            BatchValidationError: the share breaks a rule of the policy, for
                example it overlaps a share already listed.

        """
        share = Share(share_identifier=share_identifier, weight_factor=weight_factor)
        props = dataclasses.replace(self._props, shares=[*self.shares, share])
        validate(self, "FairshareSchedulingPolicy", props)
        self._props = props
        # One call that replaces the rendered list, rather than a value the
        # CDK runtime asks Python for at synth time.
        self._resource.add_property_override(
            "FairsharePolicy.ShareDistribution",
            [
                {"ShareIdentifier": s.share_identifier, "WeightFactor": s.weight_factor}
                for s in props.shares or ()
            ],
        )


class _ImportedFairshareSchedulingPolicy(Resource):
    """A fair-share scheduling policy that exists outside this app, known by its ARN."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._name = resource_name_from_arn(self, "FairshareSchedulingPolicy", arn)

    @property
    def scheduling_policy_arn(self) -> str:
        """The ARN the policy was imported with."""
        return self._arn

    @property
    def scheduling_policy_name(self) -> str:
        """The name part of the ARN."""
        return self._name
