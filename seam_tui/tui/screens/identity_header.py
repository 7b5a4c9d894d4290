"""The top of the identity screen: its fields, each value whole, and what is wrong or pending."""

from __future__ import annotations

from collections.abc import Sequence

from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.settling import pending_of
from seam_tui.tui.formatting import short_datetime, since_text, text_or_dash
from seam_tui.tui.literal import Cell, grid, lines, styled

# Values up to this long sit side by side in the header; a longer one gets a row to itself.
SHORT_VALUE = 48


def identity_fields(identity: UserIdentity) -> object:
    """Name, email, phone, key, id and creation time, labelled, each value whole (the tables
    cut them; this is where the full value is read): in two columns while they are short."""
    fields = [
        ("Name", text_or_dash(identity.full_name or identity.display_name)),
        ("Email", text_or_dash(identity.email_address)),
        ("Phone", text_or_dash(identity.phone_number)),
        ("Key", text_or_dash(identity.user_identity_key)),
        ("Id", identity.user_identity_id),
        ("Created", short_datetime(identity.created_at)),
    ]
    if all(len(value) <= SHORT_VALUE for _, value in fields):
        return grid([(*fields[i], *fields[i + 3]) for i in range(3)])
    return grid([fields[4], fields[5], *fields[:4]])  # the id stays in view above a long value


def identity_issues(identity: UserIdentity, acs_users: Sequence[AcsUser] = ()) -> Cell:
    """Errors (red) and warnings (yellow), one per line with the reason Seam gave; then what
    Seam is still pushing (blue, in words: its deletion, a profile its ACS users do not have
    yet, their own pending changes)."""
    pending = pending_of(identity)
    said = {item.code for item in pending}
    parts: list[Cell] = [
        *(styled(f"error {e.error_code}: {e.message}", "red") for e in identity.errors),
        *(
            styled(f"warning {w.warning_code}: {w.message}", "yellow")
            for w in identity.warnings
            if w.warning_code not in said
        ),
    ]
    if pending:
        parts.append(
            styled(
                "pending: " + "; ".join(f"{i.what}{since_text(i.since)}" for i in pending), "blue"
            )
        )
    busy = [u for u in acs_users if pending_of(u)]
    if busy:
        parts.append(
            styled(f"{len(busy)} of its ACS users have changes Seam is still pushing", "blue")
        )
    return lines(parts)
