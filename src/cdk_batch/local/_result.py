"""The result of a local deploy: what was created, in what state, and what was not checked."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# Stack statuses
CREATE_COMPLETE = "CREATE_COMPLETE"
FAILED = "FAILED"
NOT_DEPLOYED = "NOT_DEPLOYED"
"""A stack that was not deployed because a stack it depends on failed."""
NO_RESOURCES = "NO_RESOURCES"
"""A stack without resources: nothing to deploy (``cdk deploy`` skips it too)."""

# Resource statuses
CREATED = "created"
NOT_CREATED = "not created"


@dataclass(frozen=True, kw_only=True)
class NotChecked:
    """Something the emulator accepted without verifying it, and why.

    .. versionadded:: 0.2.0
    """

    stack: str
    logical_id: str
    resource_type: str
    what: str
    """The resource, property or aspect concerned."""
    reason: str


@dataclass(frozen=True, kw_only=True)
class ResourceResult:
    """One resource of a deployed stack.

    .. versionadded:: 0.2.0
    """

    logical_id: str
    resource_type: str
    status: str
    """``created``, or ``not created`` (with ``note`` saying why)."""
    physical_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class StackResult:
    """One stack of the app and how its deploy went.

    .. versionadded:: 0.2.0
    """

    artifact_id: str
    stack_name: str
    account: str
    region: str
    status: str
    """``CREATE_COMPLETE``, ``FAILED``, ``NOT_DEPLOYED`` or ``NO_RESOURCES``."""
    seconds: float = 0.0
    resources: tuple[ResourceResult, ...] = ()
    outputs: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    """For a failed stack: the resource's logical ID and the emulator's message."""
    failed_logical_id: str | None = None
    fixups: tuple[str, ...] = ()
    """What was changed or prepared so the emulator could take the stack."""

    @property
    def ok(self) -> bool:
        """True when the stack was created, or had nothing to create."""
        return self.status in (CREATE_COMPLETE, NO_RESOURCES)


@dataclass(frozen=True, kw_only=True)
class BatchState:
    """The state of one compute environment or job queue after the deploy.

    .. versionadded:: 0.2.0
    """

    kind: str
    """``compute environment`` or ``job queue``."""
    stack: str
    logical_id: str
    name: str
    arn: str
    status: str
    """The emulator's status (``VALID`` when usable)."""
    state: str
    """The emulator's state (``ENABLED`` or ``DISABLED``)."""
    expected_state: str
    """The state the template asks for."""
    detail: str = ""
    """For a compute environment its type (``MANAGED EC2``, ``UNMANAGED`` ...); for a queue
    the compute environments in order."""

    @property
    def ok(self) -> bool:
        """True when the resource is VALID and in the state the template asks for."""
        return self.status == "VALID" and self.state == self.expected_state


@dataclass(frozen=True, kw_only=True)
class JobResult:
    """One job submitted to a queue after the deploy, or one that could not be.

    .. versionadded:: 0.2.0
    """

    job_definition: str
    """``Stack/LogicalId`` of the job definition, or the name of a probe definition."""
    queue: str | None
    """``Stack/LogicalId`` of the queue, or None when no queue could run the job."""
    status: str
    """``SUCCEEDED``, ``FAILED``, ``TIMED_OUT``, ``ERROR`` or ``NOT_RUN``."""
    probe: bool = False
    """True when the job definition was registered by the check to exercise a queue that no
    job definition of the app can run on."""
    job_id: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the job was submitted and did not succeed."""
        return self.status in ("SUCCEEDED", "NOT_RUN")


LIMITS = (
    "IAM policies, trust relationships and PassRole are not evaluated",
    "updates and deletes are not checked: only stack creation is exercised",
    "jobs run in the emulator's Docker-free mode: no container starts, a job succeeds at once",
    "images, secrets, launch templates and log groups named by value are not looked up",
    "assets are not built or published",
)
"""What a local deploy never proves, whatever the app."""


@dataclass(frozen=True, kw_only=True)
class LocalResult:
    """Everything a local deploy found.

    ``ok`` is True when every stack was created, every compute environment and
    job queue is VALID in the state its template asks for, and every submitted
    job SUCCEEDED. Entries of ``not_checked`` never make it False, nor do they
    count as verified.

    .. versionadded:: 0.2.0
    """

    stacks: tuple[StackResult, ...]
    compute_environments: tuple[BatchState, ...] = ()
    job_queues: tuple[BatchState, ...] = ()
    jobs: tuple[JobResult, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    fixups: tuple[str, ...] = ()
    """What was prepared or changed so the emulator could take the app, each once."""
    emulator: str = ""
    limits: tuple[str, ...] = LIMITS

    @property
    def ok(self) -> bool:
        """True when nothing failed (see the class docstring)."""
        return (
            all(s.ok for s in self.stacks)
            and all(b.ok for b in (*self.compute_environments, *self.job_queues))
            and all(j.ok for j in self.jobs)
        )

    @property
    def failures(self) -> list[str]:
        """One line per failure, naming the stack and the resource."""
        lines = [
            f"{s.stack_name}: {s.error}" for s in self.stacks if s.status == FAILED and s.error
        ]
        lines += [
            f"{s.stack_name}: not deployed ({s.error})"
            for s in self.stacks
            if s.status == NOT_DEPLOYED
        ]
        for b in (*self.compute_environments, *self.job_queues):
            if not b.ok:
                lines.append(
                    f"{b.stack}/{b.logical_id}: {b.kind} is {b.status}/{b.state}, "
                    f"expected VALID/{b.expected_state}"
                )
        for j in self.jobs:
            if not j.ok:
                lines.append(f"job {j.job_definition} on {j.queue}: {j.status} ({j.reason})")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (for ``--json``)."""
        data = dataclasses.asdict(self)
        data["ok"] = self.ok
        for stack, raw in zip(self.stacks, data["stacks"], strict=True):
            raw["ok"] = stack.ok
        for key in ("compute_environments", "job_queues", "jobs"):
            for item, raw in zip(getattr(self, key), data[key], strict=True):
                raw["ok"] = item.ok
        return data
