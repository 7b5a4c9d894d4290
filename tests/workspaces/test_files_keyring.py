"""A keyring backend that stores keys in plain text (keyrings.alt's PlaintextKeyring, the real
class, installed through keyring's own API) is treated as the opt-in file store is: refused
without --insecure-file-store, and a warning each time it is used with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyrings.alt.file import PlaintextKeyring

from seam_tui.paths import config_dir, data_dir
from seam_tui.sandbox import SandboxWorkspace
from seam_tui.workspaces import SERVICE, WorkspaceError, insecure_file_path, resolve_workspace
from seam_tui.workspaces.profiles import Profile, ProfileFile
from seam_tui.workspaces.secret_store import plaintext_backend
from tests.workspaces.helpers import add_workspace, config_text, run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]
PLAINTEXT = "keyrings.alt.file.PlaintextKeyring"

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


@pytest.fixture
def plaintext(tmp_path: Path, no_keyring: fail.Keyring) -> PlaintextKeyring:
    """keyrings.alt's PlaintextKeyring, its file in this test's tmp dir, as the keyring."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "python_keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)  # the autouse no_keyring fixture puts the old one back
    return backend


def saved_in_keyring(backend: KeyringBackend, workspace: SandboxWorkspace) -> None:
    """A profile whose key was put in this keyring before (e.g. by an older seam-tui)."""
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile(
        "acme", "sandbox://local", "api_key", workspace_id=workspace.workspace_id
    )
    saved.save()
    backend.set_password(SERVICE, "acme", workspace.api_key)


def test_adding_a_key_to_it_is_refused_without_the_opt_in(
    cli: Cli, plaintext: PlaintextKeyring, acme: SandboxWorkspace
) -> None:
    run = add_workspace(*cli, "acme", acme.api_key)
    assert run.code == 1
    [line] = run.err.splitlines()
    assert "no usable keyring backend" in line
    assert f"{PLAINTEXT} ({plaintext.file_path}) stores them UNENCRYPTED" in line
    assert "--insecure-file-store" in line
    assert not Path(plaintext.file_path).exists()
    assert not config_text()


def test_with_the_opt_in_a_new_key_goes_to_the_0600_file_store(
    cli: Cli, plaintext: PlaintextKeyring, acme: SandboxWorkspace
) -> None:
    run = add_workspace(*cli, "acme", acme.api_key, insecure_file_store=True)
    assert run.code == 0, run.err
    assert acme.api_key in insecure_file_path().read_text()
    assert not Path(plaintext.file_path).exists()


def test_a_key_already_in_it_is_used_only_with_the_opt_in_and_a_warning_each_time(
    cli: Cli, plaintext: PlaintextKeyring, acme: SandboxWorkspace
) -> None:
    saved_in_keyring(plaintext, acme)

    with pytest.raises(WorkspaceError, match="stores them UNENCRYPTED"):
        resolve_workspace("acme")
    for _ in range(2):
        resolved = resolve_workspace("acme", insecure_file_store=True)
        assert resolved.workspace_id == acme.workspace_id
        [warning] = resolved.warnings
        assert warning.startswith(f'profile "acme": the keyring backend {PLAINTEXT} (')
        assert plaintext.file_path in warning
        assert "UNENCRYPTED" in warning
        assert acme.api_key not in warning

    listed = run_cli(*cli, "workspace", "list")
    assert listed.code == 0
    assert f"warning: the keyring backend {PLAINTEXT}" in listed.err
    [row] = [line for line in listed.out.splitlines() if " acme " in line]
    assert row.rstrip().endswith("keyring")  # the key is there: the listing says so

    shown = run_cli(*cli, "--insecure-file-store", "workspace", "show", "acme", "--check")
    assert shown.code == 0, shown.err
    assert "UNENCRYPTED" in shown.err

    moved = add_workspace(*cli, "acme", acme.api_key, "--replace", insecure_file_store=True)
    assert moved.code == 0, moved.err
    assert plaintext.get_password(SERVICE, "acme") is None  # moved out of the plaintext file
    assert acme.api_key in insecure_file_path().read_text()


def test_seam_mcp_and_seam_tui_as_programs_say_so_with_the_real_backend_by_name(
    tmp_path: Path, acme: SandboxWorkspace
) -> None:
    """PYTHON_KEYRING_BACKEND selects keyrings.alt's class in a real process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEAM_", "TEXTUAL"))}
    env.update(
        SEAM_TUI_CONFIG_DIR=str(config_dir()),
        SEAM_TUI_DATA_DIR=str(data_dir()),
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND=PLAINTEXT,
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
    )
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "xdg-data" / "python_keyring" / "keyring_pass.cfg")
    saved_in_keyring(backend, acme)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", *args],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    refused = run("agent_tools.cli", "--workspace", "acme")
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line.startswith("seam-mcp: error: ")
    assert "stores them UNENCRYPTED" in line

    served = run("agent_tools.cli", "--workspace", "acme", "--insecure-file-store")
    assert "Traceback" not in served.stderr
    assert f'WARNING seam_tui.workspaces: profile "acme": the keyring backend {PLAINTEXT}' in (
        served.stderr
    )

    checked = run("seam_tui.cli", "--insecure-file-store", "workspace", "show", "acme", "--check")
    assert checked.returncode == 0, checked.stderr
    assert f'seam-tui: warning: profile "acme": the keyring backend {PLAINTEXT}' in (checked.stderr)
    assert acme.api_key not in checked.stderr + served.stderr + refused.stderr


class Chain(chainer.ChainerBackend):
    """keyring's chain of backends, with its members given (keyring computes them otherwise)."""

    members: list[KeyringBackend] = []

    @property
    def backends(self) -> list[KeyringBackend]:
        return self.members


class SaysPlain(MemoryKeyring):
    """Another project's backend that says it stores secrets unencrypted."""

    scheme = "no encryption"


def test_which_backends_count_as_plaintext(tmp_path: Path) -> None:
    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "keyring_pass.cfg")
    assert plaintext_backend(plain) == f"{PLAINTEXT} ({plain.file_path})"
    assert plaintext_backend(SaysPlain()) == f"{__name__}.SaysPlain"
    assert plaintext_backend(MemoryKeyring()) is None
    assert plaintext_backend(fail.Keyring()) is None

    first_plain, first_memory = Chain(), Chain()
    first_plain.members = [plain, MemoryKeyring()]
    first_memory.members = [MemoryKeyring(), plain]
    # A chain stores in its first member: only then do keys go to the plaintext file.
    assert plaintext_backend(first_plain) == f"{PLAINTEXT} ({plain.file_path})"
    assert plaintext_backend(first_memory) is None
