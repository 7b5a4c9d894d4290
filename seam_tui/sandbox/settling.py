"""Changes that settle later, as the real API's pushes to the access system do.

With `settle_after` > 0 a write answers at once with the object in its new state plus a
pending mutation (`acs_user.pending_mutations`, the shapes of seam-api-access.md §7.1); a
delete leaves the object readable with a `being_deleted` warning (and `deleting` for an ACS
user). Each queued item carries an internal `settle_at` time, which `render` strips; the row's
`settle_at` column holds its earliest one, so finding what is due is one indexed query.

Nothing runs in the background: before each request `purge` settles what is due. A mutation
simply disappears; a delete removes the object (404 from then on). If the push fails
(`FaultConfig.push_failure_rate`, drawn at settle time) the mutation is replaced by the real
API's error on the ACS user: `failed_to_create_on_acs_system`, `failed_to_update_on_acs_system`
or `failed_to_delete_on_acs_system` (a failed delete leaves the object, without
`being_deleted`). An identity whose ACS users' deletes failed stays, without `being_deleted`;
its `issue_with_acs_user` errors say why.

Items without `settle_at` (the demo seed's) never settle, unless the object is deleted again
(with settling on), which queues a delete that does. With `settle_after` == 0 nothing is
queued and deletes are immediate: the sandbox behaves as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from seam_tui.sandbox.params import canonical_time

SETTLE_AT = "settle_at"  # the internal key on a queued item; never rendered

MISMATCH = "acs_user_profile_does_not_match_user_identity"
PROFILE_FIELDS = ("full_name", "email_address", "phone_number")

FAILURES = {
    "creating": "failed_to_create_on_acs_system",
    "deleting": "failed_to_delete_on_acs_system",
}
FAILED_UPDATE = "failed_to_update_on_acs_system"
FAILURE_MESSAGES = {
    "failed_to_create_on_acs_system": "Seam could not create this user on the access system.",
    "failed_to_update_on_acs_system": "Seam could not update this user on the access system.",
    "failed_to_delete_on_acs_system": "Seam could not delete this user on the access system.",
}
MESSAGES = {
    "creating": "Seam is creating this user on the access system.",
    "deleting": "Seam is deleting this user from the access system.",
    "updating_user_information": "Seam is updating this user's information on the access system.",
    "updating_access_schedule": "Seam is updating this user's access schedule.",
    "updating_suspension_state": "Seam is updating this user's suspension state.",
    "updating_group_membership": "Seam is updating this user's access group membership.",
}
BEING_DELETED_USER = "This ACS user is being deleted from the access system."
BEING_DELETED_IDENTITY = "This user identity is being deleted."


def settle_time(now: str, settle_after: float) -> str:
    return canonical_time(datetime.fromisoformat(now) + timedelta(seconds=settle_after))


def public(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items as the API shows them: without the internal settle time."""
    if not any(SETTLE_AT in item for item in items):
        return items
    return [{k: v for k, v in item.items() if k != SETTLE_AT} for item in items]


def _earliest(*lists: list[dict[str, Any]]) -> str | None:
    times = [item[SETTLE_AT] for items in lists for item in items if item.get(SETTLE_AT)]
    return min(times) if times else None


def _loads(text: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(text)
    return items


def _save_user(
    db: sqlite3.Connection,
    acs_user_id: str,
    mutations: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
    errors: list[dict[str, Any]] | None = None,
) -> None:
    columns = "pending_mutations = ?, warnings = ?, settle_at = ?"
    values: list[object] = [
        json.dumps(mutations),
        json.dumps(warnings),
        _earliest(mutations, warnings),
    ]
    if errors is not None:
        columns += ", errors = ?"
        values.append(json.dumps(errors))
    db.execute(f"UPDATE acs_users SET {columns} WHERE acs_user_id = ?", [*values, acs_user_id])


# --- queueing (called by write handlers when settle_after > 0) -------------------------------


def queue(
    db: sqlite3.Connection,
    acs_user_id: str,
    code: str,
    now: str,
    settle_after: float,
    **change: Any,
) -> None:
    """Add a pending mutation to an ACS user. A second change of the same kind in flight
    (not group membership, whose changes are per group) is merged: `from` stays the state
    the access system still has, `to` becomes the new one; if they end up equal, nothing is
    left to push and the mutation goes."""
    row = db.execute(
        "SELECT pending_mutations, warnings FROM acs_users WHERE acs_user_id = ?", (acs_user_id,)
    ).fetchone()
    mutations = _loads(row["pending_mutations"])
    mutation: dict[str, Any] = {
        "mutation_code": code,
        "message": MESSAGES[code],
        "created_at": now,
        **change,
        SETTLE_AT: settle_time(now, settle_after),
    }
    merged = code not in ("updating_group_membership", "creating", "deleting")
    earlier = next((m for m in mutations if merged and m["mutation_code"] == code), None)
    if earlier is not None and "from" in earlier and "from" in change:
        mutations.remove(earlier)
        source = {**change["from"], **earlier["from"]}
        target = {**earlier.get("to", {}), **change["to"]}
        if source == target:
            _save_user(db, acs_user_id, mutations, _loads(row["warnings"]))
            return
        mutation["from"], mutation["to"] = source, target
    elif code in ("creating", "deleting"):
        if any(m["mutation_code"] == code and m.get(SETTLE_AT) for m in mutations):
            return  # already in flight: a repeated delete changes nothing
        # A demo object's delete that never settles is replaced by one that does.
        mutations = [m for m in mutations if m["mutation_code"] != code]
    mutations.append(mutation)
    _save_user(db, acs_user_id, mutations, _loads(row["warnings"]))


def delete_acs_user(
    db: sqlite3.Connection, acs_user_id: str, now: str, settle_after: float
) -> None:
    """Queue an ACS user's deletion: `deleting` plus the `being_deleted` warning."""
    queue(db, acs_user_id, "deleting", now, settle_after)
    row = db.execute(
        "SELECT pending_mutations, warnings FROM acs_users WHERE acs_user_id = ?", (acs_user_id,)
    ).fetchone()
    warnings = _loads(row["warnings"])
    if not any(w["warning_code"] == "being_deleted" and w.get(SETTLE_AT) for w in warnings):
        warnings = [w for w in warnings if w["warning_code"] != "being_deleted"]
        warnings.append(
            {
                "warning_code": "being_deleted",
                "message": BEING_DELETED_USER,
                "created_at": now,
                SETTLE_AT: settle_time(now, settle_after),
            }
        )
    _save_user(db, acs_user_id, _loads(row["pending_mutations"]), warnings)


def delete_identity(
    db: sqlite3.Connection, identity_id: str, now: str, settle_after: float
) -> None:
    """Queue an identity's deletion: `being_deleted` on it, a queued delete on its ACS users."""
    row = db.execute(
        "SELECT warnings FROM user_identities WHERE user_identity_id = ?", (identity_id,)
    ).fetchone()
    warnings = _loads(row["warnings"])
    if any(w["warning_code"] == "being_deleted" and w.get(SETTLE_AT) for w in warnings):
        return  # already in flight
    warnings = [w for w in warnings if w["warning_code"] != "being_deleted"]  # the demo's
    warnings.append(
        {
            "warning_code": "being_deleted",
            "message": BEING_DELETED_IDENTITY,
            "created_at": now,
            SETTLE_AT: settle_time(now, settle_after),
        }
    )
    db.execute(
        "UPDATE user_identities SET warnings = ?, settle_at = ? WHERE user_identity_id = ?",
        (json.dumps(warnings), _earliest(warnings), identity_id),
    )
    users = db.execute(
        "SELECT acs_user_id FROM acs_users WHERE user_identity_id = ?", (identity_id,)
    )
    for user in users.fetchall():
        delete_acs_user(db, user["acs_user_id"], now, settle_after)


# --- settling (before every request) ---------------------------------------------------------


def due(db: sqlite3.Connection, now: str) -> bool:
    """Whether anything has to settle: two indexed look-ups."""
    for table in ("acs_users", "user_identities"):
        found = db.execute(
            f"SELECT 1 FROM {table} WHERE settle_at IS NOT NULL AND settle_at <= ? LIMIT 1",
            (now,),
        ).fetchone()
        if found is not None:
            return True
    return False


def settle_everything(db: sqlite3.Connection, push_fails: Callable[[], bool]) -> None:
    """Settle every queued item now, whenever it was due (`Sandbox.settle_all`)."""
    while True:
        # A row's settle_at is its earliest item: each round settles at least that one.
        found = [
            db.execute(f"SELECT MAX(settle_at) FROM {table}").fetchone()[0]
            for table in ("acs_users", "user_identities")
        ]
        last = max((when for when in found if when is not None), default=None)
        if last is None:
            return
        purge(db, last, push_fails)


def purge(db: sqlite3.Connection, now: str, push_fails: Callable[[], bool]) -> None:
    """Settle everything due by `now`, oldest first; `push_fails()` draws each push's fate."""
    failed_identities = _settle_acs_users(db, now, push_fails)
    identities = db.execute(
        "SELECT user_identity_id, warnings FROM user_identities"
        " WHERE settle_at IS NOT NULL AND settle_at <= ? ORDER BY settle_at",
        (now,),
    ).fetchall()
    for identity in identities:
        warnings = _loads(identity["warnings"])
        settled = [w for w in warnings if w.get(SETTLE_AT) and w[SETTLE_AT] <= now]
        kept = [w for w in warnings if w not in settled]
        identity_id = identity["user_identity_id"]
        deleting = any(w["warning_code"] == "being_deleted" for w in settled)
        if deleting and identity_id not in failed_identities:
            db.execute("DELETE FROM acs_users WHERE user_identity_id = ?", (identity_id,))
            db.execute("DELETE FROM user_identities WHERE user_identity_id = ?", (identity_id,))
            continue
        db.execute(
            "UPDATE user_identities SET warnings = ?, settle_at = ? WHERE user_identity_id = ?",
            (json.dumps(kept), _earliest(kept), identity_id),
        )


def _settle_acs_users(db: sqlite3.Connection, now: str, push_fails: Callable[[], bool]) -> set[str]:
    """Settle the ACS users' due items; returns the identities whose ACS user's delete failed."""
    failed_identities: set[str] = set()
    rows = db.execute(
        "SELECT acs_user_id, user_identity_id, pending_mutations, warnings, errors"
        " FROM acs_users WHERE settle_at IS NOT NULL AND settle_at <= ? ORDER BY settle_at",
        (now,),
    ).fetchall()
    for row in rows:
        mutations, warnings = _loads(row["pending_mutations"]), _loads(row["warnings"])
        errors = _loads(row["errors"])
        settled = sorted(
            (m for m in mutations if m.get(SETTLE_AT) and m[SETTLE_AT] <= now),
            key=lambda m: str(m[SETTLE_AT]),
        )
        mutations = [m for m in mutations if m not in settled]
        warnings = [w for w in warnings if not (w.get(SETTLE_AT) and w[SETTLE_AT] <= now)]
        deleted = False
        for mutation in settled:
            code = mutation["mutation_code"]
            if not push_fails():
                deleted = deleted or code == "deleting"
                continue
            _add_error(errors, FAILURES.get(code, FAILED_UPDATE), mutation[SETTLE_AT])
            if code == "deleting":
                if row["user_identity_id"] is not None:
                    failed_identities.add(row["user_identity_id"])
                warnings = [w for w in warnings if w["warning_code"] != "being_deleted"]
        if deleted:
            db.execute("DELETE FROM acs_users WHERE acs_user_id = ?", (row["acs_user_id"],))
        else:
            _save_user(db, row["acs_user_id"], mutations, warnings, errors)
    return failed_identities


def _add_error(errors: list[dict[str, Any]], code: str, when: str) -> None:
    errors[:] = [e for e in errors if e.get("error_code") != code]
    errors.append({"error_code": code, "message": FAILURE_MESSAGES[code], "created_at": when})


# --- the identity's profile-mismatch warning -------------------------------------------------


def profile_mismatch(
    identity: sqlite3.Row, acs_users: Sequence[sqlite3.Row]
) -> dict[str, Any] | None:
    """`acs_user_profile_does_not_match_user_identity` while a linked ACS user's name, email
    or phone (those the identity has) differs from the identity's, or has a pending
    `updating_user_information`."""
    since: list[str] = []
    for user in acs_users:
        pending = [
            m["created_at"]
            for m in _loads(user["pending_mutations"])
            if m["mutation_code"] == "updating_user_information"
        ]
        if pending:
            since.append(min(pending))
        elif _differs(identity, user):
            since.append(user["created_at"])
    if not since:
        return None
    return {
        "warning_code": MISMATCH,
        "message": "The profile of a linked ACS user does not match this user identity.",
        "created_at": min(since),
    }


def _differs(identity: sqlite3.Row, user: sqlite3.Row) -> bool:
    for field in PROFILE_FIELDS:
        wanted, actual = identity[field], user[field]
        if wanted is None:
            continue
        if field == "email_address":
            wanted, actual = wanted.lower(), (actual or "").lower()
        if wanted != actual:
            return True
    return False
