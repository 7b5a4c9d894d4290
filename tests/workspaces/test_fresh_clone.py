"""The issue's "done when", end to end through `seam-tui`: with a keyring, and without one."""

from __future__ import annotations

import asyncio
import json

import pytest

from seam_tui.sandbox import Sandbox
from seam_tui.visible import quoted
from seam_tui.workspaces import ResolvedWorkspace, resolve_workspace
from tests.workspaces.helpers import add_workspace, run_cli

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


async def identity_names(resolved: ResolvedWorkspace) -> set[str]:
    async with resolved.open_client() as client:
        return {i.full_name or "" async for i in client.user_identities.iterate(limit=100)}


@pytest.mark.usefixtures("memory_keyring")
def test_add_list_switch_and_see_each_workspaces_identities(cli: Cli, local: Sandbox) -> None:
    acme, globex = local.workspaces()[:2]
    for name, ws in (("acme", acme), ("globex", globex)):
        run = add_workspace(*cli, name, ws.api_key)
        assert run.code == 0, run.err
        assert f"workspace {quoted(ws.name)}" in run.out

    listed = json.loads(run_cli(*cli, "workspace", "list", "--json").out)
    assert {"acme", "globex"} <= {p["name"] for p in listed["profiles"]}

    seen = {}
    for name in ("acme", "globex"):
        assert run_cli(*cli, "workspace", "use", name).code == 0
        resolved = resolve_workspace()
        assert (resolved.name, resolved.source) == (name, "profile")
        seen[name] = asyncio.run(identity_names(resolved))
    assert seen["acme"]
    assert seen["globex"]
    assert seen["acme"] != seen["globex"]
    assert seen["acme"] == asyncio.run(identity_names(resolve_workspace("sandbox")))
    builtin_globex = resolve_workspace("sandbox-globex-offices")
    assert seen["globex"] == asyncio.run(identity_names(builtin_globex))


def test_without_a_keyring_the_message_then_env_vars(
    cli: Cli, local: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, globex = local.workspaces()[:2]
    run = add_workspace(*cli, "acme", acme.api_key)
    assert run.code == 1
    assert "no usable keyring backend" in run.err

    monkeypatch.setenv("SEAM_ENDPOINT", "sandbox://local")
    seen = {}
    for ws in (acme, globex):
        monkeypatch.setenv("SEAM_API_KEY", ws.api_key)
        resolved = resolve_workspace()
        assert resolved.source == "env"
        seen[ws.workspace_id] = asyncio.run(identity_names(resolved))
    assert seen[acme.workspace_id] != seen[globex.workspace_id]
