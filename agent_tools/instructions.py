"""What a model should know before its first call, said once instead of in every tool.

The MCP server sends it as its `instructions` at initialize; a chat agent puts it in its system
prompt. What many tools share (`workspace`, `dry_run`, `cursor`, how an ACS user is named) is
explained here, so their schemas in tools/list stay short.
"""

from __future__ import annotations

from agent_tools.context import ToolContext


def instructions(context: ToolContext) -> str:
    """Where the tools act, the options they share, and how to use them safely."""
    where = f"The default workspace is {context.workspace!r} ({context.label})"
    if context.read_only:
        where += ", read-only: only read tools are available"
    return (
        "Administer Seam user identities (people) and ACS users (their accounts in access "
        f"control systems). {where}. Every tool but list_workspaces takes an optional "
        "`workspace`: a profile name from list_workspaces; omit it for the default. "
        "Find before you create: search_user_identities, then suggest_acs_user_links and "
        "link_acs_user to connect existing ACS users. A tool that acts on one ACS user takes "
        "its acs_user_id, or user_identity_id + acs_system_id for that person's ACS user in "
        "that system. Tools that change or remove something "
        "take `dry_run`: call them with dry_run=true first (nothing changes; the result says "
        "exactly what would) and show the user before the real call. A list that has more "
        "returns next_cursor: pass it as `cursor` with the other arguments unchanged."
    )
