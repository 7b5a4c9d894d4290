"""The real program in a pseudo-terminal: keys in, every byte it wrote to the terminal out.

`Terminal(argv, env)` runs `python <argv>` (a harness script, or `-m seam_tui.cli ...`) in a
120x36 xterm; `program_env()` gives it the test's config and data dirs and no SEAM_* or TEXTUAL*
variable of the machine's.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from seam_tui.paths import config_dir, data_dir
from tests.tui.conftest import SIZE

ROOT = Path(__file__).resolve().parents[2]
# A guard against a hung program, not a speed check: each run takes about 2-5 s.
RUN_LIMIT_S = 30.0
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class Terminal:
    """The harness in a pseudo-terminal: keys in, everything the program wrote out."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.monotonic()
        self.master, slave = os.openpty()
        rows, columns = SIZE[1], SIZE[0]
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, *argv],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""
        self.closed = False
        self._sent_at = 0  # len(output) when the last key was sent: `wait_for` reads after it

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self.master, 65536)
        except OSError as exc:  # EIO: the program closed the terminal
            if exc.errno != errno.EIO:
                raise
            chunk = b""
        if chunk:
            self.output += chunk
        else:
            self.closed = True

    def text(self, since: int = 0) -> str:
        """What was written (from byte `since`), escape sequences removed."""
        return ANSI.sub(b"", self.output[since:]).decode("utf-8", "replace")

    def wait_for(self, words: str, settle: float = 0.3) -> None:
        """Read until the screen has shown `words` since the last key was sent (or fail, with
        what it did show), then give the screen `settle` seconds more: a new screen is painted
        before its `on_mount` focus lands, and a key typed in between would go to the wrong
        field. (Words an earlier screen showed do not count: the key may not have landed.)"""
        deadline = time.monotonic() + RUN_LIMIT_S
        while words not in self.text(self._sent_at):
            if self.closed or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"never shown: {words!r}; shown: {self.text()[-2000:]!r}")
            self._read(0.1)
        time.sleep(settle)
        self._read(0)

    def send(self, data: str, pause: float = 0.05) -> None:
        self._read(0)
        self._sent_at = len(self.output)
        os.write(self.master, data.encode())
        time.sleep(pause)
        self._read(0)

    def finish(self) -> int:
        """Read to the end; the exit code."""
        deadline = time.monotonic() + RUN_LIMIT_S
        while not self.closed and time.monotonic() < deadline:
            self._read(0.2)
        try:
            code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        finally:
            os.close(self.master)
        self.seconds = time.monotonic() - self.started
        return code

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.master)


def program_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEAM_", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(SIZE[0]),
        LINES=str(SIZE[1]),
        SEAM_TUI_CONFIG_DIR=str(config_dir()),
        SEAM_TUI_DATA_DIR=str(data_dir()),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env
