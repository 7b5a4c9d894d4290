"""`/acs/credentials/*`: mobile keys, PIN codes and cards held by ACS users."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from seam_tui.core.models import AcsCredential, AcsEntrance, Page
from seam_tui.core.resources.base import (
    Namespace,
    body,
    parse_many,
    parse_one,
    require_one_of,
)


class AcsCredentialsNamespace(Namespace):
    """`/acs/credentials/*`; a credential belongs to an ACS user, named directly or through
    its user identity (exactly one of `acs_user_id`, `user_identity_id`)."""

    async def get(self, *, acs_credential_id: str) -> AcsCredential:
        path = "/acs/credentials/get"
        data = await self._read(path, body(acs_credential_id=acs_credential_id))
        return parse_one(AcsCredential, data, "acs_credential", path)

    async def list(
        self,
        *,
        acs_user_id: str | None = None,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        is_multi_phone_sync_credential: bool | None = None,
        search: str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[AcsCredential]:
        return await self._read_page(
            "/acs/credentials/list",
            AcsCredential,
            "acs_credentials",
            body(
                acs_user_id=acs_user_id,
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                is_multi_phone_sync_credential=is_multi_phone_sync_credential,
                search=search,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        acs_user_id: str | None = None,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        is_multi_phone_sync_credential: bool | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[AcsCredential]:
        """Every matching credential, page after page."""
        return self._iterate(
            "/acs/credentials/list",
            AcsCredential,
            "acs_credentials",
            body(
                acs_user_id=acs_user_id,
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                is_multi_phone_sync_credential=is_multi_phone_sync_credential,
                search=search,
                limit=limit,
            ),
        )

    async def create(
        self,
        *,
        access_method: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
        allowed_acs_entrance_ids: Sequence[str] | None = None,
        code: str | None = None,
        starts_at: datetime | str | None = None,
        ends_at: datetime | str | None = None,
        is_multi_phone_sync_credential: bool | None = None,
    ) -> AcsCredential:
        """A new credential for an ACS user, or for an identity in `acs_system_id`."""
        path = "/acs/credentials/create"
        require_one_of(path, acs_user_id=acs_user_id, user_identity_id=user_identity_id)
        data = await self._write(
            path,
            body(
                access_method=access_method,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
                allowed_acs_entrance_ids=allowed_acs_entrance_ids,
                code=code,
                starts_at=starts_at,
                ends_at=ends_at,
                is_multi_phone_sync_credential=is_multi_phone_sync_credential,
            ),
        )
        return parse_one(AcsCredential, data, "acs_credential", path)

    async def delete(self, *, acs_credential_id: str) -> None:
        await self._write("/acs/credentials/delete", body(acs_credential_id=acs_credential_id))

    async def assign(
        self,
        *,
        acs_credential_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        """Give the credential to an ACS user (or to the identity's user in its system)."""
        await self._holder_write("assign", acs_credential_id, acs_user_id, user_identity_id)

    async def unassign(
        self,
        *,
        acs_credential_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        """Take the credential back from its ACS user."""
        await self._holder_write("unassign", acs_credential_id, acs_user_id, user_identity_id)

    async def _holder_write(
        self,
        action: str,
        acs_credential_id: str,
        acs_user_id: str | None,
        user_identity_id: str | None,
    ) -> None:
        path = f"/acs/credentials/{action}"
        require_one_of(path, acs_user_id=acs_user_id, user_identity_id=user_identity_id)
        await self._write(
            path,
            body(
                acs_credential_id=acs_credential_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )

    async def update(
        self,
        *,
        acs_credential_id: str,
        code: str | None = None,
        ends_at: datetime | str | None = None,
    ) -> None:
        """Change the credential's PIN and/or when it stops working."""
        await self._write(
            "/acs/credentials/update",
            body(acs_credential_id=acs_credential_id, code=code, ends_at=ends_at),
        )

    async def list_accessible_entrances(
        self, *, acs_credential_id: str
    ) -> builtins.list[AcsEntrance]:
        """The entrances the credential opens."""
        path = "/acs/credentials/list_accessible_entrances"
        data = await self._read(path, body(acs_credential_id=acs_credential_id))
        return parse_many(AcsEntrance, data, "acs_entrances", path)
