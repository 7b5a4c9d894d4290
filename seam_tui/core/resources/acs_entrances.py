"""`/acs/entrances/*`: doors, gates and elevators, synced from the access system."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from seam_tui.core.models import AcsCredential, AcsEntrance, Page
from seam_tui.core.resources.base import Namespace, body, parse_many, parse_one


class AcsEntrancesNamespace(Namespace):
    """`/acs/entrances/*` (the list is paginated)."""

    async def get(self, *, acs_entrance_id: str) -> AcsEntrance:
        path = "/acs/entrances/get"
        data = await self._read(path, body(acs_entrance_id=acs_entrance_id))
        return parse_one(AcsEntrance, data, "acs_entrance", path)

    async def list(
        self,
        *,
        acs_system_id: str | None = None,
        acs_credential_id: str | None = None,
        acs_entrance_ids: Sequence[str] | None = None,
        search: str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[AcsEntrance]:
        return await self._read_page(
            "/acs/entrances/list",
            AcsEntrance,
            "acs_entrances",
            body(
                acs_system_id=acs_system_id,
                acs_credential_id=acs_credential_id,
                acs_entrance_ids=acs_entrance_ids,
                search=search,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        acs_system_id: str | None = None,
        acs_credential_id: str | None = None,
        acs_entrance_ids: Sequence[str] | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[AcsEntrance]:
        """Every matching entrance, page after page."""
        return self._iterate(
            "/acs/entrances/list",
            AcsEntrance,
            "acs_entrances",
            body(
                acs_system_id=acs_system_id,
                acs_credential_id=acs_credential_id,
                acs_entrance_ids=acs_entrance_ids,
                search=search,
                limit=limit,
            ),
        )

    async def list_credentials_with_access(
        self, *, acs_entrance_id: str
    ) -> builtins.list[AcsCredential]:
        """The credentials that open the entrance."""
        path = "/acs/entrances/list_credentials_with_access"
        data = await self._read(path, body(acs_entrance_id=acs_entrance_id))
        return parse_many(AcsCredential, data, "acs_credentials", path)
