"""Export every identity with its ACS users, systems, groups and schedule, as CSV or JSON lines.

Streaming: identities are read a page at a time and each page is written before the next is
read, so memory stays the same at 100,000 identities. Identities being deleted are left out.
The columns are the import's (plus user_identity_id and acs_user_ids), so an exported file
imports back as "nothing to do".
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from seam_tui.core.models import UserIdentity
from seam_tui.core.people.rows import ALL_COLUMNS
from seam_tui.core.people.snapshot import bounded
from seam_tui.core.settling import is_being_deleted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

ExportFormat = Literal["csv", "jsonl"]


class Writable(Protocol):
    """Where an export goes: anything with `write(text)`."""

    def write(self, text: str, /) -> int: ...


PAGE_SIZE = 500


async def export_people(
    service: SeamService,
    out: Writable,
    fmt: ExportFormat = "csv",
    *,
    on_page: Callable[[int], None] | None = None,
) -> int:
    """Write every identity to `out`; returns how many. `on_page(count)` after each page."""
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writerow(ALL_COLUMNS)
    count = 0
    batch: list[UserIdentity] = []

    async def flush() -> None:
        nonlocal count
        rows = await bounded([lambda i=i: _row(service, i) for i in batch])  # type: ignore[misc]
        for row in rows:
            if writer is not None:
                writer.writerow([_cell(row[c]) for c in ALL_COLUMNS])
            else:
                out.write(json.dumps(row, ensure_ascii=True) + "\n")
        count += len(rows)
        batch.clear()
        if on_page is not None:
            on_page(count)

    async for identity in service.client.user_identities.iterate(limit=PAGE_SIZE):
        if is_being_deleted(identity):
            continue  # on its way out: importing it back would only be refused
        batch.append(identity)
        if len(batch) == PAGE_SIZE:
            await flush()
    if batch:
        await flush()
    return count


async def _row(service: SeamService, identity: UserIdentity) -> dict[str, Any]:
    """One identity as an export row (ACS users and groups read only when it has some)."""
    client = service.client
    users = []
    if identity.acs_user_ids:
        users = await client.user_identities.list_acs_users(
            user_identity_id=identity.user_identity_id
        )
    groups: list[str] = []
    for user in users:
        found = await client.acs.access_groups.list(acs_user_id=user.acs_user_id)
        groups += [g.acs_access_group_id for g in found]
    schedules = {
        (u.access_schedule.starts_at, u.access_schedule.ends_at) if u.access_schedule else None
        for u in users
    }
    starts, ends = (None, None)
    if len(schedules) == 1 and (only := schedules.pop()) is not None:
        starts, ends = only
    return {
        "user_identity_id": identity.user_identity_id,
        "full_name": identity.full_name,
        "email_address": identity.email_address,
        "phone_number": identity.phone_number,
        "user_identity_key": identity.user_identity_key,
        "acs_system_ids": [u.acs_system_id for u in users],
        "acs_access_group_ids": groups,
        "starts_at": _iso(starts),
        "ends_at": _iso(ends),
        "acs_user_ids": [u.acs_user_id for u in users],
    }


def _iso(when: datetime | None) -> str | None:
    return when.isoformat().replace("+00:00", "Z") if when else None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)
