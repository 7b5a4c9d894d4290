"""The TUI on a profile whose key is in a plaintext keyring backend (keyrings.alt's, the real
class): refused without --insecure-file-store; with it, the warning the file store gives."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from seam_tui.tui.app import SeamApp
from seam_tui.workspaces import SERVICE, WorkspaceError, resolve_workspace
from seam_tui.workspaces.profiles import Profile, ProfileFile
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, recorded_notes, wait_until
from tests.workspaces.helpers import run_cli

pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def plaintext_profile(tmp_path: Path) -> PlaintextKeyring:
    acme = local_sandbox().workspaces()[0]
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "python_keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile(
        "acme", "sandbox://local", "api_key", workspace_id=acme.workspace_id
    )
    saved.active = "acme"
    saved.save()
    backend.set_password(SERVICE, "acme", acme.api_key)
    return backend


async def test_the_tui_warns_on_start(
    plaintext_profile: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(WorkspaceError, match="stores them UNENCRYPTED"):
        resolve_workspace()
    app = SeamApp(resolve_workspace(insecure_file_store=True), insecure_file_store=True)
    shown = recorded_notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("UNENCRYPTED" in m for m in shown))
        [said] = [m for m in shown if "UNENCRYPTED" in m]
        assert "keyrings.alt.file.PlaintextKeyring" in said
        assert plaintext_profile.get_password(SERVICE, "acme") not in said


def test_starting_the_tui_without_the_opt_in_is_one_line(
    plaintext_profile: PlaintextKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = run_cli(monkeypatch, capsys)
    assert run.code == 1
    [line] = run.err.splitlines()
    assert "stores them UNENCRYPTED" in line
    assert "--insecure-file-store" in line
