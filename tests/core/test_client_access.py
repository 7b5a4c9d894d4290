"""SeamClient's access namespaces against the in-process sandbox: devices, entrances,
credentials, device grants and instant keys."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from seam_tui.core import (
    AcsCredential,
    AcsEntrance,
    AcsUser,
    Device,
    InstantKey,
    Page,
    SeamClient,
    SeamConfigurationError,
    SeamInvalidInputError,
    SeamNotFoundError,
    SeamServerError,
)
from seam_tui.sandbox import FaultConfig, Sandbox, SandboxWorkspace
from tests.conftest import FAST_RETRY


class Sent:
    """The path and JSON body of every request a client sends (an httpx event hook)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.requests.append((request.url.path, json.loads(request.content or b"{}")))


@pytest.fixture
async def recorded(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> AsyncIterator[tuple[SeamClient, Sent]]:
    sent = Sent()
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as seam:
        seam._http.event_hooks["request"].append(sent)
        yield seam, sent


async def all_devices(client: SeamClient) -> list[Device]:
    return [d async for d in client.devices.iterate()]


async def entrance_with_system(client: SeamClient) -> AcsEntrance:
    """A demo entrance (the first of the first system that has any)."""
    page = await client.acs.entrances.list(limit=1)
    assert page.items, "the demo seed has no entrances"
    return page.items[0]


async def new_acs_user(client: SeamClient, acs_system_id: str, name: str) -> AcsUser:
    identity = await client.user_identities.create(full_name=name)
    return await client.acs.users.create(
        acs_system_id=acs_system_id, full_name=name, user_identity_id=identity.user_identity_id
    )


async def test_devices_page_iterate_filters_and_get(client: SeamClient) -> None:
    every = await all_devices(client)
    assert len(every) >= 3
    assert len({d.device_id for d in every}) == len(every)

    page = await client.devices.list(limit=2)
    assert isinstance(page, Page)
    assert all(isinstance(d, Device) for d in page.items)
    assert [d.device_id for d in page.items] == [d.device_id for d in every[:2]]
    assert page.has_next_page
    assert page.next_page_cursor
    following = await client.devices.list(limit=2, page_cursor=page.next_page_cursor)
    assert [d.device_id for d in following.items] == [d.device_id for d in every[2:4]]
    assert [d.device_id async for d in client.devices.iterate(limit=2)] == [
        d.device_id for d in every
    ]

    first = every[0]
    chosen = await client.devices.list(device_ids=[first.device_id, every[-1].device_id])
    assert {d.device_id for d in chosen.items} == {first.device_id, every[-1].device_id}
    same_type = await client.devices.list(device_type=first.device_type)
    assert first.device_id in {d.device_id for d in same_type.items}
    assert {d.device_type for d in same_type.items} == {first.device_type}

    got = await client.devices.get(device_id=first.device_id)
    assert isinstance(got, Device)
    assert got.device_id == first.device_id
    assert got.display_name == first.display_name

    with pytest.raises(SeamNotFoundError) as info:
        await client.devices.get(device_id=str(uuid.uuid4()))
    assert info.value.status == 404
    assert info.value.type == "device_not_found"


async def test_one_of_rules_are_checked_before_sending(
    recorded: tuple[SeamClient, Sent],
) -> None:
    client, sent = recorded
    some_id = str(uuid.uuid4())
    with pytest.raises(SeamConfigurationError) as info:
        await client.devices.get()
    assert info.value.field == "device_id"
    with pytest.raises(SeamConfigurationError) as info:
        await client.devices.get(device_id=some_id, name="Front door")
    assert info.value.field == "name"
    for action in (client.acs.credentials.assign, client.acs.credentials.unassign):
        with pytest.raises(SeamConfigurationError):
            await action(acs_credential_id=some_id)
        with pytest.raises(SeamConfigurationError) as info:
            await action(acs_credential_id=some_id, acs_user_id=some_id, user_identity_id=some_id)
        assert info.value.field == "user_identity_id"
    with pytest.raises(SeamConfigurationError):
        await client.instant_keys.get()
    with pytest.raises(SeamConfigurationError):
        await client.acs.users.list_accessible_entrances()
    assert sent.requests == []


async def test_parameters_left_as_none_are_not_sent(recorded: tuple[SeamClient, Sent]) -> None:
    client, sent = recorded
    device_page = await client.devices.list(limit=3)
    entrance_page = await client.acs.entrances.list(search=None, limit=2)
    credential_page = await client.acs.credentials.list(is_multi_phone_sync_credential=False)
    await client.instant_keys.list()
    identity = await client.user_identities.create(full_name="Key Holder")
    key = await client.user_identities.generate_instant_key(
        user_identity_id=identity.user_identity_id
    )
    assert isinstance(device_page, Page)
    assert isinstance(entrance_page, Page)
    assert all(isinstance(c, AcsCredential) for c in credential_page.items)
    assert isinstance(key, InstantKey)
    assert sent.requests == [
        ("/devices/list", {"limit": 3}),
        ("/acs/entrances/list", {"limit": 2}),
        ("/acs/credentials/list", {"is_multi_phone_sync_credential": False}),
        ("/instant_keys/list", {}),
        ("/user_identities/create", {"full_name": "Key Holder"}),
        ("/user_identities/generate_instant_key", {"user_identity_id": identity.user_identity_id}),
    ]


async def test_entrances_of_systems_credentials_and_groups(client: SeamClient) -> None:
    entrance = await entrance_with_system(client)
    system_id = entrance.acs_system_id
    of_system = [e async for e in client.acs.entrances.iterate(acs_system_id=system_id, limit=1)]
    assert entrance.acs_entrance_id in {e.acs_entrance_id for e in of_system}
    assert {e.acs_system_id for e in of_system} == {system_id}
    assert len({e.acs_entrance_id for e in of_system}) == len(of_system)

    got = await client.acs.entrances.get(acs_entrance_id=entrance.acs_entrance_id)
    assert isinstance(got, AcsEntrance)
    assert got.display_name == entrance.display_name
    by_ids = await client.acs.entrances.list(acs_entrance_ids=[entrance.acs_entrance_id])
    assert [e.acs_entrance_id for e in by_ids.items] == [entrance.acs_entrance_id]

    for group in await client.acs.access_groups.list(acs_system_id=system_id):
        reached = await client.acs.access_groups.list_accessible_entrances(
            acs_access_group_id=group.acs_access_group_id
        )
        assert all(isinstance(e, AcsEntrance) for e in reached)
        assert {e.acs_system_id for e in reached} <= {system_id}

    with pytest.raises(SeamNotFoundError) as info:
        await client.acs.entrances.get(acs_entrance_id=str(uuid.uuid4()))
    assert info.value.type == "acs_entrance_not_found"


async def test_credential_lifecycle(client: SeamClient) -> None:
    entrance = await entrance_with_system(client)
    system_id = entrance.acs_system_id
    holder = await new_acs_user(client, system_id, "Card Holder")
    other = await new_acs_user(client, system_id, "Other Holder")

    created = await client.acs.credentials.create(
        access_method="code",
        acs_user_id=holder.acs_user_id,
        code="482913",
        allowed_acs_entrance_ids=[entrance.acs_entrance_id],
    )
    assert isinstance(created, AcsCredential)
    assert created.acs_user_id == holder.acs_user_id
    assert created.code == "482913"
    credential_id = created.acs_credential_id

    opened = await client.acs.credentials.list_accessible_entrances(acs_credential_id=credential_id)
    assert [e.acs_entrance_id for e in opened] == [entrance.acs_entrance_id]
    by_credential = await client.acs.entrances.list(acs_credential_id=credential_id)
    assert [e.acs_entrance_id for e in by_credential.items] == [entrance.acs_entrance_id]
    with_access = await client.acs.entrances.list_credentials_with_access(
        acs_entrance_id=entrance.acs_entrance_id
    )
    assert credential_id in {c.acs_credential_id for c in with_access}
    user_entrances = await client.acs.users.list_accessible_entrances(
        acs_user_id=holder.acs_user_id
    )
    assert entrance.acs_entrance_id in {e.acs_entrance_id for e in user_entrances}
    of_holder = await client.acs.credentials.list(acs_user_id=holder.acs_user_id)
    assert [c.acs_credential_id for c in of_holder.items] == [credential_id]

    await client.acs.credentials.update(acs_credential_id=credential_id, code="771102")
    assert (await client.acs.credentials.get(acs_credential_id=credential_id)).code == "771102"

    await client.acs.credentials.unassign(
        acs_credential_id=credential_id, acs_user_id=holder.acs_user_id
    )
    assert (await client.acs.credentials.get(acs_credential_id=credential_id)).acs_user_id is None
    await client.acs.credentials.assign(
        acs_credential_id=credential_id, acs_user_id=other.acs_user_id
    )
    moved = await client.acs.credentials.get(acs_credential_id=credential_id)
    assert moved.acs_user_id == other.acs_user_id
    assert (await client.acs.credentials.list(acs_user_id=holder.acs_user_id)).items == []

    await client.acs.credentials.delete(acs_credential_id=credential_id)
    with pytest.raises(SeamNotFoundError) as info:
        await client.acs.credentials.get(acs_credential_id=credential_id)
    assert info.value.type == "acs_credential_not_found"


async def test_credentials_page_and_iterate(client: SeamClient) -> None:
    entrance = await entrance_with_system(client)
    holder = await new_acs_user(client, entrance.acs_system_id, "Many Codes")
    made = [
        await client.acs.credentials.create(
            access_method="code", acs_user_id=holder.acs_user_id, code=f"90817{n}"
        )
        for n in range(3)
    ]
    page = await client.acs.credentials.list(acs_user_id=holder.acs_user_id, limit=2)
    assert len(page.items) == 2
    assert page.has_next_page
    mine = [
        c.acs_credential_id
        async for c in client.acs.credentials.iterate(acs_user_id=holder.acs_user_id, limit=2)
    ]
    assert sorted(mine) == sorted(c.acs_credential_id for c in made)
    assert [c.acs_credential_id for c in page.items] == mine[:2]
    every = [c.acs_credential_id async for c in client.acs.credentials.iterate(limit=3)]
    assert len(every) == len(set(every))
    assert set(mine) <= set(every)


async def test_identity_entrances_and_revoking_all(client: SeamClient) -> None:
    entrance = await entrance_with_system(client)
    identity = await client.user_identities.create(full_name="Door Person")
    user = await client.acs.users.create(
        acs_system_id=entrance.acs_system_id,
        full_name="Door Person",
        user_identity_id=identity.user_identity_id,
    )
    await client.acs.credentials.create(
        access_method="code",
        acs_user_id=user.acs_user_id,
        code="135790",
        allowed_acs_entrance_ids=[entrance.acs_entrance_id],
    )
    reached = await client.user_identities.list_accessible_entrances(
        user_identity_id=identity.user_identity_id
    )
    assert [e.acs_entrance_id for e in reached] == [entrance.acs_entrance_id]
    via_identity = await client.acs.users.list_accessible_entrances(
        user_identity_id=identity.user_identity_id, acs_system_id=entrance.acs_system_id
    )
    assert [e.acs_entrance_id for e in via_identity] == [entrance.acs_entrance_id]

    await client.acs.users.revoke_access_to_all_entrances(acs_user_id=user.acs_user_id)
    assert await client.acs.users.list_accessible_entrances(acs_user_id=user.acs_user_id) == []
    assert (
        await client.user_identities.list_accessible_entrances(
            user_identity_id=identity.user_identity_id
        )
        == []
    )


async def test_grant_and_revoke_device_access(client: SeamClient) -> None:
    device = (await client.devices.list(limit=1)).items[0]
    identity = await client.user_identities.create(full_name="Lock Guest")
    ident = identity.user_identity_id
    assert await client.user_identities.list_accessible_devices(user_identity_id=ident) == []

    for _ in range(2):  # granting twice is a no-op
        await client.user_identities.grant_access_to_device(
            user_identity_id=ident, device_id=device.device_id
        )
    devices = await client.user_identities.list_accessible_devices(user_identity_id=ident)
    assert [d.device_id for d in devices] == [device.device_id]
    assert isinstance(devices[0], Device)

    for _ in range(2):  # revoking what is not granted is a no-op
        await client.user_identities.revoke_access_to_device(
            user_identity_id=ident, device_id=device.device_id
        )
    assert await client.user_identities.list_accessible_devices(user_identity_id=ident) == []

    with pytest.raises(SeamNotFoundError) as info:
        await client.user_identities.grant_access_to_device(
            user_identity_id=ident, device_id=str(uuid.uuid4())
        )
    assert info.value.type == "device_not_found"


async def test_instant_key_lifecycle(client: SeamClient) -> None:
    identity = await client.user_identities.create(full_name="Phone Owner")
    ident = identity.user_identity_id
    key = await client.user_identities.generate_instant_key(user_identity_id=ident, max_use_count=3)
    assert key.user_identity_id == ident
    assert key.instant_key_url.startswith("https://ik.seam.co/")
    assert key.created_at is not None
    assert key.expires_at - key.created_at == timedelta(hours=48)
    assert key.client_session_id

    listed = await client.instant_keys.list(user_identity_id=ident)
    assert [k.instant_key_id for k in listed] == [key.instant_key_id]
    by_id = await client.instant_keys.get(instant_key_id=key.instant_key_id)
    by_url = await client.instant_keys.get(instant_key_url=key.instant_key_url)
    assert by_id.instant_key_id == by_url.instant_key_id == key.instant_key_id
    assert key.instant_key_id in {k.instant_key_id for k in await client.instant_keys.list()}

    await client.instant_keys.delete(instant_key_id=key.instant_key_id)
    assert await client.instant_keys.list(user_identity_id=ident) == []
    with pytest.raises(SeamNotFoundError):
        await client.instant_keys.get(instant_key_id=key.instant_key_id)

    with pytest.raises(SeamInvalidInputError) as info:
        await client.user_identities.generate_instant_key(user_identity_id=ident, max_use_count=0)
    assert info.value.status == 400
    assert "max_use_count" in info.value.field_errors
    with pytest.raises(SeamNotFoundError) as not_found:
        await client.user_identities.generate_instant_key(user_identity_id=str(uuid.uuid4()))
    assert not_found.value.type == "user_identity_not_found"


def _calls(client: SeamClient, some: str) -> list[tuple[bool, Callable[[], Awaitable[object]]]]:
    """Every new method, flagged True when it is a read (retried) and False for a write."""
    ids: dict[str, Any] = {"user_identity_id": some, "device_id": some}
    creds = client.acs.credentials
    groups = client.acs.access_groups
    return [
        (True, lambda: client.devices.list()),
        (True, lambda: client.devices.get(device_id=some)),
        (True, lambda: client.acs.entrances.list()),
        (True, lambda: client.acs.entrances.get(acs_entrance_id=some)),
        (True, lambda: client.acs.entrances.list_credentials_with_access(acs_entrance_id=some)),
        (True, lambda: creds.list()),
        (True, lambda: creds.get(acs_credential_id=some)),
        (True, lambda: creds.list_accessible_entrances(acs_credential_id=some)),
        (True, lambda: client.acs.users.list_accessible_entrances(acs_user_id=some)),
        (
            True,
            lambda: groups.list_accessible_entrances(acs_access_group_id=some),
        ),
        (True, lambda: client.user_identities.list_accessible_devices(user_identity_id=some)),
        (True, lambda: client.user_identities.list_accessible_entrances(user_identity_id=some)),
        (True, lambda: client.instant_keys.list()),
        (True, lambda: client.instant_keys.get(instant_key_id=some)),
        (False, lambda: creds.create(access_method="code", acs_user_id=some)),
        (False, lambda: creds.delete(acs_credential_id=some)),
        (False, lambda: creds.assign(acs_credential_id=some, acs_user_id=some)),
        (False, lambda: creds.unassign(acs_credential_id=some, acs_user_id=some)),
        (False, lambda: creds.update(acs_credential_id=some, code="1234")),
        (False, lambda: client.acs.users.revoke_access_to_all_entrances(acs_user_id=some)),
        (False, lambda: client.user_identities.grant_access_to_device(**ids)),
        (False, lambda: client.user_identities.revoke_access_to_device(**ids)),
        (False, lambda: client.user_identities.generate_instant_key(user_identity_id=some)),
        (False, lambda: client.instant_keys.delete(instant_key_id=some)),
    ]


async def test_reads_are_retried_and_writes_are_not(
    sandbox: Sandbox, recorded: tuple[SeamClient, Sent]
) -> None:
    client, sent = recorded
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"500"}), retry_after_s=0.0, seed=1)
    for is_read, call in _calls(client, str(uuid.uuid4())):
        sent.requests.clear()
        with pytest.raises(SeamServerError):
            await call()
        expected = FAST_RETRY.max_retries + 1 if is_read else 1
        assert len(sent.requests) == expected, sent.requests[0][0]
