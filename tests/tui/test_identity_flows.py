"""Identity flows through the real app on the sandbox: create, link, unlink, errors, delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, SelectionList, Static
from textual.widgets.select import InvalidSelectValueError

from seam_tui.core.errors import SeamNotFoundError
from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.sandbox import FaultConfig
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen, UnlinkedAcsUserPicker
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, wait_until


async def find_identity(app: SeamApp, name: str) -> UserIdentity:
    page = await app.service.search_identities(name)
    return next(i for i in page.items if i.full_name == name)


async def home_loaded(pilot: Pilot[None], app: SeamApp) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    table = app.screen.query_one("#identities", PagedTable)
    await wait_until(pilot, lambda: table.row_count > 0)


async def type_into(pilot: Pilot[None], app: SeamApp, field: str, text: str) -> None:
    """Focus a form field and type into it key by key, as a person would."""
    app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press(*text)


async def open_new_identity_form(pilot: Pilot[None], app: SeamApp) -> IdentityFormScreen:
    await home_loaded(pilot, app)
    await pilot.press("n")
    await wait_until(pilot, lambda: bool(app.screen.query("#acs_system_ids")))
    form = app.screen
    assert isinstance(form, IdentityFormScreen)
    systems = form.query_one("#acs_system_ids", SelectionList)
    await wait_until(pilot, lambda: systems.option_count > 0)
    return form


def choose(select: Select[str], value: str) -> bool:
    """Pick `value` once the options (loaded by a worker) offer it."""
    try:
        select.value = value
    except InvalidSelectValueError:
        return False
    return True


def field_error(app: SeamApp, field: str) -> str:
    return str(app.screen.query_one(f"#{field}-error", Static).render())


async def open_detail(pilot: Pilot[None], app: SeamApp, identity_id: str) -> IdentityDetailScreen:
    await home_loaded(pilot, app)
    app.open_identity(identity_id)
    await wait_until(pilot, lambda: bool(app.screen.query("#status")))
    screen = app.screen
    assert isinstance(screen, IdentityDetailScreen)
    status = screen.query_one("#status", Static)
    await wait_until(pilot, lambda: "suggested match" in str(status.render()))
    return screen


async def test_create_identity_with_acs_users_in_two_systems(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_new_identity_form(pilot, tui_app)
        await type_into(pilot, tui_app, "full_name", "Quinn Harlow")
        await type_into(pilot, tui_app, "email_address", "quinn.harlow@example.com")
        await type_into(pilot, tui_app, "phone_number", "+14155550199")
        systems = form.query_one("#acs_system_ids", SelectionList)
        systems.focus()
        await pilot.press("space", "down", "space")  # tick the first two systems
        chosen = list(systems.selected)
        assert len(chosen) == 2

        await pilot.press("ctrl+s")  # the plan first: nothing is created yet
        message = form.query_one("#form-message", Static)
        await wait_until(pilot, lambda: "Saving creates identity" in str(message.render()))
        names = await tui_app.service.systems_by_id()
        for system_id in chosen:
            assert f'+ a new ACS user in "{names[system_id].name}"' in str(message.render())
        assert not (await tui_app.service.search_identities("Quinn Harlow")).items
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))

        created = await find_identity(tui_app, "Quinn Harlow")
        assert created.email_address == "quinn.harlow@example.com"
        acs_users = await tui_app.service.get_identity_detail(created.user_identity_id)
        assert sorted(u.acs_system_id for u in acs_users.acs_users) == sorted(chosen)

        await pilot.press("slash", *"harlow", "enter")
        table = tui_app.screen.query_one("#identities", PagedTable)
        await wait_until(
            pilot,
            lambda: [i.user_identity_id for i in table.items] == [created.user_identity_id],
        )


async def test_link_a_suggested_match_with_one_key_then_unlink(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        ethan = await find_identity(tui_app, "Ethan Brooks")
        screen = await open_detail(pilot, tui_app, ethan.user_identity_id)
        suggestions = screen.query_one("#suggestions", DataTable)
        (suggestion,) = await tui_app.service.suggest_acs_user_links(ethan.user_identity_id)
        suggested = suggestion.acs_user.acs_user_id
        assert suggested in suggestions.rows
        acs_users = screen.query_one("#acs-users", DataTable)
        assert acs_users.row_count == 0

        await pilot.press("l")
        await wait_until(pilot, lambda: suggested in acs_users.rows)
        await wait_until(pilot, lambda: suggestions.row_count == 0)
        linked = await tui_app.service.get_acs_user(AcsUserTarget(acs_user_id=suggested))
        assert linked.user_identity_id == ethan.user_identity_id

        acs_users.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: suggested not in acs_users.rows)
        await wait_until(pilot, lambda: suggestions.row_count == 1)
        unlinked = await tui_app.service.get_acs_user(AcsUserTarget(acs_user_id=suggested))
        assert unlinked.user_identity_id is None


async def test_validation_errors_keep_every_typed_value(tui_app: SeamApp) -> None:
    typed = {
        "full_name": "Val Idation",
        "email_address": "val.at.example.com",
        "phone_number": "555-0100",
        "user_identity_key": "val-1",
    }
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_new_identity_form(pilot, tui_app)
        for field, text in typed.items():
            await type_into(pilot, tui_app, field, text)
        await pilot.press("enter")  # Enter on the last field submits
        await wait_until(pilot, lambda: bool(field_error(tui_app, "email_address")))

        assert tui_app.screen is form
        assert {f: form.query_one(f"#{f}", Input).value for f in typed} == typed
        assert "email address is not valid" in field_error(tui_app, "email_address")
        assert "E.164" in field_error(tui_app, "phone_number")
        assert field_error(tui_app, "full_name") == ""
        assert (await tui_app.service.search_identities("Val Idation")).items == []


@pytest.mark.parametrize(
    ("kind", "prefix"),
    [("500", "Not confirmed:"), ("drop", "Not confirmed:"), ("429", "Not saved:")],
)
async def test_a_failed_save_says_whether_it_may_have_been_applied(
    tui_app: SeamApp, kind: str, prefix: str
) -> None:
    """A 500 or a dropped connection may come after the change was made: the form says so
    instead of "Not saved"; a 429 (retried, then given up) surely changed nothing. The values
    typed stay either way."""
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_new_identity_form(pilot, tui_app)
        await type_into(pilot, tui_app, "full_name", "Una Certain")
        local_sandbox().faults = FaultConfig(rate=1.0, kinds=frozenset({kind}), retry_after_s=0.01)
        try:
            await pilot.press("ctrl+s")
            message = form.query_one("#form-message", Static)
            await wait_until(pilot, lambda: str(message.render()).startswith("Not "))
        finally:
            local_sandbox().faults = FaultConfig()
        text = str(message.render())
        assert text.startswith(prefix), text
        assert ("check whether it was saved" in text) == (prefix == "Not confirmed:")
        assert tui_app.screen is form
        assert form.query_one("#full_name", Input).value == "Una Certain"


async def test_duplicate_email_lands_on_the_email_field(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        jane = await find_identity(tui_app, "Jane Doe")
        assert jane.email_address
        form = await open_new_identity_form(pilot, tui_app)
        await type_into(pilot, tui_app, "full_name", "Jane Again")
        await type_into(pilot, tui_app, "email_address", jane.email_address.upper())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(field_error(tui_app, "email_address")))

        message = field_error(tui_app, "email_address")
        assert "already used" in message
        assert jane.user_identity_id in message
        assert tui_app.screen is form
        assert form.query_one("#full_name", Input).value == "Jane Again"
        assert form.query_one("#email_address", Input).value == jane.email_address.upper()


async def test_edit_sends_only_changes_and_clearing_sends_null(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        marcus = await find_identity(tui_app, "Marcus Chen")
        assert marcus.user_identity_key
        assert marcus.phone_number
        await open_detail(pilot, tui_app, marcus.user_identity_id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityFormScreen))
        tui_app.screen.query_one("#user_identity_key", Input).value = ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityDetailScreen))

        after = await find_identity(tui_app, "Marcus Chen")
        assert after.user_identity_key is None
        assert after.phone_number == marcus.phone_number


async def test_create_an_acs_user_for_the_identity(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        ethan = await find_identity(tui_app, "Ethan Brooks")
        screen = await open_detail(pilot, tui_app, ethan.user_identity_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUserFormScreen))
        form = tui_app.screen
        assert form.query_one("#email_address", Input).value == ethan.email_address
        systems = await tui_app.service.systems_by_id()
        latch = next(s for s in systems.values() if s.name == "Harbor Lofts")
        select = form.query_one("#acs_system_id", Select)
        await wait_until(pilot, lambda: choose(select, latch.acs_system_id))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: tui_app.screen is screen)

        acs_users = screen.query_one("#acs-users", DataTable)
        await wait_until(pilot, lambda: acs_users.row_count == 1)
        detail = await tui_app.service.get_identity_detail(ethan.user_identity_id)
        assert [u.acs_system_id for u in detail.acs_users] == [latch.acs_system_id]


async def test_delete_after_confirming(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        priya = await find_identity(tui_app, "Priya Patel")
        await open_detail(pilot, tui_app, priya.user_identity_id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        detail = tui_app.screen.plain_text
        assert "ACS user(s) go too" in detail
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))

        local_sandbox().settle_all()  # with settling on (tests/settle.py): pushed, then gone
        with pytest.raises(SeamNotFoundError):
            await tui_app.service.get_identity_detail(priya.user_identity_id)


async def unlinked_acs_user(app: SeamApp, name: str) -> AcsUser:
    page = await app.service.list_acs_users(status="unlinked", search=name)
    return next(u for u in page.items if u.full_name == name)


async def test_link_without_suggestions_picks_any_unlinked_acs_user(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        zara = await find_identity(tui_app, "Zara Ahmed")
        tablet = await unlinked_acs_user(tui_app, "Front Desk Tablet")
        screen = await open_detail(pilot, tui_app, zara.user_identity_id)
        assert not screen.query_one("#suggestions", DataTable).display
        await pilot.press("l")
        await wait_until(pilot, lambda: bool(tui_app.screen.query("#picks")))
        assert isinstance(tui_app.screen, UnlinkedAcsUserPicker)
        picks = tui_app.screen.query_one("#picks", PagedTable)
        await pilot.press(*"front desk")
        await wait_until(
            pilot, lambda: [u.acs_user_id for u in picks.items] == [tablet.acs_user_id]
        )
        await pilot.press("down", "enter")
        acs_users = screen.query_one("#acs-users", DataTable)
        await wait_until(pilot, lambda: tablet.acs_user_id in acs_users.rows)
        linked = await tui_app.service.get_acs_user(AcsUserTarget(acs_user_id=tablet.acs_user_id))
        assert linked.user_identity_id == zara.user_identity_id


async def test_identity_picker_puts_email_and_phone_matches_first(tui_app: SeamApp) -> None:
    picked: list[str | None] = []
    async with tui_app.run_test(size=SIZE) as pilot:
        await home_loaded(pilot, tui_app)
        yuki = await find_identity(tui_app, "Yuki Tanaka")
        look_alike = await unlinked_acs_user(tui_app, "Yuki T.")  # same phone as Yuki
        tui_app.push_screen(IdentityPickerScreen(look_alike), picked.append)
        await wait_until(pilot, lambda: bool(tui_app.screen.query("#picks")))
        picks = tui_app.screen.query_one("#picks", PagedTable)
        await wait_until(pilot, lambda: picks.row_count > 1)
        assert picks.items[0].user_identity_id == yuki.user_identity_id
        assert str(picks.get_row_at(0)[0]) == "match"
        assert str(picks.get_row_at(1)[0]) == ""

        await pilot.press(*"marcus")  # a search keeps the match on top
        await wait_until(pilot, lambda: len(picks.items) == 2)
        assert picks.items[0].user_identity_id == yuki.user_identity_id
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: picked == [yuki.user_identity_id])


async def test_identity_from_an_acs_user_links_it_and_adds_a_system(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await home_loaded(pilot, tui_app)
        guard = await unlinked_acs_user(tui_app, "Night Guard")
        systems = await tui_app.service.systems_by_id()
        salto = next(s for s in systems.values() if s.name == "Acme Tower")
        form = IdentityFormScreen(
            prefill={"full_name": "Night Guard", "email_address": guard.email_address or ""},
            link_acs_user_id=guard.acs_user_id,
        )
        tui_app.push_screen(form)
        await wait_until(pilot, lambda: bool(form.query("#acs_system_ids")))
        choices = form.query_one("#acs_system_ids", SelectionList)
        await wait_until(pilot, lambda: choices.option_count > 0)
        choices.select(salto.acs_system_id)
        await pilot.press("ctrl+s")
        message = form.query_one("#form-message", Static)
        await wait_until(pilot, lambda: "Saving creates identity" in str(message.render()))
        plan = str(message.render())
        assert '⇄ links existing ACS user "Night Guard"' in plan
        assert "(the ACS user you chose)" in plan
        assert '+ a new ACS user in "Acme Tower"' in plan
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))

        created = await find_identity(tui_app, "Night Guard")
        detail = await tui_app.service.get_identity_detail(created.user_identity_id)
        by_system = {u.acs_system_id: u.acs_user_id for u in detail.acs_users}
        assert by_system[guard.acs_system_id] == guard.acs_user_id
        assert salto.acs_system_id in by_system


async def test_edit_an_acs_user_schedule_and_access_groups(tui_app: SeamApp) -> None:
    results: list[AcsUser | None] = []
    async with tui_app.run_test(size=SIZE) as pilot:
        await home_loaded(pilot, tui_app)
        guard = await unlinked_acs_user(tui_app, "Night Guard")
        groups = await tui_app.service.list_access_groups(guard.acs_system_id)
        form = AcsUserFormScreen(guard)
        tui_app.push_screen(form, results.append)
        await wait_until(pilot, lambda: bool(form.query("#access_groups")))
        choices = form.query_one("#access_groups", SelectionList)
        await wait_until(pilot, lambda: choices.option_count == len(groups))
        before = set(choices.selected)
        toggled = groups[0].acs_access_group_id
        choices.toggle(toggled)
        form.query_one("#starts_at", Input).value = "2031-02-01 08:00"
        await pilot.press("ctrl+s")  # one end only: refused, beside the field
        await wait_until(pilot, lambda: bool(field_error(tui_app, "ends_at")))
        assert "both start and end" in field_error(tui_app, "ends_at")
        assert form.query_one("#starts_at", Input).value == "2031-02-01 08:00"

        form.query_one("#ends_at", Input).value = "2031-03-01T18:00:00Z"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(results))

        updated = results[0]
        assert updated is not None
        assert updated.access_schedule is not None
        assert updated.access_schedule.starts_at == datetime(2031, 2, 1, 8, tzinfo=UTC)
        member_of = await tui_app.service.list_acs_user_access_groups(guard.acs_user_id)
        assert {g.acs_access_group_id for g in member_of} == before ^ {toggled}
