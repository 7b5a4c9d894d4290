"""The sandbox database holds every workspace's API key: it and its WAL/SHM files are 0600 and
a directory made for it 0700, whatever the umask; an existing, looser database is tightened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.sandbox import default_db_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_of(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


@pytest.fixture(params=[0o022, 0o000], ids=["umask 022", "umask 000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.mark.usefixtures("umask")
def test_a_new_database_and_its_directories_are_private(tmp_path: Path) -> None:
    db = tmp_path / "made" / "for" / "it" / "sandbox.sqlite3"
    tmp_path.chmod(0o755)
    sandbox = Sandbox(db)
    try:
        with sandbox.write() as conn:  # the WAL and SHM exist while the database is open
            conn.execute("UPDATE meta SET value = value")
        for path in files_of(db):
            assert mode(path) == 0o600, path
        for directory in (db.parent, db.parent.parent, db.parent.parent.parent):
            assert mode(directory) == 0o700, directory
    finally:
        sandbox.close()
    assert mode(tmp_path) == 0o755  # it was there already: not ours to change


@pytest.mark.usefixtures("umask")
def test_an_existing_loose_database_is_tightened_on_open(tmp_path: Path) -> None:
    db = tmp_path / "loose.sqlite3"
    Sandbox(db).close()
    wal, shm = files_of(db)[1:]
    for path in (db, wal, shm):
        path.touch()
        path.chmod(0o666)
    sandbox = Sandbox(db)
    try:
        assert sandbox.workspaces()
        for path in files_of(db):
            assert mode(path) == 0o600, path
    finally:
        sandbox.close()


def test_a_data_dir_the_user_named_is_left_alone_and_one_made_for_them_is_private(
    tmp_path: Path,
) -> None:
    named = default_db_path()  # under SEAM_TUI_DATA_DIR, pointed at tmp_path by conftest
    named.parent.mkdir(parents=True)
    named.parent.chmod(0o755)
    chosen = tmp_path / "shared"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    made = tmp_path / "new" / "dir" / "sandbox.sqlite3"
    for db in (named, chosen / "sandbox.sqlite3", made):
        Sandbox(db).close()
        assert mode(db) == 0o600
    # The user's own directories (SEAM_TUI_DATA_DIR, --db): only the file is ours.
    assert mode(named.parent) == 0o755
    assert mode(chosen) == 0o755
    assert mode(made.parent) == 0o700
    assert mode(made.parent.parent) == 0o700
