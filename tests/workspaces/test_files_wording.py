"""What the workspace errors say: the variable or file at fault and the fix, a name once and
quoted as JSON (never a Python repr), and a broken secret file called broken, not "MISSING".
Run through the real entry points (`seam-tui` and `seam-mcp` mains).
"""

from __future__ import annotations

import json

import pytest

from agent_tools.cli import main as seam_mcp
from seam_tui.sandbox import SandboxWorkspace
from seam_tui.visible import quoted
from seam_tui.workspaces import insecure_file_path
from tests.inert import HOSTILE, assert_inert
from tests.workspaces.helpers import add_workspace, run_cli

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]
FIX = "Fix SEAM_ENDPOINT, or unset it to use https://connect.getseam.com"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("http://other-host", "refusing plain http to other-host"),
        ("ftp://files.example", 'invalid endpoint "ftp://files.example"'),
    ],
)
def test_a_refused_seam_endpoint_names_the_variable_and_the_fix(
    cli: Cli, endpoint: str, why: str
) -> None:
    monkeypatch, capsys = cli
    monkeypatch.setenv("SEAM_API_KEY", "seam_test_from_env_0123456789")
    monkeypatch.setenv("SEAM_ENDPOINT", endpoint)
    for args in ([], ["workspace", "show"]):
        run = run_cli(*cli, *args)
        assert run.code != 0
        [line] = run.err.splitlines()
        assert line.startswith(f"seam-tui: error: SEAM_ENDPOINT in the environment: {why}")
        assert line.endswith(FIX)
    assert seam_mcp([]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"seam-mcp: error: SEAM_ENDPOINT in the environment: {why}")
    assert line.endswith(FIX)


def test_an_unknown_workspace_is_named_once_quoted_as_json(cli: Cli) -> None:
    _, capsys = cli
    run = run_cli(*cli, "--workspace", HOSTILE, "workspace", "show")
    assert seam_mcp(["--workspace", HOSTILE]) == 1
    mcp_err = capsys.readouterr().err
    for err in (run.err, mcp_err):
        assert_inert(err)
        assert err.count(quoted(HOSTILE)) == 1
        assert f"no workspace profile named {quoted(HOSTILE)}; known profiles: sandbox" in err
        assert "\\x1b" not in err  # no Python repr beside it
        assert err.count("[b]x[/b]") == 1


def test_workspace_list_says_a_broken_secret_file_is_broken(
    cli: Cli, acme: SandboxWorkspace
) -> None:
    added = add_workspace(*cli, "acme", acme.api_key, insecure_file_store=True)
    assert added.code == 0, added.err
    insecure_file_path().write_text("garbage[[\n")

    listed = run_cli(*cli, "workspace", "list")
    assert listed.code == 0
    [row] = [r for r in listed.out.splitlines() if r.split()[:1] == ["acme"]]
    assert row.split()[-1] == "UNREADABLE"
    assert "MISSING" not in listed.out
    [warning] = [w for w in listed.err.splitlines() if "acme" in w]
    assert warning.startswith(
        f'seam-tui: warning: cannot check the secret of profile "acme": the insecure secret '
        f"file {insecure_file_path()} is not valid TOML"
    )
    assert "fix it, or move it aside and store each key again" in warning

    as_json = run_cli(*cli, "workspace", "list", "--json")
    [status] = [p for p in json.loads(as_json.out)["profiles"] if p["name"] == "acme"]
    assert status["has_secret"] is False
    assert "is not valid TOML" in status["secret_problem"]

    shown = run_cli(*cli, "workspace", "show", "acme")
    assert shown.code == 0
    assert "secret:         UNREADABLE" in shown.out.splitlines()
    assert "is not valid TOML" in shown.out


def test_a_missing_secret_is_still_said_missing(cli: Cli, acme: SandboxWorkspace) -> None:
    added = add_workspace(*cli, "acme", acme.api_key, insecure_file_store=True)
    assert added.code == 0, added.err
    insecure_file_path().write_text("[secrets]\n")
    listed = run_cli(*cli, "workspace", "list")
    [row] = [r for r in listed.out.splitlines() if r.split()[:1] == ["acme"]]
    assert row.split()[-1] == "MISSING"
    assert "cannot check" not in listed.err
