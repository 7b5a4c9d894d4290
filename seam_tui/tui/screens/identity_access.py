"""The identity screen's Access tab: what the person can open, and why.

Every entrance with each path that grants it (ACS user → group, a credential, the ACS user
alone) and whether it opens now, then the devices granted directly (grant one from a picker,
revoke the highlighted one). `problems_text` says what could not be read, for both tabs.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs_access import DeviceGrant
from seam_tui.core.models import Device
from seam_tui.core.results_access import DeviceAccess, PersonAccess
from seam_tui.tui.access_text import (
    battery_text,
    device_brand,
    device_has_issues,
    device_issues,
    device_name,
    lock_text,
    online_text,
    path_text,
    state_text,
    window_text,
)
from seam_tui.tui.formatting import issue_codes
from seam_tui.tui.literal import Cell, lines, lit, quoted, say, styled
from seam_tui.tui.screens.device_picker import DevicePicker
from seam_tui.tui.screens.instant_key import person_name
from seam_tui.tui.widgets.confirm import ConfirmScreen, record
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.pane import Pane, cursor_key, restore_cursor
from seam_tui.tui.widgets.text import Line

ENTRANCE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Entrance", 28),
    ("State", 22),
    ("Granted through", 44),
    ("System", 22),
    ("Window", 35),
    ("Issues", 40),
)
DEVICE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Device", 28),
    ("State", 22),
    ("Granted through", 20),
    ("Type", 18),
    ("Brand", 16),
    ("Online", 7),
    ("Lock", 8),
    ("Battery", 7),
    ("Issues", 30),
)


def problems_text(access: PersonAccess) -> Cell:
    """What could not be read, so an empty list is not taken for "no access"."""
    return lines(
        [
            styled(
                "Some of this person's access could not be read; what is shown may be "
                "incomplete (r retries):",
                "bold yellow",
            ),
            *(styled(f"  • {problem}", "yellow") for problem in access.problems),
        ]
    )


class AccessPane(Pane):
    """Entrances with their paths, and devices granted directly."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.access: PersonAccess | None = None

    def compose(self) -> ComposeResult:
        yield Line(id="access-problems", classes="access-problems")
        yield Line("Entrances", id="entrances-title", classes="section-title")
        entrances = KeyTable(id="entrances")
        entrances.add_column_specs(*ENTRANCE_COLUMNS)
        yield entrances
        yield Line("Devices", id="devices-title", classes="section-title")
        devices = KeyTable(id="devices")
        devices.add_column_specs(*DEVICE_COLUMNS)
        yield devices

    def on_mount(self) -> None:
        self.query_one("#access-problems", Line).display = False

    @property
    def entrances_table(self) -> KeyTable:
        return self.query_one("#entrances", KeyTable)

    @property
    def devices_table(self) -> KeyTable:
        return self.query_one("#devices", KeyTable)

    def show_failure(self, message: str) -> None:
        problems = self.query_one("#access-problems", Line)
        problems.update(styled(message, "bold red"))
        problems.display = True

    def show(self, access: PersonAccess) -> None:
        self.access = access
        problems = self.query_one("#access-problems", Line)
        problems.update(problems_text(access))
        problems.display = bool(access.problems)
        self._fill_entrances(access)
        self._fill_devices(access.devices)

    def _fill_entrances(self, access: PersonAccess) -> None:
        entrances = access.entrances
        table = self.entrances_table
        keep = cursor_key(table)
        table.clear()
        credentials = {c.credential.acs_credential_id: c.credential for c in access.credentials}
        for entry in entrances:
            entrance = entry.entrance
            name = entrance.display_name or entrance.acs_entrance_id
            issues = bool(entrance.errors or entrance.warnings)
            for index, path in enumerate(entry.paths):
                table.add_row(
                    name if index == 0 else styled(name, "dim"),  # another way into the same door
                    state_text(path.blocked, has_issues=issues),
                    path_text(path, credentials.get(path.acs_credential_id or "")),
                    entry.system_name,
                    window_text(path.starts_at, path.ends_at),
                    issue_codes(entrance.errors, entrance.warnings),
                    key=f"{entrance.acs_entrance_id}#{index}",
                )
        restore_cursor(table, keep)
        opens = sum(entry.opens_now for entry in entrances)
        troubled = sum(bool(e.entrance.errors or e.entrance.warnings) for e in entrances)
        with_issues = f", {troubled} with issues" if troubled else ""
        title = (
            f"Entrances ({opens} of {len(entrances)} open now{with_issues}), one row per way in"
            if entrances
            else "No entrances: no ACS user, group or credential of this person opens one"
        )
        self.query_one("#entrances-title", Line).update(title)

    def _fill_devices(self, devices: list[DeviceAccess]) -> None:
        table = self.devices_table
        keep = cursor_key(table)
        table.clear()
        for entry in devices:
            device = entry.device
            blocked = entry.paths[0].blocked if entry.paths else None
            table.add_row(
                device_name(device),
                state_text(blocked, has_issues=device_has_issues(device)),
                path_text(entry.paths[0]) if entry.paths else "?",
                device.device_type or "?",
                device_brand(device),
                online_text(device),
                lock_text(device),
                battery_text(device),
                device_issues(device),
                key=device.device_id,
            )
        restore_cursor(table, keep)
        if self.seam_app.read_only:
            title = (
                f"Devices granted directly ({len(devices)})"
                if devices
                else "No devices granted directly"
            )
        else:
            title = (
                f"Devices granted directly ({len(devices)}): a grants another, x revokes the "
                "highlighted one"
                if devices
                else "No devices granted directly — a grants one"
            )
        self.query_one("#devices-title", Line).update(title)
        table.display = bool(devices)

    def highlighted_device(self) -> Device | None:
        key = cursor_key(self.devices_table)
        access = self.access
        if key is None or access is None:
            return None
        return next((d.device for d in access.devices if d.device.device_id == key), None)

    # ---------------------------------------------------------------- actions

    def grant_device(self) -> None:
        if self.access is None:
            self.notify("Still loading — try again in a moment.", severity="warning")
            return
        self._grant(self.access)

    def revoke_device(self) -> None:
        device = self.highlighted_device()
        if device is None or self.access is None:
            self.notify("No device is granted directly to this person: a grants one.")
            return
        if not self.devices_table.focused_or_say(
            "Tab to the devices table and highlight the device to revoke, then press x."
        ):
            return
        self._revoke(self.access, device)

    @work(exclusive=True, group="access-change")
    async def _grant(self, access: PersonAccess) -> None:
        granted = {entry.device.device_id for entry in access.devices}
        device = await self.app.push_screen_wait(DevicePicker(access.identity, granted))
        if device is None:
            return
        self.notify(
            f"Granted {quoted(device_name(device))} to {quoted(person_name(access.identity))}",
            title="Granted",
        )
        self.seam_app.refresh_screens()

    @work(exclusive=True, group="access-change")
    async def _revoke(self, access: PersonAccess, device: Device) -> None:
        identity = access.identity
        name = person_name(identity)
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say(
                    "Revoke {person}'s access to {device}?",
                    person=name,
                    device=device_name(device),
                ),
                [
                    say("Device: {d}", d=record("", device_name(device), device.device_id)),
                    say("Person: {person}", person=record("", name, identity.user_identity_id)),
                    lit(
                        "The direct grant goes; access through ACS users, access groups and "
                        "credentials stays as it is. a grants it again."
                    ),
                ],
                confirm_label="Revoke",
            )
        )
        if not confirmed:
            return
        try:
            await self.service.access.revoke_device(
                DeviceGrant(user_identity_id=identity.user_identity_id, device_id=device.device_id)
            )
        except (SeamError, ValidationError) as exc:
            self.show_error(exc)
            return
        self.notify(
            f"Revoked {quoted(name)}'s access to {quoted(device_name(device))}", title="Revoked"
        )
        self.seam_app.refresh_screens()
