"""`/acs/credentials/*`: create, get, list, update, delete, assign, unassign, entrances.

Our answers where the real API is unconfirmed:
- create names its owner by `acs_user_id`, or by `user_identity_id` + `acs_system_id` (the
  identity's ACS user there, else an unlinked one with its email or phone, else a new one, as
  `/user_identities/create` does); an `acs_system_id` given with `acs_user_id` must be that
  user's system (else 400);
- `code` only for `access_method: code` (a code credential without one gets six random
  digits); `is_multi_phone_sync_credential` only for `mobile_key`; each is 400 otherwise;
- a new card is not yet issued (`is_issued: false`, warning `waiting_to_be_issued`); codes and
  mobile keys are issued when created;
- `display_name` is the name of the credential's kind ("PIN code", "Card", "Mobile key",
  "Multi Phone Sync Credential", "Cloud key");
- assign moves the credential (and any multi-phone-sync children) to the user, who must be in
  the credential's system; unassign from a user that does not hold it is a no-op (ok);
  assign, unassign and update answer `acs_credential` as the 200 schema requires;
- deleting a credential deletes its multi-phone-sync children.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from typing import Any

from seam_tui.sandbox import repo, repo_access
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.envelope import ApiError, Issue, invalid_input
from seam_tui.sandbox.pagination import PAGE_PARAMS, page_request
from seam_tui.sandbox.params import (
    Schema,
    boolean,
    enum,
    exactly_one,
    string,
    timestamp,
    uuid_list,
    uuid_param,
)
from seam_tui.sandbox.search import contains_any

ACCESS_METHODS = ("code", "card", "mobile_key", "cloud_key")
DIGITS = re.compile(r"^\d+$")
CREDENTIAL_ID = {"acs_credential_id": uuid_param(required=True)}
SEARCHED_COLUMNS = (
    "c.display_name",
    "c.code",
    "c.card_number",
    "c.acs_user_id",
    "c.acs_credential_id",
)


def display_name(access_method: str, multi_phone_sync: bool) -> str:
    """The name of a credential's kind, which the API shows as its `display_name`."""
    if multi_phone_sync:
        return "Multi Phone Sync Credential"
    names = {"code": "PIN code", "card": "Card", "mobile_key": "Mobile key"}
    return names.get(access_method, "Cloud key")


def owner_rules(params: dict[str, Any]) -> list[Issue]:
    by_user = params.get("acs_user_id") is not None
    by_identity = params.get("user_identity_id") is not None
    if by_user == by_identity or (by_identity and params.get("acs_system_id") is None):
        message = "Must specify either acs_user_id or both user_identity_id and acs_system_id"
        return [Issue((), message)]
    return []


def kind_rules(params: dict[str, Any]) -> list[Issue]:
    method = params["access_method"]
    issues: list[Issue] = []
    if params.get("code") is not None and method != "code":
        issues.append(Issue(("code",), "code can only be set when access_method is code"))
    if params.get("is_multi_phone_sync_credential") and method != "mobile_key":
        message = "is_multi_phone_sync_credential can only be set for mobile_key credentials"
        issues.append(Issue(("is_multi_phone_sync_credential",), message))
    return issues


def window_issues(starts_at: str | None, ends_at: str | None) -> list[Issue]:
    """`ends_at` must be after `starts_at` (now if unset) and in the future."""
    if ends_at is None:
        return []
    now = repo.now()
    if ends_at <= (starts_at or now):
        return [Issue(("ends_at",), "ends_at must be after starts_at")]
    if ends_at <= now:
        return [Issue(("ends_at",), "ends_at must be in the future")]
    return []


def window_rules(params: dict[str, Any]) -> list[Issue]:
    return window_issues(params.get("starts_at"), params.get("ends_at"))


def create_credential(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    if params.get("acs_user_id") is not None:
        user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
        system_id = params.get("acs_system_id", user["acs_system_id"])
        if system_id != user["acs_system_id"]:
            raise invalid_input([Issue(("acs_system_id",), "Not the ACS user's system")])
    else:
        system = repo.require_system(db, call.workspace_id, params["acs_system_id"])
        identity = repo.require_identity(
            db, call.workspace_id, identity_id=params["user_identity_id"]
        )
        acs_user_id = repo.link_or_create(db, identity, system["acs_system_id"], call.settle_after)
        user = repo.require_acs_user(db, call.workspace_id, acs_user_id)
    method = params["access_method"]
    multi_phone_sync = bool(params.get("is_multi_phone_sync_credential", False))
    code = params.get("code")
    if method == "code" and code is None:
        code = f"{secrets.randbelow(10**6):06d}"
    created_at = repo.creation_time(db, "acs_credentials", call.workspace_id)
    credential_id = repo_access.insert_credential(
        db,
        user,
        method,
        display_name=display_name(method, multi_phone_sync),
        code=code,
        starts_at=params.get("starts_at"),
        ends_at=params.get("ends_at"),
        multi_phone_sync=multi_phone_sync,
        issued_at=None if method == "card" else created_at,
        created_at=created_at,
    )
    repo_access.allow_entrances(
        db,
        call.workspace_id,
        credential_id,
        user["acs_system_id"],
        params.get("allowed_acs_entrance_ids", []),
    )
    return _answer(call, credential_id)


def get_credential(call: Call) -> dict[str, Any]:
    return _answer(call, call.params["acs_credential_id"])


def list_credentials(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    page = page_request(params, call.workspace_id)
    where: list[str] = ["c.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    for name, column in (
        ("acs_user_id", "c.acs_user_id"),
        ("acs_system_id", "c.acs_system_id"),
        ("user_identity_id", "u.user_identity_id"),
        ("is_multi_phone_sync_credential", "c.is_multi_phone_sync_credential"),
    ):
        if name in params:
            where.append(f"{column} = ?")
            args.append(params[name])
    if "created_before" in params:
        where.append("c.created_at < ?")
        args.append(params["created_before"])
    if "search" in params:
        clause, search_args = contains_any(SEARCHED_COLUMNS, params["search"])
        where.append(clause)
        args += search_args
    after, after_args = page.sql("c.created_at", "c.acs_credential_id")
    rows = repo_access.select_credentials(
        db, " AND ".join(where) + after, [*args, *after_args], page.limit + 1
    )
    items, pages = page.cut(rows, "acs_credential_id", call.url, params)
    return ok(acs_credentials=repo_access.credentials_json(items), pagination=pages)


def update_credential(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    credential = repo_access.require_credential(db, call.workspace_id, params["acs_credential_id"])
    issues = window_issues(credential["starts_at"], params.get("ends_at"))
    if params.get("code") is not None and credential["access_method"] != "code":
        issues.append(Issue(("code",), "code can only be set on a code credential"))
    if issues:
        raise invalid_input(issues)
    for name in ("code", "ends_at"):
        if params.get(name) is not None:
            db.execute(
                f"UPDATE acs_credentials SET {name} = ? WHERE acs_credential_id = ?",
                (params[name], credential["acs_credential_id"]),
            )
    return _answer(call, credential["acs_credential_id"])


def delete_credential(call: Call) -> dict[str, Any]:
    credential = repo_access.require_credential(
        call.db, call.workspace_id, call.params["acs_credential_id"]
    )
    call.db.execute(
        "DELETE FROM acs_credentials WHERE acs_credential_id = ?",
        (credential["acs_credential_id"],),
    )
    return ok()


def assign(call: Call) -> dict[str, Any]:
    credential = repo_access.require_credential(
        call.db, call.workspace_id, call.params["acs_credential_id"]
    )
    params, db = call.params, call.db
    if params.get("acs_user_id") is not None:
        user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
    else:
        identity = repo.require_identity(
            db, call.workspace_id, identity_id=params["user_identity_id"]
        )
        acs_user_id = repo.link_or_create(
            db, identity, credential["acs_system_id"], call.settle_after
        )
        user = repo.require_acs_user(db, call.workspace_id, acs_user_id)
    if user["acs_system_id"] != credential["acs_system_id"]:
        raise ApiError(
            400,
            "invalid_input",
            "The ACS user and the credential belong to different access systems",
        )
    _set_owner(call.db, credential, user["acs_user_id"])
    return _answer(call, credential["acs_credential_id"])


def unassign(call: Call) -> dict[str, Any]:
    credential = repo_access.require_credential(
        call.db, call.workspace_id, call.params["acs_credential_id"]
    )
    if _holds(call, credential):
        _set_owner(call.db, credential, None)
    return _answer(call, credential["acs_credential_id"])


def list_accessible_entrances(call: Call) -> dict[str, Any]:
    credential = repo_access.require_credential(
        call.db, call.workspace_id, call.params["acs_credential_id"]
    )
    rows = repo_access.entrances_of_credential(call.db, credential["acs_credential_id"])
    return ok(acs_entrances=repo_access.entrances_json(rows))


def _holds(call: Call, credential: sqlite3.Row) -> bool:
    """Whether the ACS user the request names (directly, or as the identity's user in the
    credential's system) holds the credential; 404 if the user or identity is unknown."""
    params, db = call.params, call.db
    if params.get("acs_user_id") is not None:
        user = repo.require_acs_user(db, call.workspace_id, params["acs_user_id"])
        return bool(user["acs_user_id"] == credential["acs_user_id"])
    identity = repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
    return bool(identity["user_identity_id"] == credential["user_identity_id"])


def _set_owner(db: sqlite3.Connection, credential: sqlite3.Row, acs_user_id: str | None) -> None:
    db.execute(
        "UPDATE acs_credentials SET acs_user_id = ?"
        " WHERE acs_credential_id = ? OR parent_acs_credential_id = ?",
        (acs_user_id, credential["acs_credential_id"], credential["acs_credential_id"]),
    )


def _answer(call: Call, credential_id: str) -> dict[str, Any]:
    credential = repo_access.require_credential(call.db, call.workspace_id, credential_id)
    return ok(acs_credential=repo_access.credentials_json([credential])[0])


ASSIGNMENT = Schema(
    {**CREDENTIAL_ID, "acs_user_id": uuid_param(), "user_identity_id": uuid_param()},
    (exactly_one("acs_user_id", "user_identity_id"),),
)

ENDPOINTS: list[Endpoint] = [
    write(
        "/acs/credentials/create",
        None,
        Schema(
            {
                "access_method": enum(ACCESS_METHODS, required=True),
                "acs_user_id": uuid_param(),
                "user_identity_id": uuid_param(),
                "acs_system_id": uuid_param(),
                "credential_manager_acs_system_id": uuid_param(),
                "allowed_acs_entrance_ids": uuid_list(),
                "code": string(pattern=DIGITS),
                "starts_at": timestamp(),
                "ends_at": timestamp(),
                "is_multi_phone_sync_credential": boolean(),
            },
            (owner_rules, kind_rules, window_rules),
        ),
        create_credential,
    ),
    read("/acs/credentials/get", Schema(CREDENTIAL_ID), get_credential),
    read(
        "/acs/credentials/list",
        Schema(
            {
                "acs_user_id": uuid_param(),
                "acs_system_id": uuid_param(),
                "user_identity_id": uuid_param(),
                "is_multi_phone_sync_credential": boolean(),
                "search": string(min_length=1),
                "created_before": timestamp(),
                **PAGE_PARAMS,
            }
        ),
        list_credentials,
    ),
    write(
        "/acs/credentials/update",
        "PATCH",
        Schema(
            {
                "acs_credential_id": string(required=True),
                "code": string(pattern=DIGITS),
                "ends_at": timestamp(),
            }
        ),
        update_credential,
    ),
    write("/acs/credentials/delete", "DELETE", Schema(CREDENTIAL_ID), delete_credential),
    write("/acs/credentials/assign", "PATCH", ASSIGNMENT, assign),
    write("/acs/credentials/unassign", "PATCH", ASSIGNMENT, unassign),
    read(
        "/acs/credentials/list_accessible_entrances",
        Schema(CREDENTIAL_ID),
        list_accessible_entrances,
    ),
]
