"""pytest fixture ``local_aws``: a fresh embedded AWS emulator for each test.

Installed with ``cdk-batch[local]``, this module is registered as a pytest
plugin (entry point ``pytest11``), so the fixture is available in every test
without an import. Without the plugin entry point (for instance when the
package is used from a source tree), add to ``conftest.py``::

    pytest_plugins = ["cdk_batch.local.pytest_plugin"]

Example::

    def test_stack_deploys(local_aws):
        result = local_aws.deploy(build_app(), run_jobs=True)
        assert result.ok, result.failures
        queues = local_aws.client("batch").describe_job_queues()["jobQueues"]

Each test gets an empty emulator, so fixed physical names (a queue name, a
launch template name) never clash between tests.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._emulator import LocalAws


@pytest.fixture
def local_aws() -> Iterator[LocalAws]:
    """A :class:`cdk_batch.local.LocalAws` session, started empty and ended after the test."""
    # Imported here so that the plugin costs nothing where the extra is missing.
    from ._emulator import LocalAws

    with LocalAws() as session:
        yield session
