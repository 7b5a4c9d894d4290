"""The data rules shared by several endpoints: lookups that 404, uniqueness, linking.

All functions take a connection already inside a transaction (see `store.Store`), so a rule
that fails part-way (say, the third of three systems in `acs_system_ids`) rolls back whole.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from seam_tui.sandbox import render, settling
from seam_tui.sandbox.envelope import ApiError, conflict, not_found
from seam_tui.sandbox.params import canonical_time

ACS_USER_SELECT = """
SELECT u.seq, u.acs_user_id, u.workspace_id, u.acs_system_id, u.user_identity_id, u.full_name,
       u.email_address, u.phone_number, u.is_suspended, u.starts_at, u.ends_at,
       u.hid_acs_system_id, u.errors, u.warnings, u.pending_mutations, u.created_at,
       s.connected_account_id, s.external_type AS system_type,
       i.full_name AS identity_full_name, i.email_address AS identity_email_address,
       i.phone_number AS identity_phone_number
FROM acs_users u
JOIN acs_systems s ON s.acs_system_id = u.acs_system_id
LEFT JOIN user_identities i ON i.user_identity_id = u.user_identity_id
"""

SYSTEM_SELECT = """
SELECT s.*,
       (SELECT count(*) FROM acs_users u WHERE u.acs_system_id = s.acs_system_id)
           AS acs_user_count,
       (SELECT count(*) FROM acs_access_groups g WHERE g.acs_system_id = s.acs_system_id)
           AS acs_access_group_count
FROM acs_systems s
"""

GROUP_SELECT = """
SELECT g.*, s.external_type AS system_type, s.connected_account_id
FROM acs_access_groups g
JOIN acs_systems s ON s.acs_system_id = g.acs_system_id
"""


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> str:
    return canonical_time(datetime.now(UTC))


def creation_time(db: sqlite3.Connection, table: str, workspace_id: str) -> str:
    """`created_at` for a new row: now, or 1 ms after the workspace's newest row if that is not
    earlier, so rows created in a burst keep their creation order in lists."""
    moment = now()
    newest = db.execute(
        f"SELECT max(created_at) FROM {table} WHERE workspace_id = ?", (workspace_id,)
    ).fetchone()[0]
    if newest is not None and newest >= moment:
        moment = canonical_time(datetime.fromisoformat(newest) + timedelta(milliseconds=1))
    return moment


def placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


# --- user identities -------------------------------------------------------------------------


def find_identity(
    db: sqlite3.Connection,
    workspace_id: str,
    *,
    identity_id: str | None = None,
    key: str | None = None,
) -> sqlite3.Row | None:
    column, value = ("user_identity_id", identity_id) if key is None else ("user_identity_key", key)
    row: sqlite3.Row | None = db.execute(
        f"SELECT * FROM user_identities WHERE workspace_id = ? AND {column} = ?",
        (workspace_id, value),
    ).fetchone()
    return row


def require_identity(
    db: sqlite3.Connection,
    workspace_id: str,
    *,
    identity_id: str | None = None,
    key: str | None = None,
) -> sqlite3.Row:
    row = find_identity(db, workspace_id, identity_id=identity_id, key=key)
    if row is None:
        raise not_found("user_identity_not_found", "User identity not found")
    return row


def identities_json(db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    """Render identities with their ACS user ids, in one query for the whole page."""
    ids = [row["user_identity_id"] for row in rows]
    linked: dict[str, list[sqlite3.Row]] = {identity_id: [] for identity_id in ids}
    if ids:
        users = db.execute(
            "SELECT user_identity_id, acs_user_id, acs_system_id, errors, full_name,"
            " email_address, phone_number, pending_mutations, created_at FROM acs_users"
            f" WHERE user_identity_id IN ({placeholders(ids)}) ORDER BY created_at, acs_user_id",
            ids,
        )
        for user in users:
            linked[user["user_identity_id"]].append(user)
    return [render.user_identity(row, linked[row["user_identity_id"]]) for row in rows]


def check_identity_unique(
    db: sqlite3.Connection,
    workspace_id: str,
    *,
    key: str | None,
    email: str | None,
    phone: str | None,
    exclude: str | None = None,
) -> None:
    """409 if another identity in the workspace has the key, email (any case) or phone."""
    checks = (
        ("user_identity_key", key, "user_identity_key = ?", "user_identity_key_taken"),
        (
            "email_address",
            email,
            "lower(email_address) = lower(?)",
            "user_identity_email_address_taken",
        ),
        ("phone_number", phone, "phone_number = ?", "user_identity_phone_number_taken"),
    )
    for field, value, condition, error_type in checks:
        if value is None:
            continue
        row = db.execute(
            f"SELECT user_identity_id FROM user_identities WHERE workspace_id = ? AND {condition}",
            (workspace_id, value),
        ).fetchone()
        if row is not None and row["user_identity_id"] != exclude:
            raise conflict(
                error_type,
                f"Another user identity in this workspace has this {field}",
                {"user_identity_id": row["user_identity_id"], "parameter": field},
            )


def insert_identity(
    db: sqlite3.Connection,
    workspace_id: str,
    *,
    key: str | None,
    email: str | None,
    phone: str | None,
    full_name: str | None,
    identity_id: str | None = None,
    created_at: str | None = None,
) -> sqlite3.Row:
    identity_id = identity_id or new_id()
    db.execute(
        "INSERT INTO user_identities (user_identity_id, workspace_id, user_identity_key,"
        " email_address, phone_number, full_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            identity_id,
            workspace_id,
            key,
            email,
            phone,
            full_name,
            created_at or creation_time(db, "user_identities", workspace_id),
        ),
    )
    return require_identity(db, workspace_id, identity_id=identity_id)


def delete_identity(db: sqlite3.Connection, identity_id: str) -> None:
    """Delete an identity and its ACS users (their group memberships cascade)."""
    db.execute("DELETE FROM acs_users WHERE user_identity_id = ?", (identity_id,))
    db.execute("DELETE FROM user_identities WHERE user_identity_id = ?", (identity_id,))


# --- ACS users -------------------------------------------------------------------------------


def acs_users_json(rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    moment = now()
    return [render.acs_user(row, moment) for row in rows]


def select_acs_users(
    db: sqlite3.Connection, where: str, args: Sequence[object], limit: int = -1
) -> list[sqlite3.Row]:
    """ACS users (joined for rendering) matching `where`, in list order (-1: no limit)."""
    sql = f"{ACS_USER_SELECT} WHERE {where} ORDER BY u.created_at, u.acs_user_id LIMIT ?"
    return db.execute(sql, [*args, limit]).fetchall()


def require_acs_user(db: sqlite3.Connection, workspace_id: str, acs_user_id: str) -> sqlite3.Row:
    rows = select_acs_users(
        db, "u.workspace_id = ? AND u.acs_user_id = ?", (workspace_id, acs_user_id)
    )
    if not rows:
        raise not_found("acs_user_not_found", "ACS user not found")
    return rows[0]


def insert_acs_user(
    db: sqlite3.Connection,
    workspace_id: str,
    acs_system_id: str,
    *,
    full_name: str | None,
    email: str | None,
    phone: str | None,
    identity_id: str | None = None,
    starts_at: str | None = None,
    ends_at: str | None = None,
    acs_user_id: str | None = None,
    created_at: str | None = None,
) -> str:
    acs_user_id = acs_user_id or new_id()
    db.execute(
        "INSERT INTO acs_users (acs_user_id, workspace_id, acs_system_id, user_identity_id,"
        " full_name, email_address, phone_number, starts_at, ends_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            acs_user_id,
            workspace_id,
            acs_system_id,
            identity_id,
            full_name,
            email,
            phone,
            starts_at,
            ends_at,
            created_at or creation_time(db, "acs_users", workspace_id),
        ),
    )
    return acs_user_id


def link(db: sqlite3.Connection, acs_user: sqlite3.Row, identity_id: str) -> None:
    """Link an ACS user to an identity; linking it again to the same identity is a no-op."""
    current = acs_user["user_identity_id"]
    if current == identity_id:
        return
    if current is not None:
        raise conflict(
            "acs_user_already_linked",
            "The ACS user is linked to another user identity",
            {"user_identity_id": current},
        )
    check_no_user_in_system(db, identity_id, acs_user["acs_system_id"])
    db.execute(
        "UPDATE acs_users SET user_identity_id = ? WHERE acs_user_id = ?",
        (identity_id, acs_user["acs_user_id"]),
    )


def check_no_user_in_system(db: sqlite3.Connection, identity_id: str, acs_system_id: str) -> None:
    existing = db.execute(
        "SELECT acs_user_id FROM acs_users WHERE user_identity_id = ? AND acs_system_id = ?",
        (identity_id, acs_system_id),
    ).fetchone()
    if existing is not None:
        raise conflict(
            "user_identity_already_has_acs_user_in_system",
            "The user identity already has an ACS user in this access system",
            {"acs_user_id": existing["acs_user_id"]},
        )


def link_or_create(
    db: sqlite3.Connection, identity: sqlite3.Row, acs_system_id: str, settle_after: float = 0.0
) -> str:
    """The identity's ACS user in a system: its own, else an unlinked one with the same email
    or phone (now linked), else a new one made from the identity's profile (`creating` until
    it settles, if `settle_after`)."""
    identity_id = identity["user_identity_id"]
    email, phone = identity["email_address"], identity["phone_number"]
    row = db.execute(
        "SELECT acs_user_id FROM acs_users WHERE acs_system_id = ?"
        " AND (user_identity_id = ? OR (user_identity_id IS NULL"
        " AND (lower(email_address) = lower(?) OR phone_number = ?)))"
        " ORDER BY user_identity_id IS NULL, created_at, acs_user_id LIMIT 1",
        (acs_system_id, identity_id, email, phone),
    ).fetchone()
    if row is not None:
        db.execute(
            "UPDATE acs_users SET user_identity_id = ? WHERE acs_user_id = ?",
            (identity_id, row["acs_user_id"]),
        )
        return str(row["acs_user_id"])
    acs_user_id = insert_acs_user(
        db,
        identity["workspace_id"],
        acs_system_id,
        full_name=identity["full_name"] or email or phone or identity["user_identity_key"],
        email=email,
        phone=phone,
        identity_id=identity_id,
    )
    if settle_after > 0:
        settling.queue(db, acs_user_id, "creating", now(), settle_after)
    return acs_user_id


# --- systems and access groups ---------------------------------------------------------------


def require_system(db: sqlite3.Connection, workspace_id: str, acs_system_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        f"{SYSTEM_SELECT} WHERE s.workspace_id = ? AND s.acs_system_id = ?",
        (workspace_id, acs_system_id),
    ).fetchone()
    if row is None:
        raise not_found("acs_system_not_found", "ACS system not found")
    return row


def require_group(db: sqlite3.Connection, workspace_id: str, group_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        f"{GROUP_SELECT} WHERE g.workspace_id = ? AND g.acs_access_group_id = ?",
        (workspace_id, group_id),
    ).fetchone()
    if row is None:
        raise not_found("acs_access_group_not_found", "ACS access group not found")
    return row


def add_to_group(
    db: sqlite3.Connection, group: sqlite3.Row, acs_user: sqlite3.Row, settle_after: float = 0.0
) -> None:
    """Add a member (idempotent); the user must belong to the group's system. A new member
    has `updating_group_membership` until it settles, if `settle_after`."""
    if acs_user["acs_system_id"] != group["acs_system_id"]:
        raise ApiError(
            400,
            "invalid_input",
            "The ACS user and the access group belong to different access systems",
        )
    added = db.execute(
        "INSERT OR IGNORE INTO acs_access_group_members (acs_access_group_id, acs_user_id)"
        " VALUES (?, ?)",
        (group["acs_access_group_id"], acs_user["acs_user_id"]),
    ).rowcount
    if added and settle_after > 0:
        queue_membership(
            db, acs_user["acs_user_id"], None, group["acs_access_group_id"], settle_after
        )


def queue_membership(
    db: sqlite3.Connection, acs_user_id: str, old: str | None, new: str | None, settle_after: float
) -> None:
    settling.queue(
        db,
        acs_user_id,
        "updating_group_membership",
        now(),
        settle_after,
        **{"from": {"acs_access_group_id": old}, "to": {"acs_access_group_id": new}},
    )
