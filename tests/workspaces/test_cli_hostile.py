"""Hostile text in profiles and workspace names is shown by `seam-tui workspace ...`, never run.

The text gets in the ways a user or a server could put it there: `workspace add --label`, a
hand-edited workspaces.toml (names in it are not checked), and a workspace's name on the server
(the default label, and the built-in sandbox profiles' labels).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from rich.cells import cell_len

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.visible import visible
from seam_tui.workspaces import SERVICE, profiles_path
from tests.inert import HOSTILE, HOSTILE_SHOWN, PLACEHOLDERS, assert_inert
from tests.workspaces.helpers import Run, config_text, run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("memory_keyring")

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]

LONG_LABEL = HOSTILE + " " + "x" * 500
HOSTILE_NAME = "evil\x1b[2J\u202eeman\u200b\x9b\nname"
HOSTILE_ENDPOINT = "https://evil.example/\x1b]0;pwned\x07"
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
SHOW_LABEL = re.compile(r"^label: +")


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def inert_run(cli: Cli, *args: str, stdin: str = "", tty: bool = False) -> Run:
    run = run_cli(*cli, *args, stdin=stdin, tty=tty)
    assert "Traceback" not in run.text
    assert_inert(run.out)
    assert_inert(run.err)
    return run


def assert_aligned(table: str, column: str, value: str) -> list[str]:
    """Every row holding `value` has it where the header has `column`, counted in cells."""
    header, *rows = table.splitlines()
    at = cell_len(header[: header.index(column)])
    holding = [row for row in rows if value in row]
    assert holding
    for row in holding:
        assert cell_len(row[: row.index(value)]) == at, row
    return rows


def shown_field(out: str, key: str) -> str:
    """The value on `workspace show`'s `key:` line."""
    [line] = [line for line in out.splitlines() if line.startswith(f"{key}:")]
    return re.sub(rf"^{key}: +", "", line)


def test_a_hostile_label_from_add_is_shown_cut_in_list_and_whole_in_show(
    cli: Cli, acme: SandboxWorkspace
) -> None:
    added = inert_run(
        cli,
        "workspace",
        "add",
        "acme",
        "--endpoint",
        "sandbox://local",
        "--api-key-stdin",
        "--label",
        LONG_LABEL,
        stdin=acme.api_key + "\n",
    )
    assert added.code == 0, added.err
    assert tomllib.loads(config_text())["profiles"]["acme"]["label"] == LONG_LABEL  # stored as is

    listed = inert_run(cli, "workspace", "list")
    assert listed.code == 0, listed.err
    rows = assert_aligned(listed.out, "ENDPOINT", "sandbox://local")
    assert len(rows) == len(listed.out.splitlines()) - 1  # a newline in data made no new row
    [acme_row] = [row for row in rows if " acme " in row]
    assert "[b]x[/b] ␛]0;pwned␇ ␛[2J" in acme_row
    assert "…" in acme_row
    assert "x" * 50 not in listed.out
    assert_aligned(listed.out, "AUTH", "api key")
    assert_aligned(listed.out, "LABEL", "[b]x[/b]")

    as_json = inert_run(cli, "workspace", "list", "--json")
    assert as_json.code == 0
    assert as_json.out.isascii()
    by_name = {p["name"]: p for p in json.loads(as_json.out)["profiles"]}
    assert by_name["acme"]["label"] == LONG_LABEL

    shown = inert_run(cli, "workspace", "show", "acme")
    assert shown.code == 0, shown.err
    assert shown_field(shown.out, "label") == HOSTILE_SHOWN + " " + "x" * 500
    for placeholder in PLACEHOLDERS:
        assert placeholder in shown.out
    assert "…" not in shown.out

    shown_json = inert_run(cli, "workspace", "show", "acme", "--json")
    assert shown_json.code == 0
    assert json.loads(shown_json.out)["label"] == LONG_LABEL


def _hand_edit(name: str, **fields: object) -> None:
    """Write workspaces.toml as a person with an editor could."""
    profile = {"endpoint": HOSTILE_ENDPOINT, "auth": "api_key", "label": HOSTILE, **fields}
    text = tomli_w.dumps({"active": name, "profiles": {name: profile}})
    profiles_path().parent.mkdir(parents=True, exist_ok=True)
    profiles_path().write_text(text, encoding="utf-8")


def test_a_hostile_profile_name_from_a_hand_edited_file(cli: Cli, local: Sandbox) -> None:
    _hand_edit(HOSTILE_NAME)

    listed = inert_run(cli, "workspace", "list")
    assert listed.code == 0, listed.err
    [row] = [row for row in listed.out.splitlines() if row.startswith("*")]
    assert visible(HOSTILE_NAME) in row
    assert "MISSING" in row  # no secret for it in the keyring
    assert_aligned(listed.out, "SECRET", "MISSING")
    assert_aligned(listed.out, "AUTH", "api key")

    as_json = inert_run(cli, "workspace", "list", "--json")
    listed_json = json.loads(as_json.out)
    assert listed_json["active"] == HOSTILE_NAME
    assert listed_json["profiles"][0]["endpoint"] == HOSTILE_ENDPOINT

    shown = inert_run(cli, "workspace", "show", HOSTILE_NAME)
    assert shown.code == 0, shown.err
    assert shown_field(shown.out, "name") == visible(HOSTILE_NAME)
    assert shown_field(shown.out, "endpoint") == "https://evil.example/␛]0;pwned␇"
    assert shown_field(shown.out, "label") == HOSTILE_SHOWN

    shown_json = inert_run(cli, "workspace", "show", HOSTILE_NAME, "--json")
    assert json.loads(shown_json.out)["name"] == HOSTILE_NAME

    # In effect but without a secret: an error that quotes the name, on one line.
    failed = inert_run(cli, "workspace", "show")
    assert failed.code == 1
    assert failed.err.startswith("seam-tui: error: ")
    assert failed.err.count("\n") == 1

    unknown = inert_run(cli, "workspace", "use", "nope\x1b[2J")
    assert unknown.code == 1
    assert "known profiles:" in unknown.err
    assert unknown.err.count("\n") == 1

    used = inert_run(cli, "workspace", "use", HOSTILE_NAME)
    assert used.code == 0, used.err
    assert used.out == f"active profile: {visible(HOSTILE_NAME)}\n"

    declined = inert_run(cli, "workspace", "remove", HOSTILE_NAME, stdin="n\n", tty=True)
    assert declined.code == 1
    assert declined.err.startswith("Remove profile ")
    assert HOSTILE_SHOWN in declined.err  # the label, in the prompt

    removed = inert_run(cli, "workspace", "remove", HOSTILE_NAME, "--yes")
    assert removed.code == 0, removed.err
    assert removed.out.count("\n") == 2  # removed, and it was the active one


def test_a_hostile_label_on_a_profile_with_a_secret_resolves_and_shows(
    cli: Cli, acme: SandboxWorkspace, memory_keyring: MemoryKeyring
) -> None:
    _hand_edit("acme", endpoint="sandbox://local", workspace_id=acme.workspace_id)
    memory_keyring.passwords[(SERVICE, "acme")] = acme.api_key
    shown = inert_run(cli, "workspace", "show")  # the active profile, resolved
    assert shown.code == 0, shown.err
    assert shown_field(shown.out, "label") == HOSTILE_SHOWN
    checked = inert_run(cli, "workspace", "show", "--check")
    assert checked.code == 0, checked.err
    assert acme.workspace_id in shown_field(checked.out, "checked")


def test_a_hostile_workspace_name_on_the_server(
    cli: Cli, local: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    evil = local.create_workspace(HOSTILE)

    listed = inert_run(cli, "workspace", "list")
    assert listed.code == 0, listed.err
    [row] = [row for row in listed.out.splitlines() if "[b]x[/b]" in row]
    builtin_name = row.split()[0]
    assert re.fullmatch(r"sandbox-[a-z0-9-]+", builtin_name)  # built-in names are slugs
    assert "␛]0;pwned␇" in row
    assert_aligned(listed.out, "ENDPOINT", "sandbox://local")

    added = inert_run(
        cli,
        "workspace",
        "add",
        "evil",
        "--endpoint",
        "sandbox://local",
        "--api-key-stdin",
        stdin=evil.api_key + "\n",
    )
    assert added.code == 0, added.err
    assert added.out.count("\n") == 2
    assert tomllib.loads(config_text())["profiles"]["evil"]["label"] == HOSTILE  # the default

    token = local.personal_access_token()
    cli[0].setattr("getpass.getpass", lambda prompt: token)
    picked = inert_run(
        cli, "workspace", "add", "picked", "--endpoint", "sandbox://local", stdin="1\n", tty=True
    )
    assert picked.code == 0, picked.err
    choices = [line for line in picked.err.splitlines() if re.match(r"^  \d+\. ", line)]
    assert len(choices) == len(local.workspaces())  # one line each, whatever the name holds
    assert any("⟨U+202E⟩" in line for line in choices)

    every = inert_run(
        cli,
        "workspace",
        "add",
        "org",
        "--endpoint",
        "sandbox://local",
        "--pat-stdin",
        "--all",
        stdin=token + "\n",
    )
    assert every.code == 0, every.err
    names = tomllib.loads(config_text())["profiles"]
    assert all(PROFILE_NAME.match(name) for name in names)  # made from names, as slugs


def test_a_reader_that_goes_away_ends_the_listing_quietly(tmp_path: Path) -> None:
    """`seam-tui workspace list | head -1` on a long listing: exit 141, no error, as Unix tools."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAM_")}
    env |= {"SEAM_TUI_CONFIG_DIR": str(tmp_path / "c"), "SEAM_TUI_DATA_DIR": str(tmp_path / "d")}
    for args in (["workspace", "list"], ["workspace", "list", "--json"]):
        reader = subprocess.Popen(
            [sys.executable, "-m", "seam_tui.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert reader.stdout is not None
        assert reader.stderr is not None
        reader.stdout.close()  # the reader leaves before the first line
        err = reader.stderr.read()
        assert reader.wait(timeout=60) == 141
        assert err == b""
