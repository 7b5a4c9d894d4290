"""Enter on an unfinished multi-step change in Activity: the identity its steps created opens
(the change's own line was written before the identity existed), and when there is none the
note says what the change is and what to do.

The log is written by the real code: a creation is held at a chosen request by middleware in
front of the sandbox, which leaves exactly the lines a kill -9 at that moment would leave.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send
from textual.coordinate import Coordinate
from textual.pilot import Pilot

from seam_tui.core.audit import AuditEntry
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, recorded_notes, wait_until

pytestmark = pytest.mark.usefixtures("no_keyring")


class Hold:
    """Holds every request to `path` until released: the moment the process would be killed."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path
        self.reached = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path:
            self.reached.set()
            await self.release.wait()
        await self.app(scope, receive, send)


@pytest.fixture
def sandbox() -> Sandbox:
    return local_sandbox()


@pytest.fixture
async def mcp(sandbox: Sandbox) -> AsyncIterator[SeamService]:
    """The MCP server's service on the same sandbox and audit log as the TUI."""
    service = resolve_workspace().open_service("mcp")
    yield service
    await service.client.aclose()


class Held:
    """An identity creation with ACS users in two systems, by the MCP server's service,
    stopped at its first request to `path` (the hold goes in before that service opens its
    transport; the TUI's own requests are not held)."""

    def __init__(self, sandbox: Sandbox, path: str) -> None:
        self.hold = Hold(sandbox.app, path)
        sandbox.app = self.hold  # type: ignore[assignment]
        self.service = resolve_workspace().open_service("mcp")

    async def start(self, full_name: str) -> None:
        systems = list(await self.service.systems_by_id())[:2]
        data = UserIdentityCreate(full_name=full_name, acs_system_ids=systems)
        self.creating = asyncio.create_task(self.service.create_identity(data))
        await self.hold.reached.wait()

    async def finish(self) -> None:
        self.hold.release.set()
        await self.creating
        await self.service.client.aclose()


def row_where(screen: ActivityScreen, wanted: AuditEntry) -> int:
    table = screen.table
    for index in range(table.row_count):
        key = table.coordinate_to_cell_key(Coordinate(index, 0)).row_key.value
        if key is not None and screen._entries[int(key)] == wanted:
            return index
    raise AssertionError(f"no row for {wanted}")


async def enter_on_parent(pilot: Pilot[None], app: SeamApp) -> ActivityScreen:
    """Activity open, the cursor on the unfinished multi-step change, Enter pressed."""
    await pilot.press("4")
    await wait_until(pilot, lambda: isinstance(app.screen, ActivityScreen))
    screen = app.screen
    assert isinstance(screen, ActivityScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    [parent] = [e for e in screen._entries if e.outcome == "started" and e.parent_id is None]
    assert parent.ids == {}  # written before the identity existed
    screen.table.move_cursor(row=row_where(screen, parent), animate=False)
    await pilot.pause()
    await pilot.press("enter")
    return screen


async def test_enter_on_an_interrupted_creation_opens_the_identity_its_step_created(
    sandbox: Sandbox, tui_app: SeamApp, mcp: SeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(sandbox, "/acs/users/create")
    await held.start("Cut Short")
    [made] = (await mcp.search_identities("Cut Short")).items
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SIZE) as pilot:
        await enter_on_parent(pilot, tui_app)
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityDetailScreen))
        detail = tui_app.screen
        assert isinstance(detail, IdentityDetailScreen)
        assert detail.user_identity_id == made.user_identity_id
        [note] = [n for n in notes if "interrupted" in n]
        assert f"opened identity {made.user_identity_id}" in note
        assert "Its steps: create_user_identity ok, create_acs_user unfinished" in note
        assert "unlink (x) each ACS user it linked" in note
        assert "delete the identity (d)" in note
        assert "names no identity" not in " ".join(notes)
    await held.finish()


async def test_enter_on_a_creation_interrupted_at_its_first_step_says_so(
    sandbox: Sandbox, tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The identity's own request was sent, its answer never recorded: whether it exists is
    not known, so nothing opens and the note lists the step and what to check."""
    held = Held(sandbox, "/user_identities/create")
    await held.start("Never Answered")
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await enter_on_parent(pilot, tui_app)
        await wait_until(pilot, lambda: bool(notes))
        assert tui_app.screen is screen
        [note] = notes
        assert "interrupted (or is still running) and names no identity" in note
        assert "its steps: create_user_identity unfinished." in note
        assert f'Check those in workspace "{tui_app.workspace.name}"' in note
        assert "undo what was done" in note
    await held.finish()


async def test_enter_on_a_change_cut_before_its_first_step_says_nothing_was_created(
    tui_app: SeamApp, mcp: SeamService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between recording its intent and starting its first step (the real `steps`)."""
    stop = asyncio.Event()
    entered = asyncio.Event()

    async def cut_short() -> None:
        async with mcp.steps("create_user_identity", {}, 'create user identity "Not Yet"'):
            entered.set()
            await stop.wait()

    task = asyncio.create_task(cut_short())
    await entered.wait()
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await enter_on_parent(pilot, tui_app)
        await wait_until(pilot, lambda: bool(notes))
        assert tui_app.screen is screen
        assert notes == [
            "This change was interrupted before anything was created: no step of it started, "
            "so there is nothing to undo. Do it again if it is still wanted."
        ]
    stop.set()
    await task
