"""`/acs/entrances/*` and the entrances reached by an ACS user or an access group.

Entrances are synced from the access system: the API cannot create, rename or delete them.
What reaches an entrance is described in `repo_access`: a user's groups' entrances plus its
credentials' allowed entrances. These are grants, not current ability, so a suspended ACS
user (or one whose schedule has ended) still lists its entrances.

`/acs/users/revoke_access_to_all_entrances` is our reading of the one-line description: the
user leaves every access group it is in, and each of its credentials loses its allowed
entrances; the user and its credentials remain. The target is an `acs_user_id`, or a
`user_identity_id` (every ACS user of the identity) with an optional `acs_system_id` (its
user in that system).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from seam_tui.sandbox import repo, repo_access
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.envelope import Issue, not_found
from seam_tui.sandbox.pagination import page_request
from seam_tui.sandbox.params import (
    Param,
    Schema,
    enum_list,
    integer,
    string,
    uuid_list,
    uuid_param,
)
from seam_tui.sandbox.search import contains_any

DEFAULT_LIMIT = 900
ENTRANCE_ID = {"acs_entrance_id": uuid_param(required=True)}
USERS_TARGET: dict[str, Param] = {
    "acs_user_id": uuid_param(),
    "user_identity_id": uuid_param(),
    "acs_system_id": uuid_param(),
}


def user_or_identity(params: dict[str, Any]) -> list[Issue]:
    by_user = params.get("acs_user_id") is not None
    by_identity = params.get("user_identity_id") is not None
    if by_user == by_identity:
        return [Issue((), "Must specify exactly one of acs_user_id or user_identity_id")]
    if by_user and params.get("acs_system_id") is not None:
        return [Issue(("acs_system_id",), "acs_system_id can only be used with user_identity_id")]
    return []


def targeted_users(call: Call) -> list[sqlite3.Row]:
    """The ACS users the request names (404 if the user or identity is unknown, or if the
    identity has no ACS user in the named system)."""
    params, db = call.params, call.db
    if params.get("acs_user_id") is not None:
        return [repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])]
    identity_id = params["user_identity_id"]
    repo.require_identity(db, call.workspace_id, identity_id=identity_id)
    where, args = "u.user_identity_id = ?", [identity_id]
    if params.get("acs_system_id") is not None:
        where += " AND u.acs_system_id = ?"
        args.append(params["acs_system_id"])
    users = repo.select_acs_users(db, where, args)
    if not users and params.get("acs_system_id") is not None:
        raise not_found("acs_user_not_found", "The user identity has no ACS user in this system")
    return users


def list_entrances(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    page = page_request(params, call.workspace_id, DEFAULT_LIMIT)
    where: list[str] = ["e.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    if "acs_system_id" in params:
        where.append("e.acs_system_id = ?")
        args.append(params["acs_system_id"])
    if "connected_account_id" in params:
        where.append("s.connected_account_id = ?")
        args.append(params["connected_account_id"])
    if "acs_credential_id" in params:
        where.append(
            "e.acs_entrance_id IN (SELECT acs_entrance_id FROM acs_credential_entrances"
            " WHERE acs_credential_id = ?)"
        )
        args.append(params["acs_credential_id"])
    if "acs_entrance_ids" in params:
        where.append("e.acs_entrance_id IN (SELECT value FROM json_each(?))")
        args.append(repo_access.json_ids(params["acs_entrance_ids"]))
    if "space_id" in params:
        where.append("0")  # the sandbox has no spaces
    if "search" in params:
        clause, search_args = contains_any(("e.display_name",), params["search"])
        where.append(clause)
        args += search_args
    after, after_args = page.sql("e.created_at", "e.acs_entrance_id")
    rows = repo_access.select_entrances(
        db, " AND ".join(where) + after, [*args, *after_args], page.limit + 1
    )
    items, pages = page.cut(rows, "acs_entrance_id", call.url, params)
    return ok(acs_entrances=repo_access.entrances_json(items), pagination=pages)


def get_entrance(call: Call) -> dict[str, Any]:
    entrance = repo_access.require_entrance(
        call.db, call.workspace_id, call.params["acs_entrance_id"]
    )
    return ok(acs_entrance=repo_access.entrances_json([entrance])[0])


def list_credentials_with_access(call: Call) -> dict[str, Any]:
    """Credentials allowed to open the entrance; `include_if: ["visionline_metadata.is_valid"]`
    keeps only valid Visionline credentials, and no credential here has Visionline metadata."""
    params, db = call.params, call.db
    entrance = repo_access.require_entrance(db, call.workspace_id, params["acs_entrance_id"])
    if params.get("include_if"):
        return ok(acs_credentials=[])
    rows = repo_access.select_credentials(
        db,
        "c.acs_credential_id IN (SELECT acs_credential_id FROM acs_credential_entrances"
        " WHERE acs_entrance_id = ?)",
        (entrance["acs_entrance_id"],),
    )
    return ok(acs_credentials=repo_access.credentials_json(rows))


def list_user_entrances(call: Call) -> dict[str, Any]:
    users = targeted_users(call)
    rows = repo_access.entrances_of_users(call.db, [user["acs_user_id"] for user in users])
    return ok(acs_entrances=repo_access.entrances_json(rows))


def revoke_all_entrances(call: Call) -> dict[str, Any]:
    ids = repo_access.json_ids([user["acs_user_id"] for user in targeted_users(call)])
    call.db.execute(
        "DELETE FROM acs_access_group_members"
        " WHERE acs_user_id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    call.db.execute(
        "DELETE FROM acs_credential_entrances WHERE acs_credential_id IN"
        " (SELECT acs_credential_id FROM acs_credentials"
        " WHERE acs_user_id IN (SELECT value FROM json_each(?)))",
        (ids,),
    )
    return ok()


def list_group_entrances(call: Call) -> dict[str, Any]:
    group = repo.require_group(call.db, call.workspace_id, call.params["acs_access_group_id"])
    rows = repo_access.entrances_of_group(call.db, group["acs_access_group_id"])
    return ok(acs_entrances=repo_access.entrances_json(rows))


USERS_SCHEMA = Schema(USERS_TARGET, (user_or_identity,))

ENDPOINTS: list[Endpoint] = [
    read(
        "/acs/entrances/list",
        Schema(
            {
                "acs_system_id": uuid_param(),
                "acs_credential_id": uuid_param(),
                "acs_entrance_ids": uuid_list(),
                "connected_account_id": uuid_param(),
                "space_id": uuid_param(),
                "search": string(min_length=1),
                "limit": integer(minimum=1),
                "page_cursor": string(nullable=True),
            }
        ),
        list_entrances,
    ),
    read("/acs/entrances/get", Schema(ENTRANCE_ID), get_entrance),
    read(
        "/acs/entrances/list_credentials_with_access",
        Schema({**ENTRANCE_ID, "include_if": enum_list(("visionline_metadata.is_valid",))}),
        list_credentials_with_access,
    ),
    read("/acs/users/list_accessible_entrances", USERS_SCHEMA, list_user_entrances),
    write("/acs/users/revoke_access_to_all_entrances", None, USERS_SCHEMA, revoke_all_entrances),
    read(
        "/acs/access_groups/list_accessible_entrances",
        Schema({"acs_access_group_id": uuid_param(required=True)}),
        list_group_entrances,
    ),
]
