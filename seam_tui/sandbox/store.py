"""SQLite storage for the sandbox: connection settings, transactions and bulk indexing.

Two processes (the TUI and the MCP server) may open the same file, so the database runs in
WAL mode with a busy timeout, and every write runs in a `BEGIN IMMEDIATE` transaction: the
write lock is taken up front, so a reader never has to upgrade (the one case where SQLite
reports "database is locked" without waiting).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from seam_tui.sandbox.dbfile import damage_reported, database_error, prepare
from seam_tui.sandbox.dbowner import APPLICATION_ID, claim
from seam_tui.sandbox.schema import SCHEMA, TABLES, TRIGGERS
from seam_tui.sandbox.upgrade import add_columns

BUSY_TIMEOUT_S = 5.0


class Store:
    """One connection to the sandbox database, shared by the threads of one process.

    A lock serialises use of the connection inside the process; SQLite's own locking (with
    the busy timeout) serialises writers across processes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        claim(path)  # someone else's file is refused before anything is written to it
        try:
            prepare(path)
            self._db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as exc:
            raise database_error(path, exc) from None
        try:
            self._set_up()
            prepare(path)  # the WAL and SHM files exist now: make sure they are private too
        except (sqlite3.Error, OSError) as exc:
            self._db.close()
            raise database_error(path, exc) from None

    def _set_up(self) -> None:
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # The mark that tells a damaged sandbox database from someone else's (see dbowner);
        # set before WAL mode, so a new file has it in its own header at once.
        if self._db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        # `executescript` commits any open transaction first, so the script carries its own.
        try:
            triggers = ";\n".join(
                ddl.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS")
                for ddl in TRIGGERS.values()
            )
            self._db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\n{triggers};\nCOMMIT;")
            add_columns(self._db)
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._db.close()
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for a read-only request."""
        with self._lock, damage_reported(self.path):
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it applies, or (on any exception) none of it."""
        with self._lock, damage_reported(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def count(self, table: str) -> int:
        """Rows in one of the known tables."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        with self.read() as db:
            row = db.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def bulk_insert_identities(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Insert identity rows (id, workspace, key, email, phone, name, created_at) in bulk."""
    first = db.execute("SELECT coalesce(max(seq), 0) FROM user_identities").fetchone()[0]
    with _without_trigger(db, "user_identities_fts_insert"):
        db.executemany(
            "INSERT INTO user_identities (user_identity_id, workspace_id, user_identity_key,"
            " email_address, phone_number, full_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute(
            "INSERT INTO user_identities_fts"
            " (rowid, user_identity_id, full_name, email_address, phone_number)"
            " SELECT seq, user_identity_id, full_name, email_address, phone_number"
            " FROM user_identities WHERE seq > ?",
            (first,),
        )


def wipe(db: sqlite3.Connection) -> None:
    """Delete every row of every table."""
    with _without_trigger(db, "user_identities_fts_delete"):
        for table in TABLES:
            db.execute(f"DELETE FROM {table}")
        db.execute("INSERT INTO user_identities_fts (user_identities_fts) VALUES ('delete-all')")


@contextmanager
def _without_trigger(db: sqlite3.Connection, name: str) -> Iterator[None]:
    """Drop a search-index trigger for part of the current write transaction."""
    db.execute(f"DROP TRIGGER {name}")
    yield
    db.execute(TRIGGERS[name])
