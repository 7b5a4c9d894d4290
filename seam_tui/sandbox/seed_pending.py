"""The demo's permanently pending objects: one of each state a change goes through.

These never settle (they have no settle time, see `settling`), so every pending state can be
seen in the demo whatever `settle_after` is. All in "Acme Property Sandbox":

- identity Isabella Costa: `being_deleted`; her Acme HQ Offices (Brivo) ACS user: `deleting`
  and `being_deleted`;
- ACS user Former Tenant - Dana Wu (Brivo, unlinked): `deleting` and `being_deleted`;
- ACS user Ravi Kumar (Acme Warehouse, Kisi): `creating`;
- ACS user Grace Lee (Acme Tower, Salto): `updating_suspension_state` (to suspended);
- ACS user Amara Okafor (Acme Tower, Salto): `updating_access_schedule`;
- ACS user Omar Haddad (Acme Warehouse, Kisi): `updating_group_membership` (into Warehouse
  Floor);
- ACS user Hannah Schmidt (Brivo, seeded in `seed`): `updating_user_information`, so the
  identity Hannah Schmidt shows `acs_user_profile_does_not_match_user_identity`.

(Chloé Dubois's Kisi user has `deferring_creation`, also from `seed`.)
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from seam_tui.sandbox.settling import BEING_DELETED_IDENTITY, BEING_DELETED_USER, MESSAGES

WORKSPACE = "Acme Property Sandbox"
SINCE = "2025-01-20T10:15:00.000Z"  # fixed, so screenshots stay stable
SCHEDULE_START, SCHEDULE_END = "2025-01-01T00:00:00.000Z", "2030-12-31T23:59:59.000Z"


def _mutation(code: str, **change: Any) -> dict[str, Any]:
    return {"mutation_code": code, "message": MESSAGES[code], "created_at": SINCE, **change}


def _being_deleted(message: str) -> dict[str, Any]:
    return {"warning_code": "being_deleted", "message": message, "created_at": SINCE}


def seed_pending_states(db: sqlite3.Connection) -> None:
    ws = db.execute("SELECT workspace_id FROM workspaces WHERE name = ?", (WORKSPACE,)).fetchone()
    if ws is None:
        return
    workspace_id = ws[0]

    def user(system: str, name: str) -> str:
        row = db.execute(
            "SELECT u.acs_user_id FROM acs_users u JOIN acs_systems s USING (acs_system_id)"
            " WHERE u.workspace_id = ? AND s.name = ? AND u.full_name = ?",
            (workspace_id, system, name),
        ).fetchone()
        return str(row[0])

    def pending(acs_user_id: str, mutation: dict[str, Any], *warnings: dict[str, Any]) -> None:
        row = db.execute(
            "SELECT pending_mutations, warnings FROM acs_users WHERE acs_user_id = ?",
            (acs_user_id,),
        ).fetchone()
        db.execute(
            "UPDATE acs_users SET pending_mutations = ?, warnings = ? WHERE acs_user_id = ?",
            (
                json.dumps([*json.loads(row[0]), mutation]),
                json.dumps([*json.loads(row[1]), *warnings]),
                acs_user_id,
            ),
        )

    identity = db.execute(
        "SELECT user_identity_id FROM user_identities WHERE workspace_id = ? AND full_name = ?",
        (workspace_id, "Isabella Costa"),
    ).fetchone()[0]
    db.execute(
        "UPDATE user_identities SET warnings = ? WHERE user_identity_id = ?",
        (json.dumps([_being_deleted(BEING_DELETED_IDENTITY)]), identity),
    )
    for acs_user_id in (
        user("Acme HQ Offices", "Isabella Costa"),
        user("Acme HQ Offices", "Former Tenant - Dana Wu"),
    ):
        pending(acs_user_id, _mutation("deleting"), _being_deleted(BEING_DELETED_USER))
    pending(user("Acme Warehouse", "Ravi Kumar"), _mutation("creating"))
    pending(
        user("Acme Tower", "Grace Lee"),
        _mutation(
            "updating_suspension_state",
            **{"from": {"is_suspended": False}, "to": {"is_suspended": True}},
        ),
    )
    pending(
        user("Acme Tower", "Amara Okafor"),
        _mutation(
            "updating_access_schedule",
            **{
                "from": {"starts_at": SCHEDULE_START, "ends_at": "2029-12-31T23:59:59.000Z"},
                "to": {"starts_at": SCHEDULE_START, "ends_at": SCHEDULE_END},
            },
        ),
    )
    group = db.execute(
        "SELECT acs_access_group_id FROM acs_access_groups WHERE workspace_id = ? AND name = ?",
        (workspace_id, "Warehouse Floor"),
    ).fetchone()[0]
    pending(
        user("Acme Warehouse", "Omar Haddad"),
        _mutation(
            "updating_group_membership",
            **{"from": {"acs_access_group_id": None}, "to": {"acs_access_group_id": group}},
        ),
    )
