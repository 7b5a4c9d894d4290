"""The MCP adapter: an MCPServer whose tools are the registry's, hints as ToolAnnotations.

Each registry tool becomes one SDK tool with the registry's lean schemas. Arguments reach the
registry untouched, so validation errors carry the messages written for the model (the SDK's
own validation would answer in pydantic's words); results go out as structured content
without nulls plus the same JSON as text, for clients that only read text. Each call runs with
the audit's `current_caller` set to who called: `token:<name>` over HTTP with a bearer token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError as McpToolError
from mcp.server.mcpserver.tools import Tool as McpTool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ConfigDict

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.instructions import instructions
from agent_tools.quoting import json_text
from agent_tools.registry import TOOLS
from agent_tools.tool import Tool
from seam_tui import __version__
from seam_tui.core.audit import current_caller

SERVER_NAME = "seam-tui"
# The SDK's auth settings want an OAuth issuer; static bearer tokens have none, and with no
# resource_server_url nothing serves or advertises this placeholder.
_NO_ISSUER = "http://localhost/"


def request_caller() -> str | None:
    """Who is calling: `token:<name>` when the request carried a bearer token, else None."""
    token = get_access_token()
    return f"token:{token.client_id}" if token is not None else None


class _PassThrough(ArgModelBase):
    """Hands the raw arguments to the registry tool, which validates them itself."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"arguments": dict(self.model_extra or {})}


def tool_annotations(tool: Tool[Any, Any]) -> ToolAnnotations:
    """The registry's hints in MCP's words, each only where it differs from MCP's default
    (not read-only, destructive, not idempotent, open world), as the spec reads a missing one.

    The destructive and idempotent hints mean nothing for a read-only tool, so they are left out.
    """
    hints = tool.hints
    if hints.read_only:
        return ToolAnnotations(read_only_hint=True, open_world_hint=False)
    return ToolAnnotations(
        destructive_hint=False if not hints.destructive else None,
        idempotent_hint=True if hints.idempotent else None,
        open_world_hint=False,
    )


def to_mcp_tool(
    tool: Tool[Any, Any], context: ToolContext, *, output_schema: bool = False
) -> McpTool:
    """One SDK tool that runs `tool` in `context`, with its outputSchema if asked for."""

    async def run(arguments: dict[str, Any]) -> CallToolResult:
        caller = current_caller.set(request_caller())
        try:
            output = await tool.call(context, arguments)
        except ToolError as exc:
            raise McpToolError(str(exc)) from None
        finally:
            current_caller.reset(caller)
        data = output.dump()
        text = json_text(data)
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=data
        )

    return McpTool(
        fn=run,
        name=tool.name,
        title=tool.title,
        description=tool.description,
        parameters=tool.input_schema,
        fn_metadata=FuncMetadata(
            arg_model=_PassThrough, output_schema=tool.output_schema if output_schema else None
        ),
        is_async=True,
        annotations=tool_annotations(tool),
    )


def build_server(
    context: ToolContext,
    tools: Sequence[Tool[Any, Any]] = TOOLS,
    *,
    output_schemas: bool = False,
    token_verifier: TokenVerifier | None = None,
) -> MCPServer:
    """An MCP server exposing `tools` over `context`; its clients are closed when it stops.

    Results are structured content either way; `output_schemas` adds each tool's outputSchema
    to tools/list (about 15 KB more, which every request of a model that reads them pays for).
    With `token_verifier`, its HTTP app answers 401 to a request without a token it accepts.
    """
    auth = (
        AuthSettings(issuer_url=_NO_ISSUER, resource_server_url=None)
        if token_verifier is not None
        else None
    )

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await context.aclose()

    return MCPServer(
        SERVER_NAME,
        title="Seam identities and ACS users",
        instructions=instructions(context),
        version=__version__,
        tools=[to_mcp_tool(t, context, output_schema=output_schemas) for t in tools],
        lifespan=lifespan,
        token_verifier=token_verifier,
        auth=auth,
    )
