"""TUI fixtures: the real app on the built-in sandbox (in tmp data dirs), driven by Pilot."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import keyring
import keyring.core
import pytest
from keyring.backends import fail
from textual.pilot import Pilot

from seam_tui.tui.app import SeamApp
from seam_tui.workspaces import close_local_sandboxes, resolve_workspace

SIZE = (120, 36)


@pytest.fixture
def tui_app() -> SeamApp:
    """The app on the built-in sandbox (the autouse fixture points data dirs at tmp)."""
    return SeamApp(resolve_workspace())


# A guard against a hung test, not a speed check: the condition normally holds in milliseconds.
WAIT_LIMIT_S = 10.0


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run (workers, timers, messages) until `condition()` holds."""
    waited = 0.0
    while not condition():
        if waited >= WAIT_LIMIT_S:
            raise AssertionError("condition not met while the app ran")
        await pilot.pause(0.05)
        waited += 0.05


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No keyring backend unless a test asks for one (the real keyring is never touched); the
    local sandboxes opened by the test are closed after it."""
    previous = keyring.core._keyring_backend
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.core._keyring_backend = previous
    close_local_sandboxes()
