"""`seam-mcp`: the schemas command, tool selection, a read-only profile, and real sessions
with the SDK's client over stdio and streamable HTTP against a fresh sandbox."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from agent_tools.cli import build_parser, main, plan
from agent_tools.registry import TOOLS, TOOLS_BY_NAME
from seam_tui.core.audit import AuditLog
from seam_tui.workspaces import add_profile
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.agent_tools.conftest import call

ROOT = Path(__file__).resolve().parents[2]
READ_TOOL_COUNT = sum(t.hints.read_only for t in TOOLS)


def _env(tmp_path: Path) -> dict[str, str]:
    """A fresh sandbox and config for the server process (nothing configured)."""
    return {
        "SEAM_TUI_DATA_DIR": str(tmp_path / "server-data"),
        "SEAM_TUI_CONFIG_DIR": str(tmp_path / "server-config"),
        "PYTHONPATH": str(ROOT),
    }


def test_schemas_prints_chat_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--format", "anthropic"]) == 0
    anthropic = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in anthropic] == [t.name for t in TOOLS]
    assert main(["--read-only", "schemas", "--format", "openai"]) == 0
    openai = json.loads(capsys.readouterr().out)
    assert len(openai) == READ_TOOL_COUNT
    assert {d["type"] for d in openai} == {"function"}


def test_tool_selection(capsys: pytest.CaptureFixture[str]) -> None:
    main(["schemas", "--tools", "search_user_identities,link_acs_user", "--tools", "get_acs_user"])
    chosen = [d["function"]["name"] for d in json.loads(capsys.readouterr().out)]
    assert chosen == ["search_user_identities", "get_acs_user", "link_acs_user"]
    main(["schemas", "--exclude-tools", "delete_user_identity,delete_acs_user"])
    assert len(json.loads(capsys.readouterr().out)) == len(TOOLS) - 2
    assert main(["schemas", "--tools", "rm_rf"]) == 2
    assert "unknown tool(s): rm_rf; known tools: list_workspaces" in capsys.readouterr().err
    assert main(["schemas", "--read-only", "--tools", "delete_acs_user"]) == 2
    assert "no tools left" in capsys.readouterr().err


def test_unknown_workspace_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workspace", "nope"]) == 1  # FAILED, as from seam-tui
    error = capsys.readouterr().err
    assert 'no workspace profile named "nope"' in error
    assert "sandbox" in error


@pytest.fixture
async def read_only_profile() -> str:
    """A saved profile, marked read-only, on the local sandbox's first workspace."""
    key = local_sandbox().workspaces()[0].api_key
    await add_profile(
        "acme-ro", key, endpoint="sandbox://local", read_only=True, insecure_file_store=True
    )
    return "acme-ro"


async def test_a_read_only_profile_forces_read_only(read_only_profile: str) -> None:
    args = build_parser().parse_args(["--workspace", read_only_profile, "--insecure-file-store"])
    context, tools = plan(args)
    try:
        assert context.read_only
        assert len(tools) == READ_TOOL_COUNT
        service = await context.service()
        assert service.read_only
    finally:
        await context.aclose()


async def test_stdio_session_with_the_real_client(tmp_path: Path) -> None:
    """The README's flow: create an identity, find its ACS user, link it; the audit shows it."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "agent_tools.cli"], env=_env(tmp_path), cwd=ROOT
    )
    errlog_path = tmp_path / "stderr.log"
    with errlog_path.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            tools = (await client.list_tools()).tools
            assert [t.name for t in tools] == [t.name for t in TOOLS]
            assert all(t.annotations is not None and t.output_schema is None for t in tools)
            created = await call(
                client,
                "create_user_identity",
                {"full_name": "Alex Moore", "email_address": "alex.moore@example.org"},
            )
            identity_id = created["user_identity"]["user_identity_id"]
            [match] = (
                await call(client, "suggest_acs_user_links", {"user_identity_id": identity_id})
            )["suggestions"]
            assert match["matched_on"] == ["email_address"]
            linked = await call(
                client,
                "link_acs_user",
                {"user_identity_id": identity_id, "acs_user_id": match["acs_user_id"]},
            )
            assert linked["acs_user"]["user_identity_id"] == identity_id
    audit = AuditLog(tmp_path / "server-data" / "audit.jsonl").recent()
    assert [(e.front_end, e.operation, e.outcome) for e in reversed(audit)] == [
        ("mcp", "create_user_identity", "ok"),
        ("mcp", "link_acs_user", "ok"),
    ]
    assert f"serving {len(TOOLS)} tools for workspace 'sandbox'" in errlog_path.read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_streamable_http_read_only_with_output_schemas(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "agent_tools.cli", "--transport", "streamable-http"]
    command += ["--port", str(port), "--read-only", "--output-schemas", "--log-level", "WARNING"]
    server = await anyio.open_process(
        command,
        env={**os.environ, **_env(tmp_path)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    async with server:
        try:
            url = f"http://127.0.0.1:{port}/mcp"
            with anyio.fail_after(20):
                while True:
                    try:
                        async with httpx.AsyncClient() as http:
                            await http.get(url)
                        break
                    except httpx.TransportError:
                        await anyio.sleep(0.1)
            async with Client(url) as client:
                tools = (await client.list_tools()).tools
                assert len(tools) == READ_TOOL_COUNT
                assert all(t.annotations and t.annotations.read_only_hint for t in tools)
                assert all(t.output_schema == TOOLS_BY_NAME[t.name].output_schema for t in tools)
                systems = await call(client, "list_acs_systems")
                assert len(systems["acs_systems"]) == 4
        finally:
            server.terminate()
            await server.wait()
