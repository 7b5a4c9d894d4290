"""`/acs/access_groups/*`: groups that grant their members access to entrances."""

from __future__ import annotations

import builtins

from seam_tui.core.models import AcsAccessGroup, AcsEntrance, AcsUser
from seam_tui.core.resources.base import Namespace, body, parse_many, parse_one


class AcsAccessGroupsNamespace(Namespace):
    """`/acs/access_groups/*` (lists are not paginated)."""

    async def list(
        self,
        *,
        acs_system_id: str | None = None,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        search: str | None = None,
    ) -> builtins.list[AcsAccessGroup]:
        path = "/acs/access_groups/list"
        data = await self._read(
            path,
            body(
                acs_system_id=acs_system_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                search=search,
            ),
        )
        return parse_many(AcsAccessGroup, data, "acs_access_groups", path)

    async def get(self, *, acs_access_group_id: str) -> AcsAccessGroup:
        path = "/acs/access_groups/get"
        data = await self._read(path, body(acs_access_group_id=acs_access_group_id))
        return parse_one(AcsAccessGroup, data, "acs_access_group", path)

    async def list_users(self, *, acs_access_group_id: str) -> builtins.list[AcsUser]:
        path = "/acs/access_groups/list_users"
        data = await self._read(path, body(acs_access_group_id=acs_access_group_id))
        return parse_many(AcsUser, data, "acs_users", path)

    async def add_user(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/access_groups/add_user",
            body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )

    async def remove_user(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/access_groups/remove_user",
            body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )

    async def list_accessible_entrances(
        self, *, acs_access_group_id: str
    ) -> builtins.list[AcsEntrance]:
        """The entrances the group's members can open."""
        path = "/acs/access_groups/list_accessible_entrances"
        data = await self._read(path, body(acs_access_group_id=acs_access_group_id))
        return parse_many(AcsEntrance, data, "acs_entrances", path)
