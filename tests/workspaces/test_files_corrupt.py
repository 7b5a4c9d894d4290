"""A corrupt or unreadable workspaces.toml: one line naming the file and the fix, a non-zero exit,
from every entry point (`seam-tui` starting the TUI, `seam-tui workspace ...`, `seam-mcp`), run
as real programs; the file is never rewritten by a command that could not read it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent_tools.cli import main as agent_main
from seam_tui.cli import main as seam_tui_main
from seam_tui.paths import config_dir, data_dir
from seam_tui.workspaces import profiles_path

ROOT = Path(__file__).resolve().parents[2]
FIX = "fix it, or move it aside to start with no saved profiles"


def program(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `python -m ...` with the test's dirs; `unprivileged` drops root's power to read any
    file (so a mode-000 file is refused to root as it is to anyone)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEAM_", "TEXTUAL"))}
    env.update(
        SEAM_TUI_CONFIG_DIR=str(config_dir()),
        SEAM_TUI_DATA_DIR=str(data_dir()),
        PYTHONPATH=str(ROOT),
    )
    argv = [sys.executable, "-m", *args]
    if unprivileged and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "root needs util-linux's setpriv to give up reading every file"
        argv = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *argv]
    return subprocess.run(
        argv, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )


ENTRY_POINTS = {
    "tui": ("seam_tui.cli",),
    "workspace list": ("seam_tui.cli", "workspace", "list"),
    "workspace use": ("seam_tui.cli", "workspace", "use", "sandbox"),
    "seam-mcp": ("agent_tools.cli",),
}


def write(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.toml").write_text("x = 1\n")


def loop(path: Path) -> None:
    path.symlink_to(path.name)


def too_large(path: Path) -> None:
    path.write_bytes(b"# padding\n" * 200_000)


# (how the file is broken, what the line must say about it)
BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "bad TOML": (
        write(b'active = "acme"\n[profiles.acme\nendpoint = "https://x"\n'),
        "is not valid TOML (Expected ']' at the end of a table declaration (at line 2",
    ),
    "invalid UTF-8": (
        write(b'active = "acme"\n# caf\xe9 \xff\n'),
        "is not valid UTF-8 (line 2: byte e9)",
    ),
    "profiles not a table": (write(b"profiles = 3\n"), "has 'profiles' that is not a table"),
    "active not a name": (write(b"active = 5\n"), "has 'active' that is not a profile name"),
    "profile not a table": (
        write(b'[profiles]\nacme = "https://x"\n'),
        'has profile "acme" that is not a table',
    ),
    "endpoint a number": (
        write(b"[profiles.acme]\nendpoint = 1\n"),
        'has profile "acme" whose endpoint is missing or not a string',
    ),
    "auth a list": (
        write(b'[profiles.acme]\nendpoint = "https://x"\nauth = [1]\n'),
        "has profile \"acme\" whose auth is not 'api_key' or 'personal_access_token'",
    ),
    "read_only a string": (
        write(b'[profiles.acme]\nendpoint = "https://x"\nread_only = "yes"\n'),
        'has profile "acme" whose read_only is not true or false',
    ),
    "label a table": (
        write(b'[profiles.acme]\nendpoint = "https://x"\nlabel = {a = 1}\n'),
        'has profile "acme" whose label is not a string',
    ),
    "a directory": (directory, "is a directory, not a file"),
    "a symlink loop": (loop, "cannot be read (Too many levels of symbolic links)"),
    "too large": (too_large, "is too large to be a profile file (2000000 bytes)"),
}


def assert_one_line(run: subprocess.CompletedProcess[str], prog: str, *said: str) -> str:
    assert run.returncode != 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    [line] = lines
    assert line.startswith(f"{prog}: error: profile file {profiles_path()} "), line
    for words in said:
        assert words in line, line
    return line


def broken_file(broken: str) -> tuple[str, bytes | None]:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    make, said = BROKEN[broken]
    make(path)
    return said, path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize("broken", ["bad TOML", "invalid UTF-8", "a directory"])
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_broken_profile_file_is_one_line_from_every_program(entry: str, broken: str) -> None:
    said, before = broken_file(broken)

    run = program(*ENTRY_POINTS[entry])

    prog = "seam-mcp" if entry == "seam-mcp" else "seam-tui"
    assert_one_line(run, prog, said, FIX)
    assert run.returncode == 1  # FAILED, from every program (seam_tui.exit_codes)
    if before is not None:
        assert profiles_path().read_bytes() == before  # never rewritten after a failed read


@pytest.mark.parametrize("broken", BROKEN)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_kind_of_broken_file_is_one_line_from_every_main(
    entry: str, broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same, faster: each program's `main` in this process, for each way to break the file."""
    said, before = broken_file(broken)
    module, *args = ENTRY_POINTS[entry]
    main = agent_main if module == "agent_tools.cli" else seam_tui_main

    code = main(args)

    captured = capsys.readouterr()
    run = subprocess.CompletedProcess(args, code, captured.out, captured.err)
    assert_one_line(run, "seam-mcp" if entry == "seam-mcp" else "seam-tui", said, FIX)
    if before is not None:
        assert profiles_path().read_bytes() == before


def test_an_unreadable_profile_file_says_how_to_make_it_readable() -> None:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_text('[profiles.acme]\nendpoint = "https://x"\n')
    path.chmod(0)
    for entry in ("tui", "workspace list", "seam-mcp"):
        run = program(*ENTRY_POINTS[entry], unprivileged=True)
        prog = "seam-mcp" if entry == "seam-mcp" else "seam-tui"
        assert_one_line(
            run,
            prog,
            "cannot be read (Permission denied)",
            f"make it readable (chmod 600 {path}), or move it aside",
        )


def test_moving_the_broken_file_aside_starts_afresh() -> None:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not toml")
    assert program("seam_tui.cli", "workspace", "list").returncode == 1

    path.rename(path.with_name("workspaces.toml.broken"))
    run = program("seam_tui.cli", "workspace", "list")
    assert run.returncode == 0, run.stderr
    assert "sandbox" in run.stdout
    assert run.stderr == ""


def test_a_profile_file_that_cannot_be_written_is_one_line_and_nothing_changes() -> None:
    """/proc/self is a directory where nobody, root included, can make a file."""
    env_dir = "/proc/self"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEAM_", "TEXTUAL"))}
    env.update(SEAM_TUI_CONFIG_DIR=env_dir, SEAM_TUI_DATA_DIR=str(data_dir()), PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "seam_tui.cli", "workspace", "use", "sandbox"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith(
        "seam-tui: error: the profile file /proc/self/workspaces.toml could not be written ("
    )
    assert "nothing was saved" in line
    assert run.stdout == ""
