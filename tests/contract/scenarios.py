"""Client scenarios that hold for any Seam endpoint: the sandbox here, the real API when asked.

Each scenario creates what it needs under a unique name and deletes it again, so it is safe to
run against a real (sandbox) workspace.

The real API pushes changes to the access system later (pending mutations, `being_deleted`),
and its lists and search may lag a write: no scenario assumes read-after-write. What it reads
back after a write it waits for with `eventually`, a bounded poll with backoff (a generous
bound, as a real push can take a while); the sandbox runs them with settling off and on.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from seam_tui.core import NULL, SeamClient, SeamNotFoundError
from seam_tui.core.models import AcsUser, UserIdentity

Scenario = Callable[[SeamClient], Awaitable[None]]
T = TypeVar("T")

WAIT_S = 60.0  # a real push to an access system can take many seconds


def _unique() -> str:
    return uuid.uuid4().hex[:10]


async def eventually(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], what: str) -> T:
    """`probe()` until `done(result)`, backing off from 0.1 s to 2 s; fails after WAIT_S."""
    loop = asyncio.get_running_loop()
    deadline, delay = loop.time() + WAIT_S, 0.1
    while True:
        result = await probe()
        if done(result):
            return result
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not so after {WAIT_S:g}s; last seen {result!r}")
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


async def gone(probe: Callable[[], Awaitable[object]], what: str) -> None:
    """Wait until `probe()` raises SeamNotFoundError (a delete has settled)."""

    async def status() -> str:
        try:
            await probe()
        except SeamNotFoundError:
            return "404"
        return "still there"

    await eventually(status, lambda seen: seen == "404", f"{what} is gone")


def _codes(obj: AcsUser | UserIdentity) -> set[str]:
    mutations = obj.pending_mutations if isinstance(obj, AcsUser) else ()
    return {m.mutation_code for m in mutations} | {w.warning_code for w in obj.warnings}


async def workspace_is_reachable(seam: SeamClient) -> None:
    workspace = await seam.workspaces.get()
    assert workspace.workspace_id
    assert workspace.name


async def identity_round_trip(seam: SeamClient) -> None:
    tag = _unique()
    created = await seam.user_identities.create(
        full_name=f"Contract {tag}", email_address=f"contract-{tag}@example.com"
    )
    identity_id = created.user_identity_id

    async def fetch() -> UserIdentity:
        return await seam.user_identities.get(user_identity_id=identity_id)

    try:
        fetched = await fetch()
        assert fetched.email_address == f"contract-{tag}@example.com"

        async def search() -> list[str]:
            found = await seam.user_identities.list(search=tag)
            return [i.user_identity_id for i in found.items]

        await eventually(search, lambda ids: identity_id in ids, "the new identity is found")
        await seam.user_identities.update(user_identity_id=identity_id, full_name=f"Renamed {tag}")
        await eventually(fetch, lambda i: i.full_name == f"Renamed {tag}", "the rename shows")
        await seam.user_identities.update(user_identity_id=identity_id, email_address=NULL)
        await eventually(fetch, lambda i: i.email_address is None, "the email is cleared")
    finally:
        await seam.user_identities.delete(user_identity_id=identity_id)
    await gone(fetch, "the deleted identity")


async def missing_identity_is_not_found(seam: SeamClient) -> None:
    with pytest.raises(SeamNotFoundError) as info:
        await seam.user_identities.get(user_identity_id=str(uuid.uuid4()))
    assert info.value.status == 404


async def acs_user_link_round_trip(seam: SeamClient) -> None:
    systems = [s for s in await seam.acs.systems.list() if not s.is_credential_manager]
    if not systems:
        return  # nothing to exercise in a workspace with no access system
    tag = _unique()
    identity = await seam.user_identities.create(full_name=f"Linker {tag}")
    identity_id = identity.user_identity_id
    try:
        user = await seam.acs.users.create(
            acs_system_id=systems[0].acs_system_id, full_name=f"Linker {tag}"
        )
        await seam.user_identities.add_acs_user(
            user_identity_id=identity_id, acs_user_id=user.acs_user_id
        )

        async def linked() -> list[str]:
            users = await seam.user_identities.list_acs_users(user_identity_id=identity_id)
            return [u.acs_user_id for u in users]

        await eventually(linked, lambda ids: user.acs_user_id in ids, "the ACS user is linked")
        await seam.user_identities.remove_acs_user(
            user_identity_id=identity_id, acs_user_id=user.acs_user_id
        )
        await eventually(linked, lambda ids: user.acs_user_id not in ids, "it is unlinked")
        await seam.acs.users.delete(acs_user_id=user.acs_user_id)
        await gone(lambda: seam.acs.users.get(acs_user_id=user.acs_user_id), "the ACS user")
    finally:
        await seam.user_identities.delete(user_identity_id=identity_id)


async def acs_user_changes_settle(seam: SeamClient) -> None:
    """A suspension may answer before it reaches the access system: pending meanwhile (if the
    endpoint says so), then settled; a delete leaves the user `being_deleted`, then 404."""
    systems = [s for s in await seam.acs.systems.list() if not s.is_credential_manager]
    if not systems:
        return
    user = await seam.acs.users.create(
        acs_system_id=systems[0].acs_system_id, full_name=f"Settler {_unique()}"
    )
    user_id = user.acs_user_id

    async def fetch() -> AcsUser:
        return await seam.acs.users.get(acs_user_id=user_id)

    try:
        await eventually(fetch, lambda u: "creating" not in _codes(u), "the user is created")
        await seam.acs.users.suspend(acs_user_id=user_id)
        suspended = await eventually(
            fetch,
            lambda u: u.is_suspended is True and "updating_suspension_state" not in _codes(u),
            "the suspension settles",
        )
        assert not [e for e in suspended.errors if e.error_code.startswith("failed_to_")]
    finally:
        await seam.acs.users.delete(acs_user_id=user_id)
    try:
        lingering: AcsUser | None = await fetch()
    except SeamNotFoundError:
        lingering = None  # settled at once
    if lingering is not None and lingering.pending_mutations:
        assert {"deleting", "being_deleted"} <= _codes(lingering)
    await gone(fetch, "the deleted ACS user")


async def identity_delete_takes_its_acs_users(seam: SeamClient) -> None:
    systems = [s for s in await seam.acs.systems.list() if not s.is_credential_manager]
    if not systems:
        return
    identity = await seam.user_identities.create(
        full_name=f"Leaver {_unique()}", acs_system_ids=[systems[0].acs_system_id]
    )
    identity_id = identity.user_identity_id
    users = await eventually(
        lambda: seam.user_identities.list_acs_users(user_identity_id=identity_id),
        lambda found: len(found) == 1,
        "the identity's ACS user exists",
    )
    await seam.user_identities.delete(user_identity_id=identity_id)
    await gone(lambda: seam.user_identities.get(user_identity_id=identity_id), "the identity")
    await gone(lambda: seam.acs.users.get(acs_user_id=users[0].acs_user_id), "its ACS user")


SCENARIOS: list[Scenario] = [
    workspace_is_reachable,
    identity_round_trip,
    missing_identity_is_not_found,
    acs_user_link_round_trip,
    acs_user_changes_settle,
    identity_delete_takes_its_acs_users,
]
