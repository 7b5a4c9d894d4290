"""`/acs/systems/*`: the access control systems of the workspace."""

from __future__ import annotations

import builtins

from seam_tui.core.models import AcsSystem
from seam_tui.core.resources.base import Namespace, body, parse_many, parse_one


class AcsSystemsNamespace(Namespace):
    """`/acs/systems/*` (lists are not paginated)."""

    async def list(
        self, *, connected_account_id: str | None = None, search: str | None = None
    ) -> builtins.list[AcsSystem]:
        path = "/acs/systems/list"
        data = await self._read(
            path, body(connected_account_id=connected_account_id, search=search)
        )
        return parse_many(AcsSystem, data, "acs_systems", path)

    async def get(self, *, acs_system_id: str) -> AcsSystem:
        path = "/acs/systems/get"
        data = await self._read(path, body(acs_system_id=acs_system_id))
        return parse_one(AcsSystem, data, "acs_system", path)
