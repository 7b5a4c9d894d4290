"""`/instant_keys/*`: list (optionally one identity's; unpaginated), get, delete.

A key is found by `instant_key_id` or `instant_key_url` (exactly one); expired keys are still
listed until deleted. An unknown `user_identity_id` filter lists nothing, as other filters do.
"""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import render_access
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.envelope import not_found
from seam_tui.sandbox.params import Schema, exactly_one, string, uuid_param


def list_keys(call: Call) -> dict[str, Any]:
    where, args = "workspace_id = ?", [call.workspace_id]
    if "user_identity_id" in call.params:
        where += " AND user_identity_id = ?"
        args.append(call.params["user_identity_id"])
    rows = call.db.execute(
        f"SELECT * FROM instant_keys WHERE {where} ORDER BY created_at, instant_key_id", args
    )
    return ok(instant_keys=[render_access.instant_key(row) for row in rows])


def get_key(call: Call) -> dict[str, Any]:
    params = call.params
    if params.get("instant_key_id") is not None:
        column, value = "instant_key_id", params["instant_key_id"]
    else:
        column, value = "instant_key_url", params["instant_key_url"]
    row = call.db.execute(
        f"SELECT * FROM instant_keys WHERE workspace_id = ? AND {column} = ?",
        (call.workspace_id, value),
    ).fetchone()
    if row is None:
        raise not_found("instant_key_not_found", "Instant key not found")
    return ok(instant_key=render_access.instant_key(row))


def delete_key(call: Call) -> dict[str, Any]:
    deleted = call.db.execute(
        "DELETE FROM instant_keys WHERE workspace_id = ? AND instant_key_id = ?",
        (call.workspace_id, call.params["instant_key_id"]),
    )
    if deleted.rowcount == 0:
        raise not_found("instant_key_not_found", "Instant key not found")
    return ok()


ENDPOINTS: list[Endpoint] = [
    read("/instant_keys/list", Schema({"user_identity_id": uuid_param()}), list_keys),
    read(
        "/instant_keys/get",
        Schema(
            {"instant_key_id": uuid_param(), "instant_key_url": string(min_length=1)},
            (exactly_one("instant_key_id", "instant_key_url"),),
        ),
        get_key,
    ),
    write(
        "/instant_keys/delete",
        "DELETE",
        Schema({"instant_key_id": uuid_param(required=True)}),
        delete_key,
    ),
]
