"""Seam identity and ACS-user administration as tools for AI assistants.

One registry (`TOOLS`) feeds two adapters: the MCP server (`agent_tools.mcp_server`, run by
`seam-mcp`) and chat function calling (`openai_tools`, `anthropic_tools`, `call_tool`, with
`instructions` for the system prompt).
Importing this package imports nothing else until a name is used; never the MCP SDK.
"""

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Imported on first use (PEP 562), so `seam-mcp --help` and `--version` import none of them.
_WHERE = {
    "ToolResult": "agent_tools.chat",
    "anthropic_tools": "agent_tools.chat",
    "call_tool": "agent_tools.chat",
    "openai_tools": "agent_tools.chat",
    "tool_definitions": "agent_tools.chat",
    "ToolContext": "agent_tools.context",
    "ToolError": "agent_tools.errors",
    "instructions": "agent_tools.instructions",
    "TOOLS": "agent_tools.registry",
    "TOOLS_BY_NAME": "agent_tools.registry",
    "select_tools": "agent_tools.registry",
    "Hints": "agent_tools.tool",
    "Tool": "agent_tools.tool",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'agent_tools' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps `agent_tools.instructions` the function: importing the submodule of the same name
    would otherwise set the package's attribute to the module (and `__getattr__` is then never
    asked)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if not (name in _WHERE and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
