"""Short renderings of values for tables and detail panels."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from seam_tui.core.models import AccessSchedule, AcsUser

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


def suspended_text(user: AcsUser) -> Text:
    if user.is_suspended:
        return Text("suspended", style="bold red")
    return Text("active", style="green")


def issues_text(user: AcsUser) -> Text:
    """Errors (red), warnings (yellow) and pending changes (blue) as short codes."""
    text = Text()
    for error in user.errors:
        text.append(f"{error.error_code} ", style="red")
    for warning in user.warnings:
        text.append(f"{warning.warning_code} ", style="yellow")
    for mutation in user.pending_mutations:
        text.append(f"{mutation.mutation_code}… ", style="blue")
    return text if text.plain else Text(DASH)
