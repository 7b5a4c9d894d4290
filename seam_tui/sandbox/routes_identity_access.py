"""`/user_identities/*` for access: device grants, reachable entrances, instant keys.

- A device granted to an identity is listed by `list_accessible_devices` (under `devices` and
  the deprecated `accessible_devices`, the same list); granting it again, or revoking a device
  that is not granted, is a no-op (ok). An unknown device, or one in another workspace, is 404
  `device_not_found`. The sandbox has no access grants, so these are all the devices reached.
- `list_accessible_entrances` unions what the identity's ACS users reach (see `repo_access`).
- `generate_instant_key` makes a key at `https://ik.seam.co/<10 random characters>` with a new
  client session id, expiring 48 hours after it is made (the documented examples' lifetime);
  `max_use_count` is kept but, as in the API, not part of the object.
"""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import render_access, repo, repo_access
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read, write
from seam_tui.sandbox.params import Schema, number, uuid_param

IDENTITY_ID = {"user_identity_id": uuid_param(required=True)}
DEVICE_GRANT = Schema({**IDENTITY_ID, "device_id": uuid_param(required=True)})


def grant_device(call: Call) -> dict[str, Any]:
    identity, device = _identity_and_device(call)
    call.db.execute(
        "INSERT OR IGNORE INTO device_grants (user_identity_id, device_id, created_at)"
        " VALUES (?, ?, ?)",
        (identity, device, repo.now()),
    )
    return ok()


def revoke_device(call: Call) -> dict[str, Any]:
    identity, device = _identity_and_device(call)
    call.db.execute(
        "DELETE FROM device_grants WHERE user_identity_id = ? AND device_id = ?",
        (identity, device),
    )
    return ok()


def list_devices(call: Call) -> dict[str, Any]:
    identity_id = call.params["user_identity_id"]
    repo.require_identity(call.db, call.workspace_id, identity_id=identity_id)
    rows = call.db.execute(
        "SELECT d.* FROM devices d JOIN device_grants g ON g.device_id = d.device_id"
        " WHERE g.user_identity_id = ? ORDER BY d.created_at, d.device_id",
        (identity_id,),
    ).fetchall()
    devices = repo_access.devices_json(rows)
    return ok(devices=devices, accessible_devices=devices)


def list_entrances(call: Call) -> dict[str, Any]:
    identity_id = call.params["user_identity_id"]
    repo.require_identity(call.db, call.workspace_id, identity_id=identity_id)
    users = call.db.execute(
        "SELECT acs_user_id FROM acs_users WHERE user_identity_id = ?", (identity_id,)
    )
    rows = repo_access.entrances_of_users(call.db, [user["acs_user_id"] for user in users])
    return ok(acs_entrances=repo_access.entrances_json(rows))


def generate_instant_key(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    identity = repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
    key_id = repo_access.insert_instant_key(
        db,
        identity,
        params.get("max_use_count", 1),
        customization_profile_id=params.get("customization_profile_id"),
    )
    row = db.execute("SELECT * FROM instant_keys WHERE instant_key_id = ?", (key_id,)).fetchone()
    return ok(instant_key=render_access.instant_key(row))


def _identity_and_device(call: Call) -> tuple[str, str]:
    """The ids of the named identity and device (404 if either is unknown here)."""
    params, db = call.params, call.db
    identity = repo.require_identity(db, call.workspace_id, identity_id=params["user_identity_id"])
    device = repo_access.require_device(db, call.workspace_id, device_id=params["device_id"])
    return identity["user_identity_id"], device["device_id"]


ENDPOINTS: list[Endpoint] = [
    write("/user_identities/grant_access_to_device", "PUT", DEVICE_GRANT, grant_device),
    write("/user_identities/revoke_access_to_device", "DELETE", DEVICE_GRANT, revoke_device),
    read("/user_identities/list_accessible_devices", Schema(IDENTITY_ID), list_devices),
    read("/user_identities/list_accessible_entrances", Schema(IDENTITY_ID), list_entrances),
    write(
        "/user_identities/generate_instant_key",
        None,
        Schema(
            {
                **IDENTITY_ID,
                "customization_profile_id": uuid_param(),
                "max_use_count": number(minimum=1),
            }
        ),
        generate_instant_key,
    ),
]
