"""Database rows to API objects, with the fields of seam-api.md §6.

Fields that depend on other objects (an ACS user's `user_identity_*`, an identity's
`acs_user_ids` and `errors`, a system's counts) are computed from joins at read time, so they
are never stale. Optional fields the real API leaves out when empty are left out here too.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from seam_tui.sandbox import settling
from seam_tui.sandbox.brands import BRANDS


def json_list(text: str) -> list[dict[str, Any]]:
    """A JSON list column; most are empty, and skipping the decoder for those halves the time
    a page of ACS users takes to render."""
    if text == "[]":
        return []
    decoded: list[dict[str, Any]] = json.loads(text)
    return decoded


def workspace(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "workspace_id": row["workspace_id"],
        "name": row["name"],
        "company_name": row["company_name"],
        "connect_partner_name": row["company_name"],
        "is_sandbox": True,
        "is_suspended": False,
        "is_publishable_key_auth_enabled": False,
        "organization_id": row["organization_id"],
        "connect_webview_customization": {
            "inviter_logo_url": None,
            "logo_shape": "circle",
            "primary_button_color": "#232426",
            "primary_button_text_color": "#FFFFFF",
            "success_message": None,
        },
    }


def acs_system(row: sqlite3.Row) -> dict[str, Any]:
    """`row` needs the system's columns plus `acs_user_count` and `acs_access_group_count`."""
    brand = BRANDS[row["external_type"]]
    system: dict[str, Any] = {
        "acs_system_id": row["acs_system_id"],
        "name": row["name"],
        "connected_account_id": row["connected_account_id"],
        "connected_account_ids": [row["connected_account_id"]],
        "workspace_id": row["workspace_id"],
        "created_at": row["created_at"],
        "is_credential_manager": False,
        "default_credential_manager_acs_system_id": None,
        "location": {"time_zone": row["time_zone"]},
        "image_url": brand.image_url,
        "image_alt_text": f"{brand.system_display_name} logo",
        "errors": json_list(row["errors"]),
        "warnings": json_list(row["warnings"]),
        "external_type": brand.system_type,
        "external_type_display_name": brand.system_display_name,
        "system_type": brand.system_type,
        "system_type_display_name": brand.system_display_name,
        "acs_user_count": row["acs_user_count"],
        "acs_access_group_count": row["acs_access_group_count"],
    }
    if brand.system_type == "visionline_system":
        system["visionline_metadata"] = {
            "lan_address": "https://192.168.10.20",
            "mobile_access_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, row["acs_system_id"])),
            "system_id": row["acs_system_id"][:8].upper(),
        }
    return system


def acs_user(row: sqlite3.Row, now: str) -> dict[str, Any]:
    """`row` comes from `repo.ACS_USER_SELECT` (user, system brand and linked identity)."""
    brand = BRANDS[row["system_type"]]
    warnings: list[dict[str, Any]] = settling.public(json_list(row["warnings"]))
    starts_at, ends_at = row["starts_at"], row["ends_at"]
    if starts_at is not None and (starts_at > now or (ends_at is not None and ends_at <= now)):
        warnings.append(
            {
                "warning_code": "acs_user_inactive",
                "message": "The access schedule of this user has not started or has ended.",
                "created_at": ends_at if starts_at <= now and ends_at else row["created_at"],
            }
        )
    name = row["full_name"] or row["email_address"] or row["phone_number"] or "Unnamed user"
    user: dict[str, Any] = {
        "acs_user_id": row["acs_user_id"],
        "acs_system_id": row["acs_system_id"],
        "connected_account_id": row["connected_account_id"],
        "workspace_id": row["workspace_id"],
        "created_at": row["created_at"],
        "display_name": name,
        "is_managed": True,
        "is_suspended": bool(row["is_suspended"]),
        "errors": json_list(row["errors"]),
        "warnings": warnings,
        "pending_mutations": settling.public(json_list(row["pending_mutations"])),
        "last_successful_sync_at": row["created_at"],
    }
    for key in ("full_name", "email_address", "phone_number", "hid_acs_system_id"):
        if row[key] is not None:
            user[key] = row[key]
    if row["email_address"] is not None:
        user["email"] = row["email_address"]
    if starts_at is not None:
        user["access_schedule"] = {"starts_at": starts_at, "ends_at": ends_at}
    if row["user_identity_id"] is not None:
        user["user_identity_id"] = row["user_identity_id"]
        user["user_identity_full_name"] = row["identity_full_name"]
        user["user_identity_email_address"] = row["identity_email_address"]
        user["user_identity_phone_number"] = row["identity_phone_number"]
    if brand.user_type is not None:
        user["external_type"] = brand.user_type
        user["external_type_display_name"] = brand.user_display_name
    if brand.system_type == "salto_ks_site":
        not_subscribed = any(w["warning_code"] == "salto_ks_user_not_subscribed" for w in warnings)
        user["salto_ks_metadata"] = {"is_subscribed": not not_subscribed}
    elif brand.system_type == "salto_space_system":
        user["salto_space_metadata"] = {
            "user_id": row["acs_user_id"][:8].upper(),
            "audit_openings": False,
        }
    return user


def access_group(row: sqlite3.Row) -> dict[str, Any]:
    """`row` needs the group's columns plus the system's `system_type` and account."""
    brand = BRANDS[row["system_type"]]
    group: dict[str, Any] = {
        "acs_access_group_id": row["acs_access_group_id"],
        "acs_system_id": row["acs_system_id"],
        "connected_account_id": row["connected_account_id"],
        "workspace_id": row["workspace_id"],
        "name": row["name"],
        "display_name": row["name"],
        "external_type": brand.group_type,
        "external_type_display_name": brand.group_display_name,
        "access_group_type": brand.group_type,
        "access_group_type_display_name": brand.group_display_name,
        "created_at": row["created_at"],
        "is_managed": True,
        "errors": [],
        "warnings": [],
        "pending_mutations": [],
    }
    if row["starts_at"] is not None:
        group["access_schedule"] = {"starts_at": row["starts_at"], "ends_at": row["ends_at"]}
    return group


def user_identity(row: sqlite3.Row, acs_users: list[sqlite3.Row]) -> dict[str, Any]:
    """`acs_users`: the identity's ACS users (`acs_user_id`, `acs_system_id`, `errors`, their
    profile, `pending_mutations` and `created_at`)."""
    errors = []
    for user in acs_users:
        user_errors = json_list(user["errors"])
        if user_errors:
            errors.append(
                {
                    "error_code": "issue_with_acs_user",
                    "message": "One of this identity's ACS users has an error.",
                    "created_at": user_errors[0]["created_at"],
                    "acs_user_id": user["acs_user_id"],
                    "acs_system_id": user["acs_system_id"],
                }
            )
    warnings = settling.public(json_list(row["warnings"]))
    mismatch = settling.profile_mismatch(row, acs_users)
    if mismatch is not None:
        warnings.append(mismatch)
    display_name = (
        row["full_name"]
        or row["email_address"]
        or row["phone_number"]
        or row["user_identity_key"]
        or "Unnamed user"
    )
    return {
        "user_identity_id": row["user_identity_id"],
        "user_identity_key": row["user_identity_key"],
        "email_address": row["email_address"],
        "phone_number": row["phone_number"],
        "full_name": row["full_name"],
        "display_name": display_name,
        "acs_user_ids": [user["acs_user_id"] for user in acs_users],
        "merged_user_identity_ids": [],
        "merged_user_identity_keys": [],
        "workspace_id": row["workspace_id"],
        "created_at": row["created_at"],
        "errors": errors,
        "warnings": warnings,
    }
