"""Access operations: devices, instant keys, access groups, and what a person can open
(`person_access`).

Reached as `service.access`. Writes go through `SeamService.change`: refused when read-only,
audited either way.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from seam_tui.core.audit_names import names_of
from seam_tui.core.errors import SeamNotFoundError, refused
from seam_tui.core.inputs_access import DeviceGrant, InstantKeyRequest
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsEntrance,
    AcsUser,
    Device,
    InstantKey,
    Page,
)
from seam_tui.core.person_access import group_name, read_person_access
from seam_tui.core.results_access import AccessGroupDetail, PersonAccess
from seam_tui.visible import quoted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService


class AccessService:
    """Access operations of one `SeamService` (same client, audit log and read-only rule)."""

    def __init__(self, service: SeamService) -> None:
        self._service = service
        self._client = service.client

    # ------------------------------------------------------------------- reads

    async def person_access(self, user_identity_id: str) -> PersonAccess:
        """Every entrance and device the identity can open, each with its paths, its
        credentials across systems and its instant keys (`person_access`)."""
        return await read_person_access(self._service, user_identity_id)

    async def list_devices(
        self, search: str | None = None, *, limit: int = 50, cursor: str | None = None
    ) -> Page[Device]:
        """One page of the workspace's devices whose name or id contains `search`."""
        return await self._client.devices.list(
            search=search or None, limit=limit, page_cursor=cursor
        )

    async def get_device(self, device_id: str) -> Device:
        return await self._client.devices.get(device_id=device_id)

    async def list_instant_keys(self, user_identity_id: str) -> list[InstantKey]:
        return await self._client.instant_keys.list(user_identity_id=user_identity_id)

    async def access_group_detail(self, acs_access_group_id: str) -> AccessGroupDetail:
        """A group with its members and the entrances it opens."""
        client = self._client
        group, members, entrances, systems = await asyncio.gather(
            client.acs.access_groups.get(acs_access_group_id=acs_access_group_id),
            client.acs.access_groups.list_users(acs_access_group_id=acs_access_group_id),
            client.acs.access_groups.list_accessible_entrances(
                acs_access_group_id=acs_access_group_id
            ),
            self._service.systems_by_id(),
        )
        system = systems.get(group.acs_system_id)
        return AccessGroupDetail(
            group=group,
            system_name=system.name if system else group.acs_system_id,
            members=sorted(members, key=_user_sort_key),
            entrances=sorted(entrances, key=lambda e: e.display_name.casefold()),
        )

    async def system_access_groups(self, acs_system_id: str) -> list[AccessGroupDetail]:
        """Every access group of one system, each with its members and entrances."""
        groups = await self._client.acs.access_groups.list(acs_system_id=acs_system_id)
        details = await asyncio.gather(
            *(self.access_group_detail(group.acs_access_group_id) for group in groups)
        )
        return sorted(details, key=lambda d: group_name(d.group).casefold())

    # ------------------------------------------------------------------ writes

    async def check_device_grant(self, data: DeviceGrant, *, granted: bool) -> Device:
        """The device, once sure that granting (`granted=True`) or revoking it would change
        something: the identity and the device exist here, and the grant is not already so.
        Sends no write (a dry run calls only this)."""
        client = self._client
        identity, device, held = await asyncio.gather(
            client.user_identities.get(user_identity_id=data.user_identity_id),
            self._device(data.device_id),
            client.user_identities.list_accessible_devices(user_identity_id=data.user_identity_id),
        )
        has_it = any(d.device_id == device.device_id for d in held)
        if has_it != granted:
            return device
        name = quoted(identity.display_name or identity.user_identity_id)
        device_name = quoted(device.display_name or device.device_id)
        if granted:
            message = (
                f"{device_name} is already granted to {name}; "
                "pick another device, or revoke this one first"
            )
        else:
            message = (
                f"{device_name} is not granted to {name}; "
                "see the person's access for the devices that are"
            )
        raise refused("device_id", message)

    async def grant_device(self, data: DeviceGrant) -> Device:
        """Give the identity access to a device; refused with the reason when it already has it."""
        return await self._set_device(data, granted=True)

    async def revoke_device(self, data: DeviceGrant) -> Device:
        """Take a directly granted device away; refused when the identity does not have it."""
        return await self._set_device(data, granted=False)

    async def _set_device(self, data: DeviceGrant, *, granted: bool) -> Device:
        """Check, then grant or revoke; a refusal is audited like a failed write."""
        identities = self._client.user_identities
        write = identities.grant_access_to_device if granted else identities.revoke_access_to_device
        operation = "grant_access_to_device" if granted else "revoke_access_to_device"

        names: dict[str, str] = {}  # filled once read: Activity shows the device by name

        async def checked() -> Device:
            device = await self.check_device_grant(data, granted=granted)
            if device.display_name:
                names[device.device_id] = device.display_name
            await write(**data.to_params())
            return device

        return await self._service.change(operation, data.to_params(), checked, names=names)

    async def generate_instant_key(self, data: InstantKeyRequest) -> InstantKey:
        """A new instant key for the identity (a link its phone opens until `expires_at`)."""
        params = data.to_params()
        params.setdefault("max_use_count", data.max_use_count)
        return await self._service.change(
            "generate_instant_key",
            {"user_identity_id": data.user_identity_id},
            lambda: self._client.user_identities.generate_instant_key(**params),
        )

    async def delete_instant_key(self, instant_key_id: str) -> None:
        """Revoke an instant key: its link stops working."""
        await self._service.change(
            "delete_instant_key",
            {"instant_key_id": instant_key_id},
            lambda: self._client.instant_keys.delete(instant_key_id=instant_key_id),
        )

    async def revoke_all_entrances(self, acs_user_id: str) -> list[AcsEntrance]:
        """Remove every entrance from an ACS user; returns what it could open before."""
        self._service.require_writable("revoke_access_to_all_entrances")
        client = self._client
        before = await client.acs.users.list_accessible_entrances(acs_user_id=acs_user_id)
        await self._service.change(
            "revoke_access_to_all_entrances",
            {"acs_user_id": acs_user_id},
            lambda: client.acs.users.revoke_access_to_all_entrances(acs_user_id=acs_user_id),
        )
        return before

    async def check_group_membership(
        self, acs_access_group_id: str, acs_user_id: str, *, member: bool
    ) -> AcsAccessGroup:
        """The group, once sure that making the ACS user a member (`member=True`) or not would
        change something. Sends no write (a dry run calls only this)."""
        client = self._client
        group, groups = await asyncio.gather(
            client.acs.access_groups.get(acs_access_group_id=acs_access_group_id),
            client.acs.access_groups.list(acs_user_id=acs_user_id),
        )
        is_member = any(g.acs_access_group_id == acs_access_group_id for g in groups)
        if is_member == member:
            state = "already a member of" if member else "not a member of"
            raise refused(
                "acs_access_group_id",
                f"the ACS user is {state} {quoted(group_name(group))}; nothing to do",
            )
        return group

    async def set_group_membership(
        self, acs_access_group_id: str, acs_user_id: str, *, member: bool
    ) -> AcsAccessGroup:
        """Add the ACS user to the group (`member=True`) or remove it; refused, naming the
        field, when it is already so (the refusal is audited like a failed write)."""
        users = self._client.acs.users
        write = users.add_to_access_group if member else users.remove_from_access_group
        operation = (
            "add_acs_user_to_access_group" if member else "remove_acs_user_from_access_group"
        )
        ids = {"acs_user_id": acs_user_id, "acs_access_group_id": acs_access_group_id}

        names: dict[str, str] = {}  # filled once read: Activity shows the group by name

        async def checked() -> AcsAccessGroup:
            group = await self.check_group_membership(
                acs_access_group_id, acs_user_id, member=member
            )
            names.update(names_of(group))
            await write(**ids)
            return group

        return await self._service.change(operation, ids, checked, names=names)

    async def _device(self, device_id: str) -> Device:
        """The device, or an error naming `device_id` and the way to find a valid one."""
        try:
            return await self._client.devices.get(device_id=device_id)
        except SeamNotFoundError as exc:
            raise SeamNotFoundError(
                f"device_id: no device {quoted(device_id)} in this workspace; "
                "list devices to pick one",
                status=exc.status,
                type=exc.type,
                request_id=exc.request_id,
                field_errors={"device_id": ["no such device in this workspace"]},
            ) from exc


def _user_sort_key(user: AcsUser) -> str:
    return (user.full_name or user.display_name or user.acs_user_id).casefold()
