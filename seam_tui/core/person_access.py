"""What a person can open and how (`AccessService.person_access`): after the identity, its
groups' entrances, its credentials' entrances, its devices and its instant keys are read at the
same time; one part that fails (a system that does not answer) is named in
`PersonAccess.problems` and the rest is still shown."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import SeamError
from seam_tui.core.models import AcsAccessGroup, AcsEntrance, AcsUser
from seam_tui.core.results import IdentityDetail
from seam_tui.core.results_access import (
    AccessPath,
    Blocked,
    CredentialInfo,
    DeviceAccess,
    EntranceAccess,
    PersonAccess,
)

if TYPE_CHECKING:
    from seam_tui.core.client import SeamClient
    from seam_tui.core.service import SeamService

T = TypeVar("T")


async def read_person_access(service: SeamService, user_identity_id: str) -> PersonAccess:
    """Every entrance and device the identity can open, each with its paths, its
    credentials across systems and its instant keys.

    After the identity itself, its groups' entrances, its credentials' entrances, its
    devices and its instant keys are read at the same time."""
    client = service.client
    detail = await service.get_identity_detail(user_identity_id)
    access = PersonAccess(
        identity=detail.identity, acs_users=detail.acs_users, systems=detail.systems
    )
    now = datetime.now(UTC)
    problems = access.problems
    per_user, (credentials, by_credential), devices, keys = await asyncio.gather(
        asyncio.gather(*(_user_paths(client, user, now, problems) for user in detail.acs_users)),
        _credential_paths(client, detail, now, problems),
        _read_or_note(
            problems,
            "devices",
            partial(
                client.user_identities.list_accessible_devices,
                user_identity_id=user_identity_id,
            ),
        ),
        _read_or_note(
            problems,
            "instant keys",
            partial(client.instant_keys.list, user_identity_id=user_identity_id),
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
    client: SeamClient, detail: IdentityDetail, now: datetime, problems: list[str]
) -> tuple[list[CredentialInfo], list[tuple[AcsEntrance, AccessPath]]]:
    """The identity's credentials, and the entrances each one opens."""
    listed = await _read_or_note(
        problems,
        "credentials",
        partial(
            client.acs.credentials.list,
            user_identity_id=detail.identity.user_identity_id,
            limit=500,
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
            _read_or_note(
                problems,
                f"entrances of credential {info.credential.acs_credential_id}",
                partial(
                    client.acs.credentials.list_accessible_entrances,
                    acs_credential_id=info.credential.acs_credential_id,
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
    client: SeamClient, user: AcsUser, now: datetime, problems: list[str]
) -> list[tuple[AcsEntrance, AccessPath]]:
    """Entrances one ACS user reaches through its groups, and any the system adds."""
    groups, reported = await asyncio.gather(
        _read_or_note(
            problems,
            f"access groups of ACS user {user.acs_user_id}",
            partial(client.acs.access_groups.list, acs_user_id=user.acs_user_id),
        ),
        _read_or_note(
            problems,
            f"entrances of ACS user {user.acs_user_id}",
            partial(client.acs.users.list_accessible_entrances, acs_user_id=user.acs_user_id),
        ),
    )
    groups = groups or []
    group_entrances = await asyncio.gather(
        *(
            _read_or_note(
                problems,
                f"entrances of access group {group.acs_access_group_id}",
                partial(
                    client.acs.access_groups.list_accessible_entrances,
                    acs_access_group_id=group.acs_access_group_id,
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
                acs_access_group_name=group_name(group),
            )
            found.append((entrance, path))
    return found + [
        (entrance, _direct_path(user, now))
        for entrance in reported or []
        if entrance.acs_entrance_id not in explained
    ]


def _direct_path(user: AcsUser, now: datetime) -> AccessPath:
    return _path(
        "acs_user",
        now,
        [_window(user)],
        suspended=bool(user.is_suspended),
        acs_user_id=user.acs_user_id,
        acs_system_id=user.acs_system_id,
    )


async def _read_or_note(
    problems: list[str], what: str, call: Callable[[], Awaitable[T]]
) -> T | None:
    """`call()`'s result, or None with a line in `problems` saying what could not be read.
    The request is made only here, so a read cancelled before it starts leaves nothing
    un-awaited behind."""
    try:
        return await call()
    except SeamError as exc:
        problems.append(f"could not read {what}: {exc}")
        return None


def group_name(group: AcsAccessGroup) -> str:
    return group.display_name or group.name


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
