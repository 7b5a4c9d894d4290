"""TUI fixtures: the real app on the built-in sandbox (in tmp data dirs), driven by Pilot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import keyring
import keyring.core
import pytest
from keyring.backends import fail
from textual.pilot import Pilot
from textual.widgets import Input

from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
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


def recorded_notes(app: SeamApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every notification `app` shows from now on, in order (still shown)."""
    shown: list[str] = []
    original = app.notify

    def record(message: str, **kwargs: Any) -> None:
        shown.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", record)
    return shown


async def open_acs_users(pilot: Pilot[None], app: SeamApp) -> AcsUsersScreen:
    """The ACS users screen (key 3), its first page loaded."""
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(app.screen, AcsUsersScreen))
    screen = app.screen
    assert isinstance(screen, AcsUsersScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and not screen.table.is_loading)
    return screen


async def open_workspace_form(pilot: Pilot[None], app: SeamApp) -> WorkspaceFormScreen:
    """The Workspaces screen (key w), then its form for adding a workspace (key a)."""
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspacesScreen))
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceFormScreen))
    form = app.screen
    assert isinstance(form, WorkspaceFormScreen)
    return form


async def save_globex_profile(pilot: Pilot[None], form: WorkspaceFormScreen, secret: str) -> None:
    """Type a profile "globex" on the local sandbox with `secret` into the workspace form, key
    by key, and press Ctrl+S."""
    for field, text in (
        ("profile_name", "globex"),
        ("endpoint", "sandbox://local"),
        ("secret", secret),
    ):
        form.query_one(f"#{field}", Input).focus()
        await pilot.press(*text)
    await pilot.press("ctrl+s")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No keyring backend unless a test asks for one (the real keyring is never touched); the
    local sandboxes opened by the test are closed after it."""
    previous = keyring.core._keyring_backend
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.core._keyring_backend = previous
    close_local_sandboxes()
