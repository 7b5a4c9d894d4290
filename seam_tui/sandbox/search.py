"""`search`: partial, case-insensitive matching, fast at 100,000 identities.

Identities have a trigram full-text index. A rare term (most searches: a name, an email) is
answered from the index and only the few matches are sorted. A term that matches a large share
of rows ("example.com") is answered by walking the list order and testing each row with LIKE,
which fills a page after a few hundred rows; terms under 3 characters (too short for
trigrams) are always common enough for that walk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

# Above this many index matches, walking the list order is cheaper than sorting the matches.
DENSE_MATCHES = 2000


def like_pattern(text: str) -> str:
    """A LIKE pattern for "contains `text`" (with `\\` as the escape character)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains_any(columns: Sequence[str], text: str) -> tuple[str, list[object]]:
    """SQL (and args) true when any of the columns contains `text`, ignoring case."""
    clause = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns)
    return f"({clause})", [like_pattern(text)] * len(columns)


@dataclass(frozen=True)
class IdentityFilter:
    """SQL (and args) restricting identities to a search; `sparse` means few rows match, so
    the query should start from the matches rather than walk the list order."""

    clause: str
    args: list[object]
    sparse: bool


def identity_filter(db: sqlite3.Connection, alias: str, text: str) -> IdentityFilter:
    """Identities (table alias `alias`) whose searched fields contain `text`."""
    if len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        matches = db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM user_identities_fts"
            " WHERE user_identities_fts MATCH ? LIMIT ?)",
            (phrase, DENSE_MATCHES),
        ).fetchone()[0]
        if matches < DENSE_MATCHES:
            subquery = "SELECT rowid FROM user_identities_fts WHERE user_identities_fts MATCH ?"
            return IdentityFilter(f"{alias}.seq IN ({subquery})", [phrase], sparse=True)
    columns = ("full_name", "email_address", "phone_number", "user_identity_id")
    clause, args = contains_any([f"{alias}.{column}" for column in columns], text)
    return IdentityFilter(clause, args, sparse=False)
