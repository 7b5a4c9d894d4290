"""A corrupt sandbox database, as a user meets it: the real console scripts in subprocesses.

Every command says in one line which file is at fault and that `seam-tui sandbox reset` fixes
it, exits non-zero, and prints no traceback; `sandbox reset` then repairs the file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.sandbox import default_db_path

BIN = Path(sys.executable).parent
FAIL_SAFE_S = 120


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    """A console script from the venv, in the test's data and config dirs (see conftest)."""
    return subprocess.run(
        [str(BIN / argv[0]), *argv[1:]],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=FAIL_SAFE_S,
        check=False,
    )


def garbage(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"not a database, just some bytes " * 200)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).write_bytes(b"junk" * 100)


def seeded(db: Path) -> None:
    """A sandbox database large enough (3000 more identities) that its middle is table pages."""
    sandbox = Sandbox(db)
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, 3000)
    sandbox.close()


def truncated(db: Path) -> None:
    seeded(db)
    with db.open("r+b") as file:
        file.truncate(db.stat().st_size // 2)


def damaged_inside(db: Path) -> None:
    """Header and schema intact, a run of table pages overwritten: opening still works."""
    seeded(db)
    with db.open("r+b") as file:
        file.seek(db.stat().st_size // 2)
        file.write(b"\xff" * 16384)
    Sandbox(db).close()  # still opens: only a full check or a read of those pages would tell


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "not a database": garbage,
    "truncated": truncated,
}


def assert_one_line(result: subprocess.CompletedProcess[str], db: Path, *, code: int) -> str:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(db) in lines[0]
    return lines[0]


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_sandbox_commands_name_the_file_and_reset_repairs_it(
    corrupt: Callable[[Path], None],
) -> None:
    db = default_db_path()
    corrupt(db)
    for command in (
        ("sandbox", "seed", "--identities", "1"),
        ("sandbox", "serve", "--port", "0"),
    ):
        result = run("seam-tui", *command)
        line = assert_one_line(result, db, code=1)
        assert "is not a valid database" in line
        assert "run `seam-tui sandbox reset`" in line
        assert result.stdout == ""
    repaired = run("seam-tui", "sandbox", "reset")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.splitlines()[0] == (
        f"{db} was not a valid database: replaced it with a new one"
    )
    assert repaired.stderr == ""
    sandbox = Sandbox(db)
    try:
        assert [ws.name for ws in sandbox.workspaces()] == [
            "Acme Property Sandbox",
            "Globex Offices Sandbox",
        ]
        assert sandbox.count("user_identities") < 100  # the demo data, afresh
    finally:
        sandbox.close()
    assert run("seam-tui", "sandbox", "seed", "--identities", "1").returncode == 0


def test_reset_repairs_damage_that_opening_does_not_notice() -> None:
    db = default_db_path()
    damaged_inside(db)
    repaired = run("seam-tui", "sandbox", "reset")
    assert repaired.returncode == 0, repaired.stderr
    assert "was not a valid database" in repaired.stdout.splitlines()[0]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]


def test_a_healthy_database_is_reset_in_place() -> None:
    db = default_db_path()
    Sandbox(db).close()
    inode = db.stat().st_ino
    result = run("seam-tui", "sandbox", "reset")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Reset the sandbox at {db}")
    assert db.stat().st_ino == inode  # a running `serve` sees the reset


def test_a_file_reset_cannot_fix_is_named_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "a-directory.sqlite3"
    db.mkdir()
    (db / "keep.txt").write_text("mine")
    for command in (("sandbox", "seed", "--identities", "1"), ("sandbox", "reset")):
        line = assert_one_line(run("seam-tui", *command, "--db", str(db)), db, code=1)
        assert "could not be opened" in line
    assert (db / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("seam-tui", "workspace", "list"), 1),
        (("seam-tui",), 1),  # the TUI: it stops before the screen opens
        (("seam-mcp",), 1),
    ],
    ids=["workspace list", "tui", "seam-mcp"],
)
def test_front_ends_on_the_built_in_sandbox_say_it_in_one_line(
    argv: tuple[str, ...], code: int
) -> None:
    db = default_db_path()
    garbage(db)
    line = assert_one_line(run(*argv), db, code=code)
    assert "is not a valid database" in line
    assert "`seam-tui sandbox reset`" in line
