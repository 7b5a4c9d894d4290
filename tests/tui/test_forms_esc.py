"""Forms at 80x24: Esc asks before losing a change, schedules read alike at both ends,
placeholders never look like a person's data, and Enter in a link picker's search box picks."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from seam_tui.core.inputs import AccessSchedule, AcsUserUpdate
from seam_tui.core.models import AcsUser
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from tests.tui.conftest import wait_until

SMALL = (80, 24)


async def home_loaded(pilot: Pilot[None], app: SeamApp) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    table = app.screen.query_one("#identities", PagedTable)
    await wait_until(pilot, lambda: table.row_count > 0)
    await wait_until(pilot, lambda: app.workspace_state == "ready")


async def new_identity_form(pilot: Pilot[None], app: SeamApp) -> IdentityFormScreen:
    await home_loaded(pilot, app)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, IdentityFormScreen))
    form = app.screen
    assert isinstance(form, IdentityFormScreen)
    systems = form.query_one("#acs_system_ids", SelectionList)
    await wait_until(pilot, lambda: systems.option_count > 0)
    return form


async def test_esc_on_an_untouched_form_closes_it(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        await new_identity_form(pilot, tui_app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))


async def test_esc_on_a_changed_form_asks_keep_editing_or_discard(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        form = await new_identity_form(pilot, tui_app)
        await pilot.press(*"Ada")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        question = tui_app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Discard your changes?" in question.plain_text

        await pilot.press("escape")  # Esc again keeps editing
        await wait_until(pilot, lambda: tui_app.screen is form)
        assert form.query_one("#full_name", Input).value == "Ada"

        form.query_one("#acs_system_ids", SelectionList).deselect_all()
        await pilot.press("escape", "y")  # discard
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        page = await tui_app.service.search_identities("Ada")
        assert not [i for i in page.items if i.full_name == "Ada"]


async def test_ticking_a_system_is_a_change_too(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        form = await new_identity_form(pilot, tui_app)
        systems = form.query_one("#acs_system_ids", SelectionList)
        systems.select(systems.get_option_at_index(0).value)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: tui_app.screen is form)


async def acs_user_with_schedule(app: SeamApp) -> AcsUser:
    page = await app.service.list_acs_users(limit=100)
    user = next(u for u in page.items if not u.user_identity_id)
    schedule = AccessSchedule(
        starts_at=datetime(2031, 9, 1, tzinfo=UTC),
        ends_at=datetime(2032, 6, 30, 23, 59, 59, tzinfo=UTC),
    )
    data = AcsUserUpdate(acs_user_id=user.acs_user_id, access_schedule=schedule)
    return await app.service.update_acs_user(data)


async def test_schedule_ends_share_one_format_and_esc_closes_an_unchanged_edit(
    tui_app: SeamApp,
) -> None:
    results: list[AcsUser | None] = []
    async with tui_app.run_test(size=SMALL) as pilot:
        await home_loaded(pilot, tui_app)
        user = await acs_user_with_schedule(tui_app)
        form = AcsUserFormScreen(user)
        tui_app.push_screen(form, results.append)
        await wait_until(pilot, lambda: bool(form.query("#access_groups")))
        groups = form.query_one("#access_groups", SelectionList)
        await wait_until(pilot, lambda: groups.option_count > 0 and not groups.loading)
        assert form.query_one("#starts_at", Input).value == "2031-09-01 00:00:00"
        assert form.query_one("#ends_at", Input).value == "2032-06-30 23:59:59"

        await pilot.press("ctrl+s")  # the schedule as shown is the schedule as stored
        message = form.query_one("#form-message")
        await wait_until(pilot, lambda: "Nothing changed" in str(message.render()))

        await pilot.press("escape")  # the groups the form ticked itself are no change
        await wait_until(pilot, lambda: results == [None])


async def test_placeholders_are_not_anyones_data(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        form = await new_identity_form(pilot, tui_app)
        page = await tui_app.service.search_identities(limit=100)
        data = {
            value.casefold()
            for identity in page.items
            for value in (identity.full_name, identity.email_address, identity.phone_number)
            if value
        }
        shown = [field.placeholder for field in form.query(Input).results(Input)]
        assert shown
        assert all(p for p in shown)
        for placeholder in shown:
            assert placeholder.casefold() not in data
            assert not any(placeholder.casefold() in value for value in data if "@" not in value)


async def test_enter_in_the_pickers_search_box_links_the_highlighted_match(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        await home_loaded(pilot, tui_app)
        users = await tui_app.service.list_acs_users(limit=200)
        user = next(u for u in users.items if not u.user_identity_id)
        target = (await tui_app.service.search_identities("Marcus Chen")).items[0]
        picked: list[str | None] = []
        picker = IdentityPickerScreen(user)
        tui_app.push_screen(picker, picked.append)
        await wait_until(pilot, lambda: bool(picker.query("#picks")))
        everyone = len((await tui_app.service.search_identities(limit=100)).items)
        await pilot.press(*"Marcus Chen")
        await wait_until(  # the search has run: the list is narrowed
            pilot,
            lambda: (
                picker.table.row_count < everyone
                and target.user_identity_id in picker.table.rows
                and not picker.table.is_loading
            ),
        )
        row = picker.table.get_row_index(target.user_identity_id)
        assert row > 0  # a match by email is pinned above it: the highlight decides
        picker.table.move_cursor(row=row, animate=False)
        await pilot.pause()
        assert picker.focused is not None
        assert picker.focused.id == "picker-search"
        await pilot.press("enter")
        await wait_until(pilot, lambda: picked == [target.user_identity_id])
