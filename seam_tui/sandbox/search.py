"""`search`: partial, case-insensitive matching, fast at 100,000 identities.

Identities have a trigram full-text index. A rare term (most searches: a name, an email) is
answered from the index and only the few matches are sorted. A term that matches a large share
of rows ("example.com") is answered by walking the list order and testing each row with LIKE,
which fills a page after a few hundred rows; terms under 3 characters (too short for
trigrams) are always common enough for that walk.

The index matches a phrase by reading the entries of all its trigrams, and most trigrams of a
long term are common ("@ex", "com"): a whole email reads a million entries. So a long ASCII
term is looked up by a few of its rare trigrams instead, and LIKE keeps the candidates that
contain the whole term.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

# Above this many index matches, walking the list order is cheaper than sorting the matches.
DENSE_MATCHES = 2000
# Terms up to this long are looked up by their phrase: a few trigrams cost little to read.
SHORT_TERM = 8
# A trigram matching fewer rows than this is rare enough to look a long term up by.
RARE_MATCHES = 4000
# Rare trigrams looked up together (enough to leave few candidates).
LOOKUP_TRIGRAMS = 3
# Index matches read for a quick estimate of how many rows a trigram matches.
SAMPLED_MATCHES = 64

SEARCHED_COLUMNS = ("full_name", "email_address", "phone_number", "user_identity_id")
_MATCH = "user_identities_fts MATCH ?"


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
    columns = [f"{alias}.{column}" for column in SEARCHED_COLUMNS]
    if len(text) >= 3:
        # The index folds case as Unicode does, LIKE only ASCII: other text stays with the index.
        if len(text) > SHORT_TERM and text.isascii():
            found = _by_rare_trigrams(db, alias, columns, text)
            if found is not None:
                return found
        phrase = _quoted(text)
        if _index_matches(db, phrase, DENSE_MATCHES) < DENSE_MATCHES:
            matching = f"{alias}.seq IN (SELECT rowid FROM user_identities_fts WHERE {_MATCH})"
            return IdentityFilter(matching, [phrase], sparse=True)
    clause, args = contains_any(columns, text)
    return IdentityFilter(clause, args, sparse=False)


def _by_rare_trigrams(
    db: sqlite3.Connection, alias: str, columns: list[str], text: str
) -> IdentityFilter | None:
    """Identities that have rare trigrams of `text` and contain it; None if it has no rare
    trigrams, or they match DENSE_MATCHES rows or more together."""
    rare = _rare_trigrams(db, text)
    candidates = _index_rowids(db, " AND ".join(map(_quoted, rare))) if rare else None
    if candidates is None:
        return None
    if candidates == "[]":  # nothing to check
        return IdentityFilter("0", [], sparse=True)
    among = f"{alias}.seq IN (SELECT value FROM json_each(?))"
    clause, args = contains_any(columns, text)
    return IdentityFilter(f"{among} AND {clause}", [candidates, *args], sparse=True)


def _rare_trigrams(db: sqlite3.Connection, text: str) -> list[str]:
    """Up to LOOKUP_TRIGRAMS trigrams of `text` that match under RARE_MATCHES rows each, or
    one that matches under SAMPLED_MATCHES. Every third trigram is tried first: if none of
    those is rare, `text` is taken to be common throughout and none is returned."""
    lowered = text.lower()
    trigrams = [lowered[i : i + 3] for i in range(len(lowered) - 2)]
    first = dict.fromkeys(trigrams[::3])
    rest = dict.fromkeys(trigram for trigram in trigrams if trigram not in first)
    rare: list[str] = []
    for batch in (first, rest):
        for trigram in batch:
            query = _quoted(trigram)
            estimate = _estimated_matches(db, query)
            if estimate < SAMPLED_MATCHES:
                return [trigram]
            # An estimate can be far too low (if most matches lie further on): count.
            if estimate < RARE_MATCHES and _index_matches(db, query, RARE_MATCHES) < RARE_MATCHES:
                rare.append(trigram)
                if len(rare) == LOOKUP_TRIGRAMS:
                    return rare
        if not rare:
            break
    return rare


def _estimated_matches(db: sqlite3.Connection, query: str) -> float:
    """Rows the index matches for an FTS5 query: exact below SAMPLED_MATCHES, else estimated
    from the share of all rowids that the first SAMPLED_MATCHES matches span."""
    count, first, last, rowids = db.execute(
        "SELECT count(*), min(rowid), max(rowid), (SELECT max(seq) FROM user_identities)"
        f" FROM (SELECT rowid FROM user_identities_fts WHERE {_MATCH} LIMIT ?)",
        (query, SAMPLED_MATCHES),
    ).fetchone()
    if count < SAMPLED_MATCHES:
        return float(count)
    return float(count * rowids / (last - first + 1))


def _index_matches(db: sqlite3.Connection, query: str, limit: int) -> int:
    """Rows the index matches for an FTS5 query, counted up to `limit`."""
    count: int = db.execute(
        f"SELECT count(*) FROM (SELECT rowid FROM user_identities_fts WHERE {_MATCH} LIMIT ?)",
        (query, limit),
    ).fetchone()[0]
    return count


def _index_rowids(db: sqlite3.Connection, query: str) -> str | None:
    """Rowids the index matches for an FTS5 query, as a JSON array; None if there are
    DENSE_MATCHES or more."""
    count, rowids = db.execute(
        "SELECT count(*), json_group_array(rowid)"
        f" FROM (SELECT rowid FROM user_identities_fts WHERE {_MATCH} LIMIT ?)",
        (query, DENSE_MATCHES),
    ).fetchone()
    return str(rowids) if count < DENSE_MATCHES else None


def _quoted(text: str) -> str:
    """`text` as an FTS5 string: the phrase of its trigrams."""
    return '"' + text.replace('"', '""') + '"'
