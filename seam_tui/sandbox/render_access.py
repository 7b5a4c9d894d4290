"""Database rows to API objects for access: devices, entrances, credentials, instant keys.

Fields the provider would report (a device's manufacturer, model and capabilities) come from
`device_catalog`; states derived from other fields (a card's `waiting_to_be_issued` warning,
a battery's status) are computed at read time, so they are never stale.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from seam_tui.sandbox.brands import CREDENTIAL_TYPES
from seam_tui.sandbox.device_catalog import MODELS, battery_status
from seam_tui.sandbox.render import json_list


def device(row: sqlite3.Row) -> dict[str, Any]:
    """`row`: a `devices` row."""
    model = MODELS[row["device_type"]]
    display_name = row["nickname"] or row["name"]
    properties: dict[str, Any] = {
        "online": bool(row["online"]),
        "name": display_name,
        "appearance": {"name": row["name"]},
        "model": {
            "display_name": model.display_name,
            "manufacturer_display_name": model.manufacturer_display_name,
            "has_built_in_keypad": model.keypad,
            "can_connect_accessory_keypad": False,
        },
        "manufacturer": model.manufacturer,
        "image_url": model.image_url,
        "image_alt_text": f"{model.manufacturer_display_name} {model.display_name}",
    }
    for key in ("locked", "door_open"):
        if row[key] is not None:
            properties[key] = bool(row[key])
    level = row["battery_level"]
    if level is not None:
        properties["battery_level"] = level
        properties["battery"] = {"level": level, "status": battery_status(level)}
    if row["serial_number"] is not None:
        properties["serial_number"] = row["serial_number"]
    result: dict[str, Any] = {
        "device_id": row["device_id"],
        "device_type": row["device_type"],
        "display_name": display_name,
        "connected_account_id": row["connected_account_id"],
        "workspace_id": row["workspace_id"],
        "created_at": row["created_at"],
        "is_managed": True,
        "space_ids": [],
        "custom_metadata": json.loads(row["custom_metadata"]),
        "capabilities_supported": model.capabilities,
        "can_remotely_unlock": model.remote,
        "can_remotely_lock": model.remote,
        "can_program_online_access_codes": model.keypad and model.remote,
        "can_program_offline_access_codes": model.keypad and not model.remote,
        "can_unlock_with_code": model.keypad,
        "device_manufacturer": {
            "manufacturer": model.manufacturer,
            "display_name": model.manufacturer_display_name,
            "image_url": model.image_url,
        },
        "properties": properties,
        "errors": json_list(row["errors"]),
        "warnings": json_list(row["warnings"]),
    }
    if row["nickname"] is not None:
        result["nickname"] = row["nickname"]
    location = {
        key: row[column]
        for key, column in (("location_name", "location_name"), ("time_zone", "time_zone"))
        if row[column] is not None
    }
    if location:
        result["location"] = location
    return result


def acs_entrance(row: sqlite3.Row) -> dict[str, Any]:
    """`row`: an `acs_entrances` row plus its system's `connected_account_id`."""
    entrance: dict[str, Any] = {
        "acs_entrance_id": row["acs_entrance_id"],
        "acs_system_id": row["acs_system_id"],
        "connected_account_id": row["connected_account_id"],
        "display_name": row["display_name"],
        "created_at": row["created_at"],
        "space_ids": [],
        "can_unlock_with_card": bool(row["can_unlock_with_card"]),
        "can_unlock_with_code": bool(row["can_unlock_with_code"]),
        "can_unlock_with_mobile_key": bool(row["can_unlock_with_mobile_key"]),
        "can_unlock_with_cloud_key": False,
        "can_belong_to_reservation": False,
        "errors": json_list(row["errors"]),
        "warnings": json_list(row["warnings"]),
    }
    if row["is_locked"] is not None:
        entrance["is_locked"] = bool(row["is_locked"])
    return entrance


def acs_credential(row: sqlite3.Row) -> dict[str, Any]:
    """`row`: from `repo_access.CREDENTIAL_SELECT` (credential, system brand, owner's identity)."""
    warnings = json_list(row["warnings"])
    if row["access_method"] == "card" and not row["is_issued"]:
        warnings.append(
            {
                "warning_code": "waiting_to_be_issued",
                "message": "This card has not been encoded yet.",
                "created_at": row["created_at"],
            }
        )
    credential: dict[str, Any] = {
        "acs_credential_id": row["acs_credential_id"],
        "acs_system_id": row["acs_system_id"],
        "connected_account_id": row["connected_account_id"],
        "workspace_id": row["workspace_id"],
        "display_name": row["display_name"],
        "access_method": row["access_method"],
        "created_at": row["created_at"],
        "is_managed": True,
        "is_multi_phone_sync_credential": bool(row["is_multi_phone_sync_credential"]),
        "is_one_time_use": False,
        "is_issued": bool(row["is_issued"]),
        "issued_at": row["issued_at"],
        "is_latest_desired_state_synced_with_provider": True,
        "latest_desired_state_synced_with_provider_at": row["created_at"],
        "errors": json_list(row["errors"]),
        "warnings": warnings,
    }
    for key in (
        "acs_user_id",
        "user_identity_id",
        "parent_acs_credential_id",
        "starts_at",
        "ends_at",
    ):
        if row[key] is not None:
            credential[key] = row[key]
    if row["access_method"] == "code":
        credential["code"] = row["code"]
    if row["access_method"] == "card":
        credential["card_number"] = row["card_number"]
    external = CREDENTIAL_TYPES.get(row["system_type"])
    if external is not None:
        credential["external_type"], credential["external_type_display_name"] = external
    return credential


def instant_key(row: sqlite3.Row) -> dict[str, Any]:
    """`row`: an `instant_keys` row (its `max_use_count` is not part of the object)."""
    key: dict[str, Any] = {
        "instant_key_id": row["instant_key_id"],
        "instant_key_url": row["instant_key_url"],
        "client_session_id": row["client_session_id"],
        "user_identity_id": row["user_identity_id"],
        "workspace_id": row["workspace_id"],
        "created_at": row["created_at"],
        "expires_at": row["expires_at"],
    }
    if row["customization_profile_id"] is not None:
        key["customization_profile_id"] = row["customization_profile_id"]
    return key
