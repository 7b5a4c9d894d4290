"""`seam-mcp --transport streamable-http` on a real port: bearer tokens (401 without one), DNS-
rebinding protection on a loopback address other than 127.0.0.1, a real MCP client session whose
changes are audited with the caller's token name, logs on stderr at the one `--log-level`, and
no token anywhere in what the server writes."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from agent_tools.context import ToolContext
from agent_tools.registry import TOOLS
from seam_tui.core.audit import AuditLog
from tests.agent_tools.conftest import call, connect
from tests.figures import record

ROOT = Path(__file__).resolve().parents[2]
OPS_TOKEN = "ops-Zq8rT2vX9mKp4LwB7nYc"
CI_TOKEN = "ci-Hs3dF6gJ1kQ5tR8uW0eA"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    url: str
    host_header: str
    data_dir: Path
    stdout: Path
    stderr: Path


@asynccontextmanager
async def served(
    tmp_path: Path, host: str, args: list[str], env: Mapping[str, str] | None = None
) -> AsyncIterator[Served]:
    """`seam-mcp` serving over HTTP on a free port of `host` until the block ends; its stdout
    and stderr are in files, complete once the block has ended."""
    port = _free_port(host)
    served = Served(
        url=f"http://{host}:{port}/mcp",
        host_header=f"{host}:{port}",
        data_dir=tmp_path / "server-data",
        stdout=tmp_path / "server.stdout",
        stderr=tmp_path / "server.stderr",
    )
    command = [sys.executable, "-m", "agent_tools.cli", "--transport", "streamable-http"]
    command += ["--host", host, "--port", str(port), *args]
    server_env = {k: v for k, v in os.environ.items() if not k.startswith("SEAM_")}
    server_env |= {
        "SEAM_TUI_DATA_DIR": str(served.data_dir),
        "SEAM_TUI_CONFIG_DIR": str(tmp_path / "server-config"),
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    with served.stdout.open("wb") as out, served.stderr.open("wb") as err:
        process = await anyio.open_process(
            command, env=server_env, cwd=ROOT, stdout=out, stderr=err
        )
        async with process:
            try:
                with anyio.fail_after(30):
                    while True:
                        try:
                            async with httpx.AsyncClient() as http:
                                await http.get(served.url)
                            break
                        except httpx.TransportError:
                            assert process.returncode is None, served.stderr.read_text()
                            await anyio.sleep(0.1)
                yield served
            finally:
                process.terminate()
                await process.wait()


def _client(url: str, token: str, *, legacy: bool = False) -> tuple[httpx2.AsyncClient, Client]:
    """The SDK's client with the token on every request; `legacy` = a stateful session (the
    initialize handshake), else the per-request protocol the client picks by default."""
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
    mode: Literal["legacy", "auto"] = "legacy" if legacy else "auto"
    return http, Client(streamable_http_client(url, http_client=http), mode=mode)


async def _post(served: Served, *, token: str | None = None, **headers: str) -> httpx.Response:
    sent = {**MCP_HEADERS, **headers}
    if token is not None:
        sent["authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient() as http:
        return await http.post(served.url, json=INIT, headers=sent)


async def test_team_server_tokens_rebinding_callers_and_logs(tmp_path: Path) -> None:
    """Named tokens from a 0600 file on 127.0.0.2, served at DEBUG: every refusal, a session per
    token, the audit says who, and neither token is in stdout, stderr or the audit log."""
    token_file = tmp_path / "tokens"
    token_file.write_text(f"# the team's tokens\nops:{OPS_TOKEN}\n\nci:{CI_TOKEN}\n")
    token_file.chmod(0o600)
    args = ["--token-file", str(token_file), "--log-level", "DEBUG"]
    async with served(tmp_path, "127.0.0.2", args) as server:
        # No token, a wrong one, a near miss, another scheme: 401 with the SDK's challenge.
        for token in (None, "wrong-token-0123456789", OPS_TOKEN + "x", OPS_TOKEN[:-1]):
            refused = await _post(server, token=token)
            assert refused.status_code == 401, (token, refused.text)
            assert refused.headers["www-authenticate"].startswith("Bearer ")
        basic = await _post(server, authorization=f"Basic {OPS_TOKEN}")
        assert basic.status_code == 401
        # DNS rebinding on 127.0.0.2: a foreign Host is 421 (token or not), a foreign Origin 403.
        assert (await _post(server, token=OPS_TOKEN, host="evil.example")).status_code == 421
        assert (await _post(server, host="evil.example")).status_code == 421
        evil_origin = await _post(server, token=OPS_TOKEN, origin="http://evil.example")
        assert evil_origin.status_code == 403
        both = await _post(
            server, token=OPS_TOKEN, host="evil.example", origin="http://evil.example"
        )
        assert both.status_code == 421
        port = server.host_header.rsplit(":", 1)[1]
        same_origin = await _post(server, token=OPS_TOKEN, origin=f"http://localhost:{port}")
        assert same_origin.status_code == 200
        # A session belongs to the token that opened it: ci cannot use ops's session.
        opened = await _post(server, token=OPS_TOKEN)
        session = opened.headers["mcp-session-id"]
        hijack = await _post(server, token=CI_TOKEN, **{"mcp-session-id": session})
        assert hijack.status_code == 404

        ops_http, ops = _client(server.url, OPS_TOKEN, legacy=True)
        async with ops_http, ops:
            assert [t.name for t in (await ops.list_tools()).tools] == [t.name for t in TOOLS]
            created = await call(
                ops,
                "create_user_identity",
                {"full_name": "Nia Okafor", "email_address": "nia.okafor@example.org"},
            )
            identity_id = created["user_identity"]["user_identity_id"]
        ci_http, ci = _client(server.url, CI_TOKEN)
        async with ci_http, ci:
            await call(ci, "delete_user_identity", {"user_identity_id": identity_id})

    audit_path = server.data_dir / "audit.jsonl"
    raw_audit = audit_path.read_text()
    lines = [json.loads(line) for line in raw_audit.splitlines()]
    callers = {(line["operation"], line["caller"]) for line in lines}  # every line has one
    assert callers == {("create_user_identity", "token:ops"), ("delete_user_identity", "token:ci")}
    outcomes = {(e.operation, e.outcome, e.caller) for e in AuditLog(audit_path).recent()}
    assert ("delete_user_identity", "ok", "token:ci") in outcomes
    stdout, stderr = server.stdout.read_bytes(), server.stderr.read_text()
    assert stdout == b""  # logs never go to stdout, in any transport
    assert '"POST /mcp HTTP/1.1" 401' in stderr
    assert '"POST /mcp HTTP/1.1" 421' in stderr
    assert "Invalid Origin header: http://evil.example" in stderr
    assert "callers: ci, ops" in stderr
    scanned = stdout.decode() + stderr + raw_audit
    leaked = [t for t in (OPS_TOKEN, CI_TOKEN, OPS_TOKEN[:-1], OPS_TOKEN[4:20]) if t in scanned]
    assert leaked == []
    record(
        "http transport",
        requests_refused=10,  # 5 x 401, 3 x 421, 1 x 403, 1 session hijack 404 above
        changes_by_refused_requests=0,
        audit_lines_with_caller=len(lines),
        tokens_leaked=len(leaked),
        bytes_scanned_for_tokens=len(scanned.encode()),
    )


async def test_a_proxy_on_the_default_port(tmp_path: Path) -> None:
    """Behind a TLS proxy the client sends `Host: NAME` and `Origin: https://NAME` (no :443):
    `--allowed-hosts NAME:443` accepts both, through the SDK's own checks; http is refused."""
    env = {"SEAM_MCP_TOKEN": OPS_TOKEN}
    allowed = "mcp.example.com:443,plain.example.com:80"
    async with served(tmp_path, "127.0.0.2", ["--allowed-hosts", allowed], env) as server:
        expected = {
            ("mcp.example.com", None): 200,
            ("mcp.example.com", "https://mcp.example.com"): 200,
            ("mcp.example.com:443", "https://mcp.example.com:443"): 200,
            ("mcp.example.com", "http://mcp.example.com"): 403,
            ("mcp.example.com:8443", None): 421,
            ("plain.example.com", "http://plain.example.com"): 200,
            ("plain.example.com", "https://plain.example.com"): 403,
        }
        statuses = {}
        for host, origin in expected:
            headers = {"host": host} | ({"origin": origin} if origin else {})
            statuses[host, origin] = (await _post(server, token=OPS_TOKEN, **headers)).status_code
    assert statuses == expected
    assert OPS_TOKEN not in server.stderr.read_text()


async def test_warning_level_quiets_the_web_server(tmp_path: Path) -> None:
    """SEAM_MCP_TOKEN on 127.0.0.1 is enforced too; at WARNING a request writes no access line,
    no uvicorn or SDK info; a refused Host still warns, on stderr."""
    env = {"SEAM_MCP_TOKEN": OPS_TOKEN}
    async with served(tmp_path, "127.0.0.1", ["--log-level", "WARNING"], env) as server:
        assert (await _post(server)).status_code == 401
        assert (await _post(server, token=OPS_TOKEN)).status_code == 200
        assert (await _post(server, token=OPS_TOKEN, host="evil.example")).status_code == 421
        http, client = _client(server.url, OPS_TOKEN)
        async with http, client:
            systems = await call(client, "list_acs_systems")
            assert systems["acs_systems"]
    stderr = server.stderr.read_text()
    assert server.stdout.read_bytes() == b""
    assert "HTTP/1.1" not in stderr
    assert " INFO " not in stderr
    assert "Uvicorn running" not in stderr
    assert "WARNING mcp.server.transport_security: Invalid Host header: evil.example" in stderr
    assert OPS_TOKEN not in stderr


async def test_info_level_logs_the_web_server_on_stderr(tmp_path: Path) -> None:
    """No token on loopback: allowed, with a warning; uvicorn's lines go to stderr in our format."""
    async with served(tmp_path, "127.0.0.1", []) as server:
        assert (await _post(server)).status_code == 200
    stderr = server.stderr.read_text()
    assert server.stdout.read_bytes() == b""
    assert "INFO uvicorn.error: Uvicorn running on http://127.0.0.1:" in stderr
    assert "INFO uvicorn.access: " in stderr
    assert '"POST /mcp HTTP/1.1" 200' in stderr
    assert "WARNING seam-mcp: no token: any local process or user can call the tools" in stderr


async def test_stdio_and_in_memory_calls_have_no_caller(context: ToolContext) -> None:
    async with connect(context) as client:
        await call(
            client,
            "create_user_identity",
            {"full_name": "Ade Bello", "email_address": "ade.bello@example.org"},
        )
    [entry] = [e for e in AuditLog().recent() if e.outcome == "ok"]
    assert entry.caller is None
