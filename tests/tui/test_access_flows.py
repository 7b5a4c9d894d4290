"""Access through the real app on the sandbox: what a person can open and why, granting and
revoking a device, instant keys (their QR code decoded back), access-group membership."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from seam_tui.core.models import AcsUser
from seam_tui.tui.app import SeamApp
from seam_tui.tui.keys import screen_keys
from seam_tui.tui.qr import HALF_BLOCKS, qr_matrix
from seam_tui.tui.screens.access_groups import AccessGroupsScreen, MemberPicker
from seam_tui.tui.screens.device_picker import DevicePicker
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.screens.instant_key import InstantKeyFormScreen, InstantKeyScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from tests.tui.conftest import SIZE, wait_until
from tests.tui.screen_output import screen_text
from tests.tui.test_identity_flows import field_error, find_identity, home_loaded

CELL_MODULES = {char: pair for pair, char in HALF_BLOCKS.items()}


def text_of(widget: Static) -> str:
    return str(widget.render())


def status_says(screen: IdentityDetailScreen | AccessGroupsScreen, text: str) -> bool:
    """Whether the screen's status line (once composed) holds `text`."""
    return any(text in text_of(line) for line in screen.query("#status").results(Static))


def column(table: DataTable[object], label: str) -> list[str]:
    """The plain text of one column, top to bottom."""
    index = [str(c.label) for c in table.ordered_columns].index(label)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def open_access(pilot: Pilot[None], app: SeamApp, name: str) -> IdentityDetailScreen:
    """Open the person's screen, wait for what they can open, show the Access tab."""
    await home_loaded(pilot, app)
    person = await find_identity(app, name)
    app.open_identity(person.user_identity_id)
    await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
    screen = app.screen
    assert isinstance(screen, IdentityDetailScreen)
    await wait_until(pilot, lambda: status_says(screen, "granted directly"))
    await pilot.press("right_square_bracket")
    assert screen.tab == "access-tab"
    return screen


async def test_a_person_sees_each_entrance_with_the_path_that_grants_it(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Jane Doe")
        access = await tui_app.service.access.person_access(screen.user_identity_id)
        table = screen.access_pane.entrances_table
        assert table.row_count == sum(len(e.paths) for e in access.entrances) > 0
        names = {e.entrance.display_name for e in access.entrances}
        assert set(column(table, "Entrance")) == names
        ways = column(table, "Granted through")
        groups = {p.acs_access_group_name for e in access.entrances for p in e.paths}
        assert {f"group {g}" for g in groups if g} <= set(ways)
        assert any(w.startswith(("card", "PIN code")) for w in ways)  # Jane's credentials
        assert "opens now" in column(table, "State")

        # Credentials: the PIN code is masked until asked for, then shown.
        await pilot.press("right_square_bracket")
        pin = next(c.credential for c in access.credentials if c.credential.code)
        credentials = screen.credentials_pane.credentials_table
        assert pin.code is not None
        assert "****" in column(credentials, "Code / card")
        assert pin.code not in column(credentials, "Code / card")
        await pilot.press("s")
        assert pin.code in column(credentials, "Code / card")
        await pilot.press("s")
        assert pin.code not in column(credentials, "Code / card")


def told(app: SeamApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_at_80x24_the_devices_cursor_stays_in_view_and_x_acts_on_the_focused_table(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=(80, 24)) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")
        pane = screen.access_pane
        devices = pane.devices_table
        await wait_until(pilot, lambda: devices.row_count >= 3)

        # x with the focus in Entrances: no dialog, the person is told where to go.
        assert screen.focused is pane.entrances_table
        await pilot.press("x")
        await pilot.pause()
        assert tui_app.screen is screen
        assert any("Tab to the devices table" in m for m in told(tui_app))
        tui_app.clear_notifications()  # a toast would cover the rows read below

        # The cursor row of the devices table is always on screen, whichever row it is on.
        devices.focus()
        await pilot.press("g")
        for _ in range(devices.row_count):
            await pilot.pause()
            assert devices.region.bottom <= pane.region.bottom  # not cut off by the tab
            name = column(devices, "Device")[devices.cursor_row]
            row_y = devices.region.y + 1 + devices.cursor_row - round(devices.scroll_y)
            assert devices.region.y < row_y < devices.region.bottom
            shown = screen_text(tui_app).split("\n")
            assert name in shown[row_y], "\n".join(shown)
            await pilot.press("j")

        # x on the focused devices table asks about the row in view.
        await pilot.press("G", "x")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert column(devices, "Device")[-1] in dialog.plain_text
        await pilot.press("n")


async def test_entrance_and_device_issues_are_shown_and_the_state_says_so(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Jane Doe")
        access = await tui_app.service.access.person_access(screen.user_identity_id)
        table = screen.access_pane.entrances_table
        troubled = [e for e in access.entrances if e.entrance.warnings or e.entrance.errors]
        assert troubled  # the seed gives Jane's Rooftop Terrace a privacy-mode warning
        names = column(table, "Entrance")
        states, issues = column(table, "State"), column(table, "Issues")
        for entry in access.entrances:
            row = names.index(entry.entrance.display_name)
            codes = [w.warning_code for w in entry.entrance.warnings] + [
                e.error_code for e in entry.entrance.errors
            ]
            if codes:
                assert all(code in issues[row] for code in codes)
                assert states[row] != "opens now"
            else:
                assert issues[row] == "—"
        assert "opens now · has issues" in states


async def test_grant_a_device_from_the_picker_then_revoke_it(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")
        devices = screen.access_pane.devices_table
        before = await tui_app.service.access.person_access(screen.user_identity_id)
        granted = before.devices[0].device
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, DevicePicker))
        picker = tui_app.screen
        assert isinstance(picker, DevicePicker)

        # One already granted: refused, said in the picker, which keeps its search and rows.
        await pilot.press(*granted.display_name, "enter")
        await wait_until(
            pilot, lambda: [d.device_id for d in picker.table.items] == [granted.device_id]
        )
        await pilot.press("enter")
        status = picker.query_one("#picker-status", Static)
        await wait_until(pilot, lambda: "already granted" in text_of(status))
        assert tui_app.screen is picker
        assert picker.query_one("#picker-search", Input).value == granted.display_name

        # Another one: granted, and the Access tab lists it.
        search = picker.query_one("#picker-search", Input)
        search.focus()
        search.value = ""
        await pilot.press(*"Back Door", "enter")
        await wait_until(
            pilot, lambda: [d.display_name for d in picker.table.items] == ["Back Door"]
        )
        back_door = picker.table.items[0]
        await pilot.press("enter")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        await wait_until(pilot, lambda: back_door.device_id in devices.rows)
        after = await tui_app.service.access.person_access(screen.user_identity_id)
        assert back_door.device_id in {d.device.device_id for d in after.devices}

        # Revoke it: the dialog names the device and the person, by name and id.
        devices.focus()
        devices.move_cursor(row=devices.get_row_index(back_door.device_id))
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, ConfirmScreen)
        for text in ("Back Door", back_door.device_id, "Marcus Chen", screen.user_identity_id):
            assert text in dialog.plain_text
        await pilot.press("y")
        await wait_until(pilot, lambda: back_door.device_id not in devices.rows)
        await wait_until(pilot, lambda: devices.row_count == len(before.devices))
        final = await tui_app.service.access.person_access(screen.user_identity_id)
        assert back_door.device_id not in {d.device.device_id for d in final.devices}


async def test_device_picker_starts_on_a_device_not_granted_and_enter_in_search_grants(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")
        before = await tui_app.service.access.person_access(screen.user_identity_id)
        granted = {d.device.device_id for d in before.devices}
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, DevicePicker))
        picker = tui_app.screen
        assert isinstance(picker, DevicePicker)
        await wait_until(pilot, lambda: picker.table.row_count > 0)
        first = picker.table.current_item()
        assert first is not None
        assert first.device_id not in granted
        ids = [d.device_id for d in picker.table.items]
        assert all(i in granted for i in ids[: ids.index(first.device_id)])

        # Letters typed in the list go to the search; j and k still move the cursor.
        picker.table.focus()
        await pilot.press("j")
        await pilot.press("k")
        assert picker.table.current_item() == first
        search = picker.query_one("#picker-search", Input)
        await pilot.press("slash")
        assert search.has_focus
        picker.table.focus()
        await pilot.press(*"Back")
        assert search.has_focus
        assert search.value == "Back"
        await pilot.press(*" Door")
        await wait_until(
            pilot, lambda: [d.display_name for d in picker.table.items] == ["Back Door"]
        )
        back_door = picker.table.items[0]
        await pilot.press("enter")  # in the search box: grants the highlighted row
        await wait_until(pilot, lambda: tui_app.screen is screen)
        after = await tui_app.service.access.person_access(screen.user_identity_id)
        assert back_door.device_id in {d.device.device_id for d in after.devices}


def decode_half_blocks(rows: list[str]) -> list[list[bool]]:
    """The module matrix a camera would see in rows of half blocks (independent of qr.py's
    drawing code: each character maps back to its upper and lower module)."""
    matrix: list[list[bool]] = []
    for row in rows:
        pairs = [CELL_MODULES[char] for char in row]
        matrix.append([upper for upper, _ in pairs])
        matrix.append([lower for _, lower in pairs])
    return matrix


async def test_instant_key_shows_a_scannable_qr_code_and_copies_its_link(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")
        keys_before = await tui_app.service.access.list_instant_keys(screen.user_identity_id)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, InstantKeyFormScreen))
        form = tui_app.screen
        field = form.query_one("#max_use_count", Input)
        assert field.value == "1"

        # A bad count: said beside the field, what was typed kept, nothing generated.
        await pilot.press("backspace", "0", "enter")
        told = "Max uses must be a whole number from 1 to 1000"
        await wait_until(pilot, lambda: field_error(tui_app, "max_use_count") == told)
        assert "Not generated" in text_of(form.query_one("#form-message", Static))
        assert "Not saved" not in screen_text(tui_app)
        assert "Generate" in screen_text(tui_app)  # the footer's Ctrl+S
        assert field.value == "0"
        await pilot.press("backspace", *"ten", "enter")
        await wait_until(pilot, lambda: field_error(tui_app, "max_use_count") == told)
        assert field.value == "ten"
        assert tui_app.screen is form
        assert (
            await tui_app.service.access.list_instant_keys(screen.user_identity_id) == keys_before
        )

        await pilot.press("backspace", "backspace", "backspace", "2", "enter")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, InstantKeyScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, InstantKeyScreen)
        keys = await tui_app.service.access.list_instant_keys(screen.user_identity_id)
        (new,) = [k for k in keys if k not in keys_before]
        url = new.instant_key_url
        assert dialog.key.instant_key_id == new.instant_key_id
        assert text_of(dialog.query_one("#instant-key-url", Static)) == url
        facts = screen_text(tui_app)
        assert "Max uses  2" in facts
        assert "(in 47 h)" in facts or "(in 48 h)" in facts

        # The QR code as the terminal shows it decodes to the link's QR code.
        qr = dialog.query_one("#instant-key-qr", Static)
        await pilot.pause()
        lines = screen_text(tui_app).split("\n")
        region = qr.content_region
        shown = [line[region.x : region.right] for line in lines[region.y : region.bottom]]
        modules = qr_matrix(url)
        decoded = decode_half_blocks(shown)
        assert decoded[: len(modules)] == modules
        assert not any(any(row) for row in decoded[len(modules) :])  # an odd last row: light
        # Dark modules black on white, on the terminal as in the widget.
        drawn = 0
        for y in range(region.height):
            for segment in qr.render_line(y):
                if segment.text and segment.text.strip(" ▀▄█") == "" and segment.style:
                    drawn += len(segment.text)
                    assert segment.style.bgcolor is not None
                    assert segment.style.bgcolor.triplet == (255, 255, 255)
                    assert segment.style.color is not None
                    assert segment.style.color.triplet == (0, 0, 0)
        assert drawn >= len(modules[0]) * len(shown)

        await pilot.press("y")
        assert tui_app.clipboard == url
        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        table = screen.credentials_pane.instant_keys_table
        await wait_until(pilot, lambda: new.instant_key_id in table.rows)


async def test_an_expired_instant_key_says_not_to_send_it(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")
        await pilot.press("right_square_bracket")
        keys = screen.credentials_pane.instant_keys_table
        await wait_until(pilot, lambda: keys.row_count > 0)
        assert "expired" in column(keys, "State")[0]
        keys.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, InstantKeyScreen))
        dialog = tui_app.screen
        hint = text_of(dialog.query_one("#instant-key-hint", Static))
        assert "has expired" in hint
        assert "Do not send it" in hint
        await pilot.pause()
        facts = screen_text(tui_app)
        assert "Expired " in facts
        assert "Max uses" not in facts  # Seam does not say, once the key is reopened


async def access_groups_of(pilot: Pilot[None], app: SeamApp, system: str) -> AccessGroupsScreen:
    await home_loaded(pilot, app)
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(app.screen, SystemsScreen))
    systems = app.screen
    assert isinstance(systems, SystemsScreen)
    await wait_until(pilot, lambda: systems.table.row_count > 0)
    ids = {s.name: i for i, s in (await app.service.systems_by_id()).items()}
    systems.table.move_cursor(row=systems.table.get_row_index(ids[system]))
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, AccessGroupsScreen))
    screen = app.screen
    assert isinstance(screen, AccessGroupsScreen)
    await wait_until(pilot, lambda: status_says(screen, "access group(s)"))
    return screen


async def test_add_and_remove_a_group_member(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await access_groups_of(pilot, tui_app, "Acme Tower")
        gym = next(d for d in screen.groups.values() if d.group.name == "Gym & Pool")
        screen.groups_table.move_cursor(
            row=screen.groups_table.get_row_index(gym.group.acs_access_group_id)
        )
        members = screen.members_table
        await wait_until(pilot, lambda: members.row_count == len(gym.members))
        assert "Members of “Gym & Pool” (" in text_of(screen.query_one("#members-title", Static))
        # x with the focus on the groups: nothing is removed, the person is told where to go.
        assert screen.focused is screen.groups_table
        await pilot.press("x")
        await pilot.pause()
        assert tui_app.screen is screen
        assert any("Tab to the members table" in m for m in told(tui_app))
        page = await tui_app.service.list_acs_users(
            acs_system_id=gym.group.acs_system_id, limit=100
        )
        member = gym.members[0]
        outsider: AcsUser = next(
            u for u in page.items if u.acs_user_id not in {m.acs_user_id for m in gym.members}
        )

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, MemberPicker))
        picker = tui_app.screen
        assert isinstance(picker, MemberPicker)
        # A member already: refused in the picker, which stays.
        await pilot.press(*member.email_address or "", "enter")
        await wait_until(
            pilot, lambda: [u.acs_user_id for u in picker.table.items] == [member.acs_user_id]
        )
        await pilot.press("enter")
        status = picker.query_one("#picker-status", Static)
        await wait_until(pilot, lambda: "already a member" in text_of(status))
        assert tui_app.screen is picker

        picker.query_one("#picker-search", Input).value = outsider.email_address or ""
        await wait_until(
            pilot, lambda: [u.acs_user_id for u in picker.table.items] == [outsider.acs_user_id]
        )
        picker.table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: tui_app.screen is screen)
        await wait_until(pilot, lambda: outsider.acs_user_id in members.rows)
        groups = await tui_app.service.list_acs_user_access_groups(outsider.acs_user_id)
        assert gym.group.acs_access_group_id in {g.acs_access_group_id for g in groups}

        members.focus()
        members.move_cursor(row=members.get_row_index(outsider.acs_user_id))
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert outsider.acs_user_id in dialog.plain_text
        assert gym.group.acs_access_group_id in dialog.plain_text
        await pilot.press("y")
        await wait_until(pilot, lambda: outsider.acs_user_id not in members.rows)
        groups = await tui_app.service.list_acs_user_access_groups(outsider.acs_user_id)
        assert gym.group.acs_access_group_id not in {g.acs_access_group_id for g in groups}


async def test_each_tab_offers_its_keys_in_help_and_palette_and_read_only_hides_writes(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_access(pilot, tui_app, "Marcus Chen")

        def offered() -> set[str]:
            return {key.description for key in screen_keys(screen)}

        assert {"Grant device…", "Revoke device", "Instant key…", "Next tab"} <= offered()
        assert "Previous tab" in offered()  # not in the footer, but in help and the palette
        assert "Link" not in offered()
        await pilot.press("right_square_bracket")
        assert {"Show codes", "Revoke key", "QR code"} & offered() == {"Revoke key", "QR code"}
        await pilot.press("right_square_bracket")
        assert {"Link", "Unlink"} <= offered()
        assert "Grant device…" not in offered()

        tui_app.read_only = True
        await pilot.press("right_square_bracket")
        assert "Grant device…" not in offered()
        await pilot.press("r")  # the headings, refilled, no longer offer write keys
        title = screen.query_one("#devices-title", Static)
        await wait_until(pilot, lambda: "a grants" not in text_of(title))
        assert "x revokes" not in text_of(title)
        assert "i makes" not in text_of(screen.query_one("#instant-keys-title", Static))
        assert "Instant key…" not in offered()
        assert "Next tab" in offered()
