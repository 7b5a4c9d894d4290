"""Acting on an identity's ACS users from its screen, the ACS user's own view, jumps between
related objects and back / forward through them: the real app on the built-in sandbox."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.tui.app import SeamApp
from seam_tui.tui.keys import screen_keys
from seam_tui.tui.screens.acs_user_detail import AcsUserDetailScreen
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, wait_until
from tests.tui.screen_output import screen_text


async def identity_named(app: SeamApp, name: str) -> UserIdentity:
    page = await app.service.search_identities(name)
    return next(i for i in page.items if i.full_name == name)


async def acs_user(app: SeamApp, acs_user_id: str) -> AcsUser:
    return await app.service.get_acs_user(AcsUserTarget(acs_user_id=acs_user_id))


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_identity(pilot: Pilot[None], app: SeamApp, name: str) -> IdentityDetailScreen:
    """The identity's screen, loaded, with its ACS users table focused."""
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    await wait_until(pilot, lambda: app.screen.query_one("#identities", PagedTable).row_count > 0)
    identity = await identity_named(app, name)
    app.open_identity(identity.user_identity_id)
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, IdentityDetailScreen) and bool(app.screen.query("#status")),
    )
    screen = app.screen
    assert isinstance(screen, IdentityDetailScreen)
    status = screen.query_one("#status", Static)
    await wait_until(pilot, lambda: "suggested match" in text_of(status))
    screen.acs_users_table.focus()
    await pilot.pause()
    return screen


async def highlight(pilot: Pilot[None], table: KeyTable, key: str) -> None:
    table.focus()
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


async def acs_user_view(pilot: Pilot[None], app: SeamApp, acs_user_id: str) -> AcsUserDetailScreen:
    await wait_until(
        pilot,
        lambda: (
            isinstance(app.screen, AcsUserDetailScreen)
            and app.screen.acs_user_id == acs_user_id
            and bool(app.screen.query("#status"))
        ),
    )
    screen = app.screen
    assert isinstance(screen, AcsUserDetailScreen)
    status = screen.query_one("#status", Static)
    await wait_until(pilot, lambda: "access group(s)" in text_of(status))
    return screen


def offered(app: SeamApp) -> set[str]:
    return {key.description for key in screen_keys(app.screen)}


async def test_the_status_line_counts_the_systems_the_identitys_acs_users_are_in(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, tui_app, "Jane Doe")
        detail = await tui_app.service.get_identity_detail(screen.user_identity_id)
        used = {u.acs_system_id for u in detail.acs_users}
        assert len(used) < len(detail.systems)  # else this test could not tell the two apart
        status = text_of(screen.query_one("#status", Static))
        assert f"{len(detail.acs_users)} ACS user(s) in {len(used)} system(s)" in status


async def test_enter_on_an_identitys_acs_user_opens_its_view_with_groups_and_other_users(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, tui_app, "Jane Doe")
        detail = await tui_app.service.get_identity_detail(screen.user_identity_id)
        assert len(detail.acs_users) >= 2
        chosen = detail.acs_users[0]
        await highlight(pilot, screen.acs_users_table, chosen.acs_user_id)

        await pilot.press("enter")
        view = await acs_user_view(pilot, tui_app, chosen.acs_user_id)
        groups = await tui_app.service.list_acs_user_access_groups(chosen.acs_user_id)
        assert set(view.query_one("#acs-user-groups", KeyTable).rows) == {
            g.acs_access_group_id for g in groups
        }
        siblings = view.query_one("#acs-user-siblings", KeyTable)
        assert set(siblings.rows) == {u.acs_user_id for u in detail.acs_users} - {
            chosen.acs_user_id
        }
        await pilot.pause()
        fields = screen_text(tui_app)
        assert chosen.acs_user_id in fields
        assert detail.system_name(chosen.acs_system_id) in fields
        assert "Jane Doe" in fields


async def test_suspend_from_the_identity_asks_first_and_unsuspend_does_not(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, tui_app, "Jane Doe")
        table = screen.acs_users_table
        detail = await tui_app.service.get_identity_detail(screen.user_identity_id)
        user = next(u for u in detail.acs_users if not u.is_suspended)
        await highlight(pilot, table, user.acs_user_id)
        assert "Suspend…" in offered(tui_app)

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        assert not (await acs_user(tui_app, user.acs_user_id)).is_suspended

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "suspended" in str(table.get_row(user.acs_user_id)[2]))
        assert (await acs_user(tui_app, user.acs_user_id)).is_suspended

        await highlight(pilot, table, user.acs_user_id)
        await wait_until(pilot, lambda: "Unsuspend" in offered(tui_app))
        await pilot.press("s")  # restores access: no question
        await wait_until(pilot, lambda: "active" in str(table.get_row(user.acs_user_id)[2]))
        assert not isinstance(tui_app.screen, ConfirmScreen)
        assert not (await acs_user(tui_app, user.acs_user_id)).is_suspended


async def test_edit_and_delete_an_acs_user_from_the_identity(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, tui_app, "Jane Doe")
        table = screen.acs_users_table
        detail = await tui_app.service.get_identity_detail(screen.user_identity_id)
        user = detail.acs_users[-1]
        await highlight(pilot, table, user.acs_user_id)

        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUserFormScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is screen)

        await highlight(pilot, table, user.acs_user_id)
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert user.acs_user_id in dialog.plain_text
        await pilot.press("y")
        await wait_until(pilot, lambda: user.acs_user_id not in table.rows)
        left = await tui_app.service.get_identity_detail(screen.user_identity_id)
        assert user.acs_user_id not in {u.acs_user_id for u in left.acs_users}


async def test_jump_acs_user_to_identity_other_user_system_then_back_and_forward(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        start = await open_identity(pilot, tui_app, "Jane Doe")
        detail = await tui_app.service.get_identity_detail(start.user_identity_id)
        first, second = detail.acs_users[0], detail.acs_users[1]
        await highlight(pilot, start.acs_users_table, first.acs_user_id)
        await pilot.press("enter")
        view = await acs_user_view(pilot, tui_app, first.acs_user_id)

        await highlight(pilot, view.query_one("#acs-user-siblings", KeyTable), second.acs_user_id)
        await pilot.press("enter")
        other = await acs_user_view(pilot, tui_app, second.acs_user_id)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUsersScreen))
        system_list = tui_app.screen
        assert isinstance(system_list, AcsUsersScreen)
        assert system_list.acs_system_id == second.acs_system_id

        await pilot.press("alt+left")
        await wait_until(pilot, lambda: tui_app.screen is other)
        await pilot.press("alt+left")
        await wait_until(pilot, lambda: tui_app.screen is view)
        await pilot.press("alt+right")  # the second ACS user again, read afresh
        await acs_user_view(pilot, tui_app, second.acs_user_id)
        await pilot.press("alt+right")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUsersScreen))
        again = tui_app.screen
        assert isinstance(again, AcsUsersScreen)
        assert again.acs_system_id == second.acs_system_id
        assert "Forward (history)" not in offered(tui_app)  # nothing left ahead

        await pilot.press("alt+left")
        await acs_user_view(pilot, tui_app, second.acs_user_id)
        await pilot.press("i")  # somewhere new: forward is forgotten
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityDetailScreen))
        assert tui_app.screen is not start
        assert "Forward (history)" not in offered(tui_app)
        assert "Back (history)" in offered(tui_app)


async def test_the_acs_user_view_suspends_after_asking_and_offers_only_what_applies(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, tui_app, "Jane Doe")
        detail = await tui_app.service.get_identity_detail(screen.user_identity_id)
        user = next(u for u in detail.acs_users if not u.is_suspended)
        tui_app.open_acs_user(user.acs_user_id)
        view = await acs_user_view(pilot, tui_app, user.acs_user_id)
        assert {"Identity", "System", "Suspend…", "Unlink", "Edit", "Delete"} <= offered(tui_app)
        assert not {"Unsuspend", "Link…"} & offered(tui_app)

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: view.user is not None and bool(view.user.is_suspended))
        assert "suspended" in screen_text(tui_app)
        assert (await acs_user(tui_app, user.acs_user_id)).is_suspended
        await wait_until(pilot, lambda: "Unsuspend" in offered(tui_app))

        tui_app.read_only = True
        view.refresh_bindings()
        await pilot.pause()
        assert not {"Unsuspend", "Suspend…", "Edit", "Delete", "Unlink"} & offered(tui_app)
        assert {"Identity", "System"} <= offered(tui_app)


@pytest.mark.usefixtures("no_keyring")
async def test_the_acs_user_view_shows_a_pending_suspension_until_it_settles() -> None:
    app = SeamApp(resolve_workspace())
    local_sandbox().settle_after = 2.0  # Seam pushes each change this long after answering
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_identity(pilot, app, "Jane Doe")
        detail = await app.service.get_identity_detail(screen.user_identity_id)
        user = next(u for u in detail.acs_users if not u.is_suspended and not u.pending_mutations)
        app.open_acs_user(user.acs_user_id)
        view = await acs_user_view(pilot, app, user.acs_user_id)
        issues = view.query_one("#acs-user-issues", Static)
        assert not issues.display

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: issues.display and "pending" in text_of(issues))
        assert "suspension" in text_of(issues)
        # No key pressed: the view re-reads the ACS user until Seam has pushed the change.
        await wait_until(pilot, lambda: view.user is not None and not view.user.pending_mutations)
        await wait_until(pilot, lambda: not issues.display)
        assert view.user is not None
        assert view.user.is_suspended
        assert "suspended" in screen_text(app)


async def test_o_on_the_acs_users_list_opens_the_acs_users_own_view(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUsersScreen))
        screen = tui_app.screen
        assert isinstance(screen, AcsUsersScreen)
        await wait_until(pilot, lambda: screen.table.row_count > 0)
        unlinked = next(u for u in screen.table.items if not u.user_identity_id)
        await highlight(pilot, screen.table, unlinked.acs_user_id)
        await pilot.press("o")  # Enter opens an identity, which this user does not have
        view = await acs_user_view(pilot, tui_app, unlinked.acs_user_id)
        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        assert view.acs_user_id == unlinked.acs_user_id
