"""Data rules for access objects: lookups that 404, what opens which entrance, inserts.

Who reaches an entrance: an ACS user reaches the entrances of the access groups it belongs to
and the allowed entrances of the credentials it holds; a credential opens its allowed
entrances. These are grants, not current ability: a suspended user, or a credential whose
window has ended, still lists them.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import string
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from seam_tui.sandbox import render_access
from seam_tui.sandbox.envelope import ApiError, not_found
from seam_tui.sandbox.params import canonical_time
from seam_tui.sandbox.repo import creation_time, new_id

ENTRANCE_SELECT = """
SELECT e.*, s.connected_account_id
FROM acs_entrances e
JOIN acs_systems s ON s.acs_system_id = e.acs_system_id
"""
CREDENTIAL_SELECT = """
SELECT c.*, s.connected_account_id, s.external_type AS system_type, u.user_identity_id
FROM acs_credentials c
JOIN acs_systems s ON s.acs_system_id = c.acs_system_id
LEFT JOIN acs_users u ON u.acs_user_id = c.acs_user_id
"""
# Entrance ids reached by the ACS users in `json_each(?)` (a JSON array of ids).
USERS_ENTRANCES = """
SELECT ge.acs_entrance_id FROM acs_access_group_members m
JOIN acs_access_group_entrances ge ON ge.acs_access_group_id = m.acs_access_group_id
WHERE m.acs_user_id IN (SELECT value FROM json_each(?))
UNION
SELECT ce.acs_entrance_id FROM acs_credentials c
JOIN acs_credential_entrances ce ON ce.acs_credential_id = c.acs_credential_id
WHERE c.acs_user_id IN (SELECT value FROM json_each(?))
"""
INSTANT_KEY_LIFETIME = timedelta(hours=48)
_URL_ALPHABET = string.ascii_letters + string.digits


# --- devices ---------------------------------------------------------------------------------


def require_device(
    db: sqlite3.Connection,
    workspace_id: str,
    *,
    device_id: str | None = None,
    name: str | None = None,
) -> sqlite3.Row:
    """A device by id, or the first (in list order) whose display name is `name`."""
    condition = "device_id = ?" if device_id is not None else "coalesce(nickname, name) = ?"
    row: sqlite3.Row | None = db.execute(
        f"SELECT * FROM devices WHERE workspace_id = ? AND {condition}"
        " ORDER BY created_at, device_id LIMIT 1",
        (workspace_id, device_id if device_id is not None else name),
    ).fetchone()
    if row is None:
        raise not_found("device_not_found", "Device not found")
    return row


def devices_json(rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    return [render_access.device(row) for row in rows]


# --- entrances -------------------------------------------------------------------------------


def select_entrances(
    db: sqlite3.Connection, where: str, args: Sequence[object], limit: int = -1
) -> list[sqlite3.Row]:
    """Entrances (joined for rendering) matching `where`, in list order (-1: no limit)."""
    sql = f"{ENTRANCE_SELECT} WHERE {where} ORDER BY e.created_at, e.acs_entrance_id LIMIT ?"
    return db.execute(sql, [*args, limit]).fetchall()


def require_entrance(db: sqlite3.Connection, workspace_id: str, entrance_id: str) -> sqlite3.Row:
    rows = select_entrances(
        db, "e.workspace_id = ? AND e.acs_entrance_id = ?", (workspace_id, entrance_id)
    )
    if not rows:
        raise not_found("acs_entrance_not_found", "ACS entrance not found")
    return rows[0]


def entrances_json(rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    return [render_access.acs_entrance(row) for row in rows]


def entrances_of_users(db: sqlite3.Connection, acs_user_ids: Sequence[str]) -> list[sqlite3.Row]:
    """The entrances the ACS users reach through their groups and credentials (once each)."""
    ids = json_ids(acs_user_ids)
    return select_entrances(db, f"e.acs_entrance_id IN ({USERS_ENTRANCES})", (ids, ids))


def entrances_of_group(db: sqlite3.Connection, group_id: str) -> list[sqlite3.Row]:
    return select_entrances(
        db,
        "e.acs_entrance_id IN (SELECT acs_entrance_id FROM acs_access_group_entrances"
        " WHERE acs_access_group_id = ?)",
        (group_id,),
    )


def entrances_of_credential(db: sqlite3.Connection, credential_id: str) -> list[sqlite3.Row]:
    return select_entrances(
        db,
        "e.acs_entrance_id IN (SELECT acs_entrance_id FROM acs_credential_entrances"
        " WHERE acs_credential_id = ?)",
        (credential_id,),
    )


# --- credentials -----------------------------------------------------------------------------


def select_credentials(
    db: sqlite3.Connection, where: str, args: Sequence[object], limit: int = -1
) -> list[sqlite3.Row]:
    """Credentials (joined for rendering) matching `where`, in list order (-1: no limit)."""
    sql = f"{CREDENTIAL_SELECT} WHERE {where} ORDER BY c.created_at, c.acs_credential_id LIMIT ?"
    return db.execute(sql, [*args, limit]).fetchall()


def require_credential(
    db: sqlite3.Connection, workspace_id: str, credential_id: str
) -> sqlite3.Row:
    rows = select_credentials(
        db, "c.workspace_id = ? AND c.acs_credential_id = ?", (workspace_id, credential_id)
    )
    if not rows:
        raise not_found("acs_credential_not_found", "ACS credential not found")
    return rows[0]


def credentials_json(rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    return [render_access.acs_credential(row) for row in rows]


def insert_credential(
    db: sqlite3.Connection,
    acs_user: sqlite3.Row,
    access_method: str,
    *,
    display_name: str,
    code: str | None = None,
    card_number: str | None = None,
    starts_at: str | None = None,
    ends_at: str | None = None,
    multi_phone_sync: bool = False,
    issued_at: str | None = None,
    parent_id: str | None = None,
    credential_id: str | None = None,
    created_at: str | None = None,
) -> str:
    """A credential of `acs_user` (a row with `workspace_id`, `acs_system_id`, `acs_user_id`);
    `issued_at` None means not issued (yet)."""
    credential_id = credential_id or new_id()
    workspace_id = acs_user["workspace_id"]
    db.execute(
        "INSERT INTO acs_credentials (acs_credential_id, workspace_id, acs_system_id,"
        " acs_user_id, parent_acs_credential_id, access_method, display_name, code, card_number,"
        " starts_at, ends_at, is_multi_phone_sync_credential, is_issued, issued_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            credential_id,
            workspace_id,
            acs_user["acs_system_id"],
            acs_user["acs_user_id"],
            parent_id,
            access_method,
            display_name,
            code,
            card_number,
            starts_at,
            ends_at,
            int(multi_phone_sync),
            int(issued_at is not None),
            issued_at,
            created_at or creation_time(db, "acs_credentials", workspace_id),
        ),
    )
    return credential_id


def allow_entrances(
    db: sqlite3.Connection,
    workspace_id: str,
    credential_id: str,
    acs_system_id: str,
    entrance_ids: Sequence[str],
) -> None:
    """Let a credential open entrances (404 if one is unknown, 400 if in another system)."""
    for entrance_id in dict.fromkeys(entrance_ids):
        entrance = require_entrance(db, workspace_id, entrance_id)
        if entrance["acs_system_id"] != acs_system_id:
            raise ApiError(
                400,
                "invalid_input",
                "The entrance and the credential belong to different access systems",
            )
        db.execute(
            "INSERT OR IGNORE INTO acs_credential_entrances (acs_credential_id, acs_entrance_id)"
            " VALUES (?, ?)",
            (credential_id, entrance_id),
        )


# --- device grants and instant keys ----------------------------------------------------------


def insert_instant_key(
    db: sqlite3.Connection,
    identity: sqlite3.Row,
    max_use_count: float,
    *,
    customization_profile_id: str | None = None,
    ids: tuple[str, str] | None = None,
    url: str | None = None,
    created_at: str | None = None,
) -> str:
    """A key for `identity`, expiring 48 hours after it is made; `ids` = (key id, client
    session id). Returns the key's id."""
    workspace_id = identity["workspace_id"]
    key_id, session_id = ids or (new_id(), new_id())
    created_at = created_at or creation_time(db, "instant_keys", workspace_id)
    expires_at = canonical_time(datetime.fromisoformat(created_at) + INSTANT_KEY_LIFETIME)
    db.execute(
        "INSERT INTO instant_keys (instant_key_id, workspace_id, user_identity_id,"
        " instant_key_url, client_session_id, customization_profile_id, max_use_count,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key_id,
            workspace_id,
            identity["user_identity_id"],
            url or instant_key_url(),
            session_id,
            customization_profile_id,
            max_use_count,
            created_at,
            expires_at,
        ),
    )
    return key_id


def instant_key_url(token: str | None = None) -> str:
    """`https://ik.seam.co/` and ten random letters and digits (or `token`)."""
    token = token or "".join(secrets.choice(_URL_ALPHABET) for _ in range(10))
    return f"https://ik.seam.co/{token}"


def json_ids(ids: Sequence[str]) -> str:
    """Ids as a JSON array, for `json_each(?)`."""
    return json.dumps(list(ids))
