"""The Activity screen reads whatever is in audit.jsonl: garbage is skipped and counted, never a
crash; a change with no outcome shows as unfinished, a refusal as refused, a step with the
operation it belongs to; every value is shown literally.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from seam_tui.core.audit import AuditLog
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.activity import ActivityScreen
from tests.tui.conftest import SIZE, recorded_notes, wait_until

pytestmark = pytest.mark.usefixtures("no_keyring")

MARKUP = "[bold red]not markup[/] $x \x1b[2J"


def entry(**fields: Any) -> bytes:
    base: dict[str, Any] = {
        "time": "2026-01-02T03:04:05Z",
        "front_end": "mcp",
        "workspace": "sandbox",
        "ids": {},
    }
    return json.dumps(base | fields).encode() + b"\n"


@pytest.fixture
def far_west(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time behind UTC, where year 1 cannot be shown in local time."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write_log(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"".join(
            [
                entry(operation="delete_acs_user", outcome="ok", change_id="c1"),
                b"\xff\xfe not utf-8 at all\n",
                b'{"time": "2026-01-02T03:04:05Z", "front_end": "tui"\n',  # cut short
                entry(operation="x", outcome="ok", ids={"a": 5}, time=7),  # wrong types
                b"[1, 2, 3]\n",
                entry(
                    operation="create_identity_with_acs_users",
                    outcome="started",
                    change_id="p1",
                    detail="create identity Jane and ACS users in 3 systems",
                ),
                entry(
                    operation="create_acs_user",
                    outcome="started",
                    change_id="s1",
                    parent_id="p1",
                    ids={"acs_system_id": "sys-1"},
                ),
                entry(operation="create_acs_user", outcome="ok", change_id="s1", parent_id="p1"),
                entry(
                    operation="update_identity",
                    outcome="refused",
                    change_id="r1",
                    detail="workspace is read-only",
                    caller="token:ops",
                ),
                entry(operation="rename_identity", outcome="ok", detail=MARKUP, change_id="m1"),
                entry(operation="ancient", outcome="ok", time="0001-01-01T00:00:00Z"),
                entry(operation="long", outcome="error", detail="x" * 50_000, change_id="l1"),
            ]
        )
    )


def index_of(screen: ActivityScreen, operation: str) -> int:
    """The table row showing the (newest) change named `operation` (its cell may be cut)."""
    table = screen.table
    for index in range(table.row_count):
        key = table.coordinate_to_cell_key((index, 0)).row_key.value
        if key is not None and screen._entries[int(key)].operation == operation:
            return index
    raise AssertionError(f"no row for {operation}")


def row_of(screen: ActivityScreen, operation: str) -> list[str]:
    return [str(cell) for cell in screen.table.get_row_at(index_of(screen, operation))]


async def show(pilot: Pilot[None], screen: ActivityScreen, operation: str) -> str:
    """Highlight the row of `operation`; what the panel under the table says about it."""
    screen.table.move_cursor(row=index_of(screen, operation), animate=False)
    await pilot.pause()
    return str(screen.query_one("#activity-detail", Static).content)


async def open_activity(pilot: Pilot[None], app: SeamApp) -> ActivityScreen:
    await pilot.press("4")
    await wait_until(pilot, lambda: isinstance(app.screen, ActivityScreen))
    screen = app.screen
    assert isinstance(screen, ActivityScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    return screen


@pytest.mark.usefixtures("far_west")
async def test_garbage_is_skipped_and_counted_and_every_outcome_is_said(tui_app: SeamApp) -> None:
    write_log(tui_app.service.audit.path)
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_activity(pilot, tui_app)
        status = str(screen.query_one("#status", Static).content)
        assert "4 unreadable lines skipped" in status
        assert screen.table.row_count == 7

        assert row_of(screen, "create_identity_with_acs_users")[4] == "unfinished"
        said = await show(pilot, screen, "create_identity_with_acs_users")
        assert "interrupted (or still running)" in said
        assert "create identity Jane and ACS users in 3 systems" in said

        step = row_of(screen, "create_acs_user")
        assert step[2] == "↳ create_acs_user"
        assert step[4] == "ok"
        said = await show(pilot, screen, "create_acs_user")
        assert "a step of create_identity_with_acs_users (change p1)" in said

        assert row_of(screen, "update_identity")[4] == "refused"
        said = await show(pilot, screen, "update_identity")
        assert "called by token:ops" in said

        said = await show(pilot, screen, "rename_identity")
        assert "[bold red]not markup[/] $x" in said  # literal, not styled
        assert "\x1b" not in said

        assert row_of(screen, "ancient")[0] == "01-01 00:00"
        assert "0001-01-01 00:00:00 UTC" in await show(pilot, screen, "ancient")
        said = await show(pilot, screen, "long")
        assert "(48000 more characters)" in said

        await pilot.press("slash", *"unfinished")
        await wait_until(pilot, lambda: screen.table.row_count == 1)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.table.row_count == 7)
    assert tui_app.return_code in (None, 0)


async def test_an_audit_log_that_is_a_directory_is_said_not_a_crash(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One line naming the file, why and the fix, as the screen's state; no raw exception."""
    path = tui_app.service.audit.path
    path.mkdir(parents=True)
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ActivityScreen))
        screen = tui_app.screen
        assert isinstance(screen, ActivityScreen)
        status = screen.query_one("#status", Static)
        await wait_until(pilot, lambda: "cannot be read" in str(status.content))
        said = str(status.content)
        assert said.startswith(f"The audit log {path} cannot be read (Is a directory)")
        assert "move it aside" in said  # the fix
        assert status.size.height > 1  # room for the whole line: file, reason and fix
        assert screen.table.row_count == 0
        await pilot.press("r")  # reading again says the same, still no crash
        await pilot.pause()
        assert str(status.content) == said
        assert not [n for n in notes if "Unexpected" in n or "IsADirectoryError" in n]
        assert tui_app.is_running


async def test_a_change_cut_short_by_a_full_disk_shows_as_unfinished(tui_app: SeamApp) -> None:
    """The real writer: a started line with no outcome after it (the next write failed)."""
    log = AuditLog(tui_app.service.audit.path)
    log.record(
        front_end="tui",
        workspace="sandbox",
        operation="delete_identity",
        ids={"user_identity_id": "id-1"},
        outcome="started",
        change_id="k9",
    )
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_activity(pilot, tui_app)
        assert row_of(screen, "delete_identity")[4] == "unfinished"
        assert "unreadable" not in str(screen.query_one("#status", Static).content)
