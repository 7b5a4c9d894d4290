"""Client scenarios that hold for any Seam endpoint: the sandbox here, the real API when asked.

Each scenario creates what it needs under a unique name and deletes it again, so it is safe to
run against a real (sandbox) workspace.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest

from seam_tui.core import NULL, SeamClient, SeamNotFoundError

Scenario = Callable[[SeamClient], Awaitable[None]]


def _unique() -> str:
    return uuid.uuid4().hex[:10]


async def workspace_is_reachable(seam: SeamClient) -> None:
    workspace = await seam.workspaces.get()
    assert workspace.workspace_id
    assert workspace.name


async def identity_round_trip(seam: SeamClient) -> None:
    tag = _unique()
    created = await seam.user_identities.create(
        full_name=f"Contract {tag}", email_address=f"contract-{tag}@example.com"
    )
    try:
        fetched = await seam.user_identities.get(user_identity_id=created.user_identity_id)
        assert fetched.email_address == f"contract-{tag}@example.com"
        found = await seam.user_identities.list(search=tag)
        assert created.user_identity_id in [i.user_identity_id for i in found.items]
        await seam.user_identities.update(
            user_identity_id=created.user_identity_id, full_name=f"Renamed {tag}"
        )
        assert (
            await seam.user_identities.get(user_identity_id=created.user_identity_id)
        ).full_name == f"Renamed {tag}"
        await seam.user_identities.update(
            user_identity_id=created.user_identity_id, email_address=NULL
        )
        cleared = await seam.user_identities.get(user_identity_id=created.user_identity_id)
        assert cleared.email_address is None
    finally:
        await seam.user_identities.delete(user_identity_id=created.user_identity_id)


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
    try:
        user = await seam.acs.users.create(
            acs_system_id=systems[0].acs_system_id, full_name=f"Linker {tag}"
        )
        await seam.user_identities.add_acs_user(
            user_identity_id=identity.user_identity_id, acs_user_id=user.acs_user_id
        )
        users = await seam.user_identities.list_acs_users(
            user_identity_id=identity.user_identity_id
        )
        assert user.acs_user_id in [u.acs_user_id for u in users]
        await seam.user_identities.remove_acs_user(
            user_identity_id=identity.user_identity_id, acs_user_id=user.acs_user_id
        )
        await seam.acs.users.delete(acs_user_id=user.acs_user_id)
    finally:
        await seam.user_identities.delete(user_identity_id=identity.user_identity_id)


SCENARIOS: list[Scenario] = [
    workspace_is_reachable,
    identity_round_trip,
    missing_identity_is_not_found,
    acs_user_link_round_trip,
]
