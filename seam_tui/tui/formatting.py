"""Short renderings of values for tables and detail panels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from seam_tui.core.models import AccessSchedule, AcsUser, ResourceError, ResourceWarning
from seam_tui.tui.literal import Cell, join, lit, styled

DASH = "—"


def text_or_dash(value: str | None) -> str:
    return value if value else DASH


def short_date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else DASH


def short_datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else DASH


def schedule_text(schedule: AccessSchedule | None) -> str:
    """`from → until` or a dash when access is not time-limited."""
    if schedule is None:
        return DASH
    start = short_datetime(schedule.starts_at)
    end = short_datetime(schedule.ends_at) if schedule.ends_at else "no end"
    return f"{start} → {end}"


def suspended_text(user: AcsUser) -> Cell:
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


def issues_text(user: AcsUser) -> Cell:
    """Errors (red), warnings (yellow) and pending changes (blue) as short codes."""
    pending = (styled(f"{m.mutation_code}…", "blue") for m in user.pending_mutations)
    return issue_codes(user.errors, user.warnings, *pending)
