"""Fixtures: a fresh sandbox per test (demo data or empty) and HTTP clients into it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from seam_tui.sandbox import Sandbox, SandboxWorkspace


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(tmp_path / "sandbox.sqlite3")
    yield sb
    sb.close()


@pytest.fixture
def empty_sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(tmp_path / "empty.sqlite3", seed=False)
    yield sb
    sb.close()


@pytest.fixture
def acme(sandbox: Sandbox) -> SandboxWorkspace:
    return sandbox.workspaces()[0]


@pytest.fixture
def globex(sandbox: Sandbox) -> SandboxWorkspace:
    return sandbox.workspaces()[1]


def client_for(sb: Sandbox, **headers: str) -> httpx.AsyncClient:
    """An in-process client; pass `authorization=...` and optionally `seam_workspace=...`."""
    sent = {name.replace("_", "-"): value for name, value in headers.items()}
    return httpx.AsyncClient(transport=sb.transport(), base_url=sb.base_url, headers=sent)


@pytest.fixture
async def client(sandbox: Sandbox, acme: SandboxWorkspace) -> AsyncIterator[httpx.AsyncClient]:
    """A client authenticated with the Acme workspace's API key."""
    async with client_for(sandbox, authorization=f"Bearer {acme.api_key}") as http:
        yield http
