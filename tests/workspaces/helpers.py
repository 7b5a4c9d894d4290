"""Drive `seam-tui` in-process, with stdin as given, and collect what it printed."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from seam_tui.cli import main
from seam_tui.workspaces import profiles_path


class TtyInput(io.StringIO):
    """Stdin that says it is a terminal (for the prompts)."""

    def isatty(self) -> bool:
        return True


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str = "",
    tty: bool = False,
) -> Run:
    monkeypatch.setattr("sys.stdin", TtyInput(stdin) if tty else io.StringIO(stdin))
    code = main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def add_workspace(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    key: str,
    *options: str,
    insecure_file_store: bool = False,
) -> Run:
    """`seam-tui [--insecure-file-store] workspace add NAME --endpoint sandbox://local
    --api-key-stdin OPTIONS...`, with KEY (and a newline) on stdin."""
    flags = ("--insecure-file-store",) if insecure_file_store else ()
    return run_cli(
        monkeypatch,
        capsys,
        *flags,
        "workspace",
        "add",
        name,
        "--endpoint",
        "sandbox://local",
        "--api-key-stdin",
        *options,
        stdin=key + "\n",
    )


def config_text() -> str:
    path: Path = profiles_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""
