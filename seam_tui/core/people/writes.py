"""The writes of one planned row, in order (`apply` runs the rows): each waits out its own 429
and is sent again; a new person's ACS users are created with the identity in one write when
they can be."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import SeamError, SeamRateLimitedError
from seam_tui.core.people.model import PlannedRow, Step
from seam_tui.core.people.result_file import RowResult

if TYPE_CHECKING:
    from seam_tui.core.people.rows import PersonRow
    from seam_tui.core.service import SeamService

T = TypeVar("T")

# How often one write is sent again after a 429 (beyond the client's own retries).
MAX_RATE_LIMITED = 8


class RateCount:
    """How many writes were answered 429 (each waited out by the worker that sent it)."""

    def __init__(self) -> None:
        self.hits = 0


class _Writer:
    """Writes that wait out their own 429 (`Retry-After`, else a backoff) and send again; they
    are audited by their row's entry (its intent lists them, its outcome says how far it got)."""

    def __init__(self, service: SeamService, gate: RateCount) -> None:
        self.client = service.client
        self.gate = gate

    async def __call__(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(MAX_RATE_LIMITED):
            try:
                return await call()
            except SeamRateLimitedError as exc:
                self.gate.hits += 1
                if attempt == MAX_RATE_LIMITED - 1:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else 0.5 * 2**attempt
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")


async def run_steps(
    service: SeamService, row: PlannedRow, steps: list[Step], result: RowResult, gate: RateCount
) -> None:
    """Each write of the row in order; a created identity's id is used by the writes after.

    ACS users to create with no group or schedule are created with the identity, in the one
    write (`acs_system_ids`), which the API applies whole or not at all."""
    write = _Writer(service, gate)
    made: dict[str, str] = {}  # system id -> the ACS user created or linked there
    bundled = _bundled(row.person, steps)
    for step in steps:
        if step in bundled:
            continue
        try:
            if step.kind == "create_identity":
                systems = [s.acs_system_id for s in bundled if s.acs_system_id]
                identity_id, acs_user_ids = await _create_identity(write, row.person, systems)
                result.user_identity_id = identity_id
                result.acs_user_ids.extend(acs_user_ids)
                result.done += [s.text for s in bundled]
            elif step.kind in _OFFBOARD_KINDS:
                assert result.user_identity_id is not None
                await _offboard_step(write, result.user_identity_id, step)
            else:
                assert result.user_identity_id is not None
                await _import_step(write, row.person, result.user_identity_id, step, made)
                if step.kind in ("link_acs_user", "create_acs_user") and step.acs_system_id:
                    result.acs_user_ids.append(made[step.acs_system_id])
        except SeamError as exc:
            exc.add_note(f"(while trying to {step.text})")
            raise
        result.done.append(step.text)


_OFFBOARD_KINDS = frozenset(
    {
        "revoke_device",
        "remove_from_access_group",
        "suspend_acs_user",
        "unlink_acs_user",
        "delete_identity",
    }
)


def _bundled(person: PersonRow, steps: list[Step]) -> list[Step]:
    """The ACS users a new identity can be created with: those with no group, when the row
    has no schedule."""
    if not steps or steps[0].kind != "create_identity" or person.starts_at or person.ends_at:
        return []
    return [s for s in steps if s.kind == "create_acs_user" and not s.group_ids]


async def _create_identity(
    write: _Writer, person: PersonRow, acs_system_ids: list[str]
) -> tuple[str, tuple[str, ...]]:
    """Create the identity (with an ACS user in each of `acs_system_ids`): its id and theirs."""
    fields = {
        f: getattr(person, f)
        for f in ("full_name", "email_address", "phone_number", "user_identity_key")
        if getattr(person, f)
    }

    async def create() -> tuple[str, tuple[str, ...]]:
        identity = await write.client.user_identities.create(
            **fields, acs_system_ids=acs_system_ids or None
        )
        return identity.user_identity_id, identity.acs_user_ids

    return await write(create)


async def _import_step(
    write: _Writer, person: PersonRow, identity_id: str, step: Step, made: dict[str, str]
) -> None:
    """One import write after the identity exists: update, link, create, group, schedule."""
    client = write.client
    user_id = step.acs_user_id
    if step.kind == "update_identity":
        changes = dict(step.changes)
        await write(
            lambda: client.user_identities.update(user_identity_id=identity_id, **changes),
        )
    elif step.kind == "link_acs_user":
        assert user_id is not None
        assert step.acs_system_id is not None
        await write(
            lambda: client.user_identities.add_acs_user(
                user_identity_id=identity_id, acs_user_id=user_id
            ),
        )
        made[step.acs_system_id] = user_id
    elif step.kind == "create_acs_user":
        assert step.acs_system_id is not None
        made[step.acs_system_id] = await _create_acs_user(write, person, identity_id, step)
    elif step.kind == "add_to_access_group":
        assert step.acs_access_group_id is not None
        assert step.acs_system_id is not None
        member = user_id or made[step.acs_system_id]
        group_id = step.acs_access_group_id
        await write(
            lambda: client.acs.users.add_to_access_group(
                acs_user_id=member, acs_access_group_id=group_id
            ),
        )
    else:  # update_access_schedule
        assert user_id is not None
        schedule = dict(step.changes)
        await write(
            lambda: client.acs.users.update(acs_user_id=user_id, access_schedule=schedule),
        )


async def _create_acs_user(write: _Writer, person: PersonRow, identity_id: str, step: Step) -> str:
    schedule = {
        k: v.isoformat() for k in ("starts_at", "ends_at") if (v := getattr(person, k)) is not None
    }
    name = person.full_name or person.email_address or person.phone_number
    system_id = step.acs_system_id
    assert system_id is not None

    async def create() -> str:
        user = await write.client.acs.users.create(
            acs_system_id=system_id,
            full_name=name or person.user_identity_key or identity_id,
            email_address=person.email_address,
            phone_number=person.phone_number,
            user_identity_id=identity_id,
            acs_access_group_ids=list(step.group_ids) or None,
            access_schedule=schedule or None,
        )
        return user.acs_user_id

    return await write(create)


async def _offboard_step(write: _Writer, identity_id: str, step: Step) -> None:
    """One offboarding write: revoke a device, leave a group, suspend, unlink or delete."""
    client = write.client
    user_id = step.acs_user_id
    if step.kind == "revoke_device":
        assert step.device_id is not None
        device_id = step.device_id
        await write(
            lambda: client.user_identities.revoke_access_to_device(
                user_identity_id=identity_id, device_id=device_id
            ),
        )
    elif step.kind == "remove_from_access_group":
        assert user_id is not None
        assert step.acs_access_group_id is not None
        group_id = step.acs_access_group_id
        await write(
            lambda: client.acs.users.remove_from_access_group(
                acs_user_id=user_id, acs_access_group_id=group_id
            ),
        )
    elif step.kind == "suspend_acs_user":
        assert user_id is not None
        await write(
            lambda: client.acs.users.suspend(acs_user_id=user_id),
        )
    elif step.kind == "unlink_acs_user":
        assert user_id is not None
        await write(
            lambda: client.user_identities.remove_acs_user(
                user_identity_id=identity_id, acs_user_id=user_id
            ),
        )
    else:  # delete_identity
        await write(
            lambda: client.user_identities.delete(user_identity_id=identity_id),
        )
