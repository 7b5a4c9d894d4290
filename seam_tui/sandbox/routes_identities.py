"""`/user_identities/*`: create, get, list, update, delete, link and unlink ACS users.

Our answers where the real API is unconfirmed:
- a key, email (compared ignoring case) or phone already used by another identity in the
  workspace: 409 `user_identity_key_taken`, `user_identity_email_address_taken` or
  `user_identity_phone_number_taken`, with `data.user_identity_id` naming the holder;
- linking an ACS user that another identity holds: 409 `acs_user_already_linked`; linking a
  second ACS user of the same system to one identity: 409
  `user_identity_already_has_acs_user_in_system`; linking one already linked here: no-op;
- `remove_acs_user` for an ACS user not linked to that identity: no-op (ok), so it is safe
  to repeat;
- `add_acs_user` with an unknown `user_identity_key` creates the identity from the ACS user's
  name, email and phone; if another identity already has that email or phone, 409 as above;
- `list` with `credential_manager_acs_system_id`: identities with an ACS user in that system;
- `create` accepts `customer_key` (the SDK sends it) and ignores it: there are no customers.
"""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import render, repo, settling
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.pagination import PAGE_PARAMS, page_request
from seam_tui.sandbox.params import (
    Param,
    Schema,
    email,
    exactly_one,
    string,
    timestamp,
    uuid_list,
    uuid_param,
)
from seam_tui.sandbox.search import identity_filter

PROFILE: dict[str, Param] = {
    "user_identity_key": string(nullable=True, min_length=1),
    "email_address": email(nullable=True),
    "phone_number": string(nullable=True, min_length=1),
    "full_name": string(nullable=True, min_length=1),
}
IDENTITY_ID = {"user_identity_id": uuid_param(required=True)}


def create_identity(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    profile = {name: params.get(name) for name in PROFILE}
    repo.check_identity_unique(
        db,
        call.workspace_id,
        key=profile["user_identity_key"],
        email=profile["email_address"],
        phone=profile["phone_number"],
    )
    system_ids = list(dict.fromkeys(params.get("acs_system_ids", [])))
    for system_id in system_ids:
        repo.require_system(db, call.workspace_id, system_id)
    identity = repo.insert_identity(
        db,
        call.workspace_id,
        key=profile["user_identity_key"],
        email=profile["email_address"],
        phone=profile["phone_number"],
        full_name=profile["full_name"],
    )
    for system_id in system_ids:
        repo.link_or_create(db, identity, system_id, call.settle_after)
    return ok(user_identity=repo.identities_json(db, [identity])[0])


def get_identity(call: Call) -> dict[str, Any]:
    identity = repo.require_identity(
        call.db,
        call.workspace_id,
        identity_id=call.params.get("user_identity_id"),
        key=call.params.get("user_identity_key"),
    )
    return ok(user_identity=repo.identities_json(call.db, [identity])[0])


def list_identities(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    page = page_request(params, call.workspace_id)
    where: list[str] = ["i.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    if "user_identity_ids" in params:
        ids = params["user_identity_ids"]
        where.append(f"i.user_identity_id IN ({repo.placeholders(ids)})")
        args += ids
    if "created_before" in params:
        where.append("i.created_at < ?")
        args.append(params["created_before"])
    if "credential_manager_acs_system_id" in params:
        where.append(
            "EXISTS (SELECT 1 FROM acs_users u WHERE u.user_identity_id = i.user_identity_id"
            " AND u.acs_system_id = ?)"
        )
        args.append(params["credential_manager_acs_system_id"])
    if "search" in params:
        found = identity_filter(db, "i", params["search"])
        if found.sparse:
            # `+` keeps SQLite off the list-order index: fetch the few matches, then sort.
            where[0] = "+i.workspace_id = ?"
        where.append(found.clause)
        args += found.args
    after, after_args = page.sql("i.created_at", "i.user_identity_id")
    rows = db.execute(
        f"SELECT i.* FROM user_identities i WHERE {' AND '.join(where)}{after}"
        " ORDER BY i.created_at, i.user_identity_id LIMIT ?",
        [*args, *after_args, page.limit + 1],
    ).fetchall()
    items, pages = page.cut(rows, "user_identity_id", call.url, params)
    return ok(user_identities=repo.identities_json(db, items), pagination=pages)


def update_identity(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    identity = repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
    changes = {name: params[name] for name in PROFILE if name in params}
    repo.check_identity_unique(
        db,
        call.workspace_id,
        key=changes.get("user_identity_key"),
        email=changes.get("email_address"),
        phone=changes.get("phone_number"),
        exclude=identity["user_identity_id"],
    )
    if changes:
        assignments = ", ".join(f"{name} = ?" for name in changes)
        db.execute(
            f"UPDATE user_identities SET {assignments} WHERE user_identity_id = ?",
            [*changes.values(), identity["user_identity_id"]],
        )
        _push_profile(call, identity["user_identity_id"], changes)
    return ok()


def _push_profile(call: Call, identity_id: str, changes: dict[str, Any]) -> None:
    """Push the identity's new name, email or phone (not a removed one) to its ACS users: at
    once, or (with settling) as `updating_user_information` until it settles, while the
    identity shows `acs_user_profile_does_not_match_user_identity`."""
    pushed = {
        name: value
        for name, value in changes.items()
        if name in settling.PROFILE_FIELDS and value is not None
    }
    if not pushed:
        return
    users = repo.select_acs_users(call.db, "u.user_identity_id = ?", (identity_id,))
    for user in users:
        new = {name: value for name, value in pushed.items() if user[name] != value}
        if not new:
            continue
        assignments = ", ".join(f"{name} = ?" for name in new)
        call.db.execute(
            f"UPDATE acs_users SET {assignments} WHERE acs_user_id = ?",
            [*new.values(), user["acs_user_id"]],
        )
        if call.settle_after > 0:
            settling.queue(
                call.db,
                user["acs_user_id"],
                "updating_user_information",
                repo.now(),
                call.settle_after,
                **{"from": {name: user[name] for name in new}, "to": new},
            )


def delete_identity(call: Call) -> dict[str, Any]:
    identity_id = call.params["user_identity_id"]
    repo.require_identity(call.db, call.workspace_id, identity_id=identity_id)
    if call.settle_after > 0:
        settling.delete_identity(call.db, identity_id, repo.now(), call.settle_after)
    else:
        repo.delete_identity(call.db, identity_id)
    return ok()


def add_acs_user(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    acs_user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
    key = params.get("user_identity_key")
    if key is None:
        identity = repo.require_identity(
            db, call.workspace_id, identity_id=params["user_identity_id"]
        )
    else:
        found = repo.find_identity(db, call.workspace_id, key=key)
        if found is None:
            repo.check_identity_unique(
                db,
                call.workspace_id,
                key=key,
                email=acs_user["email_address"],
                phone=acs_user["phone_number"],
            )
            found = repo.insert_identity(
                db,
                call.workspace_id,
                key=key,
                email=acs_user["email_address"],
                phone=acs_user["phone_number"],
                full_name=acs_user["full_name"],
            )
        identity = found
    repo.link(db, acs_user, identity["user_identity_id"])
    return ok()


def remove_acs_user(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    identity = repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
    acs_user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
    if acs_user["user_identity_id"] == identity["user_identity_id"]:
        db.execute(
            "UPDATE acs_users SET user_identity_id = NULL WHERE acs_user_id = ?",
            (acs_user["acs_user_id"],),
        )
    return ok()


def list_acs_users(call: Call) -> dict[str, Any]:
    identity_id = call.params["user_identity_id"]
    repo.require_identity(call.db, call.workspace_id, identity_id=identity_id)
    rows = repo.select_acs_users(call.db, "u.user_identity_id = ?", (identity_id,))
    return ok(acs_users=repo.acs_users_json(rows))


def list_acs_systems(call: Call) -> dict[str, Any]:
    identity_id = call.params["user_identity_id"]
    repo.require_identity(call.db, call.workspace_id, identity_id=identity_id)
    rows = call.db.execute(
        f"{repo.SYSTEM_SELECT} WHERE s.acs_system_id IN"
        " (SELECT acs_system_id FROM acs_users WHERE user_identity_id = ?)"
        " ORDER BY s.created_at, s.acs_system_id",
        (identity_id,),
    )
    return ok(acs_systems=[render.acs_system(row) for row in rows])


ENDPOINTS: list[Endpoint] = [
    write(
        "/user_identities/create",
        None,
        Schema(
            {
                **PROFILE,
                "acs_system_ids": uuid_list(),
                "customer_key": string(min_length=1),
            }
        ),
        create_identity,
    ),
    read(
        "/user_identities/get",
        Schema(
            {"user_identity_id": uuid_param(), "user_identity_key": string(min_length=1)},
            (exactly_one("user_identity_id", "user_identity_key"),),
        ),
        get_identity,
    ),
    read(
        "/user_identities/list",
        Schema(
            {
                "search": string(min_length=1),
                "user_identity_ids": uuid_list(),
                "credential_manager_acs_system_id": uuid_param(),
                "created_before": timestamp(),
                **PAGE_PARAMS,
            }
        ),
        list_identities,
    ),
    write("/user_identities/update", "PATCH", Schema({**IDENTITY_ID, **PROFILE}), update_identity),
    write("/user_identities/delete", "DELETE", Schema(IDENTITY_ID), delete_identity),
    write(
        "/user_identities/add_acs_user",
        "PUT",
        Schema(
            {
                "acs_user_id": uuid_param(required=True),
                "user_identity_id": uuid_param(),
                "user_identity_key": string(min_length=1),
            },
            (exactly_one("user_identity_id", "user_identity_key"),),
        ),
        add_acs_user,
    ),
    write(
        "/user_identities/remove_acs_user",
        "DELETE",
        Schema({**IDENTITY_ID, "acs_user_id": uuid_param(required=True)}),
        remove_acs_user,
    ),
    read("/user_identities/list_acs_users", Schema(IDENTITY_ID), list_acs_users),
    read("/user_identities/list_acs_systems", Schema(IDENTITY_ID), list_acs_systems),
]
