"""The text form of a local deploy: a progress line per stack, then one report."""

from __future__ import annotations

from collections import Counter

from ._result import FAILED, NO_RESOURCES, NOT_DEPLOYED, LocalResult, StackResult


def stack_line(result: StackResult, index: int, total: int) -> str:
    """One progress line for a stack that has just been deployed (or not)."""
    width = len(str(total))
    head = (
        f"[{index:>{width}}/{total}] {result.stack_name:<40} aws://{result.account}/{result.region}"
    )
    if result.status == NO_RESOURCES:
        return f"{head}  no resources: nothing to deploy (cdk deploy skips it too)"
    if result.status == NOT_DEPLOYED:
        return f"{head}  NOT DEPLOYED: {result.error}"
    if result.status == FAILED:
        return f"{head}  FAILED after {result.seconds:.2f} s\n      {result.error}"
    created = sum(1 for r in result.resources if r.status == "created")
    return f"{head}  {result.status}  {created:>3} resources  {result.seconds:.2f} s"


def report(result: LocalResult, *, resources: bool = False) -> str:
    """The report that follows the progress lines."""
    out: list[str] = []
    if resources:
        for s in result.stacks:
            if not s.resources:
                continue
            out.append(f"Resources of {s.stack_name}")
            for r in s.resources:
                extra = r.physical_id if r.status == "created" else f"NOT CREATED: {r.note}"
                out.append(f"  {r.logical_id:<44} {r.resource_type:<40} {extra}")
    if result.compute_environments:
        out.append("Compute environments")
        for b in result.compute_environments:
            out.append(
                f"  {b.stack + '/' + b.logical_id:<70} {b.detail:<20} {b.status}/{b.state}"
                + ("" if b.ok else f"  expected VALID/{b.expected_state}")
            )
    if result.job_queues:
        out.append("Job queues")
        for b in result.job_queues:
            out.append(
                f"  {b.stack + '/' + b.logical_id:<70} {b.status}/{b.state}"
                + ("" if b.ok else f"  expected VALID/{b.expected_state}")
            )
    if result.jobs:
        out.append("Jobs")
        for j in result.jobs:
            what = f"{j.job_definition}{' (probe)' if j.probe else ''}"
            if j.queue is None:
                out.append(f"  {what:<70} not run (not checked): {j.reason}")
            else:
                reason = f" ({j.reason})" if j.reason and j.status != "SUCCEEDED" else ""
                out.append(f"  {what:<70} on {j.queue}: {j.status}{reason}")
    if result.fixups:
        out.append("Prepared for the emulator")
        out.extend(f"  {f}" for f in result.fixups)
    if result.not_checked:
        out.append("Not checked (the emulator accepted these without verifying them)")
        for n in result.not_checked:
            out.append(f"  {n.stack}/{n.logical_id} {n.what}: {n.reason}")
    out.append("Never checked locally: " + "; ".join(result.limits))
    out.append(summary(result))
    return "\n".join(out)


def summary(result: LocalResult) -> str:
    """One line: what passed, what failed, what was not checked."""
    statuses = Counter(s.status for s in result.stacks)
    deployed = statuses["CREATE_COMPLETE"]
    parts = [f"{deployed} stacks created"]
    if statuses[NO_RESOURCES]:
        parts.append(f"{statuses[NO_RESOURCES]} without resources")
    if statuses[FAILED]:
        parts.append(f"{statuses[FAILED]} failed")
    if statuses[NOT_DEPLOYED]:
        parts.append(f"{statuses[NOT_DEPLOYED]} not deployed")
    envs = result.compute_environments
    queues = result.job_queues
    parts.append(f"{sum(b.ok for b in envs)}/{len(envs)} compute environments VALID")
    parts.append(f"{sum(b.ok for b in queues)}/{len(queues)} job queues VALID")
    if result.jobs:
        ran = [j for j in result.jobs if j.queue is not None]
        parts.append(
            f"{sum(j.status == 'SUCCEEDED' for j in ran)}/{len(ran)} jobs SUCCEEDED"
            + (f", {len(result.jobs) - len(ran)} not run" if len(ran) < len(result.jobs) else "")
        )
    parts.append(f"{len(result.not_checked)} not checked")
    verdict = "local deploy ok" if result.ok else "local deploy FAILED"
    return f"{verdict}: " + ", ".join(parts)
