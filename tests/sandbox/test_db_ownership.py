"""`--db` names any file: the sandbox writes only into its own database (or an empty file), and
`reset` replaces only a damaged sandbox database or the default one. The real console script,
in subprocesses, as a user meets it."""

from __future__ import annotations

import shlex
import sqlite3
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.dbowner import APPLICATION_ID
from seam_tui.sandbox.sandbox import default_db_path
from seam_tui.visible import visible
from tests.sandbox.test_corrupt_db import (
    BIN,
    FAIL_SAFE_S,
    assert_one_line,
    run,
    seeded,
    truncated,
)

COMMANDS = {
    "reset": ("sandbox", "reset"),
    "serve": ("sandbox", "serve", "--port", "0"),
    "seed": ("sandbox", "seed", "--identities", "1"),
    "seed --hostile": ("sandbox", "seed", "--hostile"),
}
DEMO = ["Acme Property Sandbox", "Globex Offices Sandbox"]


def text_file(path: Path) -> None:
    path.write_text("my notes\nbuy milk\n")


def foreign(path: Path, journal: str = "delete") -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()


def foreign_wal(path: Path) -> None:
    foreign(path, "wal")


def damaged_foreign(path: Path) -> None:
    """Another program's database whose schema page is overwritten (header intact)."""
    foreign(path)
    with path.open("r+b") as file:
        file.seek(100)
        file.write(b"\xff" * 2000)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `directory`: its bytes and mode."""
    return {
        file.name: (file.read_bytes(), stat.S_IMODE(file.stat().st_mode))
        for file in directory.iterdir()
    }


def demo_workspaces(db: Path) -> list[str]:
    sandbox = Sandbox(db)
    try:
        return [ws.name for ws in sandbox.workspaces()]
    finally:
        sandbox.close()


NOT_OURS: dict[str, tuple[Callable[[Path], None], str]] = {
    "text": (text_file, "(it is not an SQLite database)"),
    "foreign SQLite": (foreign, "(it holds table notes)"),
    "foreign SQLite in WAL mode": (foreign_wal, "(it holds table notes)"),
    "damaged foreign SQLite": (
        damaged_foreign,
        "(it is a damaged SQLite database without the sandbox's mark:",
    ),
}


@pytest.mark.parametrize(("make", "why"), NOT_OURS.values(), ids=NOT_OURS.keys())
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_file_that_is_not_a_sandbox_database_is_refused_and_untouched(
    tmp_path: Path, command: tuple[str, ...], make: Callable[[Path], None], why: str
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    db = folder / "notes.db"
    make(db)
    db.chmod(0o644)
    before = snapshot(folder)
    result = run("seam-tui", *command, "--db", str(db))
    line = assert_one_line(result, db, code=1)
    assert line.startswith(f"seam-tui: error: {db} is not a sandbox database {why}")
    assert line.endswith("; choose another --db, or delete it yourself if you meant to")
    assert result.stdout == ""
    assert snapshot(folder) == before  # same bytes, same mode, no -wal/-shm/-journal left


def test_the_refusal_lists_the_tables_and_quotes_odd_names(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        for name in ("users", "orders", "evil\x1b[31m name"):
            conn.execute(f"CREATE TABLE {json_name(name)} (x)")
        conn.execute("CREATE VIEW recent AS SELECT 1")
    conn.close()
    line = assert_one_line(run("seam-tui", "sandbox", "reset", "--db", str(db)), db, code=1)
    assert '(it holds tables "evil␛[31m name", orders, users; view recent)' in line


def json_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_overwritten(db: Path) -> None:
    """A sandbox database whose schema page is unreadable: only the header's mark tells."""
    seeded(db)
    with db.open("r+b") as file:
        file.seek(100)
        file.write(b"\xff" * 2000)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": truncated,
    "schema page overwritten": schema_overwritten,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_db_file_is_named_with_its_own_reset_command_which_repairs_it(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    db = tmp_path / "it's a \x1b[31m sandbox.sqlite3"
    damage(db)
    fix = f"run `seam-tui sandbox reset --db {visible(shlex.quote(str(db)))}` to start it afresh"
    for command in (COMMANDS["serve"], COMMANDS["seed"]):
        result = run("seam-tui", *command, "--db", str(db))
        assert result.returncode == 1, result
        assert "\x1b" not in result.stderr
        [line] = result.stderr.splitlines()
        assert visible(str(db)) in line
        assert "is not a valid database" in line
        assert fix in line
    default = default_db_path()
    seeded(default)
    before = default.read_bytes()
    # The command as printed (less the placeholders), run by a shell: it repairs this file and
    # leaves the default one alone.
    command = f"{shlex.quote(str(BIN / 'seam-tui'))} sandbox reset --db {shlex.quote(str(db))}"
    repaired = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=FAIL_SAFE_S, check=False
    )
    assert repaired.returncode == 0, repaired.stderr
    assert "was not a valid database: replaced it with a new one" in repaired.stdout
    assert demo_workspaces(db) == DEMO
    assert default.read_bytes() == before


def test_the_default_database_is_ours_whatever_it_holds() -> None:
    db = default_db_path()
    db.parent.mkdir(parents=True)
    foreign(db)
    for command in (COMMANDS["serve"], COMMANDS["seed"]):
        line = assert_one_line(run("seam-tui", *command), db, code=1)
        assert "is not a sandbox database (it holds table notes)" in line
        assert line.endswith("run `seam-tui sandbox reset` to start it afresh (its data is lost)")
    repaired = run("seam-tui", "sandbox", "reset")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.splitlines()[0] == (
        f"{db} was not a valid database: replaced it with a new one"
    )
    assert demo_workspaces(db) == DEMO


def test_a_damaged_sandbox_db_at_the_default_path_names_the_plain_reset() -> None:
    db = default_db_path()
    truncated(db)
    line = assert_one_line(run("seam-tui", *COMMANDS["seed"]), db, code=1)
    assert "run `seam-tui sandbox reset` to start it afresh" in line
    assert "--db" not in line
    assert run("seam-tui", "sandbox", "reset").returncode == 0
    assert demo_workspaces(db) == DEMO


def no_tables(db: Path) -> None:
    """An SQLite database with a header and no schema (as `sqlite3 FILE` leaves after a pragma)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    assert db.stat().st_size > 0


EMPTY: dict[str, Callable[[Path], None]] = {"0 bytes": Path.touch, "SQLite, no tables": no_tables}


@pytest.mark.parametrize("make", EMPTY.values(), ids=EMPTY.keys())
@pytest.mark.parametrize("command", ["reset", "seed"])
def test_an_empty_file_is_initialised(
    tmp_path: Path, make: Callable[[Path], None], command: str
) -> None:
    db = tmp_path / "new.db"
    make(db)
    assert db.exists()
    result = run("seam-tui", *COMMANDS[command], "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert demo_workspaces(db) == DEMO


def test_a_sandbox_db_made_before_the_mark_is_still_ours_and_gets_it(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    Sandbox(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 0")
    conn.close()
    inode = db.stat().st_ino
    result = run("seam-tui", "sandbox", "reset", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "was not a valid database" not in result.stdout
    assert db.stat().st_ino == inode  # reset in place
    assert int.from_bytes(db.read_bytes()[68:72], "big") == APPLICATION_ID


def test_a_new_database_carries_the_mark_in_its_header_at_once(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"
    sandbox = Sandbox(db)
    try:  # still open: the schema may sit in the WAL, the header is in the file itself
        assert int.from_bytes(db.read_bytes()[68:72], "big") == APPLICATION_ID
    finally:
        sandbox.close()
