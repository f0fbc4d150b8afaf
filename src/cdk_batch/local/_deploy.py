"""Deploy a cloud assembly's stacks into the embedded emulator and check the Batch resources."""

from __future__ import annotations

import dataclasses
import json
import re
import time
import traceback
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from ._assembly import StackArtifact, read_stacks, synthesize
from ._coverage import NO_OP_TYPES, not_checked, supported_types
from ._emulator import BATCH_SERVICE_LINKED_ROLE, LocalAws, moto_version
from ._result import (
    CREATE_COMPLETE,
    CREATED,
    FAILED,
    NO_RESOURCES,
    NOT_CREATED,
    NOT_DEPLOYED,
    BatchState,
    JobResult,
    LocalResult,
    NotChecked,
    ResourceResult,
    StackResult,
)

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value<String>"
_DUMMY_AZ = re.compile(r'"dummy1([a-z])"')

Progress = Callable[[str, Any], None]
"""Called with ("start", StackArtifact) before a stack and ("done", StackResult) after it."""


def deploy_locally(
    source: Any,
    *,
    stacks: Collection[str] | None = None,
    region: str = "us-east-1",
    run_jobs: bool = False,
    job_timeout: float = 30.0,
    isolate_stacks: bool = False,
    session: LocalAws | None = None,
    progress: Progress | None = None,
) -> LocalResult:
    """Deploy a CDK app's stacks into an in-process AWS emulator and report what happened.

    Stacks are created in dependency order, each in its own account and region
    (``aws://ACCOUNT/REGION`` of its environment; moto's default account and
    ``region`` for an environment-agnostic stack). Then the state of every
    compute environment and job queue is read back, and with ``run_jobs`` one
    job per job definition is submitted to a queue whose compute environments
    can run it, and awaited. The emulator is moto, in its Docker-free Batch mode.

    The emulator needs some preparation, which the result lists in ``fixups``:
    the SSM parameter that the bootstrap version check reads is created, CDK's
    placeholder availability zones (``dummy1a`` ...) are replaced by the
    region's, and assets are not published (nothing is built).

    Args:
        source: an ``aws_cdk.App`` (synthesized here), a ``CloudAssembly``, or
            the path of a ``cdk.out`` directory.
        stacks: artifact ids or stack names to deploy; the stacks they depend
            on are deployed too. Default: every stack.
        region: the region of environment-agnostic stacks. Default: us-east-1.
        run_jobs: submit one job per job definition, and one probe job to each
            queue that no job definition of the app can run on. Default: False.
        job_timeout: seconds to wait for each job. Default: 30.
        isolate_stacks: deploy each stack, with the stacks it depends on, into
            an emulator of its own, for apps whose stacks are independent
            examples or alternatives that could not share one account (fixed
            names that clash). Default: False (one emulator for the whole app,
            as ``cdk deploy --all`` into one account).
        session: a :class:`LocalAws` to deploy into. Default: a fresh one, ended
            when this function returns.
        progress: called before and after each stack. Default: None.

    Raises:
        cdk_batch.local.AssemblyError: the source is not a readable cloud assembly.

    .. versionadded:: 0.2.0

    """
    directory = synthesize(source)
    artifacts = _select(read_stacks(directory), stacks)
    if isolate_stacks:
        if session is not None:
            raise ValueError("isolate_stacks deploys into fresh emulators: pass no session")
        return _isolated(artifacts, region, run_jobs, job_timeout, progress)
    if session is None:
        with LocalAws(region=region) as fresh:
            return _Deployment(fresh, region, progress).run(artifacts, run_jobs, job_timeout)
    return _Deployment(session, region, progress).run(artifacts, run_jobs, job_timeout)


def _isolated(
    artifacts: list[StackArtifact],
    region: str,
    run_jobs: bool,
    timeout: float,
    progress: Progress | None,
) -> LocalResult:
    parts: list[LocalResult] = []
    for target in artifacts:
        group = _select(artifacts, [target.artifact_id])

        def only_target(event: str, item: Any, name: str = target.stack_name) -> None:
            if progress is not None and getattr(item, "stack_name", None) == name:
                progress(event, item)

        with LocalAws(region=region) as fresh:
            part = _Deployment(fresh, region, only_target).run(group, run_jobs, timeout)
        name = target.stack_name
        parts.append(
            dataclasses.replace(
                part,
                stacks=tuple(s for s in part.stacks if s.stack_name == name),
                compute_environments=tuple(b for b in part.compute_environments if b.stack == name),
                job_queues=tuple(b for b in part.job_queues if b.stack == name),
                jobs=tuple(j for j in part.jobs if _job_stack(j) == name),
                not_checked=tuple(n for n in part.not_checked if n.stack == name),
            )
        )
    return LocalResult(
        stacks=tuple(s for p in parts for s in p.stacks),
        compute_environments=tuple(b for p in parts for b in p.compute_environments),
        job_queues=tuple(b for p in parts for b in p.job_queues),
        jobs=tuple(j for p in parts for j in p.jobs),
        not_checked=tuple(n for p in parts for n in p.not_checked),
        fixups=tuple(dict.fromkeys(f for p in parts for f in p.fixups)),
        emulator=f"moto {moto_version()}, in process, Batch without Docker, one emulator per stack",
    )


def _job_stack(job: JobResult) -> str:
    # a job belongs to the stack of its job definition, or of its queue for a probe
    label = job.queue if job.probe else job.job_definition
    return (label or "").split("/")[0]


def _select(artifacts: list[StackArtifact], wanted: Collection[str] | None) -> list[StackArtifact]:
    if wanted is None:
        return artifacts
    by_key = {a.artifact_id: a for a in artifacts} | {a.stack_name: a for a in artifacts}
    unknown = sorted(set(wanted) - set(by_key))
    if unknown:
        from ._assembly import AssemblyError

        raise AssemblyError(
            f"no stack named {', '.join(unknown)}; the assembly has "
            + ", ".join(a.artifact_id for a in artifacts)
        )
    keep: set[str] = set()

    def add(artifact_id: str) -> None:
        if artifact_id not in keep:
            keep.add(artifact_id)
            for dep in by_key[artifact_id].dependencies:
                add(dep)

    for name in wanted:
        add(by_key[name].artifact_id)
    return [a for a in artifacts if a.artifact_id in keep]


@dataclass
class _Deployed:
    artifact: StackArtifact
    account: str
    region: str
    physical: dict[str, str] = field(default_factory=dict)


class _Deployment:
    def __init__(self, aws: LocalAws, region: str, progress: Progress | None) -> None:
        self.aws = aws
        self.region = region
        self.progress = progress
        self.fixups: list[str] = []
        self.seeded: set[tuple[str, str, str]] = set()

    def run(self, artifacts: list[StackArtifact], run_jobs: bool, timeout: float) -> LocalResult:
        supported = supported_types()
        results: list[StackResult] = []
        gaps: list[NotChecked] = []
        deployed: list[_Deployed] = []
        failed: set[str] = set()
        for artifact in artifacts:
            if self.progress:
                self.progress("start", artifact)
            blocked = [d for d in artifact.dependencies if d in failed]
            if blocked:
                failed.add(artifact.artifact_id)
                result = self._stack_result(
                    artifact,
                    NOT_DEPLOYED,
                    error=f"it depends on {', '.join(blocked)}, which failed",
                )
            else:
                gaps.extend(not_checked(artifact.stack_name, artifact.template, supported))
                result, done = self._deploy(artifact, supported)
                if done is not None:
                    deployed.append(done)
                if result.status == FAILED:
                    failed.add(artifact.artifact_id)
            results.append(result)
            if self.progress:
                self.progress("done", result)
        environments, queues, queue_info = self._batch_state(deployed)
        jobs = self._run_jobs(deployed, queue_info, timeout) if run_jobs else []
        return LocalResult(
            stacks=tuple(results),
            compute_environments=tuple(environments),
            job_queues=tuple(queues),
            jobs=tuple(jobs),
            not_checked=tuple(gaps),
            fixups=tuple(dict.fromkeys(self.fixups)),
            emulator=f"moto {moto_version()}, in process, Batch without Docker",
        )

    # -- one stack ------------------------------------------------------------------

    def _where(self, artifact: StackArtifact) -> tuple[str, str]:
        return artifact.account or self.aws.default_account, artifact.region or self.region

    def _stack_result(self, artifact: StackArtifact, status: str, **kw: Any) -> StackResult:
        account, region = self._where(artifact)
        return StackResult(
            artifact_id=artifact.artifact_id,
            stack_name=artifact.stack_name,
            account=account,
            region=region,
            status=status,
            **kw,
        )

    def _deploy(
        self, artifact: StackArtifact, supported: frozenset[str]
    ) -> tuple[StackResult, _Deployed | None]:
        account, region = self._where(artifact)
        template = artifact.template
        resources: dict[str, Any] = template.get("Resources") or {}
        if not resources:
            return self._stack_result(artifact, NO_RESOURCES), None
        seeded = self._seed_bootstrap(template, account, region)
        seeded += self._seed_service_linked_roles(template, account, region)
        notes: list[str] = []
        emulated, stood_in = _stand_ins(template, supported, account, region)
        if stood_in:
            notes.append(
                f"{', '.join(stood_in)}: left out or changed, because the emulator cannot "
                "create them as written; references to a left-out resource get placeholder values"
            )
        body, azs = _rewrite_dummy_azs(emulated, region)
        if azs:
            notes.append(
                f"placeholder availability zones {', '.join(azs)} replaced by "
                f"{', '.join(region + a[-1] for a in azs)} (the app was synthesized without "
                "context lookups)"
            )
        if artifact.account:
            notes.append(f"deployed into account {account} and region {region}, as its env says")
        if artifact.assets.count:
            kinds = []
            if artifact.assets.images:
                kinds.append(f"{len(artifact.assets.images)} container image")
            if artifact.assets.files:
                kinds.append(f"{len(artifact.assets.files)} file")
            notes.append(
                f"{' and '.join(kinds)} asset(s) not built or published: the template names "
                "them in the bootstrap repository and bucket, which the emulator does not check"
            )
        self.fixups += [f"{artifact.stack_name}: {n}" for n in notes]
        cfn = self.aws.client("cloudformation", region=region, account=account)
        started = time.perf_counter()
        try:
            with self.aws.creating():
                cfn.create_stack(
                    StackName=artifact.stack_name, TemplateBody=body, Capabilities=CAPABILITIES
                )
        except Exception as err:  # the emulator raises what a resource's handler raised
            logical_id = self.aws.failed_logical_id
            kind = resources.get(logical_id or "", {}).get("Type", "")
            where = f"{logical_id} ({kind})" if logical_id else "the template"
            return self._stack_result(
                artifact,
                FAILED,
                seconds=time.perf_counter() - started,
                error=f"{where}: {_message(err)}",
                failed_logical_id=logical_id,
                fixups=tuple(seeded + notes),
            ), None
        seconds = time.perf_counter() - started
        stack = cfn.describe_stacks(StackName=artifact.stack_name)["Stacks"][0]
        listed = {
            r["LogicalResourceId"]: r
            for r in cfn.describe_stack_resources(StackName=artifact.stack_name)["StackResources"]
            if r.get("LogicalResourceId") and r.get("PhysicalResourceId")
        }
        per_resource = []
        physical: dict[str, str] = {}
        for logical_id, resource in resources.items():
            kind = str(resource.get("Type", ""))
            found = listed.get(logical_id)
            if found is not None:
                physical[logical_id] = found.get("PhysicalResourceId", "")
                per_resource.append(
                    ResourceResult(
                        logical_id=logical_id,
                        resource_type=kind,
                        status=CREATED,
                        physical_id=physical[logical_id],
                    )
                )
            else:
                per_resource.append(
                    ResourceResult(
                        logical_id=logical_id,
                        resource_type=kind,
                        status=NOT_CREATED,
                        note=_why_absent(resource, kind),
                    )
                )
        status = stack.get("StackStatus", "")
        result = self._stack_result(
            artifact,
            CREATE_COMPLETE if status == CREATE_COMPLETE else FAILED,
            seconds=seconds,
            resources=tuple(per_resource),
            outputs={o["OutputKey"]: str(o.get("OutputValue")) for o in stack.get("Outputs", [])},
            error=None if status == CREATE_COMPLETE else f"the stack ended in {status}",
            fixups=tuple(seeded + notes),
        )
        return result, _Deployed(artifact, account, region, physical)

    def _seed_service_linked_roles(
        self, template: dict[str, Any], account: str, region: str
    ) -> list[str]:
        # AWS creates a service's service-linked role on first use; the
        # emulator knows only roles that were created in it.
        notes = []
        wanted = set(_SERVICE_LINKED_ROLE.findall(json.dumps(template)))
        if any(
            r.get("Type") == "AWS::Batch::ComputeEnvironment"
            and "ServiceRole" not in (r.get("Properties") or {})
            for r in (template.get("Resources") or {}).values()
        ):
            wanted.add(BATCH_SERVICE_LINKED_ROLE)
        for service, name in sorted(wanted):
            key = (account, "", f"role:{name}")
            if key in self.seeded:
                continue
            self.seeded.add(key)
            iam = self.aws.client("iam", region=region, account=account)
            try:
                iam.get_role(RoleName=name)
                continue
            except iam.exceptions.NoSuchEntityException:
                pass
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": service},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            iam.create_role(
                RoleName=name,
                Path=f"/aws-service-role/{service}/",
                AssumeRolePolicyDocument=json.dumps(trust),
            )
            note = (
                f"service-linked role {name} created in account {account}, as AWS does on first use"
            )
            notes.append(note)
            self.fixups.append(note)
        return notes

    def _seed_bootstrap(self, template: dict[str, Any], account: str, region: str) -> list[str]:
        notes = []
        for name, param in (template.get("Parameters") or {}).items():
            default = param.get("Default")
            if param.get("Type") != SSM_PARAMETER_TYPE or not isinstance(default, str):
                continue
            key = (account, region, default)
            if key in self.seeded:
                continue
            self.seeded.add(key)
            ssm = self.aws.client("ssm", region=region, account=account)
            try:
                ssm.get_parameter(Name=default)
                continue  # already there (seeded by the caller)
            except ssm.exceptions.ParameterNotFound:
                pass
            value = _bootstrap_version(template) if name == "BootstrapVersion" else "placeholder"
            ssm.put_parameter(Name=default, Value=value, Type="String")
            note = (
                f"SSM parameter {default} (read by the template's {name} parameter) "
                f"created with value {value} in aws://{account}/{region}"
            )
            notes.append(note)
            self.fixups.append(note)
        return notes

    # -- Batch state ----------------------------------------------------------------

    def _batch_state(
        self, deployed: list[_Deployed]
    ) -> tuple[list[BatchState], list[BatchState], list[_Queue]]:
        environments: list[BatchState] = []
        queues: list[BatchState] = []
        queue_info: list[_Queue] = []
        for d in deployed:
            batch = self.aws.client("batch", region=d.region, account=d.account)
            resources = d.artifact.template["Resources"]
            ce_arns = _of_type(d, "AWS::Batch::ComputeEnvironment")
            q_arns = _of_type(d, "AWS::Batch::JobQueue")
            ce_by_arn: dict[str, Any] = {}
            if ce_arns:
                described = batch.describe_compute_environments(
                    computeEnvironments=list(ce_arns.values())
                )["computeEnvironments"]
                ce_by_arn = {c["computeEnvironmentArn"]: c for c in described}
                ce_by_arn |= {c["computeEnvironmentName"]: c for c in described}
            for logical_id, arn in ce_arns.items():
                ce = ce_by_arn.get(arn, {})
                kind = ce.get("type", "?")
                detail = kind + (
                    f" {ce['computeResources'].get('type', '')}"
                    if ce.get("computeResources")
                    else ""
                )
                environments.append(
                    BatchState(
                        kind="compute environment",
                        stack=d.artifact.stack_name,
                        logical_id=logical_id,
                        name=ce.get("computeEnvironmentName", ""),
                        arn=arn,
                        status=ce.get("status", "MISSING"),
                        state=ce.get("state", "MISSING"),
                        expected_state=_expected_state(resources[logical_id]),
                        detail=detail.strip(),
                    )
                )
            all_ces: dict[str, Any] = {}
            for described_ce in batch.describe_compute_environments()["computeEnvironments"]:
                all_ces[described_ce["computeEnvironmentArn"]] = described_ce
            if not q_arns:
                continue
            described_q = batch.describe_job_queues(jobQueues=list(q_arns.values()))["jobQueues"]
            q_by_arn = {q["jobQueueArn"]: q for q in described_q}
            q_by_arn |= {q["jobQueueName"]: q for q in described_q}
            for logical_id, arn in q_arns.items():
                q = q_by_arn.get(arn, {})
                order = sorted(q.get("computeEnvironmentOrder", []), key=lambda o: o["order"])
                ces = [all_ces.get(o["computeEnvironment"], {}) for o in order]
                state = BatchState(
                    kind="job queue",
                    stack=d.artifact.stack_name,
                    logical_id=logical_id,
                    name=q.get("jobQueueName", ""),
                    arn=q.get("jobQueueArn", arn),
                    status=q.get("status", "MISSING"),
                    state=q.get("state", "MISSING"),
                    expected_state=_expected_state(resources[logical_id]),
                    detail=", ".join(c.get("computeEnvironmentName", "?") for c in ces),
                )
                queues.append(state)
                queue_info.append(
                    _Queue(d, logical_id, state, frozenset(_platform(c) for c in ces))
                )
        return environments, queues, queue_info

    # -- jobs -----------------------------------------------------------------------

    def _run_jobs(
        self, deployed: list[_Deployed], queues: list[_Queue], timeout: float
    ) -> list[JobResult]:
        jobs: list[JobResult] = []
        used: set[int] = set()
        usable = [q for q in queues if q.state.ok and q.state.state == "ENABLED"]
        for d in deployed:
            for logical_id, arn in _of_type(d, "AWS::Batch::JobDefinition").items():
                props = d.artifact.template["Resources"][logical_id].get("Properties") or {}
                label = f"{d.artifact.stack_name}/{logical_id}"
                if props.get("NodeProperties") or props.get("Type") == "multinode":
                    jobs.append(
                        JobResult(
                            job_definition=label,
                            queue=None,
                            status="NOT_RUN",
                            reason="multi-node job definitions are registered by "
                            "the emulator as single-node containers",
                        )
                    )
                    continue
                platform = _job_platform(props)
                queue = _pick_queue(d, platform, usable)
                if queue is None:
                    jobs.append(
                        JobResult(
                            job_definition=label,
                            queue=None,
                            status="NOT_RUN",
                            reason=f"no enabled queue in aws://{d.account}/{d.region} "
                            f"has {platform} compute environments",
                        )
                    )
                    continue
                used.add(id(queue))
                jobs.append(self._submit(label, arn, queue, timeout, probe=False))
        for queue in usable:
            if id(queue) in used or len(queue.platforms) != 1:
                continue
            (platform,) = queue.platforms
            if platform not in _PROBES:
                continue
            arn = self._probe_definition(queue.deployed, platform)
            jobs.append(self._submit(_probe_name(platform), arn, queue, timeout, probe=True))
        return jobs

    def _probe_definition(self, d: _Deployed, platform: str) -> str:
        batch = self.aws.client("batch", region=d.region, account=d.account)
        name = _probe_name(platform)
        existing = batch.describe_job_definitions(jobDefinitionName=name, status="ACTIVE")
        if existing["jobDefinitions"]:
            return str(existing["jobDefinitions"][0]["jobDefinitionArn"])
        registered = batch.register_job_definition(
            jobDefinitionName=name,
            type="container",
            platformCapabilities=[platform],
            containerProperties=_PROBES[platform],
        )
        return str(registered["jobDefinitionArn"])

    def _submit(
        self, label: str, definition_arn: str, queue: _Queue, timeout: float, *, probe: bool
    ) -> JobResult:
        d = queue.deployed
        batch = self.aws.client("batch", region=d.region, account=d.account)
        queue_label = f"{d.artifact.stack_name}/{queue.logical_id}"
        try:
            job_id = batch.submit_job(
                jobName="cdk-batch-local-check",
                jobQueue=queue.state.arn,
                jobDefinition=definition_arn,
            )["jobId"]
        except Exception as err:
            return JobResult(
                job_definition=label,
                queue=queue_label,
                status="ERROR",
                probe=probe,
                reason=_message(err),
            )
        deadline = time.monotonic() + timeout
        while True:
            job = batch.describe_jobs(jobs=[job_id])["jobs"][0]
            status = str(job["status"])
            if status in ("SUCCEEDED", "FAILED"):
                return JobResult(
                    job_definition=label,
                    queue=queue_label,
                    status=status,
                    probe=probe,
                    job_id=job_id,
                    reason=job.get("statusReason"),
                )
            if time.monotonic() > deadline:
                return JobResult(
                    job_definition=label,
                    queue=queue_label,
                    status="TIMED_OUT",
                    probe=probe,
                    job_id=job_id,
                    reason=f"still {status} after {timeout:g} s",
                )
            time.sleep(0.05)


@dataclass
class _Queue:
    deployed: _Deployed
    logical_id: str
    state: BatchState
    platforms: frozenset[str]


_PROBES: dict[str, dict[str, Any]] = {
    "EC2": {
        "image": "public.ecr.aws/amazonlinux/amazonlinux:2",
        "command": ["true"],
        "resourceRequirements": [
            {"type": "VCPU", "value": "1"},
            {"type": "MEMORY", "value": "512"},
        ],
    },
    "FARGATE": {
        "image": "public.ecr.aws/amazonlinux/amazonlinux:2",
        "command": ["true"],
        "resourceRequirements": [
            {"type": "VCPU", "value": "0.25"},
            {"type": "MEMORY", "value": "512"},
        ],
        "networkConfiguration": {"assignPublicIp": "ENABLED"},
    },
}


def _probe_name(platform: str) -> str:
    return f"cdk-batch-local-probe-{platform.lower()}"


def _pick_queue(d: _Deployed, platform: str, queues: Iterable[_Queue]) -> _Queue | None:
    same_place = [
        q
        for q in queues
        if q.deployed.account == d.account
        and q.deployed.region == d.region
        and platform in q.platforms
        and len(q.platforms) == 1
    ]
    if not same_place:
        return None
    related = {d.artifact.artifact_id, *d.artifact.dependencies}
    same_place.sort(key=lambda q: q.deployed.artifact.artifact_id not in related)
    return same_place[0]


def _platform(ce: dict[str, Any]) -> str:
    resources = ce.get("computeResources") or {}
    kind = str(resources.get("type", "EC2")) if ce.get("type") == "MANAGED" else "EC2"
    return "FARGATE" if kind.startswith("FARGATE") else "EC2"


def _job_platform(props: dict[str, Any]) -> str:
    caps = props.get("PlatformCapabilities") or ["EC2"]
    return "FARGATE" if "FARGATE" in caps else "EC2"


def _of_type(d: _Deployed, kind: str) -> dict[str, str]:
    resources = d.artifact.template["Resources"]
    return {
        logical_id: physical
        for logical_id, physical in d.physical.items()
        if resources[logical_id].get("Type") == kind and physical
    }


def _expected_state(resource: dict[str, Any]) -> str:
    state = (resource.get("Properties") or {}).get("State", "ENABLED")
    return state if isinstance(state, str) else "ENABLED"


def _why_absent(resource: dict[str, Any], kind: str) -> str:
    if kind in NO_OP_TYPES:
        return "creates nothing"
    if resource.get("Condition"):
        return f"condition {resource['Condition']} is false"
    return "the emulator has no support for this type (not checked)"


_SERVICE_LINKED_ROLE = re.compile(r"role/aws-service-role/([a-z0-9.-]+)/([A-Za-z0-9_+=,.@-]+)")


def _stand_ins(
    template: dict[str, Any], supported: frozenset[str], account: str, region: str
) -> tuple[dict[str, Any], list[str]]:
    """``template`` without the resources the emulator cannot create, and their ids.

    A ``Ref`` or ``Fn::GetAtt`` of such a resource becomes a placeholder ARN, and
    ``DependsOn`` entries on it are dropped, so that the rest of the stack can
    still be created and checked; the coverage report lists them as not checked.
    """
    resources: dict[str, Any] = template.get("Resources") or {}
    left_out = {
        logical_id
        for logical_id, r in resources.items()
        if (
            r.get("Type") not in supported
            and r.get("Type") not in NO_OP_TYPES
            and str(r.get("Type", "")).startswith("AWS::Batch::")
        )
        or _service_queue(r)
    }
    classes = _instance_classes(resources)
    if not left_out and not classes:
        return template, []

    def placeholder(logical_id: str, attribute: str = "") -> str:
        kind = str(resources[logical_id]["Type"]).split("::")[-1].lower()
        suffix = f"-{attribute}" if attribute else ""
        return f"arn:aws:batch:{region}:{account}:{kind}/{logical_id}{suffix}"

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Ref"} and value["Ref"] in left_out:
                return placeholder(value["Ref"])
            if set(value) == {"Fn::GetAtt"}:
                target = value["Fn::GetAtt"]
                name, attr = [*target, ""][:2] if isinstance(target, list) else (target, "")
                if name in left_out:
                    return placeholder(name, "" if attr == "Arn" else str(attr).lower())
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    kept: dict[str, Any] = {}
    for logical_id, resource in resources.items():
        if logical_id in left_out:
            continue
        resource = swap(resource)
        if logical_id in classes:
            compute = resource["Properties"]["ComputeResources"]
            compute["InstanceTypes"] = [
                _CLASS_STAND_INS.get(t, t) for t in compute["InstanceTypes"]
            ]
        depends = resource.get("DependsOn")
        if isinstance(depends, str) and depends in left_out:
            resource.pop("DependsOn")
        elif isinstance(depends, list):
            resource["DependsOn"] = [d for d in depends if d not in left_out]
        kept[logical_id] = resource
    rest = {k: swap(v) for k, v in template.items() if k != "Resources"}
    return {**rest, "Resources": kept}, sorted(left_out) + [
        f"{c} (its default instance classes stand in as {_CLASS_NOTE})" for c in sorted(classes)
    ]


# The emulator knows instance types, not Batch's default instance classes.
_CLASS_STAND_INS = {"default_x86_64": "m5.large", "default_arm64": "m6g.large"}
_CLASS_NOTE = ", ".join(f"{k} -> {v}" for k, v in _CLASS_STAND_INS.items())


def _service_queue(resource: dict[str, Any]) -> bool:
    """A SageMaker Training queue, which the emulator's job queues cannot represent."""
    props = resource.get("Properties") or {}
    return resource.get("Type") == "AWS::Batch::JobQueue" and "ServiceEnvironmentOrder" in props


def _instance_classes(resources: dict[str, Any]) -> set[str]:
    found = set()
    for logical_id, r in resources.items():
        types = ((r.get("Properties") or {}).get("ComputeResources") or {}).get("InstanceTypes")
        if (
            r.get("Type") == "AWS::Batch::ComputeEnvironment"
            and isinstance(types, list)
            and any(t in _CLASS_STAND_INS for t in types)
        ):
            found.add(logical_id)
    return found


def _rewrite_dummy_azs(template: dict[str, Any], region: str) -> tuple[str, list[str]]:
    body = json.dumps(template)
    found = sorted({f"dummy1{m}" for m in _DUMMY_AZ.findall(body)})
    if found:
        body = _DUMMY_AZ.sub(lambda m: f'"{region}{m.group(1)}"', body)
    return body, found


def _bootstrap_version(template: dict[str, Any]) -> str:
    # CheckBootstrapVersion refuses the versions it lists; the next one satisfies it.
    rule = (template.get("Rules") or {}).get("CheckBootstrapVersion", {})
    refused = re.findall(r'"(\d+)"', json.dumps(rule))
    return str(max((int(v) for v in refused), default=29) + 1)


def _message(err: BaseException) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, dict) and "Error" in response:
        e = response["Error"]
        return f"{e.get('Code', type(err).__name__)}: {e.get('Message', '')}".strip()
    text = str(err)
    if type(err).__name__ == "ResponseParserError":
        found = re.search(r'"message"\s*:\s*"([^"]*)"', text, re.IGNORECASE)
        if found:
            return found.group(1)
    if isinstance(err, KeyError) and _raised_by_lookup(err):
        return f"refers to {text}, which the template does not define"
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _raised_by_lookup(err: BaseException) -> bool:
    frames = traceback.extract_tb(err.__traceback__)
    return (
        bool(frames)
        and frames[-1].name == "__getitem__"
        and "cloudformation" in frames[-1].filename
    )
