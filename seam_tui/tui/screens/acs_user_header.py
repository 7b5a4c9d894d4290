"""The ACS user view's text: its fields (each value whole), its issues and pending changes, and
the rows of its access groups and of its identity's other ACS users."""

from __future__ import annotations

from collections.abc import Sequence

from seam_tui.core.models import AcsAccessGroup, AcsSystem, AcsUser, UserIdentity
from seam_tui.tui.formatting import (
    issue_codes,
    pending_words,
    schedule_text,
    short_datetime,
    suspended_text,
    text_or_dash,
)
from seam_tui.tui.literal import Cell, grid, join, lines, styled
from seam_tui.tui.screens.access_groups import group_name
from seam_tui.tui.screens.acs_user_changes import user_name
from seam_tui.tui.screens.identity_acs_users import brand

GROUP_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Access group", 32),
    ("Schedule", 35),
    ("Issues", 30),
)
SIBLING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("System", 24),
    ("Name", 28),
    ("State", 9),
    ("Email", 28),
    ("Issues", 30),
)


def acs_user_fields(
    user: AcsUser, system: AcsSystem | None, identity: UserIdentity | None
) -> object:
    """Name, email, phone, id, system, identity, state, schedule, created, last sync."""
    system_cell: Cell = (
        join([system.name, styled(f"  ({brand(system)})", "dim")]) if system else user.acs_system_id
    )
    if user.user_identity_id:
        who = identity.full_name or identity.display_name if identity else None
        owner: Cell = join(
            [
                who or user.user_identity_full_name or user.user_identity_email_address or "",
                styled(f"  (id {user.user_identity_id})", "dim"),
            ]
        )
    else:
        owner = styled("unlinked", "dim")
    return grid(
        [
            ("Name", user_name(user)),
            ("Email", text_or_dash(user.email_address)),
            ("Phone", text_or_dash(user.phone_number)),
            ("Id", user.acs_user_id),
            ("System", system_cell),
            ("Identity", owner),
            ("State", suspended_text(user)),
            ("Schedule", schedule_text(user.access_schedule)),
            ("Created", short_datetime(user.created_at)),
            ("Last sync", short_datetime(user.last_successful_sync_at)),
        ]
    )


def acs_user_issues(user: AcsUser) -> Cell | None:
    """Errors (red) and warnings (yellow) with the reason Seam gave, then what Seam is still
    pushing (blue); None when there is nothing to say."""
    pending = pending_words(user)
    parts: list[Cell] = [
        *(styled(f"error {e.error_code}: {e.message}", "red") for e in user.errors),
        *(styled(f"warning {w.warning_code}: {w.message}", "yellow") for w in user.warnings),
        *([pending] if pending is not None else []),
    ]
    return lines(parts) if parts else None


def group_cells(group: AcsAccessGroup) -> Sequence[Cell]:
    return (
        group_name(group),
        schedule_text(group.access_schedule),
        issue_codes(group.errors, group.warnings),
    )


def sibling_cells(user: AcsUser, system_name: str) -> Sequence[Cell]:
    pending = pending_words(user)
    return (
        system_name,
        user_name(user),
        suspended_text(user),
        text_or_dash(user.email_address),
        issue_codes(user.errors, user.warnings, *([pending] if pending is not None else [])),
    )
