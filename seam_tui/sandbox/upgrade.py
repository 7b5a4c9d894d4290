"""Upgrading a database made by an older version in place: columns added since, and their
indexes. Run when a `Store` opens the file, after the schema script."""

from __future__ import annotations

import sqlite3

# Columns added after the first release: a database made before them gets them in place.
ADDED_COLUMNS = (
    ("user_identities", "warnings", "TEXT NOT NULL DEFAULT '[]'"),
    ("user_identities", "settle_at", "TEXT"),
    ("acs_users", "settle_at", "TEXT"),
)
# Indexes on added columns, made once the columns exist. `settle_at` is the earliest time
# at which a queued change of the row settles (see `settling`); NULL for nearly every row.
ADDED_INDEXES = """
CREATE INDEX IF NOT EXISTS user_identities_settle ON user_identities (settle_at)
    WHERE settle_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS acs_users_settle ON acs_users (settle_at)
    WHERE settle_at IS NOT NULL;
"""


def add_columns(db: sqlite3.Connection) -> None:
    """Add the missing columns, checked under the write lock, so two processes opening one old
    file do not both add them."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for table, column, ddl in ADDED_COLUMNS:
            present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
        for statement in ADDED_INDEXES.split(";"):
            if statement.strip():
                db.execute(statement)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
