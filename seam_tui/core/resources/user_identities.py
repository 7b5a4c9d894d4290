"""`/user_identities/*`: people in the customer's app, their ACS users, devices and instant keys."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from seam_tui.core.models import (
    AcsEntrance,
    AcsSystem,
    AcsUser,
    Device,
    InstantKey,
    Page,
    UserIdentity,
)
from seam_tui.core.resources.base import Namespace, Nullable, body, parse_many, parse_one


class UserIdentitiesNamespace(Namespace):
    """`/user_identities/*`."""

    async def create(
        self,
        *,
        user_identity_key: str | None = None,
        email_address: str | None = None,
        phone_number: str | None = None,
        full_name: str | None = None,
        acs_system_ids: Sequence[str] | None = None,
    ) -> UserIdentity:
        path = "/user_identities/create"
        data = await self._write(
            path,
            body(
                user_identity_key=user_identity_key,
                email_address=email_address,
                phone_number=phone_number,
                full_name=full_name,
                acs_system_ids=acs_system_ids,
            ),
        )
        return parse_one(UserIdentity, data, "user_identity", path)

    async def get(
        self, *, user_identity_id: str | None = None, user_identity_key: str | None = None
    ) -> UserIdentity:
        path = "/user_identities/get"
        data = await self._read(
            path, body(user_identity_id=user_identity_id, user_identity_key=user_identity_key)
        )
        return parse_one(UserIdentity, data, "user_identity", path)

    async def list(
        self,
        *,
        search: str | None = None,
        user_identity_ids: Sequence[str] | None = None,
        credential_manager_acs_system_id: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[UserIdentity]:
        path = "/user_identities/list"
        return await self._read_page(
            path,
            UserIdentity,
            "user_identities",
            body(
                search=search,
                user_identity_ids=user_identity_ids,
                credential_manager_acs_system_id=credential_manager_acs_system_id,
                created_before=created_before,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        search: str | None = None,
        user_identity_ids: Sequence[str] | None = None,
        credential_manager_acs_system_id: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[UserIdentity]:
        """Every matching identity, page after page."""
        return self._iterate(
            "/user_identities/list",
            UserIdentity,
            "user_identities",
            body(
                search=search,
                user_identity_ids=user_identity_ids,
                credential_manager_acs_system_id=credential_manager_acs_system_id,
                created_before=created_before,
                limit=limit,
            ),
        )

    async def update(
        self,
        *,
        user_identity_id: str,
        user_identity_key: str | Nullable = None,
        email_address: str | Nullable = None,
        phone_number: str | Nullable = None,
        full_name: str | Nullable = None,
    ) -> None:
        await self._write(
            "/user_identities/update",
            body(
                user_identity_id=user_identity_id,
                user_identity_key=user_identity_key,
                email_address=email_address,
                phone_number=phone_number,
                full_name=full_name,
            ),
        )

    async def delete(self, *, user_identity_id: str) -> None:
        await self._write("/user_identities/delete", body(user_identity_id=user_identity_id))

    async def add_acs_user(
        self,
        *,
        acs_user_id: str,
        user_identity_id: str | None = None,
        user_identity_key: str | None = None,
    ) -> None:
        await self._write(
            "/user_identities/add_acs_user",
            body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                user_identity_key=user_identity_key,
            ),
        )

    async def remove_acs_user(self, *, user_identity_id: str, acs_user_id: str) -> None:
        await self._write(
            "/user_identities/remove_acs_user",
            body(user_identity_id=user_identity_id, acs_user_id=acs_user_id),
        )

    async def list_acs_users(self, *, user_identity_id: str) -> builtins.list[AcsUser]:
        path = "/user_identities/list_acs_users"
        data = await self._read(path, body(user_identity_id=user_identity_id))
        return parse_many(AcsUser, data, "acs_users", path)

    async def list_acs_systems(self, *, user_identity_id: str) -> builtins.list[AcsSystem]:
        path = "/user_identities/list_acs_systems"
        data = await self._read(path, body(user_identity_id=user_identity_id))
        return parse_many(AcsSystem, data, "acs_systems", path)

    async def grant_access_to_device(self, *, user_identity_id: str, device_id: str) -> None:
        """Give the identity access to a managed device (granting it again is a no-op)."""
        await self._write(
            "/user_identities/grant_access_to_device",
            body(user_identity_id=user_identity_id, device_id=device_id),
        )

    async def revoke_access_to_device(self, *, user_identity_id: str, device_id: str) -> None:
        """Take the identity's access to a device away (a no-op when it had none)."""
        await self._write(
            "/user_identities/revoke_access_to_device",
            body(user_identity_id=user_identity_id, device_id=device_id),
        )

    async def list_accessible_devices(self, *, user_identity_id: str) -> builtins.list[Device]:
        """The devices the identity can open, granted directly or through its access."""
        path = "/user_identities/list_accessible_devices"
        data = await self._read(path, body(user_identity_id=user_identity_id))
        return parse_many(Device, data, "devices", path)

    async def list_accessible_entrances(
        self, *, user_identity_id: str
    ) -> builtins.list[AcsEntrance]:
        """The entrances the identity can open, through its grants and its ACS users."""
        path = "/user_identities/list_accessible_entrances"
        data = await self._read(path, body(user_identity_id=user_identity_id))
        return parse_many(AcsEntrance, data, "acs_entrances", path)

    async def generate_instant_key(
        self,
        *,
        user_identity_id: str,
        max_use_count: int | None = None,
        customization_profile_id: str | None = None,
    ) -> InstantKey:
        """A new shareable link to the identity's mobile keys (`max_use_count` defaults to 1)."""
        path = "/user_identities/generate_instant_key"
        data = await self._write(
            path,
            body(
                user_identity_id=user_identity_id,
                max_use_count=max_use_count,
                customization_profile_id=customization_profile_id,
            ),
        )
        return parse_one(InstantKey, data, "instant_key", path)
