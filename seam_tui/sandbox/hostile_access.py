"""The hostile workspace's access data: devices and entrances named from the hostile corpus.

Written straight into the store (the API cannot create devices or entrances): three devices
(one with a warning, one offline, one with a hostile nickname; all at a hostile location),
three entrances of the first system (one with a warning) opened by the first two access groups
and by a credential of a synced ACS user. The devices are granted to the first identity once
the API has made it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seam_tui.sandbox.repo_access import insert_credential

if TYPE_CHECKING:
    from seam_tui.sandbox.seed import _Demo

DEVICE_TYPES = ("schlage_lock", "yale_lock", "august_lock")
GRANTED_AT = "2025-03-03T09:00:00.000Z"


@dataclass(frozen=True)
class AccessNames:
    """Hostile values: device names (two names, a nickname, a location), entrance names,
    warning messages and the credential's display name."""

    devices: list[str]
    entrances: list[str]
    device_warning: str
    entrance_warning: str
    credential: str


def access_fixtures(
    demo: _Demo, names: AccessNames, acs_system_id: str, groups: list[str], holder: str
) -> list[str]:
    """Insert the devices, entrances, group entrances and `holder`'s credential; returns the
    device ids."""
    db = demo.db
    workspace_id = db.execute(
        "SELECT workspace_id FROM acs_systems WHERE acs_system_id = ?", (acs_system_id,)
    ).fetchone()[0]
    devices: list[str] = []
    for index, kind in enumerate(DEVICE_TYPES):
        devices.append(demo.id())
        warning = demo.issue("warning_code", "provider_issue", names.device_warning)
        db.execute(
            "INSERT INTO devices (device_id, workspace_id, connected_account_id, device_type,"
            " name, nickname, location_name, online, locked, warnings, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                devices[-1],
                workspace_id,
                demo.id(),
                kind,
                names.devices[index] if index < 2 else "August lock",
                names.devices[2] if index == 2 else None,
                names.devices[3],
                int(index != 1),
                int(index != 0),
                json.dumps([warning] if index == 0 else []),
                demo.tick(),
            ),
        )
    entrances: list[str] = []
    for index, name in enumerate(names.entrances):
        entrances.append(demo.id())
        warning = demo.issue("warning_code", "privacy_mode", names.entrance_warning)
        db.execute(
            "INSERT INTO acs_entrances (acs_entrance_id, workspace_id, acs_system_id,"
            " display_name, is_locked, can_unlock_with_card, warnings, created_at)"
            " VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
            (
                entrances[-1],
                workspace_id,
                acs_system_id,
                name,
                json.dumps([warning] if index == 1 else []),
                demo.tick(),
            ),
        )
    db.executemany(
        "INSERT INTO acs_access_group_entrances (acs_access_group_id, acs_entrance_id)"
        " VALUES (?, ?)",
        [(groups[0], entrances[0]), (groups[1], entrances[1])],
    )
    user = db.execute("SELECT * FROM acs_users WHERE acs_user_id = ?", (holder,)).fetchone()
    created_at = demo.tick()
    credential = insert_credential(
        db,
        user,
        "mobile_key",
        display_name=names.credential,
        credential_id=demo.id(),
        created_at=created_at,
        issued_at=created_at,
    )
    db.execute(
        "INSERT INTO acs_credential_entrances (acs_credential_id, acs_entrance_id) VALUES (?, ?)",
        (credential, entrances[2]),
    )
    return devices


def grant_devices(db: sqlite3.Connection, *, ws: str, devices: list[str]) -> None:
    """Grant the devices to the workspace's first identity."""
    identity = db.execute(
        "SELECT user_identity_id FROM user_identities WHERE workspace_id = ?"
        " ORDER BY created_at, user_identity_id LIMIT 1",
        (ws,),
    ).fetchone()[0]
    db.executemany(
        "INSERT INTO device_grants (user_identity_id, device_id, created_at) VALUES (?, ?, ?)",
        [(identity, device, GRANTED_AT) for device in devices],
    )
