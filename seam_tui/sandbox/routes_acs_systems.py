"""`/acs/systems/*` and `/acs/access_groups/*` (neither list is paginated)."""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import render, repo
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.params import Schema, exactly_one, string, uuid_param
from seam_tui.sandbox.routes_acs_users import remove_from_access_group
from seam_tui.sandbox.search import contains_any

GROUP_ID = {"acs_access_group_id": uuid_param(required=True)}
MEMBER = Schema(
    {**GROUP_ID, "acs_user_id": uuid_param(), "user_identity_id": uuid_param()},
    (exactly_one("acs_user_id", "user_identity_id"),),
)


def list_systems(call: Call) -> dict[str, Any]:
    params = call.params
    where: list[str] = ["s.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    if "connected_account_id" in params:
        where.append("s.connected_account_id = ?")
        args.append(params["connected_account_id"])
    if "search" in params:
        clause, search_args = contains_any(("s.name", "s.acs_system_id"), params["search"])
        where.append(clause)
        args += search_args
    rows = call.db.execute(
        f"{repo.SYSTEM_SELECT} WHERE {' AND '.join(where)} ORDER BY s.created_at, s.acs_system_id",
        args,
    )
    return ok(acs_systems=[render.acs_system(row) for row in rows])


def get_system(call: Call) -> dict[str, Any]:
    system = repo.require_system(call.db, call.workspace_id, call.params["acs_system_id"])
    return ok(acs_system=render.acs_system(system))


def list_groups(call: Call) -> dict[str, Any]:
    params = call.params
    where: list[str] = ["g.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    if "acs_system_id" in params:
        where.append("g.acs_system_id = ?")
        args.append(params["acs_system_id"])
    if "acs_user_id" in params:
        where.append(
            "g.acs_access_group_id IN (SELECT acs_access_group_id FROM acs_access_group_members"
            " WHERE acs_user_id = ?)"
        )
        args.append(params["acs_user_id"])
    if "user_identity_id" in params:
        where.append(
            "g.acs_access_group_id IN (SELECT m.acs_access_group_id"
            " FROM acs_access_group_members m JOIN acs_users u USING (acs_user_id)"
            " WHERE u.user_identity_id = ?)"
        )
        args.append(params["user_identity_id"])
    if "search" in params:
        clause, search_args = contains_any(("g.name", "g.acs_access_group_id"), params["search"])
        where.append(clause)
        args += search_args
    rows = call.db.execute(
        f"{repo.GROUP_SELECT} WHERE {' AND '.join(where)}"
        " ORDER BY g.created_at, g.acs_access_group_id",
        args,
    )
    return ok(acs_access_groups=[render.access_group(row) for row in rows])


def get_group(call: Call) -> dict[str, Any]:
    group = repo.require_group(call.db, call.workspace_id, call.params["acs_access_group_id"])
    return ok(acs_access_group=render.access_group(group))


def list_group_users(call: Call) -> dict[str, Any]:
    group = repo.require_group(call.db, call.workspace_id, call.params["acs_access_group_id"])
    rows = repo.select_acs_users(
        call.db,
        "u.acs_user_id IN (SELECT acs_user_id FROM acs_access_group_members"
        " WHERE acs_access_group_id = ?)",
        (group["acs_access_group_id"],),
    )
    return ok(acs_users=repo.acs_users_json(rows))


def add_group_user(call: Call) -> dict[str, Any]:
    """Add a member; named by identity, the identity's ACS user in the group's system is
    used, or linked by email/phone, or created (as `user_identities/create` does)."""
    params, db = call.params, call.db
    group = repo.require_group(db, call.workspace_id, params["acs_access_group_id"])
    if params.get("acs_user_id") is not None:
        user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
    else:
        identity = repo.require_identity(
            db, call.workspace_id, identity_id=params["user_identity_id"]
        )
        acs_user_id = repo.link_or_create(db, identity, group["acs_system_id"], call.settle_after)
        user = repo.require_acs_user(db, call.workspace_id, acs_user_id)
    repo.add_to_group(db, group, user, call.settle_after)
    return ok()


ENDPOINTS: list[Endpoint] = [
    read(
        "/acs/systems/list",
        Schema(
            {
                "connected_account_id": uuid_param(),
                "search": string(min_length=1),
                "customer_key": string(min_length=1),
            }
        ),
        list_systems,
    ),
    read("/acs/systems/get", Schema({"acs_system_id": uuid_param(required=True)}), get_system),
    read(
        "/acs/access_groups/list",
        Schema(
            {
                "acs_system_id": uuid_param(),
                "acs_user_id": uuid_param(),
                "user_identity_id": uuid_param(),
                "search": string(min_length=1),
            }
        ),
        list_groups,
    ),
    read("/acs/access_groups/get", Schema(GROUP_ID), get_group),
    read("/acs/access_groups/list_users", Schema(GROUP_ID), list_group_users),
    write("/acs/access_groups/add_user", "PUT", MEMBER, add_group_user),
    write("/acs/access_groups/remove_user", "DELETE", MEMBER, remove_from_access_group),
]
