"""The sandbox's database file: opened private, and its failures told in one line.

The file holds every workspace's API key, so it is created 0600 (SQLite gives its `-wal` and
`-shm` files the database's own mode), a directory made for it 0700, and an existing file (and
its WAL/SHM) is tightened to 0600 when opened. A file that is not a database, or is damaged,
becomes a `SandboxDatabaseError` naming the file and the fix, `seam-tui sandbox reset` (with
`--db FILE` when it is not the default file), which `remove_database` lets repair it. Which
files the sandbox may write to or replace at all is `dbowner`'s to decide.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from seam_tui.core.errors import SeamError
from seam_tui.paths import PRIVATE_FILE, data_dir, private_dir, tighten
from seam_tui.visible import visible

SIDE_FILES = ("-wal", "-shm", "-journal")
# SQLite's result codes for a file that is not a database or is damaged.
_CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def default_db_path() -> Path:
    return data_dir() / "sandbox.sqlite3"


def is_default(path: Path) -> bool:
    """Whether `path` is the default database (the user data dir's), however it is spelt."""
    return _same(path, default_db_path())


def reset_command(path: Path) -> str:
    """The command that resets the database at `path`, in backquotes, ready to paste (the path
    shell-quoted, its hidden characters shown)."""
    if is_default(path):
        return "`seam-tui sandbox reset`"
    return f"`seam-tui sandbox reset --db {visible(shlex.quote(str(path)))}`"


class SandboxDatabaseError(SeamError):
    """Raised when the sandbox database cannot be used; `corrupt` if `sandbox reset` fixes it."""

    def __init__(self, message: str, *, path: Path, corrupt: bool) -> None:
        super().__init__(message)
        self.path = path
        self.corrupt = corrupt


def is_corrupt(exc: BaseException) -> bool:
    """Whether an error says the file is not a database or is damaged."""
    return isinstance(exc, sqlite3.DatabaseError) and (
        getattr(exc, "sqlite_errorcode", None) in _CORRUPT_CODES
        or str(exc) in ("file is not a database", "database disk image is malformed")
    )


def database_error(
    path: Path, exc: BaseException, *, corrupt: bool = False
) -> SandboxDatabaseError:
    """The one-line error for a failure to open or use the database at `path`."""
    reason = str(exc) or type(exc).__name__
    shown = visible(str(path))
    if corrupt or is_corrupt(exc):
        return SandboxDatabaseError(
            f"sandbox database {shown} is not a valid database ({reason}); run"
            f" {reset_command(path)} to start it afresh (its data is lost)",
            path=path,
            corrupt=True,
        )
    return SandboxDatabaseError(
        f"sandbox database {shown} could not be opened ({reason}); check that it is a file you"
        " may read and write, in a directory you may write to",
        path=path,
        corrupt=False,
    )


@contextlib.contextmanager
def damage_reported(path: Path) -> Iterator[None]:
    """A damaged file found in use becomes the same one-line error as at open."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if is_corrupt(exc):
            raise database_error(path, exc) from None
        raise


def prepare(path: Path) -> None:
    """Make the directory (0700) and the file (0600) if missing; tighten an existing file."""
    # As for every file of ours (`paths.private_dir`): a directory made now is 0700, and an
    # existing one is tightened only when it is the platform's default data dir; one named by
    # SEAM_TUI_DATA_DIR or --db is the user's (it may be their home), so it is left alone.
    private_dir(path.parent)
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for file in (path, *(_side(path, suffix) for suffix in SIDE_FILES)):
        tighten(file, PRIVATE_FILE)


def remove_database(path: Path) -> None:
    """Delete the database and its WAL/SHM/journal files (those that exist)."""
    for file in (path, *(_side(path, suffix) for suffix in SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
