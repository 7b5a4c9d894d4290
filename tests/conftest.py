"""Shared fixtures: every test runs on its own sandbox DB, data dir and config dir."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from seam_tui.core import RetryPolicy, SeamClient
from seam_tui.core.audit import AuditLog
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.sandbox.settle_config import SETTLE_AFTER_VAR

# The reliability figures' hooks: gathered from every worker, printed once (tests/figures.py).
from tests.figures import (
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_terminal_summary,
)
from tests.settle import SETTLE_AFTER

__all__ = ["pytest_runtest_logreport", "pytest_runtest_makereport", "pytest_terminal_summary"]

# Captured before any test clears the environment: the optional live contract test reads these.
LIVE_ENV = {k: v for k, v in os.environ.items() if k.startswith("SEAM_")}

FAST_RETRY = RetryPolicy(max_retries=3, backoff_factor=0.001, max_retry_after=1.0)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config and data dirs at tmp, hide any real Seam credentials, and set the
    sandboxes' settling from the suite's switch (`tests/settle.py`)."""
    for name in list(os.environ):
        if name.startswith("SEAM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SEAM_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SEAM_TUI_DATA_DIR", str(tmp_path / "data"))
    if SETTLE_AFTER:  # every sandbox the test opens, in process or in a child, settles later
        monkeypatch.setenv(SETTLE_AFTER_VAR, str(SETTLE_AFTER))
    return tmp_path


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(tmp_path / "sandbox.sqlite3")
    yield sb
    sb.close()


@pytest.fixture
def workspace(sandbox: Sandbox) -> SandboxWorkspace:
    return sandbox.workspaces()[0]


@pytest.fixture
async def client(sandbox: Sandbox, workspace: SandboxWorkspace) -> AsyncIterator[SeamClient]:
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as seam:
        yield seam


@pytest.fixture
def audit_log(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "data" / "audit.jsonl")


@pytest.fixture
def service(client: SeamClient, workspace: SandboxWorkspace, audit_log: AuditLog) -> SeamService:
    return SeamService(client, workspace=workspace.name, front_end="script", audit=audit_log)
