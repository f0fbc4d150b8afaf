"""One benchmark measurement in a fresh process (run by bench/run.py).

Builds an app of N sets with one implementation and prints one JSON line:
import, build and synth times, the CPU time of this process and of its
Node.js child, their peak memory, and the requests to the jsii kernel (round
trips), in all and per construct kind.

A set is one managed EC2 compute environment, one Fargate compute
environment, a job queue over each and one job definition with command,
environment, vCPUs and memory; every 25 sets go into a new stack with its own
VPC, to stay under CloudFormation's 500 resources per stack. The ``stable``
implementation builds the nearest equivalent program with aws-cdk-lib's own
``aws_cdk.aws_batch`` module.

The environment variable CDK_VALIDATION is read by aws-cdk-lib when the app
synthesizes; ``--validation off`` sets it to ``false`` before anything is
imported, which turns off aws-cdk-lib's template validation at synth.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MODULES = {
    "reference": "aws_cdk.aws_batch_alpha",
    "cdk_batch": "cdk_batch",
    "stable": "aws_cdk.aws_batch",
}
SETS_PER_STACK = 25
KINDS = ("ec2_environment", "fargate_environment", "job_queue", "job_definition")


def count_kernel_requests() -> dict[str, int]:
    """Wrap the jsii kernel's request methods; return the live counters."""
    import jsii

    provider = jsii.kernel.provider
    counts: dict[str, int] = {}
    # A callback from Node.js into Python (a Lazy producer, a Python override)
    # ends with ``sync_complete``: it is counted as one more round trip.
    names = ("create", "get", "set", "sget", "sset", "invoke", "sinvoke", "complete")
    for name in (*names, "sync_complete", "del_"):
        method = getattr(provider, name, None)
        if method is None:
            continue

        def wrapped(*args: Any, _m: Any = method, _n: str = name, **kwargs: Any) -> Any:
            counts[_n] = counts.get(_n, 0) + 1
            return _m(*args, **kwargs)

        setattr(provider, name, wrapped)
    return counts


def proc_status(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendant_pids() -> list[int]:
    """Every process below this one (jsii's Node.js runs as a grandchild)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [os.getpid()]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(kids)
        frontier.extend(kids)
    return found


class Tally:
    """Round trips per construct kind, counted around each construct's creation."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts
        self.calls: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.made: dict[str, int] = dict.fromkeys(KINDS, 0)

    @contextmanager
    def __call__(self, kind: str) -> Iterator[None]:
        before = sum(self._counts.values())
        yield
        self.calls[kind] += sum(self._counts.values()) - before
        self.made[kind] += 1

    def per_construct(self) -> dict[str, float]:
        """Round trips per construct of each kind."""
        return {k: self.calls[k] / self.made[k] for k in KINDS if self.made[k]}


def build_classic(batch: Any, n: int, app: Any, tally: Tally) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs

    stack = vpc = None
    for i in range(n):
        if i % SETS_PER_STACK == 0:
            stack = cdk.Stack(app, f"Bench{i // SETS_PER_STACK}")
            vpc = ec2.Vpc(stack, "Vpc")
        with tally("ec2_environment"):
            ec2_ce = batch.ComputeEnvironment(
                stack, f"Ec2{i}", compute_resources=batch.ComputeResources(vpc=vpc)
            )
        with tally("fargate_environment"):
            fargate_ce = batch.ComputeEnvironment(
                stack,
                f"Fargate{i}",
                compute_resources=batch.ComputeResources(
                    vpc=vpc, type=batch.ComputeResourceType.FARGATE
                ),
            )
        for name, ce in (("Ec2Queue", ec2_ce), ("FargateQueue", fargate_ce)):
            with tally("job_queue"):
                batch.JobQueue(
                    stack,
                    f"{name}{i}",
                    compute_environments=[
                        batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)
                    ],
                )
        with tally("job_definition"):
            batch.JobDefinition(
                stack,
                f"Job{i}",
                container=batch.JobDefinitionContainer(
                    image=ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox"),
                    command=["echo", "Ref::message"],
                    environment={"STAGE": "bench", "INDEX": str(i)},
                    vcpus=2,
                    memory_limit_mib=2048,
                ),
            )


def build_stable(batch: Any, n: int, app: Any, tally: Tally) -> None:
    """The nearest equivalent program with aws-cdk-lib's stable aws_batch module."""
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs

    stack = vpc = None
    for i in range(n):
        if i % SETS_PER_STACK == 0:
            stack = cdk.Stack(app, f"Bench{i // SETS_PER_STACK}")
            vpc = ec2.Vpc(stack, "Vpc")
        with tally("ec2_environment"):
            ec2_ce = batch.ManagedEc2EcsComputeEnvironment(stack, f"Ec2{i}", vpc=vpc)
        with tally("fargate_environment"):
            fargate_ce = batch.FargateComputeEnvironment(stack, f"Fargate{i}", vpc=vpc)
        for name, ce in (("Ec2Queue", ec2_ce), ("FargateQueue", fargate_ce)):
            with tally("job_queue"):
                batch.JobQueue(
                    stack,
                    f"{name}{i}",
                    compute_environments=[
                        batch.OrderedComputeEnvironment(compute_environment=ce, order=1)
                    ],
                )
        with tally("job_definition"):
            batch.EcsJobDefinition(
                stack,
                f"Job{i}",
                container=batch.EcsEc2ContainerDefinition(
                    stack,
                    f"Container{i}",
                    image=ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox"),
                    command=["echo", "Ref::message"],
                    environment={"STAGE": "bench", "INDEX": str(i)},
                    cpu=2,
                    memory=cdk.Size.mebibytes(2048),
                ),
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=sorted(MODULES), required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--validation", choices=("on", "off"), default="off")
    args = parser.parse_args()
    if args.validation == "off":
        os.environ["CDK_VALIDATION"] = "false"
    else:
        os.environ.pop("CDK_VALIDATION", None)

    t0 = time.perf_counter()
    batch = importlib.import_module(MODULES[args.impl])
    # cdk_batch loads its constructs (and aws-cdk-lib, and the Node.js runtime)
    # on first use: the import a user feels ends with the first construct class.
    _first_class = batch.JobQueue
    t_import = time.perf_counter() - t0

    import aws_cdk as cdk

    counts = count_kernel_requests()
    tally = Tally(counts)
    build = build_stable if args.impl == "stable" else build_classic
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        t1 = time.perf_counter()
        build(batch, args.n, app, tally)
        t2 = time.perf_counter()
        build_calls = sum(counts.values())
        assembly = app.synth()
        t3 = time.perf_counter()
        resources = sum(len(s.template.get("Resources", {})) for s in assembly.stacks)
    children = descendant_pids()
    print(
        json.dumps(
            {
                "impl": args.impl,
                "n": args.n,
                "validation": args.validation,
                "import_s": t_import,
                "build_s": t2 - t1,
                "synth_s": t3 - t2,
                "cpu_python_s": time.process_time(),
                "cpu_node_s": sum(cpu_seconds(pid) for pid in children),
                "peak_python_kib": proc_status("self", "VmHWM"),
                "peak_node_kib": sum(proc_status(pid, "VmHWM") for pid in children),
                "jsii_requests_build": build_calls,
                "jsii_requests_total": sum(counts.values()),
                "jsii_requests_per_construct": tally.per_construct(),
                "resources": resources,
            }
        )
    )


if __name__ == "__main__":
    main()
