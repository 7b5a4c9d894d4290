"""Activity in an 80x24 terminal: who a change was about by name, what an update changed, from
which front end and caller; filtered by words, front end, operation and outcome. Changes are
made through the real service (TUI and MCP front ends) on the sandbox the app uses."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from seam_tui.core.audit import AuditEntry, current_caller
from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import (
    AcsUserCreate,
    AcsUserTarget,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.models import AcsUser
from seam_tui.core.service import SeamService
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.workspaces import resolve_workspace
from tests.tui.conftest import wait_until

pytestmark = pytest.mark.usefixtures("no_keyring")

SMALL = (80, 24)
HOSTILE = "[bold]x[/] \x1b[2J Eve"


@dataclass
class Made:
    """What the fixture changed: a renamed identity, a suspended ACS user, a hostile name."""

    door: AcsUser
    system_name: str
    identity_id: str


async def changes(tui: SeamService, mcp: SeamService) -> Made:
    """Changes from both front ends, the MCP ones by caller `token:ops`, after an old line
    (no names) about the same ACS user and one about an id no line names."""
    system = next(iter((await tui.systems_by_id()).values()))
    ada = await tui.create_identity(
        UserIdentityCreate(full_name="Ada Lovelace", email_address="ada@example.com")
    )
    await tui.update_identity(
        UserIdentityUpdate(user_identity_id=ada.identity.user_identity_id, full_name="Ada King")
    )
    door = await tui.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name="Door User")
    )
    old = {"time": "2025-01-02T03:04:05Z", "front_end": "tui", "workspace": tui.workspace}
    with tui.audit.path.open("a") as log:  # lines written before names were recorded
        for ids in ({"acs_user_id": door.acs_user_id}, {"acs_user_id": "unknown1-0000"}):
            log.write(json.dumps(old | {"operation": "old_change", "ids": ids, "outcome": "ok"}))
            log.write("\n")
    await tui.set_acs_user_suspended(AcsUserTarget(acs_user_id=door.acs_user_id), True)
    await tui.create_identity(UserIdentityCreate(full_name=HOSTILE))
    token = current_caller.set("token:ops")
    try:
        with pytest.raises(SeamError):
            await mcp.update_identity(
                UserIdentityUpdate(user_identity_id="no-such-identity", full_name="Nobody")
            )
        await mcp.set_acs_user_suspended(AcsUserTarget(acs_user_id=door.acs_user_id), False)
    finally:
        current_caller.reset(token)
    return Made(door=door, system_name=system.name, identity_id=ada.identity.user_identity_id)


@pytest.fixture
async def made() -> AsyncIterator[Made]:
    tui = resolve_workspace().open_service("tui")
    mcp = resolve_workspace().open_service("mcp")
    try:
        yield await changes(tui, mcp)
    finally:
        await tui.client.aclose()
        await mcp.client.aclose()


async def open_activity(pilot: Pilot[None], app: SeamApp) -> ActivityScreen:
    await pilot.press("4")
    await wait_until(pilot, lambda: isinstance(app.screen, ActivityScreen))
    screen = app.screen
    assert isinstance(screen, ActivityScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    return screen


def shown(screen: ActivityScreen) -> list[AuditEntry]:
    """The entries of the rows on screen, top to bottom."""
    table = screen.table
    keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
    return [screen._entries[int(k)] for k in keys if k is not None]


def cells(screen: ActivityScreen, wanted: AuditEntry) -> list[str]:
    return [str(c) for c in screen.table.get_row_at(shown(screen).index(wanted))]


async def panel(pilot: Pilot[None], screen: ActivityScreen, wanted: AuditEntry) -> str:
    screen.table.move_cursor(row=shown(screen).index(wanted), animate=False)
    await pilot.pause()
    return str(screen.query_one("#activity-detail", Static).content)


def newest(screen: ActivityScreen, operation: str, front_end: str | None = None) -> AuditEntry:
    return next(
        e for e in shown(screen) if e.operation == operation and front_end in (None, e.front_end)
    )


def status(screen: ActivityScreen) -> str:
    return str(screen.query_one("#status", Static).content)


async def test_rows_say_names_and_the_panel_says_what_changed_at_80_columns(
    made: Made, tui_app: SeamApp
) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        screen = await open_activity(pilot, tui_app)
        table = screen.table
        # Time, From, Operation, About and Outcome fit; workspace and detail are in the panel.
        first_five = sum(column.get_render_width(table) for column in table.ordered_columns[:5])
        assert first_five <= table.scrollable_content_region.width

        update = newest(screen, "update_user_identity", "tui")
        assert cells(screen, update)[3] == "Ada Lovelace"  # its name when it was changed
        said = await panel(pilot, screen, update)
        assert "full name: “Ada Lovelace” → “Ada King”" in said
        assert "email" not in said  # not changed, not listed
        assert f"identity “Ada Lovelace” {made.identity_id}" in said

        suspend = newest(screen, "suspend_acs_user")
        about = cells(screen, suspend)[3]
        assert about.startswith("Door User")
        assert made.door.acs_user_id[:8] not in about
        said = await panel(pilot, screen, suspend)
        assert "suspended: no → yes" in said
        assert f"system “{made.system_name}”" in said
        assert "from tui ·" in said

        unsuspend = newest(screen, "unsuspend_acs_user")
        assert cells(screen, unsuspend)[1] == "mcp"
        said = await panel(pilot, screen, unsuspend)
        assert "from mcp, called by token:ops" in said
        assert "suspended: yes → no" in said

        failed = newest(screen, "update_user_identity", "mcp")
        assert cells(screen, failed)[4] == "error"
        assert "full name: (not read) → “Nobody”" in await panel(pilot, screen, failed)

        # Old lines: a name another line recorded for the same id, else a short id.
        old_unknown, old_known = [e for e in shown(screen) if e.operation == "old_change"]
        assert cells(screen, old_unknown)[3] == "ACS user unknown1"
        assert cells(screen, old_known)[3] == "Door User"

        hostile = next(e for e in shown(screen) if HOSTILE in e.names.values())
        assert cells(screen, hostile)[3] == "[bold]x[/] ␛[2J E…"  # literal, cut to its column
        said = await panel(pilot, screen, hostile)
        assert "“[bold]x[/] ␛[2J Eve”" in said  # whole in the panel, escape made visible
        assert "\x1b" not in said
    assert tui_app.return_code in (None, 0)


async def test_filters_by_front_end_outcome_operation_and_words(
    made: Made, tui_app: SeamApp
) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        screen = await open_activity(pilot, tui_app)
        search = screen.search
        total = screen.table.row_count
        front_ends = {e.front_end for e in shown(screen)}
        assert front_ends == {"tui", "mcp"}

        await pilot.press("f")
        await wait_until(pilot, lambda: search.value == "from:tui")
        assert {e.front_end for e in shown(screen)} == {"tui"}
        tui_rows = screen.table.row_count
        assert f"{tui_rows} of {total} recent changes matching “from:tui”" in status(screen)
        await pilot.press("f")
        await wait_until(pilot, lambda: search.value == "from:mcp")
        assert {e.front_end for e in shown(screen)} == {"mcp"}
        await pilot.press("f", "f", "f")  # cli, script, then every front end again
        await wait_until(pilot, lambda: search.value == "")
        assert screen.table.row_count == total

        await pilot.press("o")
        await wait_until(pilot, lambda: search.value == "outcome:error")
        assert [e.operation for e in shown(screen)] == ["update_user_identity"]

        await pilot.press("t")  # the operations the log holds, in order
        first = sorted({e.operation for e in screen._entries})[0]
        await wait_until(pilot, lambda: search.value == f"outcome:error op:{first}")
        await pilot.press("escape")  # clears the whole filter
        await wait_until(pilot, lambda: screen.table.row_count == total)

        await pilot.press("slash", *"door from:token:ops")
        await wait_until(pilot, lambda: screen.table.row_count == 1)
        assert shown(screen)[0].operation == "unsuspend_acs_user"
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.table.row_count == total)

        await pilot.press("slash", *"ada king")  # a value an update set
        await wait_until(pilot, lambda: screen.table.row_count < total)
        assert {e.operation for e in shown(screen)} == {"update_user_identity"}
    assert made.door.acs_user_id
