"""Changes that settle later, through the real app on the sandbox with settling on: a change is
said to be queued and shown pending on screen, the screen re-reads it without a key press until
Seam has pushed it, then says so (or why the push failed), and Activity records the outcome.

The sandbox settles a write `SETTLE_S` seconds after it answers; every wait is for a condition
on screen, with a generous bound (a guard against a hung test, not a speed check).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from seam_tui.core.models import AcsUser
from seam_tui.sandbox.faults import FaultConfig
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.tui.screens.bulk_run import BulkRunScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, open_acs_users, recorded_notes

pytestmark = pytest.mark.usefixtures("no_keyring")

SETTLE_S = 0.4
# Settling takes SETTLE_S plus the watch's backoff (0.5, 1, 2 s): far inside this bound.
LIMIT_S = 30.0


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    waited = 0.0
    while not condition():
        if waited >= LIMIT_S:
            raise AssertionError(f"never happened while the app ran: {what}")
        await pilot.pause(0.05)
        waited += 0.05


def row_text(table: KeyTable, key: str) -> str:
    return " | ".join(str(cell) for cell in table.get_row(key))


def first_active(table: PagedTable[AcsUser]) -> AcsUser:
    return next(u for u in table.items if not u.is_suspended and not u.pending_mutations)


def settling_app(*, push_failures: bool = False) -> SeamApp:
    from seam_tui.workspaces import resolve_workspace

    app = SeamApp(resolve_workspace())
    sandbox = local_sandbox()
    sandbox.settle_after = SETTLE_S
    if push_failures:
        sandbox.faults = FaultConfig(push_failure_rate=1.0)
    return app


async def suspend_first_active(pilot: Pilot[None], app: SeamApp) -> tuple[PagedTable[AcsUser], str]:
    screen = await open_acs_users(pilot, app)
    table = screen.table
    user = first_active(table)
    table.move_cursor(row=table.get_row_index(user.acs_user_id))
    await pilot.press("s")
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "suspending asks first")
    await pilot.press("y")
    return table, user.acs_user_id


async def test_suspending_shows_pending_then_suspended_without_a_key_press(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = settling_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = recorded_notes(app, monkeypatch)
        table, user_id = await suspend_first_active(pilot, app)

        await until(
            pilot,
            lambda: re.search(r"pending \d+s: suspend\b", row_text(table, user_id)) is not None,
            "the row shows the suspension pending",
        )
        await until(
            pilot, lambda: any("queued — Seam is pushing it to" in n for n in notes), "queued"
        )
        assert not any(n.startswith("Suspended") for n in notes)  # not said done while pending

        await until(
            pilot,
            lambda: any("Seam has pushed it to “Acme" in n for n in notes),
            "the toast says Seam pushed it",
        )
        text = row_text(table, user_id)
        assert "suspended" in text
        assert "pending" not in text
        settled = next(n for n in notes if "Seam has pushed it" in n)
        assert settled.startswith("Suspended “")

        await pilot.press("4")
        await until(pilot, lambda: isinstance(app.screen, ActivityScreen), "Activity opens")
        activity = app.screen
        assert isinstance(activity, ActivityScreen)
        await until(
            pilot,
            lambda: any(
                "suspend_acs_user" in row_text(activity.table, str(k.value))
                and "settled" in row_text(activity.table, str(k.value))
                for k in activity.table.rows
            ),
            "Activity lists the suspension as settled",
        )


async def test_a_failed_push_is_said_with_the_error_and_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = settling_app(push_failures=True)
    async with app.run_test(size=SIZE) as pilot:
        notes = recorded_notes(app, monkeypatch)
        table, user_id = await suspend_first_active(pilot, app)

        await until(
            pilot,
            lambda: any("Seam could not push it to" in n for n in notes),
            "the toast says the push failed",
        )
        failed = next(n for n in notes if "Seam could not push it to" in n)
        assert failed.startswith("Suspension of “")
        await until(
            pilot,
            lambda: "failed_to_update_on_acs_system" in row_text(table, user_id),
            "the row shows the error",
        )
        assert not any("Seam has pushed it" in n for n in notes)

        await pilot.press("4")
        await until(pilot, lambda: isinstance(app.screen, ActivityScreen), "Activity opens")
        activity = app.screen
        assert isinstance(activity, ActivityScreen)
        await until(
            pilot,
            lambda: any(
                "push failed" in row_text(activity.table, str(k.value)) for k in activity.table.rows
            ),
            "Activity lists the failed push",
        )


async def test_deleting_an_identity_shows_it_being_deleted_then_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = settling_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = recorded_notes(app, monkeypatch)
        home = app.screen
        assert isinstance(home, IdentitiesScreen)
        table = home.table
        await until(pilot, lambda: table.row_count > 0 and not table.is_loading, "home loads")
        priya = next(i for i in table.items if i.full_name == "Priya Patel")
        assert priya.acs_user_ids  # its ACS users go with it, which is what takes time
        table.move_cursor(row=table.get_row_index(priya.user_identity_id))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")

        await until(
            pilot,
            lambda: (
                priya.user_identity_id in table.rows
                and "being deleted" in row_text(table, priya.user_identity_id)
            ),
            "the row shows it being deleted",
        )
        assert any("is being deleted — Seam is removing it from" in n for n in notes)
        await until(pilot, lambda: priya.user_identity_id not in table.rows, "the row goes")
        await until(
            pilot, lambda: any("Seam has removed it from" in n for n in notes), "says it is gone"
        )
        assert any(n.startswith("Deleted identity “Priya Patel”") for n in notes)


async def test_the_identity_screen_shows_it_too_and_a_watch_ends_with_its_screen() -> None:
    app = settling_app()
    async with app.run_test(size=SIZE) as pilot:
        table, user_id = await suspend_first_active(pilot, app)
        await until(pilot, lambda: ": suspend" in row_text(table, user_id), "pending on the list")
        user = next(u for u in table.items if u.acs_user_id == user_id)
        assert user.user_identity_id is not None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen), "identity opens")
        detail = app.screen
        assert isinstance(detail, IdentityDetailScreen)
        acs_users = detail.acs_users_table
        await until(
            pilot,
            lambda: user_id in acs_users.rows and "suspended" in row_text(acs_users, user_id),
            "the identity's ACS users tab shows it",
        )
        await until(
            pilot, lambda: ": suspend" not in row_text(acs_users, user_id), "settles there too"
        )

        # A permanently pending object (the demo seed keeps some) is watched while shown...
        screen = await open_acs_users(pilot, app)
        pending = [u for u in screen.table.items if u.pending_mutations]
        assert pending
        watched = pending[0].acs_user_id
        await until(
            pilot, lambda: app.settling.watching("acs_user", watched), "a shown pending row"
        )
        # ...and no longer once no screen shows it.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IdentitiesScreen), "back home")
        await until(pilot, lambda: not app.settling.watching("acs_user", watched), "its watch ends")


async def test_a_bulk_run_records_each_settled_item_without_a_toast_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = settling_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = recorded_notes(app, monkeypatch)
        screen = await open_acs_users(pilot, app)
        table = screen.table
        users = [u for u in table.items if not u.is_suspended and not u.pending_mutations][:3]
        for user in users:
            table.move_cursor(row=table.get_row_index(user.acs_user_id), animate=False)
            await pilot.pause()
            await pilot.press("space")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, BulkRunScreen), "the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkRunScreen)
        await until(pilot, lambda: dialog.phase == "confirm", "it lists what changes")
        await pilot.press("y")
        await until(pilot, lambda: dialog.phase == "done", "the run ends")
        ids = {u.acs_user_id for u in users}

        def settled_lines() -> int:
            entries = app.service.audit.recent(50)
            return sum(
                1 for e in entries if e.outcome == "settled" and e.ids.get("acs_user_id") in ids
            )

        await until(pilot, lambda: settled_lines() == 3, "Activity records each settling")
        assert not any("Seam has pushed it" in n for n in notes)  # no toast per item
