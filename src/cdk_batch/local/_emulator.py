"""The embedded emulator: moto in process, Batch without Docker, per-account clients.

Everything that depends on moto's internals is in this module: the switch to
moto's Docker-free Batch backend, the workaround for its unmanaged compute
environment bug, the hook that learns which resource a failing create was
working on, and the silencing of moto's log line for resource types it skips
(``cdk_batch.local`` reports those itself). Each change is made when a session
starts and undone when it ends.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from types import TracebackType
from typing import Any

DEFAULT_ACCOUNT = "123456789012"
"""The account of environment-agnostic stacks (moto's default account)."""

TESTED_MOTO = ("5.2",)
"""The moto minor versions whose internals this module was written against."""


class _DropSkipNotices(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No Moto CloudFormation support")


class LocalAws:
    """A fresh, empty emulated AWS in this process, for as long as the context lasts.

    Use it as a context manager. Inside, :meth:`client` gives boto3 clients
    bound to the emulator, for any account and region; every account starts
    empty. :meth:`deploy` deploys a CDK app into it (see
    :func:`cdk_batch.local.deploy_locally`), and may be called more than once:
    later deploys see what earlier ones created.

    Example::

        with LocalAws() as aws:
            result = aws.deploy(app, run_jobs=True)
            batch = aws.client("batch")

    .. versionadded:: 0.2.0
    """

    def __init__(self, *, region: str = "us-east-1") -> None:
        self.region = region
        """The region of environment-agnostic stacks and the default of :meth:`client`."""
        self.default_account = DEFAULT_ACCOUNT
        """The account of environment-agnostic stacks and the default of :meth:`client`."""
        self._mock: Any = None
        self._undo: list[Callable[[], None]] = []
        self._creating: list[str] = []
        self.failed_logical_id: str | None = None
        """The logical ID of the resource whose creation raised last, if any."""

    # -- life cycle -----------------------------------------------------------------

    def __enter__(self) -> LocalAws:
        from moto import mock_aws
        from moto.core.models import MockAWS

        if MockAWS._nested_count:
            raise RuntimeError(
                "a moto mock is already active in this process: a LocalAws session inside it "
                "would share its state instead of starting empty"
            )
        # An account set in the environment would override the one each client asks for.
        saved = os.environ.pop("MOTO_ACCOUNT_ID", None)
        if saved is not None:
            self.default_account = saved
            self._undo.append(lambda: os.environ.__setitem__("MOTO_ACCOUNT_ID", saved))
        self._mock = mock_aws(config={"batch": {"use_docker": False}})
        self._mock.start()
        self._undo.append(self._mock.stop)
        self._patch()
        self._quiet()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        while self._undo:
            self._undo.pop()()

    # -- clients --------------------------------------------------------------------

    def client(self, service: str, *, region: str | None = None, account: str | None = None) -> Any:
        """A boto3 client for ``service`` in the emulator, in ``account`` and ``region``.

        Default: the session's region and moto's default account (123456789012,
        or ``MOTO_ACCOUNT_ID`` when that was set when the session started).
        """
        import boto3  # type: ignore[import-untyped]

        chosen = account or self.default_account
        c = boto3.client(
            service,
            region_name=region or self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

        def pick_account(request: Any, **_: Any) -> None:
            # moto reads the account of each request from this header.
            request.headers["x-moto-account-id"] = chosen

        c.meta.events.register("before-sign.*.*", pick_account)
        return c

    def deploy(self, source: Any, **kwargs: Any) -> Any:
        """Deploy ``source`` into this session; see :func:`cdk_batch.local.deploy_locally`."""
        from ._deploy import deploy_locally

        return deploy_locally(source, session=self, **kwargs)

    def _patch_multi_node(self, batch_models: Any) -> None:
        # moto 5.2 registers every job definition as a single-node container and
        # refuses one without ContainerProperties, which a multi-node definition
        # (Type multinode, NodeProperties only) has not. Register it with the
        # container of its first node range, so the stacks that use it deploy.
        jd_class = batch_models.JobDefinition
        original = jd_class.__dict__["create_from_cloudformation_json"]

        def create_jd(
            cls: Any,
            /,
            resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            props = cloudformation_json["Properties"]
            ranges = (props.get("NodeProperties") or {}).get("NodeRangeProperties") or []
            first = next((r["Container"] for r in ranges if r.get("Container")), None)
            if first is None:
                # A multi-container job (EcsProperties): register its first
                # container, with the task's roles.
                task = ((props.get("EcsProperties") or {}).get("TaskProperties") or [{}])[0]
                containers = task.get("Containers") or []
                if containers:
                    first = {
                        k: v
                        for k, v in containers[0].items()
                        if k not in ("Name", "Essential", "DependsOn", "FirelensConfiguration")
                    }
                    for role, key in (
                        ("ExecutionRoleArn", "ExecutionRoleArn"),
                        ("TaskRoleArn", "JobRoleArn"),
                    ):
                        if task.get(role):
                            first[key] = task[role]
            if first is not None and "ContainerProperties" not in props:
                cloudformation_json = {
                    **cloudformation_json,
                    "Properties": {**props, "ContainerProperties": first},
                }
            return original.__func__(
                cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
            )

        jd_class.create_from_cloudformation_json = classmethod(create_jd)
        self._undo.append(lambda: setattr(jd_class, "create_from_cloudformation_json", original))

    # -- what a create is doing -----------------------------------------------------

    @contextmanager
    def creating(self) -> Iterator[None]:
        """Around one ``create_stack``: records which resource failed, if one does."""
        self.failed_logical_id = None
        self._creating.clear()
        yield

    def _quiet(self) -> None:
        # moto reports skipped resource types (which the result lists as not
        # checked) and its own error-shape mismatches: neither concerns the user.
        moto_log = logging.getLogger("moto")
        quiet = _DropSkipNotices()
        moto_log.addFilter(quiet)
        self._undo.append(lambda: moto_log.removeFilter(quiet))
        saved = list(warnings.filters)
        warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")
        warnings.filterwarnings("ignore", category=UserWarning, module="moto.core.serialize")

        def restore() -> None:
            warnings.filters[:] = saved  # type: ignore[index]

        self._undo.append(restore)

    def _patch(self) -> None:
        from moto.batch import models as batch_models
        from moto.cloudformation import parsing

        original_create = parsing.parse_and_create_resource

        def create_resource(logical_id: str, *args: Any, **kwargs: Any) -> Any:
            self._creating.append(logical_id)
            try:
                return original_create(logical_id, *args, **kwargs)
            except BaseException:
                # The innermost resource that raised is the one that failed: a
                # resource that refers to another creates it first, inside this call.
                if self.failed_logical_id is None:
                    self.failed_logical_id = logical_id
                raise
            finally:
                self._creating.pop()

        parsing.parse_and_create_resource = create_resource
        self._undo.append(lambda: setattr(parsing, "parse_and_create_resource", original_create))

        # moto 5.2 reads ComputeResources unconditionally, so an unmanaged compute
        # environment (which has none) raises KeyError. Create it the way the API would.
        ce_class = batch_models.ComputeEnvironment
        original_ce = ce_class.__dict__["create_from_cloudformation_json"]

        def create_ce(
            cls: Any,
            /,
            resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            props = cloudformation_json["Properties"]
            if "ServiceRole" not in props:
                # Without a ServiceRole, AWS Batch uses its service-linked role;
                # moto 5.2 requires the property. The deploy seeds the role.
                props = {**props, "ServiceRole": batch_service_linked_role_arn(account_id)}
                cloudformation_json = {**cloudformation_json, "Properties": props}
            resources = props.get("ComputeResources")
            backend = batch_models.batch_backends[account_id][region_name]
            if resources is None:
                return backend.create_compute_environment(
                    resource_name,
                    props["Type"],
                    props.get("State", "ENABLED"),
                    None,  # type: ignore[arg-type]
                    props["ServiceRole"],
                )
            if "SecurityGroupIds" in resources or "LaunchTemplate" not in resources:
                return original_ce.__func__(
                    cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
                )
            # AWS takes the security groups of an EC2 environment from its launch
            # template when SecurityGroupIds is absent; moto 5.2 requires the list.
            props = {**props, "ComputeResources": {**resources, "SecurityGroupIds": []}}
            validate = backend._validate_compute_resources

            def lenient(cr: dict[str, Any]) -> None:
                if cr.get("securityGroupIds"):
                    return validate(cr)
                some_group = next(iter(backend.ec2_backend.describe_security_groups()), None)
                ids = [some_group.id] if some_group is not None else []
                return validate({**cr, "securityGroupIds": ids})

            backend._validate_compute_resources = lenient  # type: ignore[method-assign]
            try:
                return original_ce.__func__(
                    cls,
                    resource_name,
                    {**cloudformation_json, "Properties": props},
                    account_id,
                    region_name,
                    **kwargs,
                )
            finally:
                del backend._validate_compute_resources

        self._patch_multi_node(batch_models)
        ce_class.create_from_cloudformation_json = classmethod(create_ce)  # type: ignore[assignment]
        self._undo.append(lambda: setattr(ce_class, "create_from_cloudformation_json", original_ce))


def moto_version() -> str:
    """The installed moto version, or ``"not installed"``."""
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return "not installed"


BATCH_SERVICE_LINKED_ROLE = ("batch.amazonaws.com", "AWSServiceRoleForBatch")
"""The service and name of the role AWS Batch uses when an environment names no ServiceRole."""


def batch_service_linked_role_arn(account: str) -> str:
    """The ARN of AWS Batch's service-linked role in ``account``."""
    service, name = BATCH_SERVICE_LINKED_ROLE
    return f"arn:aws:iam::{account}:role/aws-service-role/{service}/{name}"
