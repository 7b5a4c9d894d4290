"""`/acs/users/*`: a person's account inside one access control system."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from seam_tui.core.models import AccessSchedule, AcsEntrance, AcsUser, Page
from seam_tui.core.resources.base import (
    Namespace,
    Nullable,
    body,
    parse_many,
    parse_one,
    require_one_of,
)


class AcsUsersNamespace(Namespace):
    """`/acs/users/*`; target a user by `acs_user_id` or `user_identity_id` + `acs_system_id`."""

    async def create(
        self,
        *,
        acs_system_id: str,
        full_name: str,
        email_address: str | None = None,
        phone_number: str | None = None,
        user_identity_id: str | None = None,
        acs_access_group_ids: Sequence[str] | None = None,
        access_schedule: AccessSchedule | Mapping[str, Any] | None = None,
    ) -> AcsUser:
        path = "/acs/users/create"
        data = await self._write(
            path,
            body(
                acs_system_id=acs_system_id,
                full_name=full_name,
                email_address=email_address,
                phone_number=phone_number,
                user_identity_id=user_identity_id,
                acs_access_group_ids=acs_access_group_ids,
                access_schedule=access_schedule,
            ),
        )
        return parse_one(AcsUser, data, "acs_user", path)

    async def get(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> AcsUser:
        path = "/acs/users/get"
        data = await self._read(
            path,
            body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
            ),
        )
        return parse_one(AcsUser, data, "acs_user", path)

    async def list(
        self,
        *,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        user_identity_email_address: str | Nullable = None,
        user_identity_phone_number: str | Nullable = None,
        search: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[AcsUser]:
        path = "/acs/users/list"
        return await self._read_page(
            path,
            AcsUser,
            "acs_users",
            body(
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                user_identity_email_address=user_identity_email_address,
                user_identity_phone_number=user_identity_phone_number,
                search=search,
                created_before=created_before,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        user_identity_email_address: str | Nullable = None,
        user_identity_phone_number: str | Nullable = None,
        search: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[AcsUser]:
        """Every matching ACS user, page after page."""
        return self._iterate(
            "/acs/users/list",
            AcsUser,
            "acs_users",
            body(
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                user_identity_email_address=user_identity_email_address,
                user_identity_phone_number=user_identity_phone_number,
                search=search,
                created_before=created_before,
                limit=limit,
            ),
        )

    async def update(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
        full_name: str | None = None,
        email_address: str | Nullable = None,
        phone_number: str | Nullable = None,
        access_schedule: AccessSchedule | Mapping[str, Any] | Nullable = None,
    ) -> None:
        await self._write(
            "/acs/users/update",
            body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
                full_name=full_name,
                email_address=email_address,
                phone_number=phone_number,
                access_schedule=access_schedule,
            ),
        )

    async def _target_write(
        self,
        action: str,
        acs_user_id: str | None,
        user_identity_id: str | None,
        acs_system_id: str | None,
    ) -> None:
        await self._write(
            f"/acs/users/{action}",
            body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
            ),
        )

    async def delete(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("delete", acs_user_id, user_identity_id, acs_system_id)

    async def suspend(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("suspend", acs_user_id, user_identity_id, acs_system_id)

    async def unsuspend(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("unsuspend", acs_user_id, user_identity_id, acs_system_id)

    async def add_to_access_group(self, *, acs_user_id: str, acs_access_group_id: str) -> None:
        await self._write(
            "/acs/users/add_to_access_group",
            body(acs_user_id=acs_user_id, acs_access_group_id=acs_access_group_id),
        )

    async def remove_from_access_group(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/users/remove_from_access_group",
            body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )

    async def list_accessible_entrances(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> builtins.list[AcsEntrance]:
        """The entrances the ACS user can open (`acs_system_id` only with `user_identity_id`)."""
        path = "/acs/users/list_accessible_entrances"
        require_one_of(path, acs_user_id=acs_user_id, user_identity_id=user_identity_id)
        data = await self._read(
            path,
            body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
            ),
        )
        return parse_many(AcsEntrance, data, "acs_entrances", path)

    async def revoke_access_to_all_entrances(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        """Take every entrance away from the ACS user (`acs_system_id` only with an identity)."""
        require_one_of(
            "/acs/users/revoke_access_to_all_entrances",
            acs_user_id=acs_user_id,
            user_identity_id=user_identity_id,
        )
        await self._target_write(
            "revoke_access_to_all_entrances", acs_user_id, user_identity_id, acs_system_id
        )
