"""`/acs/users/*`: create, get, list, update, delete, suspend, access-group membership.

A target ACS user is named by `acs_user_id`, or by `user_identity_id` + `acs_system_id` (the
identity's user in that system). Access schedules: on create both ends are optional
(`starts_at` defaults to now); on update the object needs both, and `null` removes it; in both
cases a non-null `ends_at` must be after `starts_at` and in the future.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from seam_tui.sandbox import repo, settling
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.envelope import Issue, not_found
from seam_tui.sandbox.pagination import PAGE_PARAMS, page_request
from seam_tui.sandbox.params import (
    Param,
    Schema,
    email,
    exactly_one,
    obj,
    string,
    timestamp,
    uuid_list,
    uuid_param,
)
from seam_tui.sandbox.search import contains_any

TARGET: dict[str, Param] = {
    "acs_user_id": uuid_param(),
    "user_identity_id": uuid_param(),
    "acs_system_id": uuid_param(),
}
SEARCHED_COLUMNS = (
    "u.full_name",
    "u.email_address",
    "u.phone_number",
    "u.acs_user_id",
    "u.user_identity_id",
    "i.full_name",
    "i.phone_number",
)


def one_target(params: dict[str, Any]) -> list[Issue]:
    by_id = params.get("acs_user_id") is not None
    pair = [params.get("user_identity_id") is not None, params.get("acs_system_id") is not None]
    if (by_id and not any(pair)) or (not by_id and all(pair)):
        return []
    message = "Must specify either acs_user_id or both user_identity_id and acs_system_id"
    return [Issue((), message)]


def schedule_rules(params: dict[str, Any]) -> list[Issue]:
    schedule = params.get("access_schedule")
    if not schedule or schedule.get("ends_at") is None:
        return []
    ends_at, path = schedule["ends_at"], ("access_schedule", "ends_at")
    if ends_at <= schedule.get("starts_at", repo.now()):
        return [Issue(path, "ends_at must be after starts_at")]
    if ends_at <= repo.now():
        return [Issue(path, "ends_at must be in the future")]
    return []


def target(call: Call) -> sqlite3.Row:
    """The ACS user the request names (404 `acs_user_not_found` if none)."""
    params = call.params
    if params.get("acs_user_id") is not None:
        return repo.require_acs_user(call.db, call.workspace_id, params["acs_user_id"])
    rows = repo.select_acs_users(
        call.db,
        "u.workspace_id = ? AND u.user_identity_id = ? AND u.acs_system_id = ?",
        (call.workspace_id, params["user_identity_id"], params["acs_system_id"]),
    )
    if not rows:
        raise not_found("acs_user_not_found", "ACS user not found")
    return rows[0]


def create_user(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    system = repo.require_system(db, call.workspace_id, params["acs_system_id"])
    identity_id = params.get("user_identity_id")
    if identity_id is not None:
        repo.require_identity(db, call.workspace_id, identity_id=identity_id)
        repo.check_no_user_in_system(db, identity_id, system["acs_system_id"])
    groups = [
        repo.require_group(db, call.workspace_id, group_id)
        for group_id in dict.fromkeys(params.get("acs_access_group_ids", []))
    ]
    schedule = params.get("access_schedule")
    acs_user_id = repo.insert_acs_user(
        db,
        call.workspace_id,
        system["acs_system_id"],
        full_name=params["full_name"],
        email=params.get("email_address", params.get("email")),
        phone=params.get("phone_number"),
        identity_id=identity_id,
        starts_at=None if schedule is None else schedule.get("starts_at", repo.now()),
        ends_at=None if schedule is None else schedule.get("ends_at"),
    )
    if call.settle_after > 0:
        settling.queue(db, acs_user_id, "creating", repo.now(), call.settle_after)
    user = repo.require_acs_user(db, call.workspace_id, acs_user_id)
    for group in groups:
        repo.add_to_group(db, group, user)
    return ok(acs_user=repo.acs_users_json([user])[0])


def get_user(call: Call) -> dict[str, Any]:
    return ok(acs_user=repo.acs_users_json([target(call)])[0])


def list_users(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    page = page_request(params, call.workspace_id)
    where: list[str] = ["u.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    for name in ("acs_system_id", "user_identity_id"):
        if name in params:
            where.append(f"u.{name} = ?")
            args.append(params[name])
    for name, column, equals in (
        ("user_identity_email_address", "i.email_address", "lower(i.email_address) = lower(?)"),
        ("user_identity_phone_number", "i.phone_number", "i.phone_number = ?"),
    ):
        if name not in params:
            continue
        if params[name] is None:  # null: linked to an identity that has none
            where.append(f"i.user_identity_id IS NOT NULL AND {column} IS NULL")
        else:
            where.append(equals)
            args.append(params[name])
    if "created_before" in params:
        where.append("u.created_at < ?")
        args.append(params["created_before"])
    if "search" in params:
        clause, search_args = contains_any(SEARCHED_COLUMNS, params["search"])
        where.append(clause)
        args += search_args
    after, after_args = page.sql("u.created_at", "u.acs_user_id")
    rows = repo.select_acs_users(
        db, " AND ".join(where) + after, [*args, *after_args], page.limit + 1
    )
    items, pages = page.cut(rows, "acs_user_id", call.url, params)
    return ok(acs_users=repo.acs_users_json(items), pagination=pages)


def update_user(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    user = target(call)
    changes: dict[str, Any] = {}
    for name in ("full_name", "phone_number", "hid_acs_system_id"):
        if name in params:
            changes[name] = params[name]
    if "email_address" in params or "email" in params:
        changes["email_address"] = params.get("email_address", params.get("email"))
    if "access_schedule" in params:
        schedule = params["access_schedule"] or {}
        changes["starts_at"] = schedule.get("starts_at")
        changes["ends_at"] = schedule.get("ends_at")
    if changes:
        assignments = ", ".join(f"{name} = ?" for name in changes)
        db.execute(
            f"UPDATE acs_users SET {assignments} WHERE acs_user_id = ?",
            [*changes.values(), user["acs_user_id"]],
        )
        if call.settle_after > 0:
            _queue_updates(call, user, changes)
    return ok()


def _queue_updates(call: Call, user: sqlite3.Row, changes: dict[str, Any]) -> None:
    """The pending mutations for an update: profile and schedule, for what really changed."""
    profile = {
        name: value
        for name, value in changes.items()
        if name in settling.PROFILE_FIELDS and user[name] != value
    }
    now = repo.now()
    if profile:
        settling.queue(
            call.db,
            user["acs_user_id"],
            "updating_user_information",
            now,
            call.settle_after,
            **{"from": {name: user[name] for name in profile}, "to": profile},
        )
    if "starts_at" in changes:
        old = {"starts_at": user["starts_at"], "ends_at": user["ends_at"]}
        new = {"starts_at": changes["starts_at"], "ends_at": changes["ends_at"]}
        if old != new:
            settling.queue(
                call.db,
                user["acs_user_id"],
                "updating_access_schedule",
                now,
                call.settle_after,
                **{"from": old, "to": new},
            )


def delete_user(call: Call) -> dict[str, Any]:
    acs_user_id = target(call)["acs_user_id"]
    if call.settle_after > 0:
        settling.delete_acs_user(call.db, acs_user_id, repo.now(), call.settle_after)
    else:
        call.db.execute("DELETE FROM acs_users WHERE acs_user_id = ?", (acs_user_id,))
    return ok()


def suspend(call: Call) -> dict[str, Any]:
    return _set_suspended(call, True)


def unsuspend(call: Call) -> dict[str, Any]:
    return _set_suspended(call, False)


def _set_suspended(call: Call, suspended: bool) -> dict[str, Any]:
    user = target(call)
    call.db.execute(
        "UPDATE acs_users SET is_suspended = ? WHERE acs_user_id = ?",
        (int(suspended), user["acs_user_id"]),
    )
    if call.settle_after > 0 and bool(user["is_suspended"]) != suspended:
        settling.queue(
            call.db,
            user["acs_user_id"],
            "updating_suspension_state",
            repo.now(),
            call.settle_after,
            **{"from": {"is_suspended": not suspended}, "to": {"is_suspended": suspended}},
        )
    return ok()


def add_to_access_group(call: Call) -> dict[str, Any]:
    group = repo.require_group(call.db, call.workspace_id, call.params["acs_access_group_id"])
    user = repo.require_acs_user(call.db, call.workspace_id, call.params["acs_user_id"])
    repo.add_to_group(call.db, group, user, call.settle_after)
    return ok()


def remove_from_access_group(call: Call) -> dict[str, Any]:
    """Remove a member (a no-op if it is not one), named directly or by its identity."""
    params, db = call.params, call.db
    group = repo.require_group(db, call.workspace_id, params["acs_access_group_id"])
    if params.get("acs_user_id") is not None:
        user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
    else:
        repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
        rows = repo.select_acs_users(
            db,
            "u.user_identity_id = ? AND u.acs_system_id = ?",
            (params["user_identity_id"], group["acs_system_id"]),
        )
        if not rows:
            raise not_found("acs_user_not_found", "The user identity has no ACS user here")
        user = rows[0]
    removed = db.execute(
        "DELETE FROM acs_access_group_members WHERE acs_access_group_id = ? AND acs_user_id = ?",
        (group["acs_access_group_id"], user["acs_user_id"]),
    ).rowcount
    if removed and call.settle_after > 0:
        group_id = group["acs_access_group_id"]
        repo.queue_membership(db, user["acs_user_id"], group_id, None, call.settle_after)
    return ok()


TARGETED = Schema(TARGET, (one_target,))

ENDPOINTS: list[Endpoint] = [
    write(
        "/acs/users/create",
        None,
        Schema(
            {
                "acs_system_id": uuid_param(required=True),
                "full_name": string(required=True, min_length=1),
                "email_address": email(),
                "email": email(),
                "phone_number": string(min_length=1),
                "user_identity_id": uuid_param(),
                "acs_access_group_ids": uuid_list(),
                "access_schedule": obj(
                    {"starts_at": timestamp(), "ends_at": timestamp(nullable=True)}
                ),
            },
            (schedule_rules,),
        ),
        create_user,
    ),
    read("/acs/users/get", TARGETED, get_user),
    read(
        "/acs/users/list",
        Schema(
            {
                "acs_system_id": uuid_param(),
                "user_identity_id": uuid_param(),
                "user_identity_email_address": string(nullable=True, min_length=1),
                "user_identity_phone_number": string(nullable=True, min_length=1),
                "search": string(min_length=1),
                "created_before": timestamp(),
                **PAGE_PARAMS,
            }
        ),
        list_users,
    ),
    write(
        "/acs/users/update",
        "PATCH",
        Schema(
            {
                **TARGET,
                "full_name": string(min_length=1),
                "email_address": email(),
                "email": email(),
                "phone_number": string(min_length=1),
                "hid_acs_system_id": uuid_param(),
                "access_schedule": obj(
                    {"starts_at": timestamp(required=True), "ends_at": timestamp(required=True)},
                    nullable=True,
                ),
            },
            (one_target, schedule_rules),
        ),
        update_user,
    ),
    write("/acs/users/delete", "DELETE", TARGETED, delete_user),
    write("/acs/users/suspend", None, TARGETED, suspend),
    write("/acs/users/unsuspend", None, TARGETED, unsuspend),
    write(
        "/acs/users/add_to_access_group",
        "PUT",
        Schema(
            {
                "acs_user_id": uuid_param(required=True),
                "acs_access_group_id": uuid_param(required=True),
            }
        ),
        add_to_access_group,
    ),
    write(
        "/acs/users/remove_from_access_group",
        "DELETE",
        Schema(
            {
                "acs_access_group_id": uuid_param(required=True),
                "acs_user_id": uuid_param(),
                "user_identity_id": uuid_param(),
            },
            (exactly_one("acs_user_id", "user_identity_id"),),
        ),
        remove_from_access_group,
    ),
]
