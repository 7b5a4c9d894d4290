"""What an audit line says about the objects a change touches: their names, and what an update
changed from and to. Only the fields in RECORDED_FIELDS ever have their values recorded, so a
line never holds a secret (a PIN code, a key, an instant-key URL) even if a model gains one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from seam_tui.core.audit import FieldChange
from seam_tui.core.models import AcsAccessGroup, AcsSystem, AcsUser, UserIdentity

Named = UserIdentity | AcsUser | AcsSystem | AcsAccessGroup

RECORDED_FIELDS = (
    "full_name",
    "email_address",
    "phone_number",
    "user_identity_key",
    "starts_at",
    "ends_at",
    "is_suspended",
)
"""The fields whose before and after values an audit line may hold (all plain profile data)."""


def name_of(obj: Named) -> str | None:
    """The name a person would know the object by (an email or phone when it has no name)."""
    if isinstance(obj, UserIdentity | AcsUser):
        return obj.full_name or obj.display_name or obj.email_address or obj.phone_number or None
    if isinstance(obj, AcsAccessGroup):
        return obj.display_name or obj.name or None
    return obj.name or None


def names_of(*objects: Named | None) -> dict[str, str]:
    """Id → name for each object given (an ACS user names its identity too, when linked)."""
    names: dict[str, str] = {}
    for obj in objects:
        if obj is None:
            continue
        name = name_of(obj)
        if isinstance(obj, AcsUser) and obj.user_identity_id and obj.user_identity_full_name:
            names.setdefault(obj.user_identity_id, obj.user_identity_full_name)
        if name:
            names[_id_of(obj)] = name
    return names


def _id_of(obj: Named) -> str:
    if isinstance(obj, UserIdentity):
        return obj.user_identity_id
    if isinstance(obj, AcsUser):
        return obj.acs_user_id
    if isinstance(obj, AcsSystem):
        return obj.acs_system_id
    return obj.acs_access_group_id


def field_changes(
    before: UserIdentity | AcsUser | None, params: Mapping[str, Any]
) -> dict[str, FieldChange]:
    """The recorded fields an update's `params` set to a new value, each with its value before
    (from `before`, the object as read just before the change; None when it could not be read,
    and then every field set is listed, its old value unknown)."""
    after = _flat(params)
    old = _flat(before.model_dump()) if before is not None else {}
    changes: dict[str, FieldChange] = {}
    for field in RECORDED_FIELDS:
        if field not in after:
            continue
        if before is None:
            changes[field] = FieldChange(after=after[field], before_unknown=True)
        elif old.get(field) != after[field]:
            changes[field] = FieldChange(before=old.get(field), after=after[field])
    return changes


def suspension_change(before: AcsUser | None, suspended: bool) -> dict[str, FieldChange]:
    """`is_suspended` before → after (before unknown when the ACS user could not be read)."""
    after = _text(suspended)
    if before is None:
        return {"is_suspended": FieldChange(after=after, before_unknown=True)}
    return {"is_suspended": FieldChange(before=_text(bool(before.is_suspended)), after=after)}


def _flat(values: Mapping[str, Any]) -> dict[str, str | None]:
    """Recorded fields as text, with an access schedule's start and end as fields of their own
    (a schedule set to None clears both)."""
    flat: dict[str, str | None] = {}
    for key, value in values.items():
        if key == "access_schedule":
            schedule = value if isinstance(value, Mapping) else {}
            if value is None:
                flat |= {"starts_at": None, "ends_at": None}
            flat |= {k: _when(v) for k, v in schedule.items() if k in ("starts_at", "ends_at")}
        elif key in ("starts_at", "ends_at"):
            flat[key] = _when(value)
        elif key in RECORDED_FIELDS:
            flat[key] = _text(value)
    return flat


def _text(value: object) -> str | None:
    """A value as the log keeps it: booleans as yes/no, empty as None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _when(value: object) -> str | None:
    """A time as the log keeps it, in UTC ISO 8601, however the API or the form wrote it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return _text(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    return _text(value)
