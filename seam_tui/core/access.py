"""What a person can open and how: entrances, devices, credentials, instant keys, groups.

Reached as `service.access`. Reads gather their requests concurrently; one part that fails
(a system that does not answer) is named in `PersonAccess.problems` and the rest is still shown.
Writes go through `SeamService.change`: refused when read-only, audited either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from datetime import UTC, datetime
from itertools import chain
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import SeamError, SeamNotFoundError, refused
from seam_tui.core.inputs_access import DeviceGrant, InstantKeyRequest
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsEntrance,
    AcsUser,
    Device,
    InstantKey,
    Page,
)
from seam_tui.core.results import IdentityDetail
from seam_tui.core.results_access import (
    AccessGroupDetail,
    AccessPath,
    Blocked,
    CredentialInfo,
    DeviceAccess,
    EntranceAccess,
    PersonAccess,
)
from seam_tui.visible import quoted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

T = TypeVar("T")


class AccessService:
    """Access operations of one `SeamService` (same client, audit log and read-only rule)."""

    def __init__(self, service: SeamService) -> None:
        self._service = service
        self._client = service.client

    # ------------------------------------------------------------------- reads

    async def person_access(self, user_identity_id: str) -> PersonAccess:
        """Every entrance and device the identity can open, each with its paths, its
        credentials across systems and its instant keys.

        After the identity itself, its groups' entrances, its credentials' entrances, its
        devices and its instant keys are read at the same time."""
        client = self._client
        detail = await self._service.get_identity_detail(user_identity_id)
        access = PersonAccess(
            identity=detail.identity, acs_users=detail.acs_users, systems=detail.systems
        )
        now = datetime.now(UTC)
        problems = access.problems
        per_user, (credentials, by_credential), devices, keys = await asyncio.gather(
            asyncio.gather(*(self._user_paths(user, now, problems) for user in detail.acs_users)),
            self._credential_paths(detail, now, problems),
            self._read_or_note(
                problems,
                "devices",
                client.user_identities.list_accessible_devices(user_identity_id=user_identity_id),
            ),
            self._read_or_note(
                problems,
                "instant keys",
                client.instant_keys.list(user_identity_id=user_identity_id),
            ),
        )
        entrances: dict[str, EntranceAccess] = {}
        for entrance, path in chain(*per_user, by_credential):
            entry = entrances.get(entrance.acs_entrance_id)
            if entry is None:
                entry = EntranceAccess(
                    entrance=entrance, system_name=detail.system_name(entrance.acs_system_id)
                )
                entrances[entrance.acs_entrance_id] = entry
            entry.paths.append(path)
        access.credentials = credentials
        access.devices = [
            DeviceAccess(device=device, paths=[AccessPath(kind="device_grant")])
            for device in sorted(devices or [], key=lambda d: d.display_name.casefold())
        ]
        access.instant_keys = sorted(keys or [], key=lambda k: k.expires_at, reverse=True)
        access.entrances = sorted(
            entrances.values(),
            key=lambda e: (e.system_name.casefold(), e.entrance.display_name.casefold()),
        )
        return access

    async def _credential_paths(
        self, detail: IdentityDetail, now: datetime, problems: list[str]
    ) -> tuple[list[CredentialInfo], list[tuple[AcsEntrance, AccessPath]]]:
        """The identity's credentials, and the entrances each one opens."""
        client = self._client
        listed = await self._read_or_note(
            problems,
            "credentials",
            client.acs.credentials.list(
                user_identity_id=detail.identity.user_identity_id, limit=500
            ),
        )
        owners = {user.acs_user_id: user for user in detail.acs_users}
        credentials = [
            CredentialInfo(
                credential=credential,
                system_name=detail.system_name(credential.acs_system_id),
                acs_user=owners.get(credential.acs_user_id or ""),
            )
            for credential in (listed.items if listed else [])
        ]
        reached = await asyncio.gather(
            *(
                self._read_or_note(
                    problems,
                    f"entrances of credential {info.credential.acs_credential_id}",
                    client.acs.credentials.list_accessible_entrances(
                        acs_credential_id=info.credential.acs_credential_id
                    ),
                )
                for info in credentials
            )
        )
        found: list[tuple[AcsEntrance, AccessPath]] = []
        for info, entrances in zip(credentials, reached, strict=True):
            credential, owner = info.credential, info.acs_user
            path = _path(
                "credential",
                now,
                [_window(owner), (_time(credential.starts_at), _time(credential.ends_at))],
                suspended=bool(owner and owner.is_suspended),
                acs_user_id=credential.acs_user_id,
                acs_system_id=credential.acs_system_id,
                acs_credential_id=credential.acs_credential_id,
                access_method=credential.access_method,
            )
            found += [(entrance, path) for entrance in entrances or []]
        return credentials, found

    async def _user_paths(
        self, user: AcsUser, now: datetime, problems: list[str]
    ) -> list[tuple[AcsEntrance, AccessPath]]:
        """Entrances one ACS user reaches through its groups, and any the system adds."""
        client = self._client
        groups, reported = await asyncio.gather(
            self._read_or_note(
                problems,
                f"access groups of ACS user {user.acs_user_id}",
                client.acs.access_groups.list(acs_user_id=user.acs_user_id),
            ),
            self._read_or_note(
                problems,
                f"entrances of ACS user {user.acs_user_id}",
                client.acs.users.list_accessible_entrances(acs_user_id=user.acs_user_id),
            ),
        )
        groups = groups or []
        group_entrances = await asyncio.gather(
            *(
                self._read_or_note(
                    problems,
                    f"entrances of access group {group.acs_access_group_id}",
                    client.acs.access_groups.list_accessible_entrances(
                        acs_access_group_id=group.acs_access_group_id
                    ),
                )
                for group in groups
            )
        )
        found: list[tuple[AcsEntrance, AccessPath]] = []
        explained: set[str] = set()
        for group, entrances in zip(groups, group_entrances, strict=True):
            schedule = group.access_schedule
            window = (schedule.starts_at, schedule.ends_at) if schedule else (None, None)
            for entrance in entrances or []:
                explained.add(entrance.acs_entrance_id)
                path = _path(
                    "access_group",
                    now,
                    [_window(user), window],
                    suspended=bool(user.is_suspended),
                    acs_user_id=user.acs_user_id,
                    acs_system_id=user.acs_system_id,
                    acs_access_group_id=group.acs_access_group_id,
                    acs_access_group_name=_group_name(group),
                )
                found.append((entrance, path))
        return found + [
            (entrance, self._direct_path(user, now))
            for entrance in reported or []
            if entrance.acs_entrance_id not in explained
        ]

    @staticmethod
    def _direct_path(user: AcsUser, now: datetime) -> AccessPath:
        return _path(
            "acs_user",
            now,
            [_window(user)],
            suspended=bool(user.is_suspended),
            acs_user_id=user.acs_user_id,
            acs_system_id=user.acs_system_id,
        )

    @staticmethod
    async def _read_or_note(problems: list[str], what: str, call: Awaitable[T]) -> T | None:
        """The call's result, or None with a line in `problems` saying what could not be read."""
        try:
            return await call
        except SeamError as exc:
            problems.append(f"could not read {what}: {exc}")
            return None

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
        return sorted(details, key=lambda d: _group_name(d.group).casefold())

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

        async def checked() -> Device:
            device = await self.check_device_grant(data, granted=granted)
            await write(**data.to_params())
            return device

        return await self._service.change(operation, data.to_params(), checked)

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
                f"the ACS user is {state} {quoted(_group_name(group))}; nothing to do",
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

        async def checked() -> AcsAccessGroup:
            group = await self.check_group_membership(
                acs_access_group_id, acs_user_id, member=member
            )
            await write(**ids)
            return group

        return await self._service.change(operation, ids, checked)

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


def _group_name(group: AcsAccessGroup) -> str:
    return group.display_name or group.name


def _user_sort_key(user: AcsUser) -> str:
    return (user.full_name or user.display_name or user.acs_user_id).casefold()


def _time(text: str | None) -> datetime | None:
    """An ISO 8601 string (credentials carry their window as strings) as a datetime."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _window(user: AcsUser | None) -> tuple[datetime | None, datetime | None]:
    schedule = user.access_schedule if user else None
    return (schedule.starts_at, schedule.ends_at) if schedule else (None, None)


def _path(
    kind: str,
    now: datetime,
    windows: Iterable[tuple[datetime | None, datetime | None]],
    *,
    suspended: bool,
    **ids: str | None,
) -> AccessPath:
    """A path whose window is the narrowest of `windows`, blocked if it does not open now."""
    windows = list(windows)
    starts = [start for start, _ in windows if start is not None]
    ends = [end for _, end in windows if end is not None]
    starts_at, ends_at = max(starts, default=None), min(ends, default=None)
    blocked: Blocked | None = None
    if suspended:
        blocked = "suspended"
    elif ends_at is not None and ends_at <= now:
        blocked = "ended"
    elif starts_at is not None and starts_at > now:
        blocked = "not_started"
    return AccessPath.model_validate(
        {"kind": kind, "starts_at": starts_at, "ends_at": ends_at, "blocked": blocked, **ids}
    )
