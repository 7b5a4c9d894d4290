"""Marks and bulk actions on the Identities and ACS users lists, through Pilot on the sandbox:
one confirmation lists exactly what changes (and what is skipped), the run reports each item,
Esc stops the items not yet started, a single `s` asks before suspending, and the lists follow
every change (rows leave a filter, counts drop) without `r`."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsUser
from seam_tui.sandbox.faults import FaultConfig
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.bulk_run import BulkRunScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, open_acs_users, wait_until
from tests.tui.screen_output import screen_text


def status(app: SeamApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def mark(pilot: Pilot[None], table: PagedTable[Any], keys: list[str]) -> None:
    for key in keys:
        table.move_cursor(row=table.get_row_index(key), animate=False)
        await pilot.pause()
        await pilot.press("space")


async def get_user(app: SeamApp, acs_user_id: str) -> AcsUser:
    return await app.service.get_acs_user(AcsUserTarget(acs_user_id=acs_user_id))


async def open_bulk(pilot: Pilot[None], app: SeamApp, key: str) -> BulkRunScreen:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, BulkRunScreen))
    dialog = app.screen
    assert isinstance(dialog, BulkRunScreen)
    await wait_until(pilot, lambda: dialog.phase != "reading")
    return dialog


def row(table: KeyTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


async def test_bulk_suspend_confirms_exactly_what_changes_and_reports_each(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        table = screen.table
        active = [u for u in table.items if not u.is_suspended and not u.pending_mutations][:2]
        suspended = next(u for u in table.items if u.is_suspended)
        keys = [u.acs_user_id for u in [*active, suspended]]
        await mark(pilot, table, keys)
        assert [u.acs_user_id for u in table.marked] == keys
        assert "3 marked" in status(tui_app)
        assert row(table, keys[0])[0] == "●"
        await pilot.pause()
        assert screen_text(tui_app).count("●") == 3  # drawn, not only held: a mark is seen

        dialog = await open_bulk(pilot, tui_app, "s")
        assert dialog.phase == "confirm"
        steps = dialog.steps_table
        assert set(steps.rows) == set(keys)
        assert "skipped: already suspended" in row(steps, suspended.acs_user_id)[1]
        assert dialog.said["summary"].startswith("Suspend: 2 change(s)")
        for user in active:  # nothing is done before the confirmation
            assert not (await get_user(tui_app, user.acs_user_id)).is_suspended

        await pilot.press("y")
        await wait_until(pilot, lambda: dialog.phase == "done")
        results = [row(steps, user.acs_user_id)[1] for user in active]
        for user, result in zip(active, results, strict=True):
            assert result in ("suspended", "queued — Seam is pushing it")
            assert (await get_user(tui_app, user.acs_user_id)).is_suspended
        # A queued change (the sandbox settling later, as Seam does) is never counted as done.
        queued = results.count("queued — Seam is pushing it")
        said = f", {queued} queued (Seam is pushing them)" if queued else ""
        assert dialog.said["summary"].startswith(f"Suspend: {2 - queued} done{said}, 0 failed")
        assert table.marked == []  # done: the marks are cleared
        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        assert "suspended" in row(table, active[0].acs_user_id)[4]


async def test_esc_stops_the_items_not_yet_started_and_they_stay_marked(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        table = screen.table
        chosen = [u for u in table.items if not u.is_suspended and not u.pending_mutations][:10]
        await mark(pilot, table, [u.acs_user_id for u in chosen])
        dialog = await open_bulk(pilot, tui_app, "s")
        # Every request now takes a while, so Esc comes while the first steps are under way.
        local_sandbox().faults = FaultConfig(rate=1.0, kinds=frozenset({"latency"}), latency_s=0.3)
        await pilot.press("y", "escape")
        await wait_until(pilot, lambda: dialog.phase == "done")
        local_sandbox().faults = FaultConfig()

        results = {u.acs_user_id: row(dialog.steps_table, u.acs_user_id)[1] for u in chosen}
        not_run = [k for k, said in results.items() if said == "not run (stopped)"]
        assert 0 < len(not_run) < len(chosen)
        assert "not run (stopped)" in dialog.said["summary"]
        for key in not_run:
            assert not (await get_user(tui_app, key)).is_suspended
        assert {u.acs_user_id for u in table.marked} == set(not_run)


async def test_a_single_s_asks_before_suspending_but_not_before_unsuspending(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        table = screen.table
        user = next(u for u in table.items if not u.is_suspended and not u.pending_mutations)
        table.move_cursor(row=table.get_row_index(user.acs_user_id), animate=False)
        await pilot.pause()

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        assert "loses access" in tui_app.screen.plain_text
        await pilot.press("n")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        assert not (await get_user(tui_app, user.acs_user_id)).is_suspended

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(table.items[table.cursor_row].is_suspended))
        assert (await get_user(tui_app, user.acs_user_id)).is_suspended

        await pilot.press("s")  # unsuspend gives access back: no question
        await pilot.pause()
        assert tui_app.screen is screen
        await wait_until(pilot, lambda: not table.items[table.cursor_row].is_suspended)


async def test_rows_leave_the_filter_and_the_count_drops_without_r(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        while screen.filter != "suspended":
            await pilot.press("f")
        await wait_until(pilot, lambda: not screen.table.is_loading)
        await wait_until(pilot, lambda: screen.table.row_count > 0)
        before = screen.table.row_count
        first = screen.table.items[0]
        await mark(pilot, screen.table, [first.acs_user_id])
        dialog = await open_bulk(pilot, tui_app, "u")
        await pilot.press("y")
        await wait_until(pilot, lambda: dialog.phase == "done")
        await pilot.press("escape")
        await wait_until(pilot, lambda: first.acs_user_id not in screen.table.rows)
        await wait_until(pilot, lambda: screen.table.row_count == before - 1)
        assert f"{before - 1} ACS user" in status(tui_app)


async def test_bulk_delete_of_marked_identities_lists_their_acs_users_and_drops_the_rows(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = tui_app.screen
        assert isinstance(screen, IdentitiesScreen)
        table = screen.table
        await wait_until(pilot, lambda: table.row_count > 0 and not table.is_loading)
        total = table.known_total
        assert total is not None
        people = [i for i in table.items if i.acs_user_ids][:2]
        await mark(pilot, table, [p.user_identity_id for p in people])
        assert "2 marked" in status(tui_app)

        dialog = await open_bulk(pilot, tui_app, "d")
        for person in people:
            change = row(dialog.steps_table, person.user_identity_id)[2]
            assert f"with its {len(person.acs_user_ids)} ACS user(s)" in change
        await pilot.press("y")
        await wait_until(pilot, lambda: dialog.phase == "done")
        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        await wait_until(pilot, lambda: not any(p.user_identity_id in table.rows for p in people))
        local_sandbox().settle_all()
        await wait_until(pilot, lambda: table.known_total == total - 2)
        await wait_until(pilot, lambda: status(tui_app).startswith(f"{total - 2} identities"))


async def test_marks_range_all_and_clear(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = tui_app.screen
        assert isinstance(screen, IdentitiesScreen)
        table = screen.table
        await wait_until(pilot, lambda: table.row_count > 5 and not table.is_loading)
        await pilot.press("space")  # row 0, the cursor moves to row 1
        table.move_cursor(row=4, animate=False)
        await pilot.pause()
        await pilot.press("V")
        assert len(table.marked) == 5
        await pilot.press("A")
        assert len(table.marked) == table.row_count
        await pilot.press("escape")
        assert table.marked == []
        assert "marked" not in status(tui_app)


async def test_u_unsuspends_the_highlighted_row_when_none_is_marked(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        table = screen.table
        user = next(u for u in table.items if u.is_suspended and not u.pending_mutations)
        table.move_cursor(row=table.get_row_index(user.acs_user_id), animate=False)
        await pilot.pause()
        assert table.marked == []
        await pilot.press("u")  # unsuspending restores access: it does not ask
        await wait_until(pilot, lambda: not table.current_item().is_suspended)  # type: ignore[union-attr]
        assert not (await get_user(tui_app, user.acs_user_id)).is_suspended
