"""Whose file is it: the sandbox writes only into a database it made, or one nobody uses.

`--db` may name any file, so before the sandbox creates its tables in a file (or `reset`
replaces one) it looks at what is there, without writing to it:

- missing, 0 bytes, or an SQLite database with no tables: free, the sandbox initialises it;
- an SQLite database whose schema has the tables `workspaces` and `user_identities`: a sandbox
  database (damage further in is found on use, and `reset` replaces it);
- an SQLite database whose schema cannot be read: a damaged sandbox database if its header
  carries the sandbox's mark (`PRAGMA application_id` = "SEAM", stamped on every database the
  sandbox opens; the header is the first 100 bytes, readable when the rest is not), else
  someone else's;
- anything else (not an SQLite file, another program's tables, a device or pipe): someone
  else's, refused in one line that names the file and why, and nothing is written to it.

A readable schema decides; the mark speaks only when the schema cannot be read (a sandbox
database made before the mark is known by its tables, and marked when opened). A sandbox
database whose header itself is destroyed cannot be told from any other file: at a `--db` path
it is refused, and the user deletes it.

The default database (in the user data dir) is ours whatever it holds: there the choice is left
to `seam-tui sandbox reset`, which replaces it. The schema is read through a read-only
connection, `immutable` (no lock, no side file) unless a `-wal` or `-journal` file holds
changes that the main file lacks.
"""

from __future__ import annotations

import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from seam_tui.sandbox.dbfile import (
    SandboxDatabaseError,
    database_error,
    is_corrupt,
    is_default,
    reset_command,
)
from seam_tui.visible import quoted, visible

APPLICATION_ID = int.from_bytes(b"SEAM", "big")  # 0x5345414D, at bytes 68-71 of the header
SANDBOX_TABLES = frozenset({"workspaces", "user_identities"})
_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100
_TIMEOUT_S = 5.0  # as the store's busy timeout, for a file in use by a writer
_MOST_NAMES = 5
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


@dataclass(frozen=True)
class Verdict:
    """What a file is: `ours` (ours or free to initialise), `damaged` (ours, unreadable), or
    someone else's, with `why` in words (e.g. `it holds tables notes`); `readable` when it is
    a sound SQLite database."""

    ours: bool
    damaged: bool = False
    why: str = ""
    readable: bool = False


FREE = Verdict(ours=True)


def claim(path: Path) -> None:
    """Raise `SandboxDatabaseError` unless the sandbox may create or use its tables at `path`.

    A damaged sandbox database, or anything at the default path, is `corrupt` (reset replaces
    it); someone else's file is refused, and `reset` refuses it too."""
    try:
        verdict = examine(path)
    except (sqlite3.Error, OSError) as exc:
        raise database_error(path, exc) from None
    if verdict.ours and not verdict.damaged:
        return
    if verdict.damaged:
        raise database_error(path, sqlite3.DatabaseError(verdict.why), corrupt=True)
    if is_default(path):
        if not verdict.readable:
            raise database_error(path, sqlite3.DatabaseError(verdict.why), corrupt=True)
        raise SandboxDatabaseError(
            f"sandbox database {visible(str(path))} is not a sandbox database ({verdict.why});"
            f" run {reset_command(path)} to start it afresh (its data is lost)",
            path=path,
            corrupt=True,
        )
    raise SandboxDatabaseError(
        f"{visible(str(path))} is not a sandbox database ({verdict.why}); choose another --db,"
        " or delete it yourself if you meant to",
        path=path,
        corrupt=False,
    )


def examine(path: Path) -> Verdict:
    """Look at `path` without writing to it; an OSError or a failure other than damage (a
    lock, a permission) is raised."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return FREE
    if stat.S_ISDIR(info.st_mode):
        return FREE  # opening it fails with the usual "could not be opened" line
    if not stat.S_ISREG(info.st_mode):
        return Verdict(ours=False, why="it is not a regular file")
    if info.st_size == 0:
        return FREE
    with path.open("rb") as file:
        header = file.read(_HEADER_BYTES)
    if not header.startswith(_MAGIC):
        return Verdict(ours=False, why="it is not an SQLite database")
    marked = len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    try:
        schema = _schema(path)
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise  # locked, unreadable: the usual "could not be opened" line
        reason = str(exc) or type(exc).__name__
        if marked:
            return Verdict(ours=True, damaged=True, why=reason)
        return Verdict(
            ours=False,
            why=f"it is a damaged SQLite database without the sandbox's mark: {reason}",
        )
    tables = {name for kind, name in schema if kind == "table"}
    if not schema or SANDBOX_TABLES.issubset(tables):
        return FREE
    return Verdict(ours=False, why=f"it holds {_listed(schema)}", readable=True)


def _schema(path: Path) -> list[tuple[str, str]]:
    """(type, name) of the tables and views at `path`, read-only: `immutable` (no lock, no
    side file) unless a `-wal` or `-journal` holds changes, and again with locks if that read
    finds damage (a writer may have been half-way through)."""
    pending = any(_has_bytes(path.with_name(path.name + end)) for end in ("-wal", "-journal"))
    if not pending:
        try:
            return _read_schema(path, "mode=ro&immutable=1")
        except sqlite3.DatabaseError as exc:
            if not is_corrupt(exc):
                raise
    return _read_schema(path, "mode=ro")


def _read_schema(path: Path, mode: str) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True, timeout=_TIMEOUT_S)
    try:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    return [(str(kind), str(name)) for kind, name in rows]


def _has_bytes(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _listed(schema: list[tuple[str, str]]) -> str:
    """`tables a, b and 3 more; views c`: names from the file are data (odd ones quoted)."""
    parts = []
    for kind in ("table", "view"):
        names = [name for each, name in schema if each == kind]
        if not names:
            continue
        shown = [name if _PLAIN_NAME.fullmatch(name) else quoted(name[:40]) for name in names]
        more = f" and {len(shown) - _MOST_NAMES} more" if len(shown) > _MOST_NAMES else ""
        plural = "s" if len(names) > 1 else ""
        parts.append(f"{kind}{plural} {', '.join(shown[:_MOST_NAMES])}{more}")
    return "; ".join(parts)
