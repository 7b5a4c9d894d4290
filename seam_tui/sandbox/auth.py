"""Who is calling: an API key (one workspace) or the personal access token (any workspace).

With the token, the `seam-workspace` header picks the workspace; without it only
`workspaces/list` works. Our choice where seam-api.md leaves it open: a token without the
header on any other endpoint gets 401 `unauthorized` (it is an authentication problem), and a
header naming no workspace gets 404 `workspace_not_found`.
"""

from __future__ import annotations

import hmac
import sqlite3
from dataclasses import dataclass

from seam_tui.sandbox.envelope import ApiError, not_found

PAT_PREFIX = "seam_at"


@dataclass(frozen=True)
class Auth:
    workspace_id: str | None
    personal_access_token: bool


def authenticate(
    db: sqlite3.Connection,
    authorization: str | None,
    workspace_header: str | None,
    *,
    without_workspace: bool,
) -> Auth:
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Missing credentials: send 'Authorization: Bearer <api key>'")
    if not token.startswith(PAT_PREFIX):
        row = db.execute(
            "SELECT workspace_id FROM workspaces WHERE api_key = ?", (token,)
        ).fetchone()
        if row is None:
            raise _unauthorized("Invalid API key")
        return Auth(row["workspace_id"], personal_access_token=False)
    stored = db.execute("SELECT value FROM meta WHERE key = 'personal_access_token'").fetchone()
    if stored is None or not hmac.compare_digest(token, stored["value"]):
        raise _unauthorized("Invalid personal access token")
    if workspace_header:
        row = db.execute(
            "SELECT workspace_id FROM workspaces WHERE workspace_id = ?", (workspace_header,)
        ).fetchone()
        if row is None:
            raise not_found("workspace_not_found", "Workspace not found")
        return Auth(row["workspace_id"], personal_access_token=True)
    if without_workspace:
        return Auth(None, personal_access_token=True)
    raise _unauthorized("A personal access token needs the seam-workspace header for this endpoint")


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)
