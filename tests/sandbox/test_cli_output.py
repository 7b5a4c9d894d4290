"""`seam-tui sandbox ...` prints workspace names from the database: shown, never run."""

from __future__ import annotations

import io
import json
import socket
import sqlite3
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox, seed
from seam_tui.sandbox.cli import main
from seam_tui.sandbox.serve import serve
from tests.inert import HOSTILE, HOSTILE_SHOWN, assert_inert


@pytest.fixture
def hostile_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo data plus a workspace whose name is hostile."""
    seed_demo = seed.seed_demo

    def with_hostile(db: sqlite3.Connection) -> None:
        seed_demo(db)
        seed.insert_workspace(db, HOSTILE)

    monkeypatch.setattr(seed, "seed_demo", with_hostile)


@pytest.mark.usefixtures("hostile_demo")
def test_reset_and_seed_show_a_hostile_workspace_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.sqlite3"
    assert main(["reset", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert_inert(captured.out + captured.err)
    lines = captured.out.splitlines()
    assert len(lines) == 1 + 3  # the heading and one line per workspace, whatever the names
    assert lines[-1].startswith(f"  {HOSTILE_SHOWN}  workspace_id=")

    sandbox = Sandbox(db)
    try:
        evil = next(ws for ws in sandbox.workspaces() if ws.name == HOSTILE)
    finally:
        sandbox.close()
    assert (
        main(["seed", "--identities", "1", "--workspace", evil.workspace_id, "--db", str(db)]) == 0
    )
    captured = capsys.readouterr()
    assert_inert(captured.out)
    assert captured.out.startswith(f"Added 1 user identities to {HOSTILE_SHOWN} (")

    assert main(["seed", "--identities", "1", "--workspace", "Nope\x1b[2J", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert_inert(captured.err)
    assert captured.err.count("\n") == 1
    assert HOSTILE_SHOWN in captured.err


def test_serve_announces_one_ascii_json_line(tmp_path: Path) -> None:
    """The announcement quotes workspace names as JSON (escaped); the server itself is stubbed
    out, so the test stops right after the announcement."""
    sandbox = Sandbox(tmp_path / "serve.sqlite3")
    sandbox.create_workspace(HOSTILE)
    out = io.StringIO()

    class Stop(Exception):
        pass

    class NoServer:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise Stop

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("seam_tui.sandbox.serve._Server", NoServer)
            with pytest.raises(Stop):
                serve(sandbox, sock, out)
    finally:
        sock.close()
        sandbox.close()
    text = out.getvalue()
    assert text.count("\n") == 1
    assert text.isascii()
    assert_inert(text)
    names = [ws["name"] for ws in json.loads(text)["workspaces"]]
    assert HOSTILE in names
