"""A machine with no keyring backend: one clear message, env vars work, the file store is opt-in."""

from __future__ import annotations

import os
import stat
import tomllib

import keyring.core
import pytest
from keyring.backends import null

from seam_tui.sandbox import SandboxWorkspace
from seam_tui.workspaces import (
    WorkspaceError,
    insecure_file_path,
    keyring_problem,
    list_profiles,
    resolve_workspace,
)
from seam_tui.workspaces.profiles import Profile, ProfileFile
from tests.workspaces.helpers import add_workspace, config_text, run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def test_add_says_so_up_front_with_the_ways_out(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_prompt(prompt: str) -> str:
        raise AssertionError("asked for a secret with nowhere to keep it")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    run = run_cli(*cli, "workspace", "add", "acme")
    assert run.code == 1
    assert run.err.count("\n") == 1  # one line
    assert "no usable keyring backend" in run.err
    assert "SEAM_API_KEY" in run.err
    assert "install a keyring backend" in run.err
    assert "--insecure-file-store" in run.err
    assert not config_text()
    assert not insecure_file_path().exists()


def test_null_backend_counts_as_none() -> None:
    keyring.set_keyring(null.Keyring())
    assert keyring_problem() is not None
    assert "null backend" in (keyring_problem() or "")


def test_python_keyring_backend_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    """keyring's own selection (here the env var) decides; we never pick a backend ourselves."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.workspaces.memory_keyring.MemoryKeyring")
    MemoryKeyring.passwords = {}
    assert keyring_problem() is None
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert keyring_problem() is not None
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.Backend")
    assert "could not be loaded" in (keyring_problem() or "")


def test_env_vars_work_without_a_keyring(cli: Cli, globex: SandboxWorkspace) -> None:
    monkeypatch, _ = cli
    monkeypatch.setenv("SEAM_API_KEY", globex.api_key)
    monkeypatch.setenv("SEAM_ENDPOINT", "sandbox://local")
    run = run_cli(*cli, "workspace", "show", "--check")
    assert run.code == 0, run.err
    assert "source:         env" in run.out
    assert globex.workspace_id in run.out
    assert globex.api_key not in run.text


async def test_builtin_sandbox_works_without_a_keyring(acme: SandboxWorkspace) -> None:
    resolved = resolve_workspace()
    assert resolved.is_builtin_sandbox
    async with resolved.open_client() as client:
        assert (await client.workspaces.get()).workspace_id == acme.workspace_id


def test_a_saved_keyring_profile_gets_the_message(acme: SandboxWorkspace) -> None:
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile("acme", "sandbox://local", "api_key")
    saved.active = "acme"
    saved.save()
    with pytest.raises(WorkspaceError, match=r"no usable keyring backend.*SEAM_API_KEY"):
        resolve_workspace()
    (status,) = [s for s in list_profiles() if s.name == "acme"]
    assert status.has_secret is False


def test_insecure_file_store_is_opt_in_0600_and_warns_each_use(
    cli: Cli, acme: SandboxWorkspace
) -> None:
    run = add_workspace(*cli, "acme", acme.api_key, insecure_file_store=True)
    assert run.code == 0, run.err
    assert "warning: " in run.err
    assert "UNENCRYPTED" in run.err
    path = insecure_file_path()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert acme.api_key in path.read_text()
    assert acme.api_key not in config_text()
    assert tomllib.loads(config_text())["profiles"]["acme"]["secret_store"] == "file"

    # The profile remembers its store: it opens without the flag, with the warning each time.
    remembered = run_cli(*cli, "--workspace", "acme", "workspace", "show")
    assert remembered.code == 0, remembered.err
    assert "UNENCRYPTED" in remembered.err

    for flag in ((), ("--insecure-file-store",)):  # the flag (now needless) is still accepted
        shown = run_cli(*cli, "--workspace", "acme", "workspace", "show", "--check", *flag)
        assert shown.code == 0, shown.err
        assert shown.err.count("warning: ") == 1
        assert acme.workspace_id in shown.out
        assert acme.api_key not in shown.text

    removed = run_cli(*cli, "workspace", "remove", "acme", "--yes")
    assert removed.code == 0, removed.err
    assert acme.api_key not in path.read_text()


def test_a_group_readable_file_store_is_made_private_and_said_so(
    cli: Cli, acme: SandboxWorkspace
) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    assert add_workspace(*cli, "acme", acme.api_key, insecure_file_store=True).code == 0
    insecure_file_path().chmod(0o644)
    resolved = resolve_workspace("acme", insecure_file_store=True)
    assert insecure_file_path().stat().st_mode & 0o777 == 0o600
    [said] = [w for w in resolved.warnings if "readable by other users" in w]
    assert "mode 644" in said
    assert "rotate" in said


def test_remove_without_a_keyring_drops_the_profile_and_warns(cli: Cli, local: object) -> None:
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile("acme", "sandbox://local", "api_key")
    saved.save()
    run = run_cli(*cli, "workspace", "remove", "acme", "--yes")
    assert run.code == 0, run.err
    assert "could not be deleted" in run.err
    assert "acme" not in tomllib.loads(config_text())["profiles"]
