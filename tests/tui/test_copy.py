"""`y` copies an id, email, phone or instant-key link through the terminal; the palette lists
each key once and never offers ctrl+c as copy. The real app on the built-in sandbox."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from seam_tui.sandbox.hostile import HOSTILE_PROFILE, seed_hostile
from seam_tui.tui.app import SeamApp
from seam_tui.tui.clipboard import CopyChooser
from seam_tui.tui.keys import screen_keys
from seam_tui.tui.literal import clipped
from seam_tui.tui.screens.acs_user_detail import AcsUserDetailScreen
from seam_tui.tui.screens.help import HelpScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.visible import has_hidden
from seam_tui.workspaces import close_local_sandboxes, resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, recorded_notes, wait_until
from tests.tui.screen_output import forbidden_in_output, screen_text, terminal_output


async def home(pilot: Pilot[None], app: SeamApp) -> PagedTable[object]:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    table = app.screen.query_one("#identities", PagedTable)
    await wait_until(pilot, lambda: table.row_count > 0 and not table.is_loading)
    return table


async def chooser(pilot: Pilot[None], app: SeamApp) -> CopyChooser:
    await pilot.press("y")
    await wait_until(pilot, lambda: isinstance(app.screen, CopyChooser))
    dialog = app.screen
    assert isinstance(dialog, CopyChooser)
    await pilot.pause()
    return dialog


async def test_y_on_an_identity_row_copies_the_chosen_value(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        table = await home(pilot, tui_app)
        notes = recorded_notes(tui_app, monkeypatch)
        jane = next(
            i for i in (await tui_app.service.search_identities("Jane Doe")).items if i.full_name
        )
        table.focus()
        table.move_cursor(row=table.get_row_index(jane.user_identity_id), animate=False)
        await pilot.pause()

        dialog = await chooser(pilot, tui_app)
        assert [(c.label, c.value) for c in dialog.values][:2] == [
            ("Identity id", jane.user_identity_id),
            ("Identity email", jane.email_address),
        ]
        assert jane.email_address in screen_text(tui_app)
        await pilot.press("2")
        await wait_until(pilot, lambda: not isinstance(tui_app.screen, CopyChooser))
        assert tui_app.clipboard == jane.email_address
        assert any(n.startswith("Copied the identity email") for n in notes)

        await chooser(pilot, tui_app)
        await pilot.press("escape")  # copies nothing
        await wait_until(pilot, lambda: not isinstance(tui_app.screen, CopyChooser))
        assert tui_app.clipboard == jane.email_address


async def test_the_acs_user_view_copies_its_id_with_enter(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await home(pilot, tui_app)
        users = (await tui_app.service.list_acs_users(status="linked", limit=1)).items
        tui_app.open_acs_user(users[0].acs_user_id)
        await wait_until(
            pilot,
            lambda: (
                isinstance(tui_app.screen, AcsUserDetailScreen) and tui_app.screen.user is not None
            ),
        )
        dialog = await chooser(pilot, tui_app)
        labels = [c.label for c in dialog.values]
        assert labels[0] == "ACS user id"
        assert "Identity id" in labels
        await pilot.press("enter")
        await wait_until(pilot, lambda: tui_app.clipboard == users[0].acs_user_id)


async def test_on_an_identity_y_offers_the_highlighted_acs_user_then_the_identity(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await home(pilot, tui_app)
        jane = next(
            i for i in (await tui_app.service.search_identities("Jane Doe")).items if i.full_name
        )
        detail = await tui_app.service.get_identity_detail(jane.user_identity_id)
        user = detail.acs_users[-1]
        tui_app.open_identity(jane.user_identity_id)
        await wait_until(
            pilot,
            lambda: (
                isinstance(tui_app.screen, IdentityDetailScreen)
                and bool(tui_app.screen.query("#status"))
            ),
        )
        screen = tui_app.screen
        assert isinstance(screen, IdentityDetailScreen)
        table = screen.acs_users_table
        await wait_until(pilot, lambda: user.acs_user_id in table.rows)
        table.focus()
        table.move_cursor(row=table.get_row_index(user.acs_user_id), animate=False)
        await pilot.pause()

        dialog = await chooser(pilot, tui_app)
        offered = [(c.label, c.value) for c in dialog.values]
        assert offered[0] == ("ACS user id", user.acs_user_id)
        assert ("Identity id", jane.user_identity_id) in offered
        assert len({value for _, value in offered}) == len(offered)  # each value offered once
        await pilot.press("1")
        await wait_until(pilot, lambda: tui_app.clipboard == user.acs_user_id)


async def test_an_instant_keys_link_is_copied_from_the_credentials_tab(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await home(pilot, tui_app)
        marcus = next(
            i for i in (await tui_app.service.search_identities("Marcus Chen")).items if i.full_name
        )
        (key, *_) = await tui_app.service.access.list_instant_keys(marcus.user_identity_id)
        tui_app.open_identity(marcus.user_identity_id)
        await wait_until(
            pilot,
            lambda: (
                isinstance(tui_app.screen, IdentityDetailScreen)
                and bool(tui_app.screen.query("#status"))
            ),
        )
        screen = tui_app.screen
        assert isinstance(screen, IdentityDetailScreen)
        keys = screen.credentials_pane.instant_keys_table
        screen.show_tab("credentials-tab")
        await wait_until(pilot, lambda: key.instant_key_id in keys.rows)
        keys.focus()
        keys.move_cursor(row=keys.get_row_index(key.instant_key_id), animate=False)
        await pilot.pause()

        dialog = await chooser(pilot, tui_app)
        assert (dialog.values[0].label, dialog.values[0].value) == (
            "Instant key link",
            key.instant_key_url,
        )
        await pilot.press("1")
        await wait_until(pilot, lambda: tui_app.clipboard == key.instant_key_url)


async def test_a_value_with_hidden_characters_is_shown_literally_and_not_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = local_sandbox()
    await seed_hostile(sandbox)
    sandbox.settle_all()
    app = SeamApp(resolve_workspace(HOSTILE_PROFILE))
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await home(pilot, app)
            users = (await app.service.list_acs_users(limit=100)).items
            user = next(u for u in users if u.email_address and "\x1b" in u.email_address)
            app.open_acs_user(user.acs_user_id)
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, AcsUserDetailScreen) and app.screen.user is not None,
            )
            notes = recorded_notes(app, monkeypatch)
            dialog = await chooser(pilot, app)
            number = next(n for n, c in enumerate(dialog.values, 1) if c.label == "ACS user email")
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, AcsUserDetailScreen))
            await pilot.pause()
            assert not forbidden_in_output(terminal_output(app))  # the view sends no escape
            assert clipped(user.email_address, 20).removesuffix("…") in screen_text(app)
            await chooser(pilot, app)
            assert not forbidden_in_output(terminal_output(app))  # nor does the chooser
            await pilot.press(str(number))
            await wait_until(pilot, lambda: any(n.startswith("Not copied") for n in notes))
            assert not has_hidden(app.clipboard)
            assert app.clipboard != user.email_address
    finally:
        close_local_sandboxes()


async def test_the_palette_lists_keys_once_and_help_offers_y_not_ctrl_c(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        table = await home(pilot, tui_app)
        table.focus()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, CommandPalette))
        await pilot.press(*"keys")
        results = tui_app.screen.query_one(CommandList)

        def titled_keys() -> int:
            prompts = (results.get_option_at_index(i).prompt for i in range(results.option_count))
            return sum(str(p).splitlines()[0].strip() == "Keys" for p in prompts)

        await wait_until(pilot, lambda: titled_keys() > 0)
        assert titled_keys() == 1
        # Both sources of the palette: Textual's own commands no longer add a second "Keys".
        home_screen = tui_app.screen_stack[0]
        assert "Keys" not in {c.title for c in tui_app.get_system_commands(home_screen)}
        assert [k.description for k in screen_keys(home_screen)].count("Keys") == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))

        table.focus()  # a row to copy from
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, HelpScreen))
        await pilot.press(*"copy")
        await pilot.pause()
        shown = screen_text(tui_app)
        assert "Copy…" in shown
        assert "Copy selected text" not in shown
        assert "ctrl+c" not in shown
        title = tui_app.screen.query_one("#help-title", Static)
        assert "Identities" in str(title.render())
