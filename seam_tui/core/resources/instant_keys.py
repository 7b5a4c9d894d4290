"""`/instant_keys/*`: shareable links to a person's mobile keys (made by
`user_identities.generate_instant_key`)."""

from __future__ import annotations

import builtins

from seam_tui.core.models import InstantKey
from seam_tui.core.resources.base import Namespace, body, parse_many, parse_one, require_one_of


class InstantKeysNamespace(Namespace):
    """`/instant_keys/*` (the list is not paginated)."""

    async def list(self, *, user_identity_id: str | None = None) -> builtins.list[InstantKey]:
        path = "/instant_keys/list"
        data = await self._read(path, body(user_identity_id=user_identity_id))
        return parse_many(InstantKey, data, "instant_keys", path)

    async def get(
        self, *, instant_key_id: str | None = None, instant_key_url: str | None = None
    ) -> InstantKey:
        """One key, by `instant_key_id` or by `instant_key_url` (exactly one of them)."""
        path = "/instant_keys/get"
        require_one_of(path, instant_key_id=instant_key_id, instant_key_url=instant_key_url)
        data = await self._read(
            path, body(instant_key_id=instant_key_id, instant_key_url=instant_key_url)
        )
        return parse_one(InstantKey, data, "instant_key", path)

    async def delete(self, *, instant_key_id: str) -> None:
        """Revoke the key: its link stops working."""
        await self._write("/instant_keys/delete", body(instant_key_id=instant_key_id))
