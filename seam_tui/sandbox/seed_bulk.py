"""Bulk rows for benchmarks and large-list tests: identities and unlinked ACS users with unique
keys, emails and phones, inserted in one statement each."""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from seam_tui.sandbox.params import canonical_time
from seam_tui.sandbox.store import bulk_insert_identities

BULK_FIRST = [
    "Alex", "Blake", "Casey", "Dana", "Eli", "Frankie", "Gale", "Harper", "Indy", "Jordan",
    "Kai", "Logan", "Morgan", "Nico", "Oakley", "Parker", "Quinn", "Riley", "Sage", "Taylor",
]  # fmt: skip
BULK_LAST = [
    "Anders", "Baker", "Clarke", "Diaz", "Evans", "Foster", "Gray", "Hughes", "Ito", "Jensen",
    "Khan", "Lopez", "Moreau", "Nakamura", "Owens", "Perez", "Quist", "Reyes", "Stone", "Turner",
]  # fmt: skip


def seed_identities(db: sqlite3.Connection, workspace_id: str, count: int) -> int:
    """Bulk-insert `count` identities with unique keys, emails and phones; returns `count`."""
    taken_phones = {
        row[0]
        for row in db.execute(
            "SELECT phone_number FROM user_identities WHERE workspace_id = ?", (workspace_id,)
        )
    }
    tag = secrets.token_hex(3)
    start = datetime.now(UTC) - timedelta(milliseconds=count)
    phones = _free_phones(taken_phones, secrets.randbelow(8_000_000_000))
    rows: list[tuple[object, ...]] = []
    for index in range(count):
        first = BULK_FIRST[index % len(BULK_FIRST)]
        last = BULK_LAST[(index // len(BULK_FIRST)) % len(BULK_LAST)]
        rows.append(
            (
                str(uuid.uuid4()),
                workspace_id,
                f"bulk-{tag}-{index}",
                f"{first}.{last}.{tag}{index}@example.net".lower(),
                next(phones),
                f"{first} {last}",
                canonical_time(start + timedelta(milliseconds=index)),
            )
        )
    bulk_insert_identities(db, rows)
    return count


def seed_acs_users(
    db: sqlite3.Connection, workspace_id: str, acs_system_id: str, count: int
) -> int:
    """Bulk-insert `count` unlinked ACS users into one system, with unique emails and phones,
    listed after the system's existing users; returns `count`."""
    tag = secrets.token_hex(3)
    start = datetime.now(UTC) - timedelta(milliseconds=count)
    newest = db.execute(
        "SELECT max(created_at) FROM acs_users WHERE workspace_id = ?", (workspace_id,)
    ).fetchone()[0]
    if newest is not None and newest >= canonical_time(start):
        start = datetime.fromisoformat(newest) + timedelta(milliseconds=1)
    offset = secrets.randbelow(8_000_000_000)
    rows: list[tuple[object, ...]] = []
    for index in range(count):
        first = BULK_FIRST[index % len(BULK_FIRST)]
        last = BULK_LAST[(index // len(BULK_FIRST)) % len(BULK_LAST)]
        rows.append(
            (
                str(uuid.uuid4()),
                workspace_id,
                acs_system_id,
                f"{first} {last}",
                f"{first}.{last}.{tag}{index}@acs.example.net".lower(),
                f"+1{2_000_000_000 + (offset + index) % 8_000_000_000}",
                canonical_time(start + timedelta(milliseconds=index)),
            )
        )
    db.executemany(
        "INSERT INTO acs_users (acs_user_id, workspace_id, acs_system_id, full_name,"
        " email_address, phone_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return count


def _free_phones(taken: set[str], offset: int) -> Iterator[str]:
    """North American numbers (+1 and ten digits) not in `taken`, from a random offset."""
    while True:
        phone = f"+1{2_000_000_000 + offset % 8_000_000_000}"
        offset += 1
        if phone not in taken:
            yield phone
