"""`/workspaces/get` and `/workspaces/list`."""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import render
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read
from seam_tui.sandbox.params import Schema


def get_workspace(call: Call) -> dict[str, Any]:
    row = call.db.execute(
        "SELECT * FROM workspaces WHERE workspace_id = ?", (call.workspace_id,)
    ).fetchone()
    return ok(workspace=render.workspace(row))


def list_workspaces(call: Call) -> dict[str, Any]:
    """With the personal access token: every workspace; with an API key: its own."""
    if call.auth.personal_access_token:
        rows = call.db.execute("SELECT * FROM workspaces ORDER BY created_at, workspace_id")
    else:
        rows = call.db.execute(
            "SELECT * FROM workspaces WHERE workspace_id = ?", (call.workspace_id,)
        )
    return ok(workspaces=[render.workspace(row) for row in rows])


ENDPOINTS: list[Endpoint] = [
    read("/workspaces/get", Schema({}), get_workspace),
    read("/workspaces/list", Schema({}), list_workspaces, without_workspace=True),
]
