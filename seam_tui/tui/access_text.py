"""How access reads on screen: paths, states, windows, devices, credentials and instant keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from seam_tui.core.models import AcsCredential, Device, InstantKey
from seam_tui.core.results_access import AccessPath, Blocked, CredentialInfo
from seam_tui.tui.formatting import DASH, issue_codes, short_datetime, text_or_dash
from seam_tui.tui.literal import Cell, lit, styled

# Below this battery level a device is listed with an issue.
LOW_BATTERY = 0.2
# What a hidden PIN code shows: never its length.
MASK = "****"
METHODS = {
    "code": "PIN code",
    "card": "card",
    "mobile_key": "mobile key",
    "cloud_key": "cloud key",
}
STATES: dict[Blocked | None, Cell] = {
    None: styled("opens now", "green"),
    "suspended": styled("suspended", "bold red"),
    "ended": styled("ended", "red"),
    "not_started": styled("starts later", "yellow"),
}


def method_text(access_method: str | None) -> str:
    return METHODS.get(access_method or "", access_method or "?")


def path_text(path: AccessPath, credential: AcsCredential | None = None) -> str:
    """How the person reaches it: `group Staff`, `mobile key · iPhone`, `ACS user (no group)`,
    `granted directly`."""
    if path.kind == "access_group":
        return f"group {path.acs_access_group_name or path.acs_access_group_id or '?'}"
    if path.kind == "credential":
        method = method_text(path.access_method)
        name = credential.display_name if credential else ""
        return f"{method} · {name}" if name and name.casefold() != method.casefold() else method
    if path.kind == "acs_user":
        return "ACS user (no group)"
    return "granted directly"


def state_text(blocked: Blocked | None, *, has_issues: bool = False) -> Cell:
    """Opens now (green), or why not: suspended, ended, starts later. A door that opens but
    reports errors or warnings reads `opens now · has issues` (yellow): it may not open."""
    if blocked is None and has_issues:
        return styled("opens now · has issues", "yellow")
    return STATES[blocked]


def window_text(starts_at: datetime | None, ends_at: datetime | None) -> str:
    """`from → until`, `until …`, `from …`, or `any time` when there is no window."""
    return _span(
        short_datetime(starts_at) if starts_at else "", short_datetime(ends_at) if ends_at else ""
    )


# ------------------------------------------------------------------ devices


def device_name(device: Device) -> str:
    return device.display_name or device.nickname or device.properties.name or device.device_id


def device_brand(device: Device) -> str:
    maker = device.device_manufacturer or {}
    name = maker.get("display_name") if isinstance(maker, dict) else None
    return text_or_dash(name if isinstance(name, str) else device.properties.manufacturer)


def online_text(device: Device) -> Cell:
    online = device.properties.online
    if online is None:
        return lit(DASH)
    return styled("online", "green") if online else styled("offline", "red")


def lock_text(device: Device) -> str:
    locked = device.properties.locked
    return DASH if locked is None else ("locked" if locked else "unlocked")


def device_issues(device: Device) -> Cell:
    """The device's error and warning codes, and `battery 15 %` when it runs low."""
    battery = [styled(f"battery {battery_text(device)}", "yellow")] if low_battery(device) else []
    return issue_codes(device.errors, device.warnings, *battery)


def device_has_issues(device: Device) -> bool:
    return bool(device.errors or device.warnings or low_battery(device))


def low_battery(device: Device) -> bool:
    level = device.properties.battery_level
    return level is not None and level < LOW_BATTERY


def battery_text(device: Device) -> str:
    level = device.properties.battery_level
    return DASH if level is None else f"{round(level * 100)} %"


# ------------------------------------------------------------------ credentials


def secret_text(credential: AcsCredential, *, reveal: bool) -> Cell:
    """A PIN code masked unless `reveal`; a card's number as it is; a dash otherwise."""
    if credential.code:
        return credential.code if reveal else styled(MASK, "dim")
    return text_or_dash(credential.card_number)


def issued_text(credential: AcsCredential) -> Cell:
    """Whether the credential reached the access system (or a phone) yet."""
    if credential.is_latest_desired_state_synced_with_provider is False:
        return styled("syncing…", "blue")
    if credential.is_issued is None:
        return lit(DASH)
    return styled("issued", "green") if credential.is_issued else styled("not issued", "yellow")


def credential_name(info: CredentialInfo, person: str) -> str:
    """The credential's name (as the Access tab's paths give it), and which ACS user holds
    it when that is not simply the person (by name)."""
    credential = info.credential
    holder = info.acs_user
    held_by = (
        (holder.full_name or holder.display_name or holder.acs_user_id)
        if holder
        else credential.acs_user_id or ""
    )
    name = credential.display_name or DASH
    if held_by and held_by.casefold() != person.casefold():
        return f"{name} · held by {held_by}"
    return name


def credential_cells(info: CredentialInfo, *, reveal: bool, person: str) -> Sequence[Cell]:
    credential = info.credential
    starts, ends = credential.starts_at, credential.ends_at
    return (
        credential_name(info, person),
        info.system_name,
        method_text(credential.access_method),
        secret_text(credential, reveal=reveal),
        "yes" if credential.is_multi_phone_sync_credential else DASH,
        issued_text(credential),
        credential_window(starts, ends),
        issue_codes(credential.errors, credential.warnings),
    )


def credential_window(starts_at: str | None, ends_at: str | None) -> str:
    """A credential's window (ISO 8601 strings in the API) as `window_text` puts it; a value
    that is not a time is shown as it is."""
    return _span(_when(starts_at), _when(ends_at))


def _span(starts: str, ends: str) -> str:
    """A window from its ends as shown (empty: open)."""
    if starts and ends:
        return f"{starts} → {ends}"
    if ends:
        return f"until {ends}"
    return f"from {starts}" if starts else "any time"


def _when(text: str | None) -> str:
    if not text:
        return ""
    try:
        return short_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return text


# ------------------------------------------------------------------ instant keys


def relative_time(moment: datetime, now: datetime) -> str:
    """`in 47 h`, `in 12 min`, `in 3 d`, or `5 h ago` when past."""
    seconds = (moment - now).total_seconds()
    span = abs(seconds)
    if span < 3600:
        amount = f"{max(1, round(span / 60))} min"
    elif span < 72 * 3600:
        amount = f"{int(span // 3600)} h"
    else:
        amount = f"{int(span // 86400)} d"
    return f"in {amount}" if seconds >= 0 else f"{amount} ago"


def local_datetime(moment: datetime) -> str:
    """The moment in this computer's time zone, with the zone's name."""
    local = moment.astimezone()
    return f"{local.strftime('%Y-%m-%d %H:%M')} {local.tzname() or ''}".rstrip()


def key_state(key: InstantKey, now: datetime) -> Cell:
    """`valid, expires in 47 h` (green) or `expired 3 h ago` (dim)."""
    if key.expires_at > now:
        return styled(f"valid, expires {relative_time(key.expires_at, now)}", "green")
    return styled(f"expired {relative_time(key.expires_at, now)}", "dim")
