"""Fixtures for the tool tests: a tool context on the built-in sandbox (no set-up, as a user
gets it), and helpers to call the MCP server over it through the SDK's in-memory client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import pytest
from mcp import Client

from agent_tools.context import ToolContext
from agent_tools.mcp_server import build_server
from seam_tui.core.audit import AuditEntry, AuditLog
from seam_tui.workspaces import close_local_sandboxes


@pytest.fixture(autouse=True)
def _close_sandboxes() -> Iterator[None]:
    """Each test's built-in sandbox lives in its own data dir; close it after the test."""
    yield
    close_local_sandboxes()


@pytest.fixture
async def context() -> AsyncIterator[ToolContext]:
    """The default workspace as `seam-mcp` resolves it with no profile: the built-in sandbox."""
    ctx = ToolContext.open()
    yield ctx
    await ctx.aclose()


def connect(context: ToolContext) -> Client:
    """An in-memory MCP client of a server over `context`; use as `async with connect(...)`.

    (Not a fixture: the client's task group must be entered and left in the same task.)
    """
    return Client(build_server(context))


async def call(client: Client, name: str, arguments: Mapping[str, Any] | None = None) -> Any:
    """Call a tool that must succeed; returns its structured content."""
    result = await client.call_tool(name, dict(arguments or {}))
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, name: str, arguments: Mapping[str, Any]) -> str:
    """Call a tool that must fail; returns the text the model reads."""
    result = await client.call_tool(name, dict(arguments))
    assert result.is_error, result.structured_content
    text = result.content[0].text  # type: ignore[union-attr]
    assert "Traceback" not in text
    assert isinstance(text, str)
    return text


def audit_entries() -> list[AuditEntry]:
    """The audit log the tools wrote (in the test's data dir), oldest first."""
    return list(reversed(AuditLog().recent()))
