"""Grant a person a device: pick one of the workspace's devices (searched, paged), Enter grants.

The grant runs while the picker is open: if it is refused (already granted, a device that is
gone) the picker says why and stays as it was, with the search and the list kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import ValidationError
from textual import work

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs_access import DeviceGrant
from seam_tui.core.models import Device, Page, UserIdentity
from seam_tui.tui.access_text import device_brand, device_name, lock_text, online_text
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import Cell, say, styled
from seam_tui.tui.screens.identity_picker import SearchPickerScreen
from seam_tui.tui.screens.instant_key import person_name
from seam_tui.tui.widgets.key_table import ColumnSpec
from seam_tui.tui.widgets.text import Line

PAGE_SIZE = 50
GRANTED = styled("granted", "bold green")


class DevicePicker(SearchPickerScreen[Device, Device]):
    """Dismisses with the device once it is granted to the identity, or None on Esc."""

    COLUMNS: ClassVar[tuple[ColumnSpec, ...]] = (
        ("", 7),
        ("Device", 32),
        ("Type", 20),
        ("Brand", 16),
        ("Online", 7),
        ("Lock", 8),
    )
    SEARCH_PLACEHOLDER = "search device name or id"

    def __init__(self, identity: UserIdentity, granted_device_ids: set[str]) -> None:
        name = person_name(identity)
        super().__init__(
            say("Grant {name} a device", name=name),
            "Type to search; Enter grants the highlighted device (↓ moves to the list). "
            "Devices marked granted already are.",
        )
        self._identity = identity
        self._granted = granted_device_ids
        self._busy = False

    async def fetch(self, query: str, cursor: str | None) -> Page[Device]:
        return await self.service.access.list_devices(query or None, limit=PAGE_SIZE, cursor=cursor)

    def cells(self, item: Device) -> Sequence[Cell]:
        return (
            GRANTED if item.device_id in self._granted else "",
            device_name(item),
            item.device_type or "?",
            device_brand(item),
            online_text(item),
            lock_text(item),
        )

    def key(self, item: Device) -> str:
        return item.device_id

    def first_row(self, items: Sequence[Device]) -> int:
        """The first device not granted yet."""
        return next((i for i, d in enumerate(items) if d.device_id not in self._granted), 0)

    def picked(self, item: Device) -> Device:
        return item

    def describe(self, total: int, has_more: bool) -> str:
        more = " · scroll for more" if has_more else ""
        return f"{total} device(s) shown{more} · Enter grants the highlighted one"

    def choose(self, item: Device) -> None:
        if not self._busy:
            self._busy = True
            self._grant(item)

    @work(exclusive=True, group="device-grant")
    async def _grant(self, device: Device) -> None:
        status = self.query_one("#picker-status", Line)
        status.update(say("granting {device}…", device=device_name(device)))
        try:
            granted = await self.service.access.grant_device(
                DeviceGrant(
                    user_identity_id=self._identity.user_identity_id, device_id=device.device_id
                )
            )
        except (SeamError, ValidationError) as exc:
            if self.is_attached:
                status.update(styled(f"Not granted: {describe_error(exc)}", "bold red"))
            return
        finally:
            self._busy = False
        self.dismiss(granted)
