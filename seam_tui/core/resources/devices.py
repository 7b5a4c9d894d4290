"""`/devices/*`: locks and other devices on the workspace's connected accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from seam_tui.core.models import Device, Page
from seam_tui.core.resources.base import Namespace, body, parse_one, require_one_of


class DevicesNamespace(Namespace):
    """`/devices/*` (the list is paginated)."""

    async def get(self, *, device_id: str | None = None, name: str | None = None) -> Device:
        """One device, by `device_id` or by `name` (exactly one of them)."""
        path = "/devices/get"
        require_one_of(path, device_id=device_id, name=name)
        data = await self._read(path, body(device_id=device_id, name=name))
        return parse_one(Device, data, "device", path)

    async def list(
        self,
        *,
        device_ids: Sequence[str] | None = None,
        device_type: str | None = None,
        device_types: Sequence[str] | None = None,
        manufacturer: str | None = None,
        connected_account_id: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[Device]:
        return await self._read_page(
            "/devices/list",
            Device,
            "devices",
            body(
                device_ids=device_ids,
                device_type=device_type,
                device_types=device_types,
                manufacturer=manufacturer,
                connected_account_id=connected_account_id,
                search=search,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        device_ids: Sequence[str] | None = None,
        device_type: str | None = None,
        device_types: Sequence[str] | None = None,
        manufacturer: str | None = None,
        connected_account_id: str | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Device]:
        """Every matching device, page after page."""
        return self._iterate(
            "/devices/list",
            Device,
            "devices",
            body(
                device_ids=device_ids,
                device_type=device_type,
                device_types=device_types,
                manufacturer=manufacturer,
                connected_account_id=connected_account_id,
                search=search,
                limit=limit,
            ),
        )
