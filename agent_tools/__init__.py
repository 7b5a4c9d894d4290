"""Seam identity and ACS-user administration as tools for AI assistants.

One registry (`TOOLS`) feeds two adapters: the MCP server (`agent_tools.mcp_server`, run by
`seam-mcp`) and chat function calling (`openai_tools`, `anthropic_tools`, `call_tool`, with
`instructions` for the system prompt).
Importing this package never imports the MCP SDK.
"""

from agent_tools.chat import (
    ToolResult,
    anthropic_tools,
    call_tool,
    openai_tools,
    tool_definitions,
)
from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.instructions import instructions
from agent_tools.registry import TOOLS, TOOLS_BY_NAME, select_tools
from agent_tools.tool import Hints, Tool

__all__ = [
    "TOOLS",
    "TOOLS_BY_NAME",
    "Hints",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolResult",
    "anthropic_tools",
    "call_tool",
    "instructions",
    "openai_tools",
    "select_tools",
    "tool_definitions",
]
