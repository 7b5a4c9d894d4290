"""Secrets: one scenario through every front end, then a scan for the key everywhere it could
have leaked. The expected number of hits is zero.

A sandbox is served on loopback from a directory outside the config and data dirs (it is
"Seam", and holds the key, as Seam does). Then:

1. CLI: `workspace add` with the key on stdin, `list`, `list --json`, `show --json`,
   `show --check`; and `workspace add` with a wrong key (a 401).
2. TUI: the list, an identity's screen, a create through the form, the Workspaces screen, and
   the add-workspace form with the wrong key typed into it (a 401 shown in the form).
3. MCP: every read tool and two creates through the SDK's in-memory client; and a `seam-mcp`
   child process over stdio, given the key in SEAM_API_KEY, logging at DEBUG.
4. The key is revoked (`seam-tui sandbox reset` renews every key): the CLI, the TUI, the
   in-process MCP server and the stdio one each hit a 401 with the known key.

Scanned, for the key and for its random part alone: every file under the config dir, the data
dir (the audit log, the profiles, the built-in sandbox) and the screenshots dir; everything the
CLI printed on stdout and stderr; the stdio server's stderr; every log record at DEBUG; every
tool result (text and structured); every screen as an SVG export and every notification.
A positive control shows the scan finds the key once a password field is made visible.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from textual.widgets import Input, Static

from agent_tools.context import ToolContext
from agent_tools.mcp_server import build_server
from seam_tui.paths import config_dir, data_dir
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.workspaces import resolve_workspace
from tests.reliability.conftest import ROOT, ServedSandbox, record
from tests.tui.conftest import SIZE, wait_until
from tests.workspaces.helpers import run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("memory_keyring")

WRONG_KEY = "seam_testWr0ngKeyN0tKn0wnT0TheSandb0x_abc"


@dataclass
class Evidence:
    """Everything the front ends produced that is not a file: name -> text."""

    texts: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        self.texts[f"{len(self.texts):03d} {name}"] = text


def needles(key: str) -> list[str]:
    """The key, and its random part alone (a shortened or prefixed form still leaks that)."""
    return [key, key.removeprefix("seam_test")]


def hits_in(text: str | bytes, secrets: list[str]) -> int:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return sum(data.count(secret.encode()) for secret in secrets)


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.exists():
            yield from (p for p in root.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------- the front ends


def cli(
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str = "",
) -> int:
    run = run_cli(monkeypatch, capsys, *args, stdin=stdin)
    evidence.add(f"cli {' '.join(args)} (stdout)", run.out)
    evidence.add(f"cli {' '.join(args)} (stderr)", run.err)
    return run.code


async def snapshot(app: SeamApp, evidence: Evidence, shots: Path, name: str) -> None:
    evidence.add(f"tui screen {name}", app.export_screenshot())
    evidence.add(f"tui notifications {name}", "\n".join(n.message for n in app._notifications))
    number = len(evidence.texts)
    app.save_screenshot(f"{number:03d}-{name}.svg", path=str(shots))


async def use_the_tui(evidence: Evidence, shots: Path, url: str, *, revoked: bool) -> None:
    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        if revoked:
            await wait_until(pilot, lambda: bool(list(app._notifications)))
            told = [n.message for n in app._notifications]
            assert any("Seam rejected this workspace's key (401)" in t for t in told), told
            await snapshot(app, evidence, shots, "revoked")
            return
        table = app.screen.query_one("#identities")
        await wait_until(pilot, lambda: table.row_count > 0)  # type: ignore[attr-defined]
        await snapshot(app, evidence, shots, "identities")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
        await pilot.pause(0.2)
        await snapshot(app, evidence, shots, "identity")
        await pilot.press("escape", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityFormScreen))
        await pilot.press(*"Secret Keeper")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        await snapshot(app, evidence, shots, "created")
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspacesScreen))
        await pilot.pause(0.2)
        await snapshot(app, evidence, shots, "workspaces")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceFormScreen))
        form = app.screen
        form.query_one("#profile_name", Input).value = "wrong"
        form.query_one("#endpoint", Input).value = url
        form.query_one("#secret", Input).focus()
        await pilot.press(*WRONG_KEY)  # typed, key by key, into the password field
        await pilot.press("ctrl+s")
        message = form.query_one("#form-message", Static)
        await wait_until(pilot, lambda: "refused" in str(message.render()))
        evidence.add("tui workspace form message", str(message.render()))
        await snapshot(app, evidence, shots, "wrong-key")
        # Positive control (not part of the evidence): shown, the key is found by the scan.
        secret = form.query_one("#secret", Input)
        secret.password = False
        await pilot.pause()
        control = app.export_screenshot()
        assert hits_in(control, needles(WRONG_KEY)) > 0, "the scan cannot see a screen"
        secret.password = True
        await pilot.press("escape")


async def use_mcp_in_process(evidence: Evidence, *, revoked: bool) -> None:
    context = ToolContext.open()
    try:
        async with Client(build_server(context)) as mcp:
            calls: list[tuple[str, dict[str, Any]]] = [
                ("list_workspaces", {}),
                ("search_user_identities", {"limit": 5}),
            ]
            if not revoked:
                calls += [("list_acs_systems", {}), ("search_acs_users", {"limit": 5})]
            for name, arguments in calls:
                result = await mcp.call_tool(name, arguments)
                evidence.add(
                    f"mcp {name} text", "".join(getattr(c, "text", "") for c in result.content)
                )
                evidence.add(f"mcp {name} structured", json.dumps(result.structured_content))
                if revoked and name != "list_workspaces":
                    assert result.is_error
                    assert "401" in result.content[0].text  # type: ignore[union-attr]
                else:
                    assert not result.is_error, result.content
            if revoked:
                return
            identity = (
                await mcp.call_tool("search_user_identities", {"limit": 1})
            ).structured_content
            assert identity is not None
            identity_id = identity["user_identities"][0]["user_identity_id"]
            for name, arguments in [
                ("get_user_identity", {"user_identity_id": identity_id}),
                ("suggest_acs_user_links", {"user_identity_id": identity_id}),
                ("create_user_identity", {"full_name": "MCP Secret Keeper"}),
                ("delete_user_identity", {"user_identity_id": identity_id, "dry_run": True}),
            ]:
                result = await mcp.call_tool(name, arguments)
                assert not result.is_error, result.content
                evidence.add(
                    f"mcp {name} text", "".join(getattr(c, "text", "") for c in result.content)
                )
                evidence.add(f"mcp {name} structured", json.dumps(result.structured_content))
    finally:
        await context.aclose()


async def use_mcp_over_stdio(
    evidence: Evidence, tmp_path: Path, url: str, key: str, *, revoked: bool
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SEAM_")},
        "SEAM_TUI_DATA_DIR": str(data_dir()),
        "SEAM_TUI_CONFIG_DIR": str(config_dir()),
        "SEAM_API_KEY": key,
        "SEAM_ENDPOINT": url,
        "PYTHONPATH": str(ROOT),
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agent_tools.cli", "--log-level", "DEBUG"],
        env=env,
        cwd=ROOT,
    )
    log = tmp_path / f"seam-mcp-{len(evidence.texts)}.stderr"
    with log.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as mcp:
            for name, arguments in [
                ("list_workspaces", {}),
                ("search_user_identities", {"limit": 3}),
                ("list_acs_systems", {}),
            ]:
                result = await mcp.call_tool(name, arguments)
                text = "".join(getattr(c, "text", "") for c in result.content)
                evidence.add(f"stdio {name}", text)
                evidence.add(f"stdio {name} structured", json.dumps(result.structured_content))
                if revoked and name != "list_workspaces":
                    assert result.is_error
                    assert "Seam API error 401 unauthorized" in text
                else:
                    assert not result.is_error, text
    evidence.add("stdio server stderr", log.read_text())


# ----------------------------------------------------------------------------- the scenario


def test_the_key_appears_nowhere(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    evidence = Evidence()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    cloud = tmp_path / "seam-cloud"  # the served sandbox: outside the config and data dirs
    with ServedSandbox(cloud / "served.sqlite3") as served:
        url, key = served.url, served.api_key
        assert cli(
            evidence, monkeypatch, capsys, "workspace", "add", "acme", "--endpoint", url,
            "--api-key-stdin", "--use", stdin=key + "\n",
        ) == 0  # fmt: skip
        for args in (["list"], ["list", "--json"], ["show", "acme", "--json"], ["show", "--check"]):
            assert cli(evidence, monkeypatch, capsys, "workspace", *args) == 0
        assert cli(
            evidence, monkeypatch, capsys, "workspace", "add", "wrong", "--endpoint", url,
            "--api-key-stdin", stdin=WRONG_KEY + "\n",
        ) == 1  # fmt: skip
        assert "refused the API key" in list(evidence.texts.values())[-1]  # the 401
        assert key in MemoryKeyring.passwords.values()  # where it belongs: the keyring

        asyncio.run(use_the_tui(evidence, shots, url, revoked=False))
        asyncio.run(use_mcp_in_process(evidence, revoked=False))
        asyncio.run(use_mcp_over_stdio(evidence, tmp_path, url, key, revoked=False))

        # Revoke every key of the served sandbox; the known key now gets a 401 everywhere.
        assert cli(evidence, monkeypatch, capsys, "sandbox", "reset", "--db", str(served.db)) == 0
        assert cli(evidence, monkeypatch, capsys, "workspace", "show", "--check") == 1
        assert "401" in list(evidence.texts.values())[-1]
        asyncio.run(use_the_tui(evidence, shots, url, revoked=True))
        asyncio.run(use_mcp_in_process(evidence, revoked=True))
        asyncio.run(use_mcp_over_stdio(evidence, tmp_path, url, key, revoked=True))

    for record_ in caplog.records:
        evidence.add(f"log {record_.name}", f"{record_.getMessage()} {record_.args!r}")
        if record_.exc_text:
            evidence.add(f"log {record_.name} exc", record_.exc_text)

    secrets = needles(key) + needles(WRONG_KEY)
    files = list(files_under(config_dir(), data_dir(), shots))
    assert any(p.name == "audit.jsonl" for p in files)
    assert len(list(shots.glob("*.svg"))) >= 6
    leaks = {str(p): n for p in files if (n := hits_in(p.read_bytes(), secrets))}
    leaks |= {name: n for name, text in evidence.texts.items() if (n := hits_in(text, secrets))}
    stdio_logs = [t for n, t in evidence.texts.items() if n.endswith("stdio server stderr")]
    assert all("HTTP Request" in log or "serving" in log for log in stdio_logs)  # they did log
    assert leaks == {}
    record(
        "secrets: scan for the key",
        files_scanned=len(files),
        bytes_scanned=sum(p.stat().st_size for p in files)
        + sum(len(t.encode("utf-8", "surrogatepass")) for t in evidence.texts.values()),
        outputs_scanned=len(evidence.texts),
        log_records=len(caplog.records),
        screenshots=len(list(shots.glob("*.svg"))),
        hits=0,
        front_ends="CLI, TUI, MCP in-process, MCP stdio; each with a 401",
    )
