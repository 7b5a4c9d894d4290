"""The workspace tool: which workspaces (profiles) the other tools can act in."""

from __future__ import annotations

from agent_tools.context import ToolContext
from agent_tools.outputs import WorkspaceOut, WorkspacesOut
from agent_tools.tool import READ, tool
from seam_tui.core.inputs import RequestModel
from seam_tui.workspaces import list_profiles


class NoArguments(RequestModel):
    """A tool that takes no arguments."""


@tool(title="List workspaces", hints=READ)
async def list_workspaces(context: ToolContext, data: NoArguments) -> WorkspacesOut:
    """List the workspaces (profiles) the tools can act in; no secrets.

    Marks the default, read-only ones and the sandbox (test data).
    """
    workspaces = [
        WorkspaceOut(
            name=p.name,
            label=p.label if p.label != p.name else None,
            endpoint=p.endpoint,
            default=True if p.name == context.workspace else None,
            read_only=True if p.read_only or context.read_only else None,
            sandbox=True if p.builtin else None,
            unusable=None if p.has_secret else p.secret_problem or _missing(p.secret_store),
        )
        for p in list_profiles()
    ]
    if not any(w.default for w in workspaces):
        workspaces.insert(
            0,
            WorkspaceOut(
                name=context.workspace,
                label=context.label,
                endpoint=context.endpoint,
                default=True,
                read_only=True if context.read_only else None,
            ),
        )
    return WorkspacesOut(workspaces=workspaces)


def _missing(store: str | None) -> str:
    where = "the insecure file store" if store == "file" else "the keyring"
    return f"its key or token is missing from {where}"
