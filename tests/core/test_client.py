"""SeamClient against the in-process sandbox over HTTP: every namespace, errors and auth."""

from __future__ import annotations

import logging
import uuid
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from seam_tui.core import (
    NULL,
    SeamClient,
    SeamConfigurationError,
    SeamConflictError,
    SeamInvalidInputError,
    SeamNotFoundError,
    SeamUnauthorizedError,
)
from seam_tui.core.settling import wait_until_settled
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.conftest import FAST_RETRY


async def test_identity_lifecycle(client: SeamClient) -> None:
    created = await client.user_identities.create(
        full_name="Ada Lovelace",
        email_address="ada@example.com",
        phone_number="+15555550177",
        user_identity_key="ada-1",
    )
    assert created.full_name == "Ada Lovelace"
    assert created.created_at.tzinfo is not None

    by_id = await client.user_identities.get(user_identity_id=created.user_identity_id)
    by_key = await client.user_identities.get(user_identity_key="ada-1")
    assert by_id.user_identity_id == by_key.user_identity_id == created.user_identity_id

    page = await client.user_identities.list(search="lovelace")
    assert [i.user_identity_id for i in page.items] == [created.user_identity_id]

    await client.user_identities.update(
        user_identity_id=created.user_identity_id, full_name="Ada King", phone_number=NULL
    )
    updated = await client.user_identities.get(user_identity_id=created.user_identity_id)
    assert updated.full_name == "Ada King"
    assert updated.phone_number is None
    assert updated.email_address == "ada@example.com"  # untouched when not given

    await client.user_identities.delete(user_identity_id=created.user_identity_id)
    # A deletion may settle later (the identity lingers, `being_deleted`): wait until it is gone.
    gone = await wait_until_settled(client, "user_identity", created.user_identity_id, timeout=15)
    assert gone.gone
    with pytest.raises(SeamNotFoundError) as info:
        await client.user_identities.get(user_identity_id=created.user_identity_id)
    assert info.value.status == 404
    assert info.value.type == "user_identity_not_found"
    assert info.value.request_id


async def test_iterate_follows_cursors_to_the_end(client: SeamClient) -> None:
    before = [i.user_identity_id async for i in client.user_identities.iterate(limit=500)]
    for n in range(23):
        await client.user_identities.create(full_name=f"Pager Person {n:02d}")
    page = await client.user_identities.list(search="Pager Person", limit=5)
    assert len(page.items) == 5
    assert page.has_next_page
    assert page.next_page_cursor

    found = [i.full_name async for i in client.user_identities.iterate(search="Pager", limit=5)]
    assert found == [f"Pager Person {n:02d}" for n in range(23)]

    every = [i.user_identity_id async for i in client.user_identities.iterate(limit=7)]
    assert len(every) == len(set(every)) == len(before) + 23


async def test_cursor_with_other_filters_is_rejected(client: SeamClient) -> None:
    page = await client.user_identities.list(limit=2)
    assert page.next_page_cursor
    with pytest.raises(SeamInvalidInputError) as info:
        await client.user_identities.list(limit=2, search="x", page_cursor=page.next_page_cursor)
    assert info.value.type == "mismatched_page_parameters"


async def test_link_and_unlink(client: SeamClient) -> None:
    system = (await client.acs.systems.list())[0]
    identity = await client.user_identities.create(full_name="Grace Hopper")
    acs_user = await client.acs.users.create(acs_system_id=system.acs_system_id, full_name="G H")
    assert acs_user.user_identity_id is None

    await client.user_identities.add_acs_user(
        user_identity_id=identity.user_identity_id, acs_user_id=acs_user.acs_user_id
    )
    linked = await client.acs.users.get(acs_user_id=acs_user.acs_user_id)
    assert linked.user_identity_id == identity.user_identity_id
    assert linked.user_identity_full_name == "Grace Hopper"
    users = await client.user_identities.list_acs_users(user_identity_id=identity.user_identity_id)
    assert [u.acs_user_id for u in users] == [acs_user.acs_user_id]
    systems = await client.user_identities.list_acs_systems(
        user_identity_id=identity.user_identity_id
    )
    assert [s.acs_system_id for s in systems] == [system.acs_system_id]
    again = await client.user_identities.get(user_identity_id=identity.user_identity_id)
    assert again.acs_user_ids == (acs_user.acs_user_id,)

    await client.user_identities.remove_acs_user(
        user_identity_id=identity.user_identity_id, acs_user_id=acs_user.acs_user_id
    )
    unlinked = await client.acs.users.get(acs_user_id=acs_user.acs_user_id)
    assert unlinked.user_identity_id is None


async def test_acs_user_lifecycle(client: SeamClient) -> None:
    system = (await client.acs.systems.list())[0]
    starts = datetime.now(UTC) + timedelta(days=1)
    ends = starts + timedelta(days=30)
    user = await client.acs.users.create(
        acs_system_id=system.acs_system_id,
        full_name="Temp Contractor",
        email_address="temp@example.com",
        access_schedule={"starts_at": starts, "ends_at": ends},
    )
    assert user.access_schedule is not None
    assert user.access_schedule.ends_at is not None
    assert abs((user.access_schedule.ends_at - ends).total_seconds()) < 1

    listed = await client.acs.users.list(acs_system_id=system.acs_system_id, search="Contractor")
    assert user.acs_user_id in [u.acs_user_id for u in listed.items]
    assert all(u.acs_system_id == system.acs_system_id for u in listed.items)

    await client.acs.users.update(acs_user_id=user.acs_user_id, full_name="Temp Worker")
    await client.acs.users.suspend(acs_user_id=user.acs_user_id)
    suspended = await client.acs.users.get(acs_user_id=user.acs_user_id)
    assert suspended.full_name == "Temp Worker"
    assert suspended.is_suspended is True
    await client.acs.users.unsuspend(acs_user_id=user.acs_user_id)
    assert (await client.acs.users.get(acs_user_id=user.acs_user_id)).is_suspended is False

    await client.acs.users.update(acs_user_id=user.acs_user_id, access_schedule=NULL)
    assert (await client.acs.users.get(acs_user_id=user.acs_user_id)).access_schedule is None

    await client.acs.users.delete(acs_user_id=user.acs_user_id)
    assert (await wait_until_settled(client, "acs_user", user.acs_user_id, timeout=15)).gone
    with pytest.raises(SeamNotFoundError):
        await client.acs.users.get(acs_user_id=user.acs_user_id)


async def test_acs_user_targeted_by_identity_and_system(client: SeamClient) -> None:
    system = (await client.acs.systems.list())[0]
    identity = await client.user_identities.create(full_name="Target Person")
    user = await client.acs.users.create(
        acs_system_id=system.acs_system_id,
        full_name="Target Person",
        user_identity_id=identity.user_identity_id,
    )
    got = await client.acs.users.get(
        user_identity_id=identity.user_identity_id, acs_system_id=system.acs_system_id
    )
    assert got.acs_user_id == user.acs_user_id
    by_identity = await client.acs.users.list(user_identity_id=identity.user_identity_id)
    assert [u.acs_user_id for u in by_identity.items] == [user.acs_user_id]


async def test_systems_and_access_groups(client: SeamClient) -> None:
    systems = await client.acs.systems.list()
    assert len({s.external_type for s in systems}) >= 3
    one = await client.acs.systems.get(acs_system_id=systems[0].acs_system_id)
    assert one.name == systems[0].name

    groups = await client.acs.access_groups.list(acs_system_id=one.acs_system_id)
    assert groups
    group = await client.acs.access_groups.get(acs_access_group_id=groups[0].acs_access_group_id)
    user = await client.acs.users.create(acs_system_id=one.acs_system_id, full_name="Group Joiner")
    await client.acs.users.add_to_access_group(
        acs_user_id=user.acs_user_id, acs_access_group_id=group.acs_access_group_id
    )
    members = await client.acs.access_groups.list_users(
        acs_access_group_id=group.acs_access_group_id
    )
    assert user.acs_user_id in [m.acs_user_id for m in members]
    await client.acs.users.remove_from_access_group(
        acs_user_id=user.acs_user_id, acs_access_group_id=group.acs_access_group_id
    )
    await client.acs.access_groups.add_user(
        acs_access_group_id=group.acs_access_group_id, acs_user_id=user.acs_user_id
    )
    await client.acs.access_groups.remove_user(
        acs_access_group_id=group.acs_access_group_id, acs_user_id=user.acs_user_id
    )
    members = await client.acs.access_groups.list_users(
        acs_access_group_id=group.acs_access_group_id
    )
    assert user.acs_user_id not in [m.acs_user_id for m in members]


async def test_workspaces(
    client: SeamClient, sandbox: Sandbox, workspace: SandboxWorkspace
) -> None:
    current = await client.workspaces.get()
    assert current.workspace_id == workspace.workspace_id
    assert current.is_sandbox is True

    async with SeamClient(
        personal_access_token=sandbox.personal_access_token(),
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
    ) as pat_client:
        listed = await pat_client.workspaces.list()
    assert {w.workspace_id for w in listed} >= {w.workspace_id for w in sandbox.workspaces()}


async def test_pat_with_workspace_header_acts_in_that_workspace(sandbox: Sandbox) -> None:
    second = sandbox.workspaces()[1]
    async with SeamClient(
        personal_access_token=sandbox.personal_access_token(),
        workspace_id=second.workspace_id,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
    ) as seam:
        assert (await seam.workspaces.get()).workspace_id == second.workspace_id
        created = await seam.user_identities.create(full_name="Only In Second")
    async with SeamClient(
        api_key=sandbox.workspaces()[0].api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
    ) as first:
        with pytest.raises(SeamNotFoundError):
            await first.user_identities.get(user_identity_id=created.user_identity_id)


async def test_validation_errors_name_the_field(client: SeamClient) -> None:
    with pytest.raises(SeamInvalidInputError) as info:
        await client.user_identities.create(email_address="not-an-email")
    assert info.value.type == "invalid_input"
    assert "email_address" in info.value.field_errors
    assert info.value.field_errors["email_address"]


async def test_duplicate_email_is_a_conflict(client: SeamClient) -> None:
    await client.user_identities.create(email_address="dup@example.com")
    with pytest.raises(SeamConflictError) as info:
        await client.user_identities.create(email_address="DUP@example.com")
    assert info.value.status == 409


async def test_wrong_key_is_unauthorized_and_never_echoed(sandbox: Sandbox) -> None:
    bad_key = "seam_test_this_key_does_not_exist_123"
    async with SeamClient(
        api_key=bad_key, endpoint=sandbox.base_url, transport=sandbox.transport()
    ) as seam:
        with pytest.raises(SeamUnauthorizedError) as info:
            await seam.user_identities.list()
    assert info.value.status == 401
    assert bad_key not in str(info.value)
    assert bad_key not in repr(info.value)


async def test_key_never_in_repr_or_logs(
    client: SeamClient, workspace: SandboxWorkspace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.user_identities.list(limit=1)
    with pytest.raises(SeamNotFoundError):
        await client.acs.users.get(acs_user_id=str(uuid.uuid4()))
    assert workspace.api_key not in repr(client)
    assert workspace.api_key not in caplog.text
    assert "seam_tui.client" in {r.name for r in caplog.records}


async def test_user_agent_and_json_post(sandbox: Sandbox, workspace: SandboxWorkspace) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    async with SeamClient(
        api_key=workspace.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
    ) as seam:
        seam._http.event_hooks["request"].append(record)
        await seam.user_identities.list(search="a", limit=3)
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/user_identities/list"
    assert request.headers["user-agent"].startswith("seam-tui/")
    assert request.headers["content-type"] == "application/json"


def test_configuration_errors() -> None:
    with pytest.raises(SeamConfigurationError, match="no credentials"):
        SeamClient()
    with pytest.raises(SeamConfigurationError, match="personal access token"):
        SeamClient(api_key="seam_at_1234")
    with pytest.raises(SeamConfigurationError, match="not both"):
        SeamClient(api_key="seam_test_1", personal_access_token="seam_at_2")


async def test_from_env_reads_the_sdk_variables(sandbox: Sandbox) -> None:
    ws = sandbox.workspaces()[1]
    env = {"SEAM_API_KEY": ws.api_key, "SEAM_ENDPOINT": sandbox.base_url}
    async with SeamClient.from_env(env, transport=sandbox.transport(), retry=FAST_RETRY) as seam:
        assert seam.endpoint == sandbox.base_url
        assert (await seam.workspaces.get()).workspace_id == ws.workspace_id
    pat_env = {
        "SEAM_PERSONAL_ACCESS_TOKEN": sandbox.personal_access_token(),
        "SEAM_WORKSPACE_ID": ws.workspace_id,
    }
    async with SeamClient.from_env(pat_env) as pat_client:
        assert pat_client.auth_kind == "personal_access_token"
        assert pat_client.workspace_id == ws.workspace_id
        assert pat_client.endpoint == "https://connect.getseam.com"


async def test_iterate_stopped_early_leaves_the_client_usable(client: SeamClient) -> None:
    """The next page is already requested when the caller stops; closing cancels it cleanly."""
    async with aclosing(client.user_identities.iterate(limit=5)) as identities:
        first = []
        async for identity in identities:
            first.append(identity)
            break
    assert len(first) == 1
    page = await client.user_identities.list(limit=1)
    assert page.items
