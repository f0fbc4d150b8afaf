"""The rules of the ComputeEnvironment keywords added in 0.2.0.

Images, instance classes, in-place updates, tags, unmanaged vCPUs and launch
template version pinning.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from aws_cdk import aws_ec2 as ec2

from ... import flags
from ..._core.checks import in_range, is_integer
from ..._core.registry import Finding, rule
from ..._core.tokens import fmt, is_unknown
from ..._props.compute_environment import (
    NVIDIA_GPU_FAMILY,
    AllocationStrategy,
    ComputeEnvironmentProps,
    ComputeResources,
    ComputeResourceType,
    DefaultInstanceClass,
    EcsMachineImageType,
    InheritedTags,
    LaunchTemplateVersion,
)
from ..._props.corrected import corrected_defaults
from .common import CE, FARGATE_GUIDE, ec2_resources

_NUMBER_VERSIONS = (LaunchTemplateVersion.LATEST_NUMBER, LaunchTemplateVersion.DEFAULT_NUMBER)


_CFN_CE = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-batch-computeenvironment.html"
)
_CFN_CR = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-properties-batch-computeenvironment-computeresources.html"
)
_EC2_CONFIGURATION_API = (
    "https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html"
)
_UPDATE_POLICY_API = "https://docs.aws.amazon.com/batch/latest/APIReference/API_UpdatePolicy.html"
_INFRASTRUCTURE_UPDATES = (
    "https://docs.aws.amazon.com/batch/latest/userguide/infrastructure-updates.html"
)
_LAUNCH_TEMPLATES = "https://docs.aws.amazon.com/batch/latest/userguide/launch-templates.html"
_SERVICE_LINKED_ROLE = "aws-service-role/batch.amazonaws.com/"
_ECS_IMAGE_TYPES = frozenset(t.value for t in EcsMachineImageType)
_AL2_TYPES = (EcsMachineImageType.ECS_AL2, EcsMachineImageType.ECS_AL2_NVIDIA)
_NVIDIA_TYPES = (EcsMachineImageType.ECS_AL2_NVIDIA, EcsMachineImageType.ECS_AL2023_NVIDIA)
_GPU_FAMILY = NVIDIA_GPU_FAMILY


def _type_name(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _instance_type_names(cr: ComputeResources) -> list[str]:
    if not cr.instance_types:
        return []
    return [t.to_string() for t in cr.instance_types]


@rule(
    "ce-images-count",
    construct=CE,
    properties=("compute_resources.images",),
    summary="images holds one or two entries",
    source=_CFN_CR,
)
def _images_count(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is not None and cr.images is not None and not 1 <= len(cr.images) <= 2:
        yield Finding("compute_resources.images", f"must hold 1 or 2 entries, got {len(cr.images)}")


@rule(
    "ce-image-type-ecs",
    construct=CE,
    properties=("compute_resources.images[].image_type",),
    summary="an ECS compute environment takes only the ECS_* image types",
    source=_EC2_CONFIGURATION_API,
)
def _image_type_ecs(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    for i, image in enumerate(cr.images or () if cr is not None else ()):
        name = _type_name(image.image_type)
        if image.image_type is not None and not is_unknown(name) and name not in _ECS_IMAGE_TYPES:
            yield Finding(
                f"compute_resources.images[{i}].image_type",
                "must be one of "
                + ", ".join(sorted(_ECS_IMAGE_TYPES))
                + f", got {name!r}"
                + (
                    " (EKS image types belong to EKS compute environments)"
                    if name.startswith("EKS")
                    else ""
                ),
                image.image_type,
            )


@rule(
    "ce-image-al2-deprecated",
    construct=CE,
    properties=("compute_resources.images[].image_type",),
    summary="ECS_AL2 and ECS_AL2_NVIDIA images are being retired; use the AL2023 types",
    source=_EC2_CONFIGURATION_API,
    level="warning",
)
def _al2_deprecated(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    for i, image in enumerate(cr.images or () if cr is not None else ()):
        if image.image_type in _AL2_TYPES:
            yield Finding(
                f"compute_resources.images[{i}].image_type",
                f"is {_type_name(image.image_type)}: AWS is ending support for the ECS-optimized "
                "AL2 AMIs, and AWS Batch no longer creates new ECS environments on its AL2 AMIs "
                "from 30 June 2026. Use ECS_AL2023 or ECS_AL2023_NVIDIA (an image without a type "
                "defaults to ECS_AL2 unless the context flag @aws-cdk/aws-batch:defaultToAL2023 "
                "or @cdk-batch/aws-batch:defaultToAL2023 is true)",
                image.image_type,
            )


@rule(
    "ce-gpu-instance-nvidia-image",
    construct=CE,
    properties=("compute_resources.instance_types", "compute_resources.images"),
    summary="GPU instance types with images set need an *_NVIDIA image type",
    source=_EC2_CONFIGURATION_API,
    level="warning",
)
def _gpu_needs_nvidia(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or not cr.images:
        return
    gpu = [t for t in _instance_type_names(cr) if not is_unknown(t) and _GPU_FAMILY.match(t)]
    if gpu and not any(i.image_type in _NVIDIA_TYPES for i in cr.images):
        yield Finding(
            "compute_resources.images",
            f"has no ECS_AL2023_NVIDIA (or ECS_AL2_NVIDIA) entry for the GPU instance types "
            f"{', '.join(gpu)}; their instances start without NVIDIA drivers and GPU jobs "
            "cannot run. Add EcsMachineImage(image_type=EcsMachineImageType.ECS_AL2023_NVIDIA)",
        )


@rule(
    "ce-images-override-image",
    construct=CE,
    properties=("compute_resources.images[].image", "compute_resources.image"),
    summary="an images entry with an image overrides the classic image",
    source=_CFN_CR,
    level="warning",
)
def _images_override_image(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or cr.image is None or not cr.images:
        return
    if any(i.image is not None for i in cr.images):
        yield Finding(
            "compute_resources.image",
            "is overridden by the image of an images entry (ImageIdOverride wins over "
            "ImageId); give the AMI in one place",
        )


def _architecture_of(name: str) -> str | None:
    if name in ("optimal", DefaultInstanceClass.X86_64.value):
        return "x86_64"
    if name == DefaultInstanceClass.ARM64.value:
        return "arm64"
    return None


@rule(
    "ce-default-instance-classes-architecture",
    construct=CE,
    properties=("compute_resources.default_instance_classes", "compute_resources.instance_types"),
    summary="default instance classes and instance types share one CPU architecture",
    source=_CFN_CR,
)
def _classes_one_architecture(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is None or not cr.default_instance_classes:
        return
    found: dict[str, str] = {}
    for c in cr.default_instance_classes:
        arch = _architecture_of(_type_name(c))
        if arch is not None:
            found.setdefault(arch, _type_name(c))
    for t in cr.instance_types or ():
        name = t.to_string()
        arch = _architecture_of(name)
        if arch is None:
            try:
                arch = "arm64" if t.architecture.name == "ARM_64" else "x86_64"
            except RuntimeError:  # a family name CDK cannot classify
                continue
        found.setdefault(arch, name)
    if len(found) > 1:
        yield Finding(
            "compute_resources.default_instance_classes",
            f"mix CPU architectures: {found['x86_64']} is x86_64 and {found['arm64']} is "
            "arm64; AWS Batch takes instance types of one architecture per environment",
        )


@rule(
    "ce-update-timeout-range",
    construct=CE,
    properties=("update_timeout",),
    summary="update_timeout is a whole number of minutes from 1 to 360",
    source=_UPDATE_POLICY_API,
)
def _update_timeout_range(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.update_timeout is None or p.update_timeout.is_unresolved():
        return
    seconds = p.update_timeout.to_seconds()
    if seconds % 60:
        yield Finding(
            "update_timeout", f"must be a whole number of minutes, got {fmt(seconds)} seconds"
        )
        return
    for f in in_range(seconds / 60, "update_timeout", 1, 360):
        yield Finding(f.property, f.message + " minutes", f.value)


@rule(
    "ce-update-timeout-terminate",
    construct=CE,
    properties=("update_timeout", "terminate_on_update"),
    summary="update_timeout has no effect when terminate_on_update is true",
    source=_UPDATE_POLICY_API,
    level="warning",
)
def _timeout_with_terminate(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.update_timeout is not None and p.terminate_on_update is True:
        yield Finding(
            "update_timeout",
            "has no effect: terminate_on_update=True ends running jobs at once when the "
            "infrastructure is updated; drop one of the two",
        )


_UPDATE_KEYWORDS = ("replace_compute_environment", "terminate_on_update", "update_timeout")


@rule(
    "ce-update-policy-unmanaged",
    construct=CE,
    properties=_UPDATE_KEYWORDS,
    summary="an unmanaged compute environment takes no update policy or replacement setting",
    source=_CFN_CE,
)
def _update_on_unmanaged(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.is_managed:
        return
    for name in _UPDATE_KEYWORDS:
        if getattr(p, name) is not None:
            yield Finding(
                name,
                "must not be set when managed is false; AWS Batch manages no instances "
                "it could update",
                getattr(p, name),
            )


@rule(
    "ce-update-policy-fargate",
    construct=CE,
    properties=_UPDATE_KEYWORDS,
    summary="update policy and replacement settings have no effect on Fargate",
    source=_CFN_CE,
    level="warning",
)
def _update_on_fargate(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if not (p.is_managed and p.is_fargate):
        return
    for name in _UPDATE_KEYWORDS:
        if getattr(p, name) is not None:
            yield Finding(
                name,
                f"has no effect for type {p.resource_type.name}: Fargate environments are "
                "always updated without interruption and have no infrastructure updates",
            )


def _uses_ami(cr: ComputeResources) -> bool:
    # A launch template is left out on purpose: the LaunchTemplateSpecification
    # reference says an AMI taken from a launch template changes on an update
    # only when update_to_latest_image_version is true.
    return cr.image is not None or any(i.image is not None for i in cr.images or ())


@rule(
    "ce-update-latest-image-ignored",
    construct=CE,
    properties=(
        "compute_resources.update_to_latest_image_version",
        "compute_resources.image",
        "compute_resources.images[].image",
    ),
    summary="update_to_latest_image_version is ignored when an AMI id is given",
    source=_CFN_CR,
    level="warning",
)
def _latest_image_ignored(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    if cr is not None and cr.update_to_latest_image_version is True and _uses_ami(cr):
        yield Finding(
            "compute_resources.update_to_latest_image_version",
            "is ignored by AWS Batch when an AMI id is given (image, or an images entry's "
            "image); move that AMI forward yourself, or give image types only",
        )


def _strategy(p: ComputeEnvironmentProps, cr: ComputeResources) -> AllocationStrategy:
    if cr.allocation_strategy is not None:
        return cr.allocation_strategy
    if p.resource_type is ComputeResourceType.SPOT:
        return AllocationStrategy.SPOT_CAPACITY_OPTIMIZED
    return AllocationStrategy.BEST_FIT


def _regular_service_role(p: ComputeEnvironmentProps) -> str | None:
    """The service role's ARN when it is not the service-linked role ('' when created here)."""
    if p.service_role is None:
        # With serviceLinkedRole on, no role is created: Batch uses its service-linked role.
        return None if flags.SERVICE_LINKED_ROLE in corrected_defaults(p) else ""
    arn = p.service_role.role_arn
    if is_unknown(arn) or _SERVICE_LINKED_ROLE in arn:
        return None
    return arn


def _infrastructure_update_blockers(p: ComputeEnvironmentProps) -> list[str]:
    cr = ec2_resources(p)
    if cr is None:
        return []
    blockers = []
    if _strategy(p, cr) is AllocationStrategy.BEST_FIT:
        blockers.append("the allocation strategy is BEST_FIT (the default for ON_DEMAND)")
    role = _regular_service_role(p)
    if role is not None:
        blockers.append(
            "the service role is "
            + ("the role created here" if role == "" else repr(role))
            + ", not the service-linked role AWSServiceRoleForBatch"
        )
    return blockers


@rule(
    "ce-infrastructure-update-unsupported",
    construct=CE,
    properties=(
        "replace_compute_environment",
        "compute_resources.allocation_strategy",
        "service_role",
    ),
    summary=(
        "replace_compute_environment=False needs a strategy other than BEST_FIT and the "
        "service-linked role, or infrastructure changes fail"
    ),
    source=_INFRASTRUCTURE_UPDATES,
    level="warning",
)
def _infrastructure_update_unsupported(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.replace_compute_environment is not False:
        return
    blockers = _infrastructure_update_blockers(p)
    if blockers:
        yield Finding(
            "replace_compute_environment",
            "is False, but AWS Batch cannot update this environment's instances in place: "
            + "; ".join(blockers)
            + ". A change of instance types, AMI, launch template, subnets, security groups or "
            "instance tags then fails the stack update instead of replacing the environment "
            "(vCPU limits and state still update). Use BEST_FIT_PROGRESSIVE or "
            "SPOT_PRICE_CAPACITY_OPTIMIZED and service_role=the AWSServiceRoleForBatch "
            "role; a role of the other kind cannot be swapped in place, so do it on a new "
            "environment",
        )


@rule(
    "ce-named-replacement",
    construct=CE,
    properties=("compute_environment_name", "replace_compute_environment"),
    summary=(
        "a named compute environment cannot be replaced: a change that needs replacement fails"
    ),
    source=_CFN_CE,
    level="warning",
)
def _named_replacement(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if (
        p.compute_environment_name is None
        or not p.is_managed
        or p.is_fargate
        or p.replace_compute_environment is False
    ):
        return
    yield Finding(
        "compute_environment_name",
        "is set, and replace_compute_environment is not False: a later change of instance "
        "types, AMI, launch template, subnets, security groups, instance role or instance "
        "tags makes CloudFormation create a replacement environment of the same name first, "
        "which fails, and the stack update rolls back. Drop the name (a replacement then "
        "creates a new environment, points the queues at it and deletes the old one, whose "
        "instances and running jobs are terminated), or set replace_compute_environment=False "
        "in a deployment of its own so "
        "such changes update the instances in place",
    )


@rule(
    "ce-tags-force-replacement",
    construct=CE,
    properties=("inherited_tags", "compute_environment_name"),
    summary="a named compute environment with inherited tags on the resource: a tag change fails",
    source=_CFN_CE,
    level="warning",
)
def _tags_force_replacement(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.compute_environment_name is None or p.inherited_tags not in (None, InheritedTags.RESOURCE):
        return
    better = (
        "InheritedTags.INSTANCES (tags on the instances) or InheritedTags.IGNORE"
        if p.is_managed and not p.is_fargate
        else "InheritedTags.IGNORE"
    )
    yield Finding(
        "inherited_tags",
        "renders inherited tags (Tags.of(...).add) on the environment itself, where a tag "
        "change replaces it, and the replacement of a named environment fails. For a new "
        f"environment pass inherited_tags={better} to keep tag changes from touching it "
        "(on a live one the switch itself removes its tags, a replacement)",
        p.inherited_tags,
    )


@rule(
    "ce-inherited-tags-instances",
    construct=CE,
    properties=("inherited_tags",),
    summary="inherited_tags=INSTANCES needs a managed EC2 or Spot environment",
    source=FARGATE_GUIDE,
)
def _inherited_tags_instances(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.inherited_tags is InheritedTags.INSTANCES and ec2_resources(p) is None:
        kind = "unmanaged" if not p.is_managed else p.resource_type.name
        yield Finding(
            "inherited_tags",
            f"must not be INSTANCES for a {kind} environment, which has no instances of "
            "its own to tag; use IGNORE or RESOURCE",
            p.inherited_tags,
        )


@rule(
    "ce-unmanagedv-cpus-unmanaged-only",
    construct=CE,
    properties=("unmanagedv_cpus", "managed"),
    summary="unmanagedv_cpus is only for an unmanaged compute environment",
    source=_CFN_CE,
)
def _unmanagedv_only_unmanaged(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    if p.unmanagedv_cpus is not None and p.is_managed:
        yield Finding(
            "unmanagedv_cpus",
            "is only allowed when managed is false; a managed environment takes its "
            "limits from compute_resources",
            p.unmanagedv_cpus,
        )


@rule(
    "ce-unmanagedv-cpus-range",
    construct=CE,
    properties=("unmanagedv_cpus",),
    summary="unmanagedv_cpus is a whole number of at least 0",
    source=_CFN_CE,
)
def _unmanagedv_range(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    yield from in_range(p.unmanagedv_cpus, "unmanagedv_cpus", low=0)
    yield from is_integer(p.unmanagedv_cpus, "unmanagedv_cpus")


@rule(
    "ce-launch-template-version-number",
    construct=CE,
    properties=("compute_resources.launch_template.version",),
    summary="LATEST_NUMBER and DEFAULT_NUMBER need a launch template defined in this app",
    source="https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecification.html",
)
def _version_number_known(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    lt = cr.launch_template if cr is not None else None
    if lt is None or lt.template is None or lt.version not in _NUMBER_VERSIONS:
        return
    if not isinstance(lt.template, ec2.LaunchTemplate):
        yield Finding(
            "compute_resources.launch_template.version",
            f"is {LaunchTemplateVersion(lt.version).name}, but the version numbers of an "
            "imported launch template are not known here; pass a version number, "
            "LaunchTemplateVersion.LATEST or LaunchTemplateVersion.DEFAULT",
            lt.version,
        )


@rule(
    "ce-launch-template-pinned-replacement",
    construct=CE,
    properties=(
        "compute_resources.launch_template.version",
        "replace_compute_environment",
        "compute_resources.allocation_strategy",
    ),
    summary=(
        "a pinned launch template version replaces the environment on every template edit "
        "unless infrastructure updates are possible"
    ),
    source=_CFN_CE,
    level="warning",
)
def _pinned_replacement(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    lt = cr.launch_template if cr is not None else None
    if lt is None or lt.template is None or not lt.is_pinned:
        return
    if p.replace_compute_environment is False:
        blockers = _infrastructure_update_blockers(p)
        if not blockers:
            return
        why = "infrastructure updates are not possible: " + "; ".join(blockers)
        what = "each template edit makes the stack update fail"
    else:
        why = "replace_compute_environment is not False"
        what = (
            "each template edit replaces the environment: CloudFormation creates a new one "
            "and deletes the old one, whose running jobs are cancelled"
        )
    yield Finding(
        "compute_resources.launch_template.version",
        f"is pinned to a version number and {why}, so {what}. To roll template edits "
        "out in place, set replace_compute_environment=False (in a deployment of its own) "
        "with a strategy other than BEST_FIT and the service-linked role",
    )


@rule(
    "ce-launch-template-user-data-mime",
    construct=CE,
    properties=("compute_resources.launch_template.template",),
    summary="a launch template's user data must be MIME multipart (ec2.MultipartUserData)",
    source=_LAUNCH_TEMPLATES,
    level="warning",
)
def _user_data_mime(p: ComputeEnvironmentProps) -> Iterator[Finding]:
    cr = ec2_resources(p)
    lt = cr.launch_template if cr is not None else None
    if lt is None or not isinstance(lt.template, ec2.LaunchTemplate):
        return
    user_data = lt.template.user_data
    if user_data is not None and not isinstance(user_data, ec2.MultipartUserData):
        yield Finding(
            "compute_resources.launch_template.template",
            "has user data that is not MIME multipart; AWS Batch merges its own user data "
            "into the template's and the environment becomes INVALID. Build the template "
            "with user_data=ec2.MultipartUserData() and add your script as a part",
        )
