"""The one list of tools both adapters are generated from, and how a server picks from it.

Importing this never imports the MCP SDK (about 0.9 s): the TUI and chat agents can read the
tools without paying for a server they do not run.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from agent_tools import tools_access, tools_acs, tools_identities, tools_people
from agent_tools.tool import Tool
from agent_tools.tools_workspaces import list_workspaces

TOOLS: tuple[Tool[Any, Any], ...] = (
    list_workspaces,
    *tools_identities.TOOLS,
    *tools_acs.TOOLS,
    *tools_access.TOOLS,
    *tools_people.TOOLS,
)

TOOLS_BY_NAME: dict[str, Tool[Any, Any]] = {t.name: t for t in TOOLS}


def select_tools(
    *,
    read_only: bool = False,
    include: Collection[str] | None = None,
    exclude: Collection[str] = (),
) -> list[Tool[Any, Any]]:
    """The tools a server exposes: only `include` (all when None), minus `exclude`, and only
    read tools when `read_only`. Raises ValueError naming any unknown tool."""
    unknown = sorted(set(include or ()).union(exclude) - TOOLS_BY_NAME.keys())
    if unknown:
        raise ValueError(
            f"unknown tool(s): {', '.join(unknown)}; known tools: {', '.join(TOOLS_BY_NAME)}"
        )
    return [
        t
        for t in TOOLS
        if (include is None or t.name in include)
        and t.name not in exclude
        and (t.hints.read_only or not read_only)
    ]
