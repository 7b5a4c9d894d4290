"""seam-tui's files are 0600 and its directories 0700: made so, and tightened when found looser.

An existing directory named by SEAM_TUI_CONFIG_DIR / SEAM_TUI_DATA_DIR may be shared (e.g. /tmp):
it is left as it is, and what seam-tui writes in it is still 0600. A symlink is never followed to
change the mode of what it points at.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from seam_tui.core.audit import AuditLog
from seam_tui.crash import record_crash, reports_dir
from seam_tui.paths import config_dir, data_dir, private_dir, tighten
from seam_tui.sandbox import SandboxWorkspace
from seam_tui.workspaces import insecure_file_path, profiles_path
from seam_tui.workspaces.profiles import Profile, ProfileFile
from tests.workspaces.helpers import add_workspace, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def default_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The platform's default config and data dirs (under a fake home), no overrides."""
    monkeypatch.delenv("SEAM_TUI_CONFIG_DIR")
    monkeypatch.delenv("SEAM_TUI_DATA_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    assert config_dir() == tmp_path / "home" / ".config" / "seam-tui"
    return config_dir(), data_dir()


def test_files_made_by_a_session_are_0600_in_0700_dirs(cli: Cli, acme: SandboxWorkspace) -> None:
    old = os.umask(0o022)  # the usual umask: what is private here is so by its own mode
    try:
        run = add_workspace(*cli, "acme", acme.api_key, "--use", insecure_file_store=True)
        assert run.code == 0, run.err
        record_crash(RuntimeError("a crash, for its report"))
    finally:
        os.umask(old)
    assert mode(config_dir()) == 0o700
    assert mode(profiles_path()) == 0o600
    assert mode(insecure_file_path()) == 0o600
    assert mode(data_dir()) == 0o700
    assert mode(reports_dir()) == 0o700
    [report] = reports_dir().iterdir()
    assert mode(report) == 0o600


def test_default_dirs_and_the_profile_file_found_loose_are_tightened(
    default_dirs: tuple[Path, Path], cli: Cli
) -> None:
    config, data = default_dirs
    config.mkdir(parents=True, mode=0o755)
    data.mkdir(parents=True, mode=0o755)
    config.chmod(0o755)
    data.chmod(0o775)
    profiles_path().write_text('[profiles.acme]\nendpoint = "https://connect.getseam.com"\n')
    profiles_path().chmod(0o644)

    run = run_cli(*cli, "workspace", "list")

    assert run.code == 0, run.err
    assert mode(config) == 0o700
    assert mode(data) == 0o700
    assert mode(profiles_path()) == 0o600
    assert mode(config.parent) == 0o755  # ~/.config itself is not ours


def test_every_dir_made_for_a_missing_config_or_data_dir_is_0700(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: the parents made for a missing config dir were 0755; the parent that was there
    already is left as it was."""
    there = tmp_path / "m1"
    there.mkdir()
    there.chmod(0o755)
    config = there / "cfg" / "seam" / "config"
    data = there / "data" / "seam"
    monkeypatch.setenv("SEAM_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("SEAM_TUI_DATA_DIR", str(data))
    old = os.umask(0o022)
    try:
        run = run_cli(*cli, "workspace", "use", "sandbox-globex-offices")
        assert run.code == 0, run.err
        AuditLog().record(front_end="cli", workspace="sandbox", operation="x", ids={}, outcome="ok")
    finally:
        os.umask(old)
    assert profiles_path().is_file()
    assert (data / "audit.jsonl").is_file()
    made = [there / "cfg", there / "cfg" / "seam", config, there / "data", data]
    assert {str(d.relative_to(there)): oct(mode(d)) for d in made} == {
        str(d.relative_to(there)): oct(0o700) for d in made
    }
    assert mode(there) == 0o755


def test_private_dir_leaves_a_racing_or_existing_dir_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert private_dir(shared) == shared
    assert mode(shared) == 0o755  # named by the user, not made here
    private_dir(shared / "a" / "b")
    assert (mode(shared / "a"), mode(shared / "a" / "b")) == (0o700, 0o700)
    assert mode(shared) == 0o755
    a_file = tmp_path / "file"
    a_file.write_text("x")
    private_dir(a_file)  # not a directory: left for the write that follows to fail clearly
    assert a_file.read_text() == "x"


def test_a_named_dir_that_exists_is_left_but_the_file_in_it_is_private(
    tmp_path: Path, cli: Cli
) -> None:
    shared = config_dir()
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile("acme", "https://connect.getseam.com", "api_key")
    saved.save()
    profiles_path().chmod(0o664)

    assert run_cli(*cli, "workspace", "list").code == 0

    assert mode(shared) == 0o755
    assert mode(profiles_path()) == 0o600


def test_a_symlinked_profile_file_is_read_but_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "workspaces.toml"
    target.parent.mkdir()
    target.write_text('[profiles.acme]\nendpoint = "https://connect.getseam.com"\n')
    target.chmod(0o644)
    private_dir(config_dir())
    profiles_path().symlink_to(target)

    assert "acme" in ProfileFile.load().profiles
    assert mode(target) == 0o644


def test_tighten_only_clears_bits_and_only_on_files_and_dirs(tmp_path: Path) -> None:
    read_only = tmp_path / "read-only"
    read_only.write_text("x")
    read_only.chmod(0o444)
    assert tighten(read_only, 0o600)
    assert mode(read_only) == 0o400  # never adds a bit the user took away
    assert not tighten(read_only, 0o600)  # nothing left to clear

    link = tmp_path / "link"
    link.symlink_to(read_only)
    read_only.chmod(0o644)
    assert not tighten(link, 0o600)
    assert mode(read_only) == 0o644
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o666)
    os.chmod(fifo, 0o666)
    assert not tighten(fifo, 0o600)
    assert mode(fifo) == 0o666
