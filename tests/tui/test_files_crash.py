"""A crash when no report can be written (the disk is full): still one line, never a second
traceback, and no empty report left behind.

The real program runs in a pseudo-terminal (tests/tui/crash_harness.py, which makes the service
fail as the app mounts) with RLIMIT_FSIZE at 0: the OS refuses every byte written to a file, as
a full disk does, while the terminal (not a file) still works.
"""

from __future__ import annotations

import resource
from collections.abc import Iterator
from pathlib import Path

import pytest

from seam_tui.crash import record_crash, reports_dir
from tests.sandbox.test_serve import serving
from tests.tui.pty_terminal import Terminal, program_env

HARNESS = Path(__file__).with_name("crash_harness.py")
# Run the harness as `python -c ...` so the limit is set in the program itself, before it starts.
NO_FILE_BYTES = (
    "import resource, runpy, sys; "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY)); "
    "sys.argv = [sys.argv[1], 'crash']; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)

pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(endpoint, API key) of a sandbox served on loopback (tests/sandbox/test_serve.py), in a
    process of its own (the one under test then writes no file of its own but the report)."""
    with serving(tmp_path / "seam-cloud" / "sandbox.sqlite3") as (_, served):
        yield served["url"], served["workspaces"][0]["api_key"]


def test_a_crash_on_a_full_disk_is_still_one_line(cloud: tuple[str, str]) -> None:
    endpoint, key = cloud
    terminal = Terminal(
        ["-c", NO_FILE_BYTES, str(HARNESS)],
        program_env(SEAM_API_KEY=key, SEAM_ENDPOINT=endpoint),
    )
    code = terminal.finish()

    text = terminal.text()
    assert code == 1, text[-2000:]
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if "seam-tui crashed" in line]
    assert lines == [
        "seam-tui crashed (RuntimeError); no crash report could be written "
        "(OSError: File too large)"
    ], text[-2000:]
    assert text.rstrip().endswith("(OSError: File too large)")
    assert key not in text
    assert list(reports_dir().glob("*")) == []  # no empty or cut report left


def test_a_report_cut_short_is_removed_and_the_line_says_why() -> None:
    """In this process: a report larger than the file size limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    reports_dir().mkdir(parents=True)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
    try:
        line = record_crash(RuntimeError("x" * 3000))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert line == (
        "seam-tui crashed (RuntimeError); no crash report could be written "
        "(OSError: File too large)"
    )
    assert list(reports_dir().iterdir()) == []
