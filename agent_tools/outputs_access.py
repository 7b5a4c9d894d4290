"""Lean results of the access tools: what a person can open and by which path, devices,
credentials, instant keys and access groups.

Names and other data stay in their own JSON fields; summaries carry ids only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agent_tools.outputs import AcsUserOut, IdentityOut, SystemOut, issues, page_note
from agent_tools.tool import ToolOutput
from seam_tui.core.models import AcsAccessGroup, AcsEntrance, AcsUser, Device, InstantKey, Page
from seam_tui.core.results_access import (
    AccessGroupDetail,
    AccessPath,
    Blocked,
    CredentialInfo,
    DeviceAccess,
    EntranceAccess,
    PathKind,
    PersonAccess,
)


class PathOut(ToolOutput):
    """One way the person reaches an entrance or device, and the window it is valid in.

    The ACS user on the path is the person's ACS user in the entrance's system (a person has at
    most one per system), so its id is left to `acs_users` rather than repeated on every path.
    """

    via: PathKind
    acs_access_group_id: str | None = None
    access_group_name: str | None = None
    acs_credential_id: str | None = None
    access_method: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    blocked: Blocked | None = Field(None, description="Why this path does not open now.")

    @classmethod
    def of(cls, path: AccessPath) -> PathOut:
        return cls(
            via=path.kind,
            acs_access_group_id=path.acs_access_group_id,
            access_group_name=path.acs_access_group_name,
            acs_credential_id=path.acs_credential_id,
            access_method=path.access_method,
            starts_at=path.starts_at,
            ends_at=path.ends_at,
            blocked=path.blocked,
        )


class EntranceOut(ToolOutput):
    """A door, gate or elevator of an access system."""

    acs_entrance_id: str
    name: str
    acs_system_id: str
    system_name: str | None = None
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, entrance: AcsEntrance, system_name: str | None = None) -> EntranceOut:
        return cls(
            acs_entrance_id=entrance.acs_entrance_id,
            name=entrance.display_name,
            acs_system_id=entrance.acs_system_id,
            system_name=system_name,
            issues=issues(entrance),
        )


class EntranceAccessOut(EntranceOut):
    opens_now: bool
    paths: list[PathOut]

    @classmethod
    def of_access(cls, access: EntranceAccess) -> EntranceAccessOut:
        entrance = EntranceOut.of(access.entrance, access.system_name)
        return cls(
            **dict(entrance),
            opens_now=access.opens_now,
            paths=[PathOut.of(p) for p in access.paths],
        )


class DeviceOut(ToolOutput):
    """A device (a lock) on a connected account."""

    device_id: str
    name: str
    device_type: str | None = None
    manufacturer: str | None = None
    online: bool | None = None
    locked: bool | None = None
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, device: Device) -> DeviceOut:
        props = device.properties
        return cls(
            device_id=device.device_id,
            name=device.display_name or props.name or device.device_id,
            device_type=device.device_type or None,
            manufacturer=props.manufacturer,
            online=props.online,
            locked=props.locked,
            issues=issues(device),
        )


class DeviceAccessOut(DeviceOut):
    opens_now: bool
    paths: list[PathOut]

    @classmethod
    def of_access(cls, access: DeviceAccess) -> DeviceAccessOut:
        return cls(
            **dict(DeviceOut.of(access.device)),
            opens_now=access.opens_now,
            paths=[PathOut.of(p) for p in access.paths],
        )


class CredentialOut(ToolOutput):
    """A mobile key, PIN code or card of one of the person's ACS users (never the code itself)."""

    acs_credential_id: str
    access_method: str
    acs_system_id: str
    system_name: str | None = None
    acs_user_id: str | None = None
    name: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    multi_phone_sync: Literal[True] | None = None
    issued: bool | None = None
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, info: CredentialInfo) -> CredentialOut:
        c = info.credential
        return cls(
            acs_credential_id=c.acs_credential_id,
            access_method=c.access_method,
            acs_system_id=c.acs_system_id,
            system_name=info.system_name,
            acs_user_id=c.acs_user_id,
            name=c.display_name or None,
            starts_at=c.starts_at,
            ends_at=c.ends_at,
            multi_phone_sync=True if c.is_multi_phone_sync_credential else None,
            issued=c.is_issued,
            issues=issues(c),
        )


class InstantKeyOut(ToolOutput):
    """A link that opens the person's mobile keys on a phone until it expires."""

    instant_key_id: str
    instant_key_url: str
    expires_at: datetime
    created_at: datetime | None = None
    max_use_count: int | None = None

    @classmethod
    def of(cls, key: InstantKey) -> InstantKeyOut:
        uses = (key.model_extra or {}).get("max_use_count")
        return cls(
            instant_key_id=key.instant_key_id,
            instant_key_url=key.instant_key_url,
            expires_at=key.expires_at,
            created_at=key.created_at,
            max_use_count=int(uses) if isinstance(uses, int | float) else None,
        )


class MemberOut(ToolOutput):
    """An ACS user in an access group."""

    acs_user_id: str
    full_name: str | None = None
    user_identity_id: str | None = None
    is_suspended: Literal[True] | None = None

    @classmethod
    def of(cls, user: AcsUser) -> MemberOut:
        return cls(
            acs_user_id=user.acs_user_id,
            full_name=user.full_name or user.display_name or None,
            user_identity_id=user.user_identity_id,
            is_suspended=True if user.is_suspended else None,
        )


class GroupEntranceOut(ToolOutput):
    acs_entrance_id: str
    name: str


class AccessGroupOut(ToolOutput):
    """An access group: its members can open its entrances (within its schedule)."""

    acs_access_group_id: str
    name: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    members: list[MemberOut] = Field(default_factory=list)
    entrances: list[GroupEntranceOut] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, detail: AccessGroupDetail) -> AccessGroupOut:
        group, schedule = detail.group, detail.group.access_schedule
        return cls(
            acs_access_group_id=group.acs_access_group_id,
            name=group.display_name or group.name,
            starts_at=schedule.starts_at if schedule else None,
            ends_at=schedule.ends_at if schedule else None,
            members=[MemberOut.of(u) for u in detail.members],
            entrances=[
                GroupEntranceOut(acs_entrance_id=e.acs_entrance_id, name=e.display_name)
                for e in detail.entrances
            ],
            issues=issues(group),
        )


class GroupRefOut(ToolOutput):
    """An access group the ACS user is a member of."""

    acs_access_group_id: str
    name: str

    @classmethod
    def of(cls, group: AcsAccessGroup) -> GroupRefOut:
        return cls(
            acs_access_group_id=group.acs_access_group_id, name=group.display_name or group.name
        )


class AcsUserDetailOut(AcsUserOut):
    access_groups: list[GroupRefOut] = Field(default_factory=list)
    settled: bool
    gone: Literal[True] | None = None
    note: str | None = None


class SystemsOut(ToolOutput):
    acs_systems: list[SystemOut]
    access_groups: list[AccessGroupOut] = Field(
        default_factory=list, description="The chosen system's groups."
    )


class DevicePage(ToolOutput):
    devices: list[DeviceOut]
    next_cursor: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, page: Page[Device], limit: int) -> DevicePage:
        more = page.next_page_cursor if page.has_next_page else None
        return cls(
            devices=[DeviceOut.of(d) for d in page.items],
            next_cursor=more,
            note=page_note(len(page.items), limit, more),
        )


class DeviceAccessChangeOut(ToolOutput):
    summary: str
    dry_run: bool = False
    user_identity_id: str
    device: DeviceOut


class InstantKeyChangeOut(ToolOutput):
    summary: str
    user_identity_id: str
    instant_key: InstantKeyOut


class IdentityDetailOut(ToolOutput):
    """An identity with its ACS users, and everything it can open and how."""

    user_identity: IdentityOut
    created_at: datetime
    acs_users: list[AcsUserOut]
    entrances: list[EntranceAccessOut] = Field(default_factory=list)
    devices: list[DeviceAccessOut] = Field(default_factory=list)
    credentials: list[CredentialOut] = Field(default_factory=list)
    instant_keys: list[InstantKeyOut] = Field(default_factory=list)
    problems: list[str] = Field(
        default_factory=list, description="What could not be read; the rest is still true."
    )
    settled: bool
    gone: Literal[True] | None = None
    note: str | None = None

    @classmethod
    def of(
        cls, access: PersonAccess, *, settled: bool, gone: bool = False, note: str | None = None
    ) -> IdentityDetailOut:
        def system_name(acs_system_id: str) -> str | None:
            system = access.systems.get(acs_system_id)
            return system.name if system else None

        return cls(
            user_identity=IdentityOut.of(access.identity, with_acs_user_ids=False),
            created_at=access.identity.created_at,
            acs_users=[
                AcsUserOut.of(u, system_name(u.acs_system_id), with_identity=False)
                for u in access.acs_users
            ],
            entrances=[EntranceAccessOut.of_access(e) for e in access.entrances],
            devices=[DeviceAccessOut.of_access(d) for d in access.devices],
            credentials=[CredentialOut.of(c) for c in access.credentials],
            instant_keys=[InstantKeyOut.of(k) for k in access.instant_keys],
            problems=access.problems,
            settled=settled,
            gone=True if gone else None,
            note=note,
        )
