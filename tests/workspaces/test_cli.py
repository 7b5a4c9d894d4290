"""`seam-tui workspace ...` with an in-memory keyring: add, list, use, show, rename, remove."""

from __future__ import annotations

import json
import tomllib

import pytest

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.workspaces import SERVICE, profiles_path
from tests.workspaces.helpers import add_workspace, config_text, run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("memory_keyring")

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def add_key(cli: Cli, name: str, key: str, *extra: str) -> None:
    run = add_workspace(*cli, name, key, *extra)
    assert run.code == 0, run.err
    assert key not in run.text


def test_add_verifies_then_saves_without_the_secret(
    cli: Cli, acme: SandboxWorkspace, memory_keyring: MemoryKeyring
) -> None:
    run = add_workspace(*cli, "acme", acme.api_key)
    assert run.code == 0, run.err
    assert acme.name in run.out
    assert "sandbox: yes" in run.out
    assert acme.api_key not in run.text
    assert memory_keyring.passwords == {(SERVICE, "acme"): acme.api_key}
    saved = tomllib.loads(config_text())["profiles"]["acme"]
    assert saved == {
        "endpoint": "sandbox://local",
        "auth": "api_key",
        "workspace_id": acme.workspace_id,
        "label": acme.name,
        "read_only": False,
        "secret_store": "keyring",
    }
    assert acme.api_key not in config_text()


def test_add_reads_a_hidden_prompt(
    cli: Cli, acme: SandboxWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return acme.api_key

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    run = run_cli(
        *cli, "workspace", "add", "acme", "--endpoint", "sandbox://local", "--use", tty=True
    )
    assert run.code == 0, run.err
    assert prompts
    assert "acme" in prompts[0]
    assert "now the active profile" in run.out


def test_a_wrong_key_saves_nothing_and_says_why(
    cli: Cli, local: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    bad = "seam_test_no_such_key_0000000000"
    run = add_workspace(*cli, "acme", bad)
    assert run.code == 1
    assert run.err.startswith("seam-tui: error: ")
    assert "refused the API key" in run.err
    assert "401" in run.err
    assert "nothing was saved" in run.err
    assert "Traceback" not in run.text
    assert bad not in run.text
    assert memory_keyring.passwords == {}
    assert not profiles_path().exists()


def test_a_malformed_key_saves_nothing(cli: Cli, memory_keyring: MemoryKeyring) -> None:
    run = run_cli(*cli, "workspace", "add", "acme", "--api-key-stdin", stdin="not-a-key\n")
    assert run.code == 1
    assert "starts with 'seam_'" in run.err
    assert memory_keyring.passwords == {}
    assert not profiles_path().exists()


def test_list_shows_every_profile_never_the_secret(
    cli: Cli, acme: SandboxWorkspace, globex: SandboxWorkspace
) -> None:
    add_key(cli, "acme", acme.api_key, "--read-only")
    add_key(cli, "globex", globex.api_key, "--label", "Globex staging")
    run_cli(*cli, "workspace", "use", "globex")

    table = run_cli(*cli, "workspace", "list")
    assert table.code == 0
    lines = table.out.splitlines()
    assert lines[0].split() == ["NAME", "LABEL", "ENDPOINT", "AUTH", "READ-ONLY", "SECRET"]
    globex_line = next(line for line in lines if " globex " in line)
    assert globex_line.startswith("*")
    assert "Globex staging" in globex_line
    assert "keyring" in globex_line
    acme_line = next(line for line in lines if " acme " in line)
    assert " yes " in acme_line
    assert any(line.split()[0] == "sandbox" for line in lines)

    listed = json.loads(run_cli(*cli, "workspace", "list", "--json").out)
    by_name = {p["name"]: p for p in listed["profiles"]}
    assert listed["active"] == "globex"
    assert by_name["acme"]["read_only"] is True
    assert by_name["acme"]["has_secret"] is True
    assert by_name["acme"]["auth_kind"] == "api_key"
    assert by_name["sandbox"]["builtin"] is True
    for secret in (acme.api_key, globex.api_key):
        assert secret not in table.text
        assert secret not in json.dumps(listed)


def test_use_show_rename_remove(
    cli: Cli, acme: SandboxWorkspace, memory_keyring: MemoryKeyring
) -> None:
    add_key(cli, "acme", acme.api_key)
    assert run_cli(*cli, "workspace", "use", "acme").code == 0

    shown = run_cli(*cli, "workspace", "show", "--json")
    info = json.loads(shown.out)
    assert (info["name"], info["source"], info["label"]) == ("acme", "profile", acme.name)

    checked = run_cli(*cli, "workspace", "show", "acme", "--check")
    assert checked.code == 0, checked.err
    assert acme.workspace_id in checked.out
    assert acme.api_key not in checked.text

    renamed = run_cli(*cli, "workspace", "rename", "acme", "acme-prod")
    assert renamed.code == 0, renamed.err
    assert memory_keyring.passwords == {(SERVICE, "acme-prod"): acme.api_key}
    assert tomllib.loads(config_text())["active"] == "acme-prod"

    refused = run_cli(*cli, "workspace", "remove", "acme-prod")
    assert refused.code == 1
    assert "--yes" in refused.err
    assert memory_keyring.passwords

    declined = run_cli(*cli, "workspace", "remove", "acme-prod", stdin="n\n", tty=True)
    assert declined.code == 1
    assert memory_keyring.passwords

    removed = run_cli(*cli, "workspace", "remove", "acme-prod", stdin="y\n", tty=True)
    assert removed.code == 0, removed.err
    assert "secret was deleted" in removed.out
    assert memory_keyring.passwords == {}
    assert "acme-prod" not in config_text()
    info = json.loads(run_cli(*cli, "workspace", "show", "--json").out)
    assert (info["name"], info["source"]) == ("sandbox", "sandbox")


def test_add_refuses_reserved_and_taken_names_before_asking(
    cli: Cli, acme: SandboxWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_prompt(prompt: str) -> str:
        raise AssertionError("asked for a secret that could not be saved")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    for name in ("sandbox", "sandbox-x", "env", "bad name"):
        run = run_cli(*cli, "workspace", "add", name)
        assert run.code == 1, name
    add_key(cli, "acme", acme.api_key)
    taken = run_cli(*cli, "workspace", "add", "acme")
    assert taken.code == 1
    assert "--replace" in taken.err


def test_replace_rotates_the_key(
    cli: Cli, acme: SandboxWorkspace, globex: SandboxWorkspace, memory_keyring: MemoryKeyring
) -> None:
    add_key(cli, "prod", acme.api_key)
    add_key(cli, "prod", globex.api_key, "--replace")
    assert memory_keyring.passwords == {(SERVICE, "prod"): globex.api_key}
    assert tomllib.loads(config_text())["profiles"]["prod"]["workspace_id"] == globex.workspace_id


def test_builtin_profiles_cannot_be_removed_or_renamed(cli: Cli, local: Sandbox) -> None:
    for args in (("remove", "sandbox", "--yes"), ("rename", "sandbox", "mine")):
        run = run_cli(*cli, "workspace", *args)
        assert run.code == 1
        assert "built-in sandbox profile" in run.err


def test_unknown_profile_lists_the_known_ones(cli: Cli, acme: SandboxWorkspace) -> None:
    add_key(cli, "acme", acme.api_key)
    run = run_cli(*cli, "workspace", "use", "acmee")
    assert run.code == 1
    assert "known profiles: acme, sandbox, sandbox-" in run.err
    run = run_cli(*cli, "--workspace", "nope", "workspace", "show")
    assert run.code == 1
    assert 'no workspace profile named "nope"' in run.err


def test_pat_with_workspace_id(
    cli: Cli, local: Sandbox, globex: SandboxWorkspace, memory_keyring: MemoryKeyring
) -> None:
    token = local.personal_access_token()
    run = run_cli(
        *cli,
        "workspace",
        "add",
        "globex",
        "--endpoint",
        "sandbox://local",
        "--pat-stdin",
        "--workspace-id",
        globex.workspace_id,
        stdin=token + "\n",
    )
    assert run.code == 0, run.err
    assert globex.name in run.out
    saved = tomllib.loads(config_text())["profiles"]["globex"]
    assert saved["auth"] == "personal_access_token"
    assert saved["workspace_id"] == globex.workspace_id
    assert token not in config_text() + run.text


def test_pat_without_workspace_id_needs_a_choice_off_a_terminal(
    cli: Cli, local: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    token = local.personal_access_token()
    run = run_cli(
        *cli,
        "workspace",
        "add",
        "org",
        "--endpoint",
        "sandbox://local",
        "--pat-stdin",
        stdin=token + "\n",
    )
    assert run.code == 1
    assert "--workspace-id" in run.err
    assert "--all" in run.err
    for ws in local.workspaces():
        assert ws.workspace_id in run.err
    assert memory_keyring.passwords == {}


def test_pat_all_adds_each_workspace(
    cli: Cli, local: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    token = local.personal_access_token()
    run = run_cli(
        *cli,
        "workspace",
        "add",
        "org",
        "--endpoint",
        "sandbox://local",
        "--pat-stdin",
        "--all",
        stdin=token + "\n",
    )
    assert run.code == 0, run.err
    profiles = tomllib.loads(config_text())["profiles"]
    assert {p["workspace_id"] for p in profiles.values()} == {
        ws.workspace_id for ws in local.workspaces()
    }
    assert all(name.startswith("org-") for name in profiles)
    assert set(memory_keyring.passwords.values()) == {token}


def test_pat_pick_from_the_list_on_a_terminal(
    cli: Cli, local: Sandbox, globex: SandboxWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: local.personal_access_token())
    run = run_cli(
        *cli,
        "workspace",
        "add",
        "picked",
        "--endpoint",
        "sandbox://local",
        stdin="9\n2\n",
        tty=True,
    )
    assert run.code == 0, run.err
    assert "1. " in run.err
    assert "2. " in run.err
    assert "Type a number" in run.err
    profiles = tomllib.loads(config_text())["profiles"]
    assert profiles["picked"]["workspace_id"] == globex.workspace_id


def test_list_notes_an_env_override(
    cli: Cli, acme: SandboxWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAM_API_KEY", acme.api_key)
    run = run_cli(*cli, "workspace", "list")
    assert run.code == 0
    assert "overrides the active profile" in run.err
    assert acme.api_key not in run.text
    shown = json.loads(run_cli(*cli, "workspace", "show", "--json").out)
    assert (shown["name"], shown["source"]) == ("env", "env")
