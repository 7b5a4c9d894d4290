"""What exists in a workspace, as far as a people file needs to know: identities by key, email
and phone, their ACS users by system, unlinked ACS users by email and phone, and group
memberships.

`load_all` reads the whole workspace (a few list calls per 500 objects: the way for big files);
`load_for` reads only what the given people can match (a few calls per person: the way for a
handful of rows in a big workspace, and for re-checking one row during an apply).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import SeamNotFoundError
from seam_tui.core.models import AcsAccessGroup, AcsSystem, AcsUser, UserIdentity
from seam_tui.core.people.rows import PersonRow
from seam_tui.core.settling import is_being_deleted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

T = TypeVar("T")

READ_CONCURRENCY = 8


@dataclass(slots=True)
class KnownIdentity:
    """An identity as the plan needs it."""

    user_identity_id: str
    user_identity_key: str | None
    email_address: str | None
    phone_number: str | None
    full_name: str | None
    display_name: str
    being_deleted: bool

    def label(self) -> str:
        return self.full_name or self.display_name or self.email_address or self.user_identity_id


@dataclass(slots=True)
class KnownAcsUser:
    """An ACS user as the plan needs it."""

    acs_user_id: str
    acs_system_id: str
    user_identity_id: str | None
    full_name: str | None
    email_address: str | None
    phone_number: str | None
    is_suspended: bool
    starts_at: datetime | None
    ends_at: datetime | None
    being_deleted: bool


def _fold(value: str) -> str:
    return value.casefold()


@dataclass
class Snapshot:
    """The workspace's people, indexed for matching (see the module text)."""

    systems: dict[str, AcsSystem] = field(default_factory=dict)
    groups: dict[str, AcsAccessGroup] = field(default_factory=dict)
    identities: dict[str, KnownIdentity] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    by_email: dict[str, str] = field(default_factory=dict)
    by_phone: dict[str, str] = field(default_factory=dict)
    acs_users: dict[str, KnownAcsUser] = field(default_factory=dict)
    users_of: dict[str, dict[str, str]] = field(default_factory=dict)
    unlinked: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    memberships: dict[str, set[str]] = field(default_factory=dict)

    # ------------------------------------------------------------------------ adding

    def add_identity(self, identity: UserIdentity) -> KnownIdentity:
        known = KnownIdentity(
            user_identity_id=identity.user_identity_id,
            user_identity_key=identity.user_identity_key,
            email_address=identity.email_address,
            phone_number=identity.phone_number,
            full_name=identity.full_name,
            display_name=identity.display_name,
            being_deleted=is_being_deleted(identity),
        )
        self.identities[known.user_identity_id] = known
        if known.user_identity_key:
            self.by_key[known.user_identity_key] = known.user_identity_id
        if known.email_address:
            self.by_email[_fold(known.email_address)] = known.user_identity_id
        if known.phone_number:
            self.by_phone[known.phone_number] = known.user_identity_id
        return known

    def add_acs_user(self, user: AcsUser) -> None:
        if user.acs_user_id in self.acs_users:
            return
        schedule = user.access_schedule
        known = KnownAcsUser(
            acs_user_id=user.acs_user_id,
            acs_system_id=user.acs_system_id,
            user_identity_id=user.user_identity_id,
            full_name=user.full_name,
            email_address=user.email_address,
            phone_number=user.phone_number,
            is_suspended=bool(user.is_suspended),
            starts_at=schedule.starts_at if schedule else None,
            ends_at=schedule.ends_at if schedule else None,
            being_deleted=is_being_deleted(user),
        )
        self.acs_users[known.acs_user_id] = known
        if known.being_deleted:
            return
        if known.user_identity_id:
            self.users_of.setdefault(known.user_identity_id, {})[known.acs_system_id] = (
                known.acs_user_id
            )
            return
        for kind, value in (("email", known.email_address), ("phone", known.phone_number)):
            if value:
                key = (known.acs_system_id, kind, _fold(value))
                self.unlinked.setdefault(key, []).append(known.acs_user_id)

    def add_membership(self, acs_user_id: str, group_id: str) -> None:
        self.memberships.setdefault(acs_user_id, set()).add(group_id)

    # ------------------------------------------------------------------------ asking

    def identity_by(self, match_field: str, value: str) -> KnownIdentity | None:
        """The identity holding `value` in `match_field` (email compared ignoring case)."""
        if match_field == "user_identity_id":
            return self.identities.get(value)
        index = {
            "user_identity_key": self.by_key,
            "email_address": self.by_email,
            "phone_number": self.by_phone,
        }[match_field]
        found = index.get(_fold(value) if match_field == "email_address" else value)
        return self.identities.get(found) if found else None

    def acs_user_in(self, user_identity_id: str, acs_system_id: str) -> KnownAcsUser | None:
        """The identity's (live) ACS user in that system."""
        found = self.users_of.get(user_identity_id, {}).get(acs_system_id)
        return self.acs_users.get(found) if found else None

    def acs_users_of(self, user_identity_id: str) -> list[KnownAcsUser]:
        return [self.acs_users[i] for i in self.users_of.get(user_identity_id, {}).values()]

    def unlinked_match(
        self, acs_system_id: str, email: str | None, phone: str | None, taken: set[str]
    ) -> tuple[KnownAcsUser, str] | None:
        """An unlinked ACS user in the system with this email (first) or phone, not `taken`."""
        for kind, value in (("email", email), ("phone", phone)):
            if not value:
                continue
            for acs_user_id in self.unlinked.get((acs_system_id, kind, _fold(value)), []):
                user = self.acs_users[acs_user_id]
                if acs_user_id not in taken and not user.user_identity_id:
                    return user, "email_address" if kind == "email" else "phone_number"
        return None

    # ------------------------------------------------------------------------ loading

    @classmethod
    async def load_all(cls, service: SeamService) -> Snapshot:
        """The whole workspace: identities, ACS users, systems, groups and memberships."""
        snap = cls()
        await snap._load_shared(service)
        client = service.client
        async for identity in client.user_identities.iterate(limit=500):
            snap.add_identity(identity)
        async for user in client.acs.users.iterate(limit=500):
            snap.add_acs_user(user)

        async def members(group_id: str) -> None:
            for user in await client.acs.access_groups.list_users(acs_access_group_id=group_id):
                snap.add_membership(user.acs_user_id, group_id)

        await bounded([lambda g=g: members(g) for g in snap.groups])  # type: ignore[misc]
        return snap

    @classmethod
    async def load_for(cls, service: SeamService, people: Sequence[PersonRow]) -> Snapshot:
        """Only what `people` can match: their identities (by id, key, email, phone), those
        identities' ACS users and groups, and unlinked ACS users with their emails and phones."""
        snap = cls()
        await snap._load_shared(service)
        await bounded([lambda p=p: snap._load_person(service, p) for p in people])  # type: ignore[misc]
        return snap

    async def _load_shared(self, service: SeamService) -> None:
        self.systems = dict(await service.systems_by_id(refresh=True))
        groups = await service.client.acs.access_groups.list()
        self.groups = {g.acs_access_group_id: g for g in groups}

    async def _load_person(self, service: SeamService, person: PersonRow) -> None:
        client = service.client
        found: list[UserIdentity] = []
        if person.user_identity_id:
            found += await _or_none(
                client.user_identities.get(user_identity_id=person.user_identity_id)
            )
        if person.user_identity_key:
            found += await _or_none(
                client.user_identities.get(user_identity_key=person.user_identity_key)
            )
        for match_field in ("email_address", "phone_number"):
            value = getattr(person, match_field)
            if value:
                page = await client.user_identities.list(search=value, limit=100)
                found += [i for i in page.items if _same(getattr(i, match_field), value)]
                async for user in client.acs.users.iterate(search=value, limit=100):
                    if _same(getattr(user, match_field), value):
                        self.add_acs_user(user)
        for identity in found:
            self.add_identity(identity)
            for user in await client.user_identities.list_acs_users(
                user_identity_id=identity.user_identity_id
            ):
                self.add_acs_user(user)
                await self.load_memberships(service, user.acs_user_id)

    async def load_memberships(self, service: SeamService, acs_user_id: str) -> None:
        groups = await service.client.acs.access_groups.list(acs_user_id=acs_user_id)
        self.memberships[acs_user_id] = {g.acs_access_group_id for g in groups}


def _same(held: str | None, value: str) -> bool:
    return held is not None and held.casefold() == value.casefold()


async def _or_none(call: Awaitable[UserIdentity]) -> list[UserIdentity]:
    try:
        return [await call]
    except SeamNotFoundError:
        return []


async def bounded(
    calls: Iterable[Callable[[], Awaitable[T]]], limit: int = READ_CONCURRENCY
) -> list[T]:
    """Run the calls at most `limit` at a time; their results in order."""
    gate = asyncio.Semaphore(limit)

    async def run(call: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await call()

    return list(await asyncio.gather(*(run(c) for c in calls)))
