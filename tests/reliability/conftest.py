"""Shared by the reliability tests: a served sandbox that can be stopped or killed, a runner
that keeps an async session (a TUI, an MCP client) open while hypothesis drives it, and the
figures every test records for RELIABILITY.md.

`SEAM_TUI_RELIABILITY_FULL=1` runs the long forms (30 s load, 2 s latency spikes everywhere);
`SEAM_TUI_RELIABILITY_FIGURES=path.json` also writes the figures there as JSON.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import signal
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest

from seam_tui.workspaces import close_local_sandboxes

# `record` adds to the run's reliability figures (tests/figures.py gathers and prints them).
from tests.figures import FULL, record

# The keyring fixtures of the workspace tests: no real keyring is ever touched (autouse here
# too), and `memory_keyring` where a test saves a profile.
from tests.workspaces.conftest import memory_keyring, no_keyring

__all__ = ["FULL", "memory_keyring", "no_keyring", "record"]

ROOT = Path(__file__).resolve().parents[2]

T = TypeVar("T")
C = TypeVar("C")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long forms run past the suite's 120 s per-test guard: give them 15 minutes."""
    if FULL:
        for item in items:
            if "tests/reliability" in item.nodeid:
                item.add_marker(pytest.mark.timeout(900))


# ----------------------------------------------------------------------------- isolation


@pytest.fixture(autouse=True)
def _close_sandboxes() -> Iterator[None]:
    """The built-in sandbox of each test lives in its own data dir; close it afterwards."""
    yield
    close_local_sandboxes()


# ----------------------------------------------------------------------------- served sandbox


class ServedSandbox:
    """`seam-tui sandbox serve` on loopback in a child process: started, stopped, killed.

    Always used as a context manager (or with `close()` in a finally), so no process outlives
    its test.
    """

    def __init__(self, db: Path, *options: str, port: int = 0) -> None:
        self.db = db
        self.options = options
        self.port = port
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return str(self.info["url"])

    @property
    def api_key(self) -> str:
        return str(self.info["workspaces"][0]["api_key"])

    def start(self) -> ServedSandbox:
        assert self.proc is None, "already running"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "seam_tui.cli",
                "sandbox",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                str(self.db),
                *self.options,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            error = self.proc.stderr.read() if self.proc.stderr else ""
            self.close()
            raise AssertionError(f"sandbox serve did not start: {error}")
        self.info = json.loads(line)
        self.port = int(self.url.rsplit(":", 1)[1])  # a restart reuses the same port
        return self

    def stop(self) -> int:
        """SIGTERM, as a person stopping it would; returns the exit status."""
        proc, self.proc = self.proc, None
        assert proc is not None
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        _drain(proc)
        return code

    def kill(self) -> int:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        proc, self.proc = self.proc, None
        assert proc is not None
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=15)
        _drain(proc)
        return code

    def close(self) -> None:
        if self.proc is not None:
            proc, self.proc = self.proc, None
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=15)
            _drain(proc)

    def __enter__(self) -> ServedSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _drain(proc: subprocess.Popen[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


# ----------------------------------------------------------------------------- async sessions


class SessionThread(Generic[C]):
    """Keeps an async session open in its own thread and loop, and runs steps inside it.

    Hypothesis drives plain functions, while a TUI under Pilot or an MCP client must be entered
    and left in one task: `open_session` yields the session's context, and `run(step)` runs
    `await step(context)` inside that same task, returning its result (or raising its error).
    """

    def __init__(self, open_session: Callable[[], AbstractAsyncContextManager[C]]) -> None:
        self._open = open_session
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failed: BaseException | None = None
        self._queue: asyncio.Queue[Any] | None = None
        self._thread = threading.Thread(target=self._main, daemon=True, name="session")

    def __enter__(self) -> SessionThread[C]:
        self._thread.start()
        self._ready.wait(60)
        if self._failed is not None:
            raise self._failed
        assert self._queue is not None, "the session did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._queue is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        self._thread.join(60)
        assert not self._thread.is_alive(), "the session did not close"
        if self._failed is not None and exc[0] is None:
            raise self._failed

    def _main(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as error:
            self._failed = error
        finally:
            self._ready.set()
            self._loop.close()

    async def _serve(self) -> None:
        self._queue = asyncio.Queue()
        async with self._open() as context:
            self._ready.set()
            while True:
                item = await self._queue.get()
                if item is None:
                    return
                step, future = item
                try:
                    future.set_result(await step(context))
                except Exception as error:
                    future.set_exception(error)

    def run(self, step: Callable[[C], Awaitable[T]], timeout: float = 120) -> T:
        assert self._queue is not None, "the session did not start"
        assert self._thread.is_alive(), "the session is closed"
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (step, future))
        return future.result(timeout)
