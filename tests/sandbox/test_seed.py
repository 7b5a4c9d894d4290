"""The demo seed (deterministic), bulk seeding, reset and the CLI's reset/seed commands."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox, default_db_path
from seam_tui.sandbox.cli import add_sandbox_arguments, main
from tests.sandbox.conftest import client_for


def test_demo_is_deterministic_except_keys(tmp_path: Path) -> None:
    one, two = Sandbox(tmp_path / "one.sqlite3"), Sandbox(tmp_path / "two.sqlite3")
    try:
        first, second = one.workspaces(), two.workspaces()
        assert [(w.workspace_id, w.name) for w in first] == [
            (w.workspace_id, w.name) for w in second
        ]
        assert [w.api_key for w in first] != [w.api_key for w in second]
        assert one.personal_access_token() != two.personal_access_token()
    finally:
        one.close()
        two.close()


def test_demo_sizes(sandbox: Sandbox) -> None:
    assert [w.name for w in sandbox.workspaces()] == [
        "Acme Property Sandbox",
        "Globex Offices Sandbox",
    ]
    assert sandbox.count("user_identities") == 25 + 8
    assert sandbox.count("acs_users") == 60 + 13
    assert sandbox.count("acs_systems") == 4 + 2
    assert sandbox.count("acs_access_groups") == 8
    with pytest.raises(ValueError, match="unknown table"):
        sandbox.count("sqlite_master")


def test_reopening_does_not_reseed(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    Sandbox(path).close()
    again = Sandbox(path)
    try:
        assert again.count("workspaces") == 2
    finally:
        again.close()


def test_reset_restores_demo_with_new_keys(sandbox: Sandbox) -> None:
    keys = [w.api_key for w in sandbox.workspaces()]
    pat = sandbox.personal_access_token()
    sandbox.create_workspace("Extra")
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, 500)
    sandbox.reset()
    assert sandbox.count("workspaces") == 2
    assert sandbox.count("user_identities") == 33
    assert [w.api_key for w in sandbox.workspaces()] != keys
    assert sandbox.personal_access_token() != pat


async def test_bulk_seed_is_searchable_and_fast(sandbox: Sandbox) -> None:
    acme = sandbox.workspaces()[0]
    started = time.perf_counter()
    assert sandbox.seed_identities(acme.workspace_id, 5_000) == 5_000
    assert time.perf_counter() - started < 5
    assert sandbox.count("user_identities") == 33 + 5_000
    async with client_for(sandbox, authorization=f"Bearer {acme.api_key}") as http:
        one = (await http.get("/user_identities/list", params={"limit": 1})).json()
        # The bulk identities are in the search index.
        found = (
            await http.get("/user_identities/list", params={"search": "sage.reyes", "limit": 100})
        ).json()
    assert one["pagination"]["has_next_page"]
    assert found["user_identities"]
    assert all("sage.reyes" in i["email_address"] for i in found["user_identities"])


def test_seed_unknown_workspace(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="no workspace"):
        sandbox.seed_identities("00000000-0000-4000-8000-000000000000", 1)


def test_default_db_path_is_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAM_TUI_DATA_DIR", str(tmp_path))
    assert default_db_path() == tmp_path / "sandbox.sqlite3"


def test_cli_reset_and_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.sqlite3"
    assert main(["reset", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Acme Property Sandbox" in out
    assert "seam_test" in out
    code = main(
        ["seed", "--identities", "50", "--workspace", "Globex Offices Sandbox", "--db", str(db)]
    )
    assert code == 0
    assert "Added 50 user identities to Globex Offices Sandbox" in capsys.readouterr().out
    assert main(["seed", "--identities", "1", "--workspace", "Nope", "--db", str(db)]) == 1
    sb = Sandbox(db)
    try:
        assert sb.count("user_identities") == 33 + 50
    finally:
        sb.close()


def test_cli_refuses_remote_host(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_cli_rejects_unknown_fault_kind() -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--fault-kinds", "500,fire"])


def test_add_sandbox_arguments_plugs_into_a_parser() -> None:
    parser = argparse.ArgumentParser(prog="seam-tui")
    add_sandbox_arguments(parser.add_subparsers(dest="command").add_parser("sandbox"))
    args = parser.parse_args(["sandbox", "seed", "--identities", "3"])
    assert args.identities == 3
    assert callable(args.func)
