"""One benchmark measurement in a fresh process (run by bench/run.py).

Builds an app of N sets with one implementation and prints one JSON line:
import, build and synth times, peak memory of this process and of its
Node.js child, and the number of requests to the jsii kernel (round trips).

A set is one managed EC2 compute environment, one Fargate compute
environment, a job queue over each and one job definition with command,
environment, vCPUs and memory; every 25 sets go into a new stack with its own
VPC, to stay under CloudFormation's 500 resources per stack.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import tempfile
import time
from pathlib import Path

MODULES = {"reference": "aws_cdk.aws_batch_alpha", "cdk_batch": "cdk_batch"}
SETS_PER_STACK = 25


def count_kernel_requests() -> dict[str, int]:
    """Wrap the jsii kernel's request methods; return the live counters."""
    import jsii

    provider = jsii.kernel.provider
    counts: dict[str, int] = {}
    for name in ("create", "get", "set", "sget", "sset", "invoke", "sinvoke", "complete", "del_"):
        method = getattr(provider, name, None)
        if method is None:
            continue

        def wrapped(*args, _m=method, _n=name, **kwargs):
            counts[_n] = counts.get(_n, 0) + 1
            return _m(*args, **kwargs)

        setattr(provider, name, wrapped)
    return counts


def peak_rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


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


def build(batch, n: int, app) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs

    stack = vpc = None
    for i in range(n):
        if i % SETS_PER_STACK == 0:
            stack = cdk.Stack(app, f"Bench{i // SETS_PER_STACK}")
            vpc = ec2.Vpc(stack, "Vpc")
        ec2_ce = batch.ComputeEnvironment(
            stack, f"Ec2{i}", compute_resources=batch.ComputeResources(vpc=vpc)
        )
        fargate_ce = batch.ComputeEnvironment(
            stack,
            f"Fargate{i}",
            compute_resources=batch.ComputeResources(
                vpc=vpc, type=batch.ComputeResourceType.FARGATE
            ),
        )
        for name, ce in (("Ec2Queue", ec2_ce), ("FargateQueue", fargate_ce)):
            batch.JobQueue(
                stack,
                f"{name}{i}",
                compute_environments=[
                    batch.JobQueueComputeEnvironment(compute_environment=ce, order=1)
                ],
            )
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=sorted(MODULES), required=True)
    parser.add_argument("--n", type=int, required=True)
    args = parser.parse_args()

    t0 = time.perf_counter()
    batch = importlib.import_module(MODULES[args.impl])
    t_import = time.perf_counter() - t0

    import aws_cdk as cdk

    counts = count_kernel_requests()
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(outdir=outdir)
        t1 = time.perf_counter()
        build(batch, args.n, app)
        t2 = time.perf_counter()
        build_calls = sum(counts.values())
        assembly = app.synth()
        t3 = time.perf_counter()
        resources = sum(len(s.template.get("Resources", {})) for s in assembly.stacks)
    node = sum(peak_rss_kib(pid) for pid in descendant_pids())
    print(
        json.dumps(
            {
                "impl": args.impl,
                "n": args.n,
                "import_s": t_import,
                "build_s": t2 - t1,
                "synth_s": t3 - t2,
                "peak_python_kib": peak_rss_kib(),
                "peak_node_kib": node,
                "jsii_requests_build": build_calls,
                "jsii_requests_total": sum(counts.values()),
                "resources": resources,
            }
        )
    )


if __name__ == "__main__":
    main()
