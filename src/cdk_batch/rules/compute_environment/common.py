"""What the classic and the 0.2.0 rules of ComputeEnvironment share."""

from __future__ import annotations

from ..._props.compute_environment import ComputeEnvironmentProps, ComputeResources

CE = "ComputeEnvironment"
CE_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateComputeEnvironment.html"
CR_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html"
FARGATE_GUIDE = (
    "https://docs.aws.amazon.com/batch/latest/userguide/fargate-compute-environments.html"
)
TAGS_GUIDE = "https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html"


def ec2_resources(p: ComputeEnvironmentProps) -> ComputeResources | None:
    """The compute resources of a managed EC2 or Spot environment, else None."""
    cr = p.compute_resources
    return cr if cr is not None and p.is_managed and not p.is_fargate else None
