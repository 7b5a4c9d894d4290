"""Hostile data is inert: every screen and dialog of the real app, on the hostile sandbox seed.

The seed (`seam_tui.sandbox.hostile`) puts markup, click actions, terminal escapes, C0/C1
controls, bidi overrides, zero-width characters, emoji, right-to-left text and 10,000-character
values in names, emails, phones, keys, system and group names and messages, through the real
API where it accepts them. On each screen these tests check that the literal text (with its
placeholders) is on screen, that the frame a terminal would receive holds no escape or control
character that came from data, and that clicking rows and dialogs changes nothing in the
sandbox's database file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from seam_tui.core.audit import AuditLog
from seam_tui.core.models import AcsUser, InstantKey, UserIdentity
from seam_tui.sandbox.hostile import (
    GROUP_NAMES,
    HOSTILE_PROFILE,
    KEYS,
    MESSAGES,
    NAMES,
    SYSTEM_NAMES,
    WORKSPACE_NAME,
    seed_hostile,
)
from seam_tui.tui.app import SeamApp
from seam_tui.tui.literal import clipped
from seam_tui.tui.screens.access_groups import AccessGroupsScreen, MemberPicker
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.tui.screens.device_picker import DevicePicker
from seam_tui.tui.screens.help import HelpScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen, UnlinkedAcsUserPicker
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
from seam_tui.tui.screens.instant_key import InstantKeyFormScreen, InstantKeyScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.text import Checklist, LiteralInput
from seam_tui.visible import visible, visible_one_for_one
from seam_tui.workspaces import close_local_sandboxes, resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.reliability.conftest import record
from tests.tui.conftest import wait_until
from tests.tui.screen_output import (
    db_fingerprint,
    forbidden_in_output,
    screen_text,
    terminal_output,
)

SIZE = (160, 50)
# What the tests saw, for the reliability figures.
SEEN: Counter[str] = Counter()
DATA_COLUMNS = {"Name", "Identity", "System", "Email"}


@pytest.fixture
async def hostile_app() -> AsyncIterator[SeamApp]:
    """The app on the hostile workspace of a fresh local sandbox (in the test's data dir)."""
    sandbox = local_sandbox()
    await seed_hostile(sandbox)
    sandbox.settle_all()  # with settling on: pushed before the tests fingerprint the database
    yield SeamApp(resolve_workspace(HOSTILE_PROFILE))
    close_local_sandboxes()


def db_path() -> Path:
    return local_sandbox().db_path


def assert_inert(app: SeamApp, *expected: str) -> str:
    """No data escape reaches the terminal, and each `expected` text is on screen."""
    output = terminal_output(app)
    bad = forbidden_in_output(output)
    SEEN["forbidden"] += len(bad)
    assert not bad, f"{type(app.screen).__name__} sends {bad} to the terminal"
    SEEN["frames"] += 1
    SEEN["bytes"] += len(output.encode())
    SEEN[f"screen {type(app.screen).__name__}"] += 1
    shown = screen_text(app)
    for text in expected:
        assert text in shown, f"{text!r} is not on {type(app.screen).__name__}:\n{shown}"
    return shown


def squeezed(text: str) -> str:
    """`text` without whitespace and scrollbar blocks (what wrapping and scrolling add)."""
    return "".join(c for c in text if not c.isspace() and not "\u2580" <= c <= "\u259f")


def shown_cut(value: str, width: int) -> str:
    """A value as a table column of `width` cells shows it (without the ellipsis)."""
    return clipped(value, width).removesuffix("…")


async def identities(app: SeamApp) -> list[UserIdentity]:
    page = await app.service.search_identities(None, limit=100)
    return list(page.items)


async def acs_users(app: SeamApp) -> list[AcsUser]:
    page = await app.service.list_acs_users(limit=100)
    return list(page.items)


async def home(pilot: Pilot[None], app: SeamApp) -> IdentitiesScreen:
    screen = app.screen
    assert isinstance(screen, IdentitiesScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and app.workspace_caption != "")
    return screen


async def open_detail(pilot: Pilot[None], app: SeamApp, identity_id: str) -> IdentityDetailScreen:
    app.open_identity(identity_id)
    await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
    screen = app.screen
    assert isinstance(screen, IdentityDetailScreen)
    await wait_until(
        pilot, lambda: any("suggested match" in str(s.render()) for s in screen.query("#status"))
    )
    await pilot.pause()
    return screen


async def go(pilot: Pilot[None], key: str, screen_type: type) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await pilot.pause()


async def back(pilot: Pilot[None], app: SeamApp, screen_type: type) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, screen_type))


async def test_every_screen_shows_the_literal_text_and_nothing_runs(hostile_app: SeamApp) -> None:
    app = hostile_app
    before = db_fingerprint(db_path())
    async with app.run_test(size=SIZE) as pilot:
        screen = await home(pilot, app)
        rows = screen.table.items
        names = [s.value for s in NAMES]
        visible_rows = [i.full_name for i in rows[:30]]
        assert visible_rows == names[:30]  # the list order is the seed's
        assert_inert(
            app,
            shown_cut(WORKSPACE_NAME.value, 40),
            *(shown_cut(name, 32) for name in names[:30]),
            "Jane [contractor] Doe HOSTILE-01",
            "[temp] Alice HOSTILE-02",
            "HOSTILE-05 [/]",
            "HOSTILE-11 ␛]0;pwned-title␇",
            "HOSTILE-13 ␛]52;c;cHduZWQ=␇",
            "HOSTILE-27 ⟨U+202E⟩exe.txt",
        )

        # A search for markup is a search for those characters, shown as typed.
        expected_hits = (await app.service.search_identities("[/]")).items
        assert 1 < len(expected_hits) < len(rows)
        await pilot.press("slash", *"[/]", "enter")
        await wait_until(pilot, lambda: screen.table.row_count == len(expected_hits))
        assert_inert(app, "matching “[/]”", "HOSTILE-05 [/]")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.table.row_count > 1)

        # Every identity's detail: the full name, key and phone as literal text.
        people = await identities(app)
        assert len(people) == len(NAMES)
        for person in people:
            detail = await open_detail(pilot, app, person.user_identity_id)
            shown = squeezed(assert_inert(app, person.user_identity_id))
            # Wrapped in the header: compare without the spaces and line breaks wrapping adds.
            assert squeezed(visible(person.full_name or "")[:60]) in shown
            if person.user_identity_key and len(person.user_identity_key) < 100:
                assert squeezed(visible(person.user_identity_key)) in shown
            assert detail.user_identity_id == person.user_identity_id
            await back(pilot, app, IdentitiesScreen)

        # An identity whose ACS user has an error and a hostile message.
        flagged = next(p for p in people if p.errors)
        detail = await open_detail(pilot, app, flagged.user_identity_id)
        await wait_until(pilot, lambda: detail.acs_users_table.row_count > 0)
        assert_inert(app)

        # The delete dialog names the record by literal name and id.
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert flagged.user_identity_id in dialog.plain_text
        assert_inert(app, flagged.user_identity_id)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))

        # The edit form: each value kept exactly, shown with placeholders.
        await go(pilot, "e", IdentityFormScreen)
        form = app.screen
        assert isinstance(form, IdentityFormScreen)
        assert_inert(
            app, visible_one_for_one(flagged.full_name or "")[:20], "holds hidden characters"
        )
        await back(pilot, app, IdentityDetailScreen)

        # The picker of unlinked ACS users (synced emails that the API would refuse).
        await go(pilot, "L", UnlinkedAcsUserPicker)
        picker = app.screen
        assert isinstance(picker, UnlinkedAcsUserPicker)
        await wait_until(pilot, lambda: picker.table.row_count > 0)
        assert_inert(app)
        await back(pilot, app, IdentityDetailScreen)
        await back(pilot, app, IdentitiesScreen)

        # What a person can open: hostile device, entrance and credential names; the device
        # picker, the instant key form and the key's dialog (link and QR code).
        await access_tabs_and_dialogs(pilot, app, people[0])

        # ACS users, in every filter, then their dialogs, form and picker.
        await go(pilot, "3", AcsUsersScreen)
        users_screen = app.screen
        assert isinstance(users_screen, AcsUsersScreen)
        for _ in range(4):
            await wait_until(pilot, lambda: not users_screen.table.is_loading)
            await pilot.pause(0.1)
            assert_inert(app, f"filter {users_screen.filter}")
            await pilot.press("f")
        await wait_until(pilot, lambda: users_screen.filter == "all")
        await wait_until(pilot, lambda: users_screen.table.row_count > 0)
        users = await acs_users(app)
        linked = next(u for u in users if u.user_identity_id)
        unlinked = next(u for u in users if not u.user_identity_id)
        for user, key, dialog_type in (
            (linked, "x", ConfirmScreen),
            (linked, "d", ConfirmScreen),
            (linked, "e", AcsUserFormScreen),
            (unlinked, "l", IdentityPickerScreen),
        ):
            await highlight(pilot, users_screen.table, user.acs_user_id)
            await go(pilot, key, dialog_type)
            if isinstance(app.screen, IdentityPickerScreen):
                await wait_until(pilot, picker_filled(app.screen))
            if isinstance(app.screen, AcsUserFormScreen):
                await pilot.pause(0.3)  # its access groups load
            shown = assert_inert(app)
            if dialog_type is ConfirmScreen:
                assert user.acs_user_id in shown
            await back(pilot, app, AcsUsersScreen)

        await go(pilot, "2", SystemsScreen)
        systems = app.screen
        assert isinstance(systems, SystemsScreen)
        await wait_until(pilot, lambda: systems.table.row_count == len(SYSTEM_NAMES))
        assert_inert(app, *(shown_cut(s.value, 40) for s in SYSTEM_NAMES))
        await access_groups_and_picker(pilot, app, systems)
        await back(pilot, app, SystemsScreen)

        # The audit log is data too: another program may have written anything into it.
        hostile = NAMES[10].value  # an OSC title sequence
        AuditLog().record(
            front_end="mcp",
            workspace=WORKSPACE_NAME.value,
            operation=NAMES[12].value,  # OSC 52
            ids={"user_identity_id": KEYS[1].value},
            outcome="ok",
            detail=MESSAGES[0].value + hostile,
        )
        await go(pilot, "4", ActivityScreen)
        activity = app.screen
        assert isinstance(activity, ActivityScreen)
        await wait_until(pilot, lambda: activity.table.row_count > 0)
        await pilot.pause()
        assert_inert(app, "HOSTILE-13 ␛]52;c;cHduZWQ=␇", "HOSTILE-75 [@click=app.quit]Fix now[/]")

        await go(pilot, "w", WorkspacesScreen)
        assert_inert(app, shown_cut(WORKSPACE_NAME.value, 32))
        # The add-workspace form, with markup and an escape pasted into its fields.
        await go(pilot, "a", WorkspaceFormScreen)
        await pilot.press(*"[b]x")
        app.screen.query_one("#profile_label", LiteralInput).value = NAMES[10].value
        await pilot.pause()
        assert_inert(app, "[b]x", "HOSTILE-11 ␛]0;pwned-title␇")
        await go(pilot, "escape", ConfirmScreen)  # a changed form asks before discarding
        assert_inert(app, "Discard your changes?")
        await go(pilot, "y", WorkspacesScreen)
        await go(pilot, "question_mark", HelpScreen)
        assert_inert(app, "Keys — Workspaces")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert_inert(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code is None  # still running: nothing quit it
    changed = db_fingerprint(db_path()) != before
    screens = sorted(k.removeprefix("screen ") for k in SEEN if k.startswith("screen "))
    record(
        "hostile data: TUI (Pilot)",
        frames_checked=SEEN["frames"],
        kinds_of_screen_and_dialog=len(screens),
        terminal_bytes_scanned=SEEN["bytes"],
        controls_from_data_on_the_terminal=SEEN["forbidden"],
        database_changed=changed,
    )
    assert not changed


async def access_tabs_and_dialogs(pilot: Pilot[None], app: SeamApp, person: UserIdentity) -> None:
    """The person's Access and Credentials tabs, the device picker, the instant key form and
    an instant key's dialog whose link is hostile (drawn as text and as a QR code)."""
    detail = await open_detail(pilot, app, person.user_identity_id)
    await wait_until(
        pilot, lambda: any("granted directly" in str(s.render()) for s in detail.query("#status"))
    )
    await pilot.press("right_square_bracket")
    access = await app.service.access.person_access(person.user_identity_id)
    assert access.devices
    assert access.entrances
    await wait_until(
        pilot, lambda: detail.access_pane.devices_table.row_count == len(access.devices)
    )
    await pilot.pause()
    shown = assert_inert(app)
    assert shown_cut(access.devices[0].device.display_name, 28) in shown
    await pilot.press("right_square_bracket")
    await pilot.pause()
    assert_inert(app)
    await pilot.press("left_square_bracket")
    await go(pilot, "a", DevicePicker)
    picker = app.screen
    assert isinstance(picker, DevicePicker)
    await wait_until(pilot, lambda: picker.table.row_count > 0)
    assert_inert(app)
    await back(pilot, app, IdentityDetailScreen)
    await go(pilot, "i", InstantKeyFormScreen)
    assert_inert(app, "New instant key for")
    await back(pilot, app, IdentityDetailScreen)
    hostile_link = InstantKey(
        instant_key_id="hostile-key",
        instant_key_url=NAMES[12].value,  # OSC 52: would set the clipboard
        expires_at=datetime.now(UTC) + timedelta(hours=48),
    )
    await app.push_screen(InstantKeyScreen(hostile_link, NAMES[10].value, max_uses=1))
    await pilot.pause()
    assert_inert(app, "HOSTILE-13 ␛]52;c;cHduZWQ=␇", "HOSTILE-11 ␛]0;pwned-title␇")
    await back(pilot, app, IdentityDetailScreen)
    await back(pilot, app, IdentitiesScreen)


async def access_groups_and_picker(
    pilot: Pilot[None], app: SeamApp, systems: SystemsScreen
) -> None:
    """A system's access groups (hostile group and member names), then the member picker."""
    groups = await app.service.list_access_groups()
    with_groups = groups[0].acs_system_id
    systems.table.move_cursor(row=systems.table.get_row_index(with_groups), animate=False)
    await go(pilot, "a", AccessGroupsScreen)
    screen = app.screen
    assert isinstance(screen, AccessGroupsScreen)
    await wait_until(pilot, lambda: screen.groups_table.row_count > 0)
    await pilot.pause()
    shown = assert_inert(app)
    assert any(shown_cut(g.value, 32) in shown for g in GROUP_NAMES)
    await go(pilot, "a", MemberPicker)
    picker = app.screen
    assert isinstance(picker, MemberPicker)
    await wait_until(pilot, lambda: picker.table.row_count > 0)
    assert_inert(app)
    await back(pilot, app, AccessGroupsScreen)


def picker_filled(picker: IdentityPickerScreen) -> Callable[[], bool]:
    return lambda: picker.table.row_count > 0


async def acs_users_screen(pilot: Pilot[None], app: SeamApp) -> AcsUsersScreen:
    """From home to the ACS users screen, its first page shown."""
    await home(pilot, app)
    await go(pilot, "3", AcsUsersScreen)
    screen = app.screen
    assert isinstance(screen, AcsUsersScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    return screen


async def highlight(pilot: Pilot[None], table: PagedTable[AcsUser], key: str) -> None:
    await wait_until(pilot, lambda: key in table.rows)
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


async def test_clicking_every_row_and_dialog_changes_nothing(hostile_app: SeamApp) -> None:
    """The names hold `[@click=...]` (suspend, confirm, quit): a click on them is a click."""
    app = hostile_app
    before = db_fingerprint(db_path())
    width, height = SIZE
    async with app.run_test(size=SIZE) as pilot:
        screen = await acs_users_screen(pilot, app)
        table = screen.table
        table_top = table.region.y + 1  # below the header row
        rows = min(table.row_count, table.region.height - 1)
        # One click on each cell of each row: the first highlights the row, the second (a
        # click on a highlighted row) selects it, which opens its identity: go back then.
        starts, x = [], table.region.x
        for column in table.ordered_columns:
            # The cells that hold names (markup with click actions); not those scrolled away.
            if str(column.label) in DATA_COLUMNS and x + 1 < table.region.right - 1:
                starts.append(x + 1)
            x += column.get_render_width(table)
        assert len(starts) >= 3
        clicks = 0
        users = await acs_users(app)
        for row in range(rows):
            user = table.items[row]
            words = (user.full_name, user.email_address, user.user_identity_full_name)
            if not any("[" in (w or "") for w in words) and row > 3:
                continue  # rows without markup: the first few are enough
            for start in starts:
                await pilot.click(offset=(start, table_top + row))
                clicks += 1
                if not isinstance(app.screen, AcsUsersScreen):
                    await pilot.press("escape")
                    await wait_until(pilot, lambda: isinstance(app.screen, AcsUsersScreen))
        assert clicks >= 3 * 10
        assert db_fingerprint(db_path()) == before

        # A delete dialog for the user named `[@click=screen.confirm]...`: click every cell of
        # its text; only the Delete button may confirm, and it is not clicked here.
        confirmer = next(u for u in users if "[@click=screen.confirm]" in (u.full_name or ""))
        await highlight(pilot, screen.table, confirmer.acs_user_id)
        await go(pilot, "d", ConfirmScreen)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "[@click=screen.confirm]" in dialog.plain_text
        text_lines = [dialog.query_one("#confirm-title"), *dialog.query(".confirm-line")]
        for line in text_lines:
            region = line.region
            for y in range(region.y, region.y + region.height):
                for x in range(region.x, region.x + region.width, 4):
                    await pilot.click(offset=(x, y))
                    SEEN["other clicks"] += 1
                    assert app.screen is dialog, "a click on the dialog's text closed it"
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, AcsUsersScreen))

        # The header bar and status line, which quote the workspace's name and the filter.
        for y in (0, height - 2):
            for x in range(0, width, 8):
                await pilot.click(offset=(x, y))
                SEEN["other clicks"] += 1
        await pilot.pause()
        still_running = app.return_code is None
    changed = db_fingerprint(db_path()) != before
    record(
        "hostile data: clicks",
        row_cells_clicked=clicks,
        dialog_and_header_clicks=SEEN["other clicks"],
        app_still_running=still_running,
        database_changed=changed,
    )
    assert still_running
    assert not changed


async def test_an_edit_form_saves_only_what_was_changed(hostile_app: SeamApp) -> None:
    """Opening the form on a value with controls and saving another field keeps the value."""
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await home(pilot, app)
        people = await identities(app)
        tricky = next(p for p in people if p.full_name and "\n" in p.full_name)
        await open_detail(pilot, app, tricky.user_identity_id)
        await go(pilot, "e", IdentityFormScreen)
        form = app.screen
        assert isinstance(form, IdentityFormScreen)
        assert form.query_one("#full_name").value == tricky.full_name  # type: ignore[attr-defined]
        await pilot.click("#user_identity_key")
        form.query_one("#user_identity_key").value = "renamed-key"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
        after = await app.service.get_identity_detail(tricky.user_identity_id)
        assert after.identity.user_identity_key == "renamed-key"
        assert after.identity.full_name == tricky.full_name


async def test_group_and_system_names_in_the_acs_user_form_are_literal(
    hostile_app: SeamApp,
) -> None:
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await acs_users_screen(pilot, app)
        await go(pilot, "n", AcsUserFormScreen)
        form = app.screen
        assert isinstance(form, AcsUserFormScreen)
        await pilot.pause(0.3)
        await pilot.click("#acs_system_id")
        await pilot.pause(0.3)
        assert_inert(app, *(shown_cut(s.value, 40) for s in SYSTEM_NAMES))
        await pilot.press("down", "down", "enter")  # past the prompt: the first system
        groups = form.query_one("#access_groups", Checklist)
        await wait_until(pilot, lambda: groups.option_count > 0)
        await pilot.pause()
        shown = assert_inert(app)
        assert any(shown_cut(g.value, 30) in shown for g in GROUP_NAMES)
