"""Demo access data for Acme: devices, entrances, group entrances, credentials, grants, a key.

Runs after the rest of the demo, from the same random source, so the older demo ids and
timestamps stay as they were. What it makes, by person (Acme identities):
- Marcus Chen: a Salto multi-phone-sync mobile key (with one phone's child credential), three
  devices granted directly, and an instant key (made on the demo's date, so long expired);
- Jane Doe: a Brivo card (issued) and a Brivo PIN code; one device granted;
- Priya Patel: a Brivo card waiting to be issued;
- Liam O'Connor: a Latch PIN code whose window has ended, and a Latch mobile key;
- Kenji Watanabe (suspended ACS users): a Latch PIN code, still listing its entrances;
- Omar Haddad: a Kisi mobile key; Aisha Bello: one device granted.
Devices: eight locks of seven brands, one offline (`device_offline`), one with a low battery,
one unlocked with its door open, one with a warning.
"""

from __future__ import annotations

import json
import sqlite3
import string
from typing import TYPE_CHECKING, Any

from seam_tui.sandbox import repo_access

if TYPE_CHECKING:
    from seam_tui.sandbox.seed import _Demo

ENDED = ("2024-09-01T00:00:00.000Z", "2025-06-30T23:59:59.000Z")
CURRENT = ("2025-01-01T00:00:00.000Z", "2030-12-31T23:59:59.000Z")

# Per system: (entrance, is_locked, card, code, mobile key, warning code or None).
ENTRANCES: dict[str, list[tuple[str, bool, bool, bool, bool, str | None]]] = {
    "Acme Tower": [
        ("Main Lobby Door", True, True, True, True, None),
        ("Gym", True, True, False, True, None),
        ("Pool Gate", False, True, False, True, None),
        ("Rooftop Terrace", True, True, False, True, "salto_ks_privacy_mode"),
        ("Bike Storage", True, True, False, True, None),
    ],
    "Acme HQ Offices": [
        ("Front Entrance", True, True, True, True, None),
        ("Suite 400", True, True, True, True, None),
        ("Server Room", True, True, False, False, None),
        ("Parking Garage Gate", True, True, False, True, "entrance_shares_zone"),
    ],
    "Harbor Lofts": [
        ("Building Entrance", True, False, True, True, None),
        ("Mail Room", True, False, True, True, None),
        ("Unit 2B", True, False, True, True, None),
    ],
    "Acme Warehouse": [
        ("Warehouse Main Door", True, True, False, True, None),
        ("Loading Dock Door", False, True, False, True, None),
        ("Office Door", True, True, False, True, "entrance_setup_required"),
    ],
}
ENTRANCE_WARNINGS = {
    "salto_ks_privacy_mode": "Privacy mode is on: only staff cards open this entrance.",
    "entrance_shares_zone": "This entrance shares a zone with other entrances.",
    "entrance_setup_required": "Finish setting up this entrance in Kisi.",
}
GROUP_ENTRANCES = {
    "Main Entrance": ["Main Lobby Door", "Bike Storage"],
    "Gym & Pool": ["Gym", "Pool Gate"],
    "Office Staff": ["Front Entrance", "Suite 400", "Parking Garage Gate"],
    "After Hours": ["Front Entrance", "Server Room"],
    "Warehouse Floor": ["Warehouse Main Door", "Office Door"],
    "Loading Dock": ["Loading Dock Door"],
}
# (name, device type, location, locked, door open, battery, nickname, metadata)
DEVICES: list[tuple[str, str, str, bool | None, bool | None, float, str | None, dict[str, Any]]] = [
    ("Front Door", "schlage_lock", "Harbor Lofts Unit 101", True, False, 0.86, None, {}),
    ("Back Door", "schlage_lock", "Harbor Lofts Unit 101", True, False, 0.12, None, {}),
    ("Yale Assure 3A", "yale_lock", "Guest Suite 3A", True, False, 0.64, "Guest Suite 3A", {}),
    ("Garage Side Door", "august_lock", "Acme HQ Garage", False, True, 0.71, None, {}),
    ("Pool House", "kwikset_lock", "Acme Tower Pool", True, None, 0.55, None, {}),
    ("Office 12F", "salto_lock", "Acme Tower 12th Floor", True, False, 0.93, None, {}),
    ("Storage Cage 4", "igloohome_lock", "Acme Warehouse", None, None, 0.41, None, {}),
    (
        "Nuki 3F1A",
        "nuki_lock",
        "Cottage",
        True,
        False,
        0.78,
        "Cottage Door",
        {"property_code": "COT-1", "cleaning": True},
    ),
]
OFFLINE_DEVICE = "Pool House"
FLAKY_DEVICE = "Nuki 3F1A"
# Device grants by person (devices by name).
GRANTS = {
    "Marcus Chen": ["Front Door", "Office 12F", "Nuki 3F1A"],
    "Jane Doe": ["Front Door"],
    "Aisha Bello": ["Garage Side Door"],
}


def seed_acme_access(demo: _Demo) -> None:
    """Add the access demo to the Acme workspace (the first, already seeded)."""
    db = demo.db
    ws = db.execute(
        "SELECT workspace_id FROM workspaces WHERE name = 'Acme Property Sandbox'"
    ).fetchone()[0]
    systems = {
        row["name"]: row["acs_system_id"]
        for row in db.execute(
            "SELECT name, acs_system_id FROM acs_systems WHERE workspace_id = ?", (ws,)
        )
    }
    devices = _devices(demo, ws)
    entrances = _entrances(demo, ws, systems)
    for group, names in GROUP_ENTRANCES.items():
        group_id = db.execute(
            "SELECT acs_access_group_id FROM acs_access_groups WHERE workspace_id = ? AND name = ?",
            (ws, group),
        ).fetchone()[0]
        db.executemany(
            "INSERT INTO acs_access_group_entrances (acs_access_group_id, acs_entrance_id)"
            " VALUES (?, ?)",
            [(group_id, entrances[name]) for name in names],
        )
    _credentials(demo, ws, systems, entrances)
    for person, names in GRANTS.items():
        identity = _identity(db, ws, person)
        db.executemany(
            "INSERT INTO device_grants (user_identity_id, device_id, created_at) VALUES (?, ?, ?)",
            [(identity["user_identity_id"], devices[name], demo.tick()) for name in names],
        )
    token = "".join(demo.rng.choice(string.ascii_letters + string.digits) for _ in range(10))
    repo_access.insert_instant_key(
        db,
        _identity(db, ws, "Marcus Chen"),
        1,
        ids=(demo.id(), demo.id()),
        url=repo_access.instant_key_url(token),
        created_at=demo.tick(),
    )


def _devices(demo: _Demo, ws: str) -> dict[str, str]:
    accounts: dict[str, str] = {}
    ids: dict[str, str] = {}
    for name, kind, location, locked, door_open, battery, nickname, metadata in DEVICES:
        account = accounts.setdefault(kind, demo.id())
        device_id = demo.id()
        created_at = demo.tick()
        errors, warnings = [], []
        if name == OFFLINE_DEVICE:
            errors.append(
                demo.issue(
                    "error_code", "device_offline", "Device is offline", is_device_error=True
                )
            )
        if name == FLAKY_DEVICE:
            warnings.append(
                demo.issue(
                    "warning_code",
                    "device_has_flaky_connection",
                    "The device's connection to its bridge drops now and then.",
                )
            )
        demo.db.execute(
            "INSERT INTO devices (device_id, workspace_id, connected_account_id, device_type,"
            " name, nickname, serial_number, location_name, time_zone, online, locked,"
            " door_open, battery_level, errors, warnings, custom_metadata, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                device_id,
                ws,
                account,
                kind,
                name,
                nickname,
                f"{kind[:3].upper()}-{demo.rng.randint(100000, 999999)}",
                location,
                "America/New_York",
                int(name != OFFLINE_DEVICE),
                None if locked is None else int(locked),
                None if door_open is None else int(door_open),
                battery,
                json.dumps(errors),
                json.dumps(warnings),
                json.dumps(metadata, ensure_ascii=False),
                created_at,
            ),
        )
        ids[name] = device_id
    return ids


def _entrances(demo: _Demo, ws: str, systems: dict[str, str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for system, entrances in ENTRANCES.items():
        for name, locked, card, code, mobile, warning in entrances:
            warnings = (
                []
                if warning is None
                else [demo.issue("warning_code", warning, ENTRANCE_WARNINGS[warning])]
            )
            ids[name] = demo.id()
            demo.db.execute(
                "INSERT INTO acs_entrances (acs_entrance_id, workspace_id, acs_system_id,"
                " display_name, is_locked, can_unlock_with_card, can_unlock_with_code,"
                " can_unlock_with_mobile_key, warnings, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ids[name],
                    ws,
                    systems[system],
                    name,
                    int(locked),
                    int(card),
                    int(code),
                    int(mobile),
                    json.dumps(warnings),
                    demo.tick(),
                ),
            )
    return ids


def _credentials(demo: _Demo, ws: str, systems: dict[str, str], entrances: dict[str, str]) -> None:
    db = demo.db

    def credential(
        person: str, system: str, method: str, allowed: list[str], **options: Any
    ) -> str:
        user = db.execute(
            "SELECT u.* FROM acs_users u JOIN user_identities i USING (user_identity_id)"
            " WHERE i.workspace_id = ? AND i.full_name = ? AND u.acs_system_id = ?",
            (ws, person, systems[system]),
        ).fetchone()
        created_at = demo.tick()
        issued = options.pop("issued", True)
        credential_id = repo_access.insert_credential(
            db,
            user,
            method,
            credential_id=demo.id(),
            created_at=created_at,
            issued_at=created_at if issued else None,
            **options,
        )
        db.executemany(
            "INSERT INTO acs_credential_entrances (acs_credential_id, acs_entrance_id)"
            " VALUES (?, ?)",
            [(credential_id, entrances[name]) for name in allowed],
        )
        return credential_id

    parent = credential(
        "Marcus Chen",
        "Acme Tower",
        "mobile_key",
        ["Main Lobby Door", "Rooftop Terrace"],
        display_name="Multi Phone Sync Credential",
        multi_phone_sync=True,
    )
    credential(
        "Marcus Chen",
        "Acme Tower",
        "mobile_key",
        ["Main Lobby Door", "Rooftop Terrace"],
        display_name="Mobile key (iPhone 15)",
        parent_id=parent,
    )
    card_number = f"{demo.rng.getrandbits(32):08X}"
    credential(
        "Jane Doe",
        "Acme HQ Offices",
        "card",
        ["Front Entrance", "Suite 400"],
        display_name="Card",
        card_number=card_number,
        starts_at=CURRENT[0],
        ends_at=CURRENT[1],
    )
    credential(
        "Jane Doe",
        "Acme HQ Offices",
        "code",
        ["Suite 400"],
        display_name="PIN code",
        code=_code(demo),
    )
    credential(
        "Priya Patel",
        "Acme HQ Offices",
        "card",
        ["Front Entrance"],
        display_name="Card",
        issued=False,
    )
    credential(
        "Liam O'Connor",
        "Harbor Lofts",
        "code",
        ["Building Entrance", "Unit 2B"],
        display_name="PIN code",
        code=_code(demo),
        starts_at=ENDED[0],
        ends_at=ENDED[1],
    )
    credential(
        "Liam O'Connor",
        "Harbor Lofts",
        "mobile_key",
        ["Building Entrance", "Mail Room"],
        display_name="Mobile key",
    )
    credential(
        "Kenji Watanabe",
        "Harbor Lofts",
        "code",
        ["Building Entrance"],
        display_name="PIN code",
        code=_code(demo),
    )
    credential(
        "Omar Haddad",
        "Acme Warehouse",
        "mobile_key",
        ["Warehouse Main Door"],
        display_name="Mobile key",
    )


def _code(demo: _Demo) -> str:
    return f"{demo.rng.randint(0, 999999):06d}"


def _identity(db: sqlite3.Connection, ws: str, name: str) -> sqlite3.Row:
    row: sqlite3.Row = db.execute(
        "SELECT * FROM user_identities WHERE workspace_id = ? AND full_name = ?", (ws, name)
    ).fetchone()
    return row
