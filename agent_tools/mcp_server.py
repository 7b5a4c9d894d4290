"""The MCP adapter: an MCPServer whose tools are the registry's, hints as ToolAnnotations.

Each registry tool becomes one SDK tool with the registry's lean schemas. Arguments reach the
registry untouched, so validation errors carry the messages written for the model (the SDK's
own validation would answer in pydantic's words); results go out as structured content
without nulls plus the same JSON as text, for clients that only read text.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError as McpToolError
from mcp.server.mcpserver.tools import Tool as McpTool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ConfigDict

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.registry import TOOLS
from agent_tools.tool import Tool
from seam_tui import __version__

SERVER_NAME = "seam-tui"


class _PassThrough(ArgModelBase):
    """Hands the raw arguments to the registry tool, which validates them itself."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"arguments": dict(self.model_extra or {})}


def tool_annotations(tool: Tool[Any, Any]) -> ToolAnnotations:
    """The registry's hints in MCP's words; every hint is explicit (MCP's defaults are unsafe)."""
    return ToolAnnotations(
        title=tool.title,
        read_only_hint=tool.hints.read_only,
        destructive_hint=tool.hints.destructive,
        idempotent_hint=tool.hints.idempotent,
        open_world_hint=False,
    )


def to_mcp_tool(tool: Tool[Any, Any], context: ToolContext) -> McpTool:
    """One SDK tool that runs `tool` in `context`."""

    async def run(arguments: dict[str, Any]) -> CallToolResult:
        try:
            output = await tool.call(context, arguments)
        except ToolError as exc:
            raise McpToolError(str(exc)) from None
        data = output.dump()
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=data
        )

    return McpTool(
        fn=run,
        name=tool.name,
        title=tool.title,
        description=tool.description,
        parameters=tool.input_schema,
        fn_metadata=FuncMetadata(arg_model=_PassThrough, output_schema=tool.output_schema),
        is_async=True,
        annotations=tool_annotations(tool),
    )


def instructions(context: ToolContext) -> str:
    """What the model should know before the first call: where it is and how to be safe."""
    where = f"The default workspace is {context.workspace!r} ({context.label})"
    if context.read_only:
        where += ", read-only: only read tools are available"
    return (
        "Administer Seam user identities (people) and ACS users (their accounts in access "
        f"control systems). {where}. Find before you create: search_user_identities, then "
        "suggest_acs_user_links and link_acs_user to connect existing ACS users. Call "
        "destructive tools with dry_run=true first and show the user what would change."
    )


def build_server(context: ToolContext, tools: Sequence[Tool[Any, Any]] = TOOLS) -> MCPServer:
    """An MCP server exposing `tools` over `context`; its clients are closed when it stops."""

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
        tools=[to_mcp_tool(t, context) for t in tools],
        lifespan=lifespan,
    )
