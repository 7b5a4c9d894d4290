"""Short renderings of values for tables and detail panels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from seam_tui.core.models import (
    AccessSchedule,
    AcsUser,
    ResourceError,
    ResourceWarning,
    UserIdentity,
)
from seam_tui.core.settling import PendingItem, pending_of
from seam_tui.tui.literal import Cell, join, lit, styled

DASH = "—"


def text_or_dash(value: str | None) -> str:
    return value if value else DASH


def short_date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else DASH


def since_text(when: datetime | None) -> str:
    """` since 2026-01-15 12:00:03 UTC` (in UTC: the same on every machine), or nothing."""
    if when is None:
        return ""
    return f" since {when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def age_text(when: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in one short unit: `12s`, `4m`, `3h`, `2d` (`?` when unknown)."""
    if when is None:
        return "?"
    seconds = max(0, int(((now or datetime.now(UTC)) - when).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def short_datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else DASH


def schedule_text(schedule: AccessSchedule | None) -> str:
    """`from → until` or a dash when access is not time-limited."""
    if schedule is None:
        return DASH
    start = short_datetime(schedule.starts_at)
    end = short_datetime(schedule.ends_at) if schedule.ends_at else "no end"
    return f"{start} → {end}"


def schedule_cell(schedule: AccessSchedule | None) -> Cell:
    """Access window relative to now: `from` (not yet), `until`/`since` (now), `ended`."""
    if schedule is None:
        return DASH
    now = datetime.now(UTC)
    if schedule.starts_at and schedule.starts_at > now:
        return styled(f"from {short_date(schedule.starts_at)}", "yellow")
    if schedule.ends_at and schedule.ends_at <= now:
        return styled(f"ended {short_date(schedule.ends_at)}", "red")
    if schedule.ends_at:
        return f"until {short_date(schedule.ends_at)}"
    return f"since {short_date(schedule.starts_at)}"


# A state Seam is still pushing, in the 9 cells of a State column (blue, as pending is).
_PENDING_STATE = {
    "deleting": "deleting…",
    "being_deleted": "deleting…",
    "creating": "creating…",
}


def suspended_text(user: AcsUser) -> Cell:
    """`suspended` / `active`, or, while Seam is still pushing a change of state, where it is
    going (`suspend…`, `activate…`, `deleting…`, `creating…`) so a narrow table never says
    done too early."""
    codes = {item.code for item in pending_of(user)}
    for code, said in _PENDING_STATE.items():
        if code in codes:
            return styled(said, "blue")
    if "updating_suspension_state" in codes:
        return styled("suspend…" if user.is_suspended else "activate…", "blue")
    if user.is_suspended:
        return styled("suspended", "bold red")
    return styled("active", "green")


def issue_codes(
    errors: Sequence[ResourceError], warnings: Sequence[ResourceWarning], *more: Cell
) -> Cell:
    """Error codes in red, warning codes in yellow, then `more`; or a dash."""
    codes = [
        *(styled(e.error_code, "red") for e in errors),
        *(styled(w.warning_code, "yellow") for w in warnings),
        *more,
    ]
    return join(codes, " ") if codes else lit(DASH)


def pending_words(obj: AcsUser | UserIdentity) -> Cell | None:
    """What of `obj` Seam is still pushing, in plain words and blue ("deletion pending since
    2026-01-15 12:00:03 UTC"); None when nothing is."""
    items = pending_of(obj)
    if not items:
        return None
    return styled("; ".join(f"{i.what} pending{since_text(i.since)}" for i in items), "blue")


# The long words of `describe_mutation` that a 30-cell column would cut, said shorter.
_SHORT = {
    "suspension (to suspended)": "suspend",
    "suspension (to active)": "unsuspend",
    "access-group membership (adding)": "add to group",
    "access-group membership (removing)": "remove from group",
    "profile sync to ACS users": "profile sync",
}


def _short(item: PendingItem) -> str:
    return _SHORT.get(item.what, item.what)


def issues_text(user: AcsUser) -> Cell:
    """Errors (red) and warnings (yellow) as short codes, then pending changes, short and age
    first so a narrow column keeps them ("pending 12s: suspend"; blue; a `being_deleted`
    warning is said there as a pending deletion). Views with room use `pending_words`."""
    items = pending_of(user)
    shown = {i.code for i in items}
    if "deleting" in shown:  # the pending deletion says what the warning says
        shown.add("being_deleted")
    warnings = [w for w in user.warnings if w.warning_code not in shown]
    pending = [
        styled("; ".join(f"pending {age_text(i.since)}: {_short(i)}" for i in items), "blue")
    ]
    return issue_codes(user.errors, warnings, *(pending if items else []))
