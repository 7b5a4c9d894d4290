"""Systems, ACS users, Activity and Workspaces screens, driven through the real app (sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.core
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey  # the footer's key widgets are not re-exported

from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import AcsUserTarget, UserIdentityCreate
from seam_tui.core.models import AcsUser
from seam_tui.core.results import AcsUserFilter
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import builtin_profiles, local_sandbox
from tests.settle import SETTLE_AFTER
from tests.tui.conftest import SIZE, open_acs_users, save_globex_profile, wait_until
from tests.workspaces.memory_keyring import MemoryKeyring

WRITE_KEYS = {"n", "d", "e", "l", "i", "x", "s"}


pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def memory_keyring(no_keyring: None) -> Iterator[MemoryKeyring]:
    MemoryKeyring.passwords = {}
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    MemoryKeyring.passwords = {}


@pytest.fixture
def notes(tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every notification the app shows (message, title, severity), in order."""
    shown: list[dict[str, Any]] = []
    original = tui_app.notify

    def record(message: str, **kwargs: Any) -> None:
        shown.append({"message": message, **kwargs})
        original(message, **kwargs)

    monkeypatch.setattr(tui_app, "notify", record)
    return shown


async def highlight(pilot: Pilot[None], table: DataTable[Any], key: str) -> None:
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


def current(screen: AcsUsersScreen) -> AcsUser:
    user = screen.table.current_item()
    assert user is not None
    return user


async def get_user(app: SeamApp, acs_user_id: str) -> AcsUser:
    return await app.service.get_acs_user(AcsUserTarget(acs_user_id=acs_user_id))


def active_keys(app: SeamApp) -> dict[str, str]:
    """Key -> description of every binding the current screen offers (what the footer shows)."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.description
    }


# ------------------------------------------------------------------- systems


async def test_systems_screen_lists_every_system_with_the_services_counts(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, SystemsScreen))
        screen = tui_app.screen
        assert isinstance(screen, SystemsScreen)
        await wait_until(pilot, lambda: screen.table.row_count > 0)
        expected = await tui_app.service.list_systems()
        assert len({s.system.external_type_display_name for s in expected}) > 1
        assert screen.table.row_count == len(expected)
        for summary in expected:
            name, brand, count, _ = screen.table.get_row(summary.system.acs_system_id)
            assert str(name) == summary.system.name
            assert str(brand) == summary.system.external_type_display_name
            assert str(count).strip() == str(summary.acs_user_count)

        first = expected[0].system.acs_system_id
        await highlight(pilot, screen.table, first)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUsersScreen))
        users = tui_app.screen
        assert isinstance(users, AcsUsersScreen)
        assert users.acs_system_id == first
        await wait_until(pilot, lambda: users.table.row_count == expected[0].acs_user_count)
        assert {u.acs_system_id for u in users.table.items} == {first}


# ----------------------------------------------------------------- ACS users


async def show_filter(
    pilot: Pilot[None], app: SeamApp, screen: AcsUsersScreen, wanted: AcsUserFilter
) -> None:
    """Press `f` until the filter is `wanted`; wait for exactly the users the service lists."""
    page = await app.service.list_acs_users(status=wanted, limit=100)
    expected = {u.acs_user_id for u in page.items}
    assert expected
    for _ in range(4):
        if screen.filter == wanted:
            break
        await pilot.press("f")
    await wait_until(pilot, lambda: {u.acs_user_id for u in screen.table.items} == expected)
    assert f"filter {wanted}" in str(screen.query_one("#status", Static).content)


async def test_filters_show_only_unlinked_then_only_suspended(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        linked = sum(1 for u in screen.table.items if u.user_identity_id)
        assert 0 < linked < screen.table.row_count

        await show_filter(pilot, tui_app, screen, "unlinked")
        assert not any(u.user_identity_id for u in screen.table.items)

        await show_filter(pilot, tui_app, screen, "suspended")
        assert all(u.is_suspended for u in screen.table.items)


async def test_search_runs_on_the_server_and_escape_clears_it(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        everyone = screen.table.row_count
        await pilot.press("slash", *"cleaning")  # letters that are keys elsewhere just type
        await wait_until(pilot, lambda: screen.table.row_count == 1)
        assert tui_app.screen is screen
        assert screen.table.items[0].email_address == "cleaning@contractors.example.net"

        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.table.row_count == everyone)
        assert tui_app.screen is screen
        assert screen.query_one("#search", Input).value == ""


async def test_suspend_then_unsuspend_redraws_the_row_and_the_key(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        user = next(u for u in screen.table.items if not u.is_suspended)
        await highlight(pilot, screen.table, user.acs_user_id)
        assert active_keys(tui_app)["s"] == "Suspend"

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")  # suspending asks first
        await wait_until(pilot, lambda: current(screen).is_suspended is True)
        # "suspend…" while Seam is still pushing it (with settling on, tests/settle.py)
        assert str(screen.table.get_row(user.acs_user_id)[4]) in ("suspended", "suspend…")
        assert (await get_user(tui_app, user.acs_user_id)).is_suspended
        assert active_keys(tui_app)["s"] == "Unsuspend"

        await pilot.press("s")
        await wait_until(pilot, lambda: current(screen).is_suspended is False)
        assert str(screen.table.get_row(user.acs_user_id)[4]) in ("active", "activate…")
        assert not (await get_user(tui_app, user.acs_user_id)).is_suspended


async def test_link_an_unlinked_acs_user_through_the_picker_then_unlink_it(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        created = await tui_app.service.create_identity(
            UserIdentityCreate(full_name="Link Target", email_address="link.target@example.com")
        )
        target = created.identity.user_identity_id
        screen = await open_acs_users(pilot, tui_app)
        user = next(u for u in screen.table.items if not u.user_identity_id)
        await highlight(pilot, screen.table, user.acs_user_id)
        assert "x" not in active_keys(tui_app)

        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityPickerScreen))
        picker = tui_app.screen
        assert isinstance(picker, IdentityPickerScreen)
        await pilot.press(*"link.target", "enter")
        await wait_until(pilot, lambda: target in picker.table.rows)
        await highlight(pilot, picker.table, target)
        await pilot.press("enter")

        await wait_until(pilot, lambda: tui_app.screen is screen)
        await wait_until(pilot, lambda: current(screen).user_identity_id == target)
        assert "Link Target" in str(screen.table.get_row(user.acs_user_id)[2])
        assert (await get_user(tui_app, user.acs_user_id)).user_identity_id == target
        assert active_keys(tui_app)["x"] == "Unlink"

        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: current(screen).user_identity_id is None)
        assert (await get_user(tui_app, user.acs_user_id)).user_identity_id is None


async def test_deleting_a_user_already_deleted_elsewhere_notifies_and_carries_on(
    tui_app: SeamApp, notes: list[dict[str, Any]]
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        user = screen.table.items[0]
        await highlight(pilot, screen.table, user.acs_user_id)
        await tui_app.service.delete_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
        local_sandbox().settle_all()  # with settling on: deleted elsewhere, and pushed

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        detail = tui_app.screen.plain_text
        assert "credentials there stop working" in detail
        await pilot.press("y")
        await wait_until(pilot, lambda: any(n.get("severity") == "error" for n in notes))
        assert "Not found" in notes[-1]["message"]

        assert tui_app.screen is screen
        assert user.acs_user_id not in screen.table.rows
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.filter == "linked" and not screen.table.is_loading)
        assert tui_app.is_running


async def test_read_only_workspace_hides_every_write_key() -> None:
    app = SeamApp(resolve_workspace(read_only=True))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        home_keys = active_keys(app)
        # `i` on Identities opens the people import, which plans only when read-only.
        assert home_keys.get("i") == "Import…"
        assert not (WRITE_KEYS - {"i"}) & set(home_keys)

        screen = await open_acs_users(pilot, app)
        for user in (
            next(u for u in screen.table.items if u.user_identity_id),
            next(u for u in screen.table.items if not u.user_identity_id),
        ):
            await highlight(pilot, screen.table, user.acs_user_id)
            keys = active_keys(app)
            assert not WRITE_KEYS & set(keys)
            assert {"f", "slash", "r"} <= set(keys)
            footer = {key.key for key in screen.query(FooterKey)}
            assert not WRITE_KEYS & footer
        await pilot.press("s")
        await pilot.pause()
        assert not (await get_user(app, user.acs_user_id)).is_suspended


# ------------------------------------------------------------------ activity


async def test_activity_shows_a_change_just_made_and_one_from_the_mcp_server(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        user = next(u for u in screen.table.items if not u.is_suspended)
        await highlight(pilot, screen.table, user.acs_user_id)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")  # suspending asks first
        await wait_until(pilot, lambda: current(screen).is_suspended is True)

        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ActivityScreen))
        activity = tui_app.screen
        assert isinstance(activity, ActivityScreen)
        await wait_until(pilot, lambda: activity.table.row_count > 0)
        _, front_end, operation, about, outcome, workspace, _ = activity.table.get_row_at(0)
        assert (str(front_end), str(workspace), str(operation)) == (
            "tui",
            tui_app.workspace.name,
            "suspend_acs_user",
        )
        # With settling on (tests/settle.py) the change may have settled by now, and says so.
        assert str(outcome) in ({"ok", "settled"} if SETTLE_AFTER else {"ok"})
        assert str(about).startswith((user.full_name or user.display_name)[:10])
        detail = str(activity.query_one("#activity-detail", Static).content)
        assert user.acs_user_id in detail

        AuditLog().record(
            front_end="mcp",
            workspace=tui_app.workspace.name,
            operation="unsuspend_acs_user",
            ids={"acs_user_id": user.acs_user_id},
            outcome="ok",
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: str(activity.table.get_row_at(0)[1]) == "mcp")
        assert str(activity.table.get_row_at(0)[2]) == "unsuspend_acs_user"

        await pilot.press("slash", *"mcp")
        await wait_until(pilot, lambda: activity.table.row_count == 1)
        assert str(activity.table.get_row_at(0)[1]) == "mcp"


# ---------------------------------------------------------------- workspaces


async def open_workspaces(pilot: Pilot[None], app: SeamApp) -> WorkspacesScreen:
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspacesScreen))
    screen = app.screen
    assert isinstance(screen, WorkspacesScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    return screen


async def test_switching_to_the_second_sandbox_workspace_shows_its_identities(
    tui_app: SeamApp,
) -> None:
    second = builtin_profiles()[1]
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_workspaces(pilot, tui_app)
        assert "●" in str(screen.table.get_row("sandbox")[0])
        await highlight(pilot, screen.table, second.name)
        await pilot.press("enter")

        await wait_until(pilot, lambda: tui_app.workspace.name == second.name)
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        home = tui_app.screen
        table = home.query_one("#identities", PagedTable)
        expected = await tui_app.service.search_identities(limit=100)
        wanted = {i.user_identity_id for i in expected.items}
        await wait_until(pilot, lambda: {i.user_identity_id for i in table.items} == wanted)
        bar = home.query_one("#workspace-bar", Static)
        await wait_until(pilot, lambda: second.label in str(bar.content))


async def test_built_in_profiles_cannot_be_removed(
    tui_app: SeamApp, notes: list[dict[str, Any]]
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_workspaces(pilot, tui_app)
        await highlight(pilot, screen.table, builtin_profiles()[1].name)
        await pilot.press("d")
        await wait_until(pilot, lambda: bool(notes))
        assert "cannot be removed" in notes[-1]["message"]
        assert not isinstance(tui_app.screen, ConfirmScreen)


async def fill_profile_form(pilot: Pilot[None], app: SeamApp, secret: str) -> WorkspaceFormScreen:
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceFormScreen))
    form = app.screen
    assert isinstance(form, WorkspaceFormScreen)
    await save_globex_profile(pilot, form, secret)
    return form


async def test_add_a_profile_refused_then_verified_then_removed(
    tui_app: SeamApp, memory_keyring: MemoryKeyring, notes: list[dict[str, Any]]
) -> None:
    globex_key = local_sandbox().workspaces()[1].api_key
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_workspaces(pilot, tui_app)

        form = await fill_profile_form(pilot, tui_app, "seam_test_not_a_real_key")
        message = form.query_one("#form-message", Static)
        await wait_until(pilot, lambda: "Not saved" in str(message.content))
        assert "refused" in str(message.content)
        assert "seam_test_not_a_real_key" not in str(message.content)
        assert form.query_one("#profile_name", Input).value == "globex"
        assert form.query_one("#secret", Input).value == "seam_test_not_a_real_key"
        assert memory_keyring.passwords == {}

        form.query_one("#secret", Input).value = globex_key
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        await wait_until(pilot, lambda: "globex" in screen.table.rows)
        assert memory_keyring.passwords == {("seam-tui", "globex"): globex_key}
        assert "keyring ✓" in str(screen.table.get_row("globex")[5])
        assert not any(globex_key in n["message"] for n in notes)

        await highlight(pilot, screen.table, "globex")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "globex" not in screen.table.rows)
        assert memory_keyring.passwords == {}


async def test_adding_a_profile_without_a_keyring_says_how_out_and_keeps_the_form(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        await open_workspaces(pilot, tui_app)
        form = await fill_profile_form(pilot, tui_app, "seam_test_typed_in")
        message = form.query_one("#form-message", Static)
        await wait_until(pilot, lambda: "Not saved" in str(message.content))
        assert "no usable keyring backend" in str(message.content)
        assert "--insecure-file-store" in str(message.content)
        assert tui_app.screen is form
        assert form.query_one("#secret", Input).value == "seam_test_typed_in"
