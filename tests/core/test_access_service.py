"""`service.access` against the sandbox: what a person can open and why, grants, keys, groups.

The answers are checked against the API's own views (`list_accessible_entrances` of the
identity, a group's members and entrances), read through the client, not against constants.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from seam_tui.core import SeamClient, SeamConflictError, SeamNotFoundError, SeamReadOnlyError
from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import AcsUserTarget, field_errors
from seam_tui.core.inputs_access import DeviceGrant, InstantKeyRequest
from seam_tui.core.models import UserIdentity
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.conftest import FAST_RETRY


async def people(service: SeamService) -> list[UserIdentity]:
    page = await service.search_identities(limit=200)
    return page.items


async def person_with_group_access(service: SeamService) -> UserIdentity:
    """A demo identity that reaches at least one entrance through an access group."""
    for identity in await people(service):
        if not identity.acs_user_ids:
            continue
        access = await service.access.person_access(identity.user_identity_id)
        if any(p.kind == "access_group" for e in access.entrances for p in e.paths):
            return identity
    raise AssertionError("the demo seed has no identity with access through a group")


async def test_person_access_agrees_with_the_api_and_explains_each_path(
    service: SeamService, client: SeamClient
) -> None:
    identity = await person_with_group_access(service)
    access = await service.access.person_access(identity.user_identity_id)
    assert not access.problems
    api_view = await client.user_identities.list_accessible_entrances(
        user_identity_id=identity.user_identity_id
    )
    assert {e.entrance.acs_entrance_id for e in access.entrances} == {
        e.acs_entrance_id for e in api_view
    }
    for entry in access.entrances:
        assert entry.paths
        assert entry.system_name != entry.entrance.acs_system_id  # named, not an id
        for path in entry.paths:
            assert path.acs_user_id in identity.acs_user_ids
            if path.kind == "access_group":
                assert path.acs_access_group_id is not None
                entrances = await client.acs.access_groups.list_accessible_entrances(
                    acs_access_group_id=path.acs_access_group_id
                )
                assert entry.entrance.acs_entrance_id in {e.acs_entrance_id for e in entrances}
                members = await client.acs.access_groups.list_users(
                    acs_access_group_id=path.acs_access_group_id
                )
                assert path.acs_user_id in {m.acs_user_id for m in members}
            if path.kind == "credential":
                assert path.acs_credential_id in {
                    c.credential.acs_credential_id for c in access.credentials
                }


async def test_a_suspended_acs_user_blocks_its_paths(service: SeamService) -> None:
    identity = await person_with_group_access(service)
    access = await service.access.person_access(identity.user_identity_id)
    user_id = next(p.acs_user_id for e in access.entrances for p in e.paths if p.acs_user_id)
    assert user_id is not None
    await service.set_acs_user_suspended(AcsUserTarget(acs_user_id=user_id), True)
    after = await service.access.person_access(identity.user_identity_id)
    paths = [p for e in after.entrances for p in e.paths if p.acs_user_id == user_id]
    assert paths
    assert all(p.blocked == "suspended" for p in paths)


async def test_grant_and_revoke_a_device(service: SeamService, audit_log: AuditLog) -> None:
    identity = (await people(service))[0]
    before = await service.access.person_access(identity.user_identity_id)
    held = {d.device.device_id for d in before.devices}
    device = next(d for d in (await service.access.list_devices()).items if d.device_id not in held)
    grant = DeviceGrant(user_identity_id=identity.user_identity_id, device_id=device.device_id)

    await service.access.grant_device(grant)
    after = await service.access.person_access(identity.user_identity_id)
    granted = [d for d in after.devices if d.device.device_id == device.device_id]
    assert [p.kind for d in granted for p in d.paths] == ["device_grant"]

    with pytest.raises(SeamConflictError) as again:
        await service.access.grant_device(grant)
    assert "device_id" in again.value.field_errors
    assert "already granted" in str(again.value)

    await service.access.revoke_device(grant)
    final = await service.access.person_access(identity.user_identity_id)
    assert device.device_id not in {d.device.device_id for d in final.devices}
    with pytest.raises(SeamConflictError) as gone:
        await service.access.revoke_device(grant)
    assert "not granted" in str(gone.value)

    logged = list(reversed(audit_log.recent()))  # one entry per change: its outcome
    assert [(e.operation, e.outcome) for e in logged] == [
        ("grant_access_to_device", "ok"),
        ("grant_access_to_device", "error"),  # refused: already granted
        ("revoke_access_to_device", "ok"),
        ("revoke_access_to_device", "error"),  # refused: not granted
    ]
    assert "already granted" in (logged[1].detail or "")


async def test_a_device_that_is_not_in_the_workspace_is_named(
    service: SeamService, sandbox: Sandbox
) -> None:
    identity = (await people(service))[0]
    other = sandbox.workspaces()[1]
    async with SeamClient(
        api_key=other.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as elsewhere:
        foreign = (await elsewhere.devices.list()).items
    unknown = ["00000000-0000-4000-8000-000000000000"] + [d.device_id for d in foreign[:1]]
    for device_id in unknown:
        grant = DeviceGrant(user_identity_id=identity.user_identity_id, device_id=device_id)
        with pytest.raises(SeamNotFoundError) as missing:
            await service.access.grant_device(grant)
        assert missing.value.message.startswith("device_id: ")
        assert "list devices" in missing.value.message
    after = await service.access.person_access(identity.user_identity_id)
    assert not {d.device.device_id for d in after.devices} & set(unknown)


def test_instant_key_uses_must_be_at_least_one() -> None:
    for bad in (0, -1):
        with pytest.raises(ValidationError) as error:
            InstantKeyRequest(user_identity_id="ui_1", max_use_count=bad)
        assert list(field_errors(error.value)) == ["max_use_count"]


async def test_generate_list_and_delete_an_instant_key(service: SeamService) -> None:
    identity = (await people(service))[0]
    key = await service.access.generate_instant_key(
        InstantKeyRequest(user_identity_id=identity.user_identity_id, max_use_count=3)
    )
    assert key.instant_key_url.startswith("https://")
    assert key.user_identity_id == identity.user_identity_id
    assert key.expires_at > datetime.now(UTC)
    access = await service.access.person_access(identity.user_identity_id)
    assert key.instant_key_id in {k.instant_key_id for k in access.instant_keys}
    await service.access.delete_instant_key(key.instant_key_id)
    keys = await service.access.list_instant_keys(identity.user_identity_id)
    assert key.instant_key_id not in {k.instant_key_id for k in keys}


async def test_read_only_refuses_every_access_write(
    client: SeamClient, workspace: SandboxWorkspace, audit_log: AuditLog
) -> None:
    service = SeamService(
        client, workspace=workspace.name, front_end="script", audit=audit_log, read_only=True
    )
    identity = (await people(service))[0]
    device = (await service.access.list_devices()).items[0]
    grant = DeviceGrant(user_identity_id=identity.user_identity_id, device_id=device.device_id)
    before = await service.access.person_access(identity.user_identity_id)
    with pytest.raises(SeamReadOnlyError):
        await service.access.grant_device(grant)
    with pytest.raises(SeamReadOnlyError):
        await service.access.generate_instant_key(
            InstantKeyRequest(user_identity_id=identity.user_identity_id)
        )
    after = await service.access.person_access(identity.user_identity_id)
    assert after.devices == before.devices
    assert after.instant_keys == before.instant_keys


async def test_group_membership_changes_what_a_person_opens(
    service: SeamService, client: SeamClient
) -> None:
    found = None
    for identity in await people(service):
        detail = await service.get_identity_detail(identity.user_identity_id)
        for user in detail.acs_users:
            groups = await service.access.system_access_groups(user.acs_system_id)
            joined = {
                g.acs_access_group_id
                for g in await service.list_acs_user_access_groups(user.acs_user_id)
            }
            target = next(
                (g for g in groups if g.group.acs_access_group_id not in joined and g.entrances),
                None,
            )
            if target is not None:
                found = (identity, user, target)
                break
        if found:
            break
    assert found is not None, "the demo seed should leave a group with entrances to join"
    identity, user, target = found
    group_id = target.group.acs_access_group_id

    await service.access.set_group_membership(group_id, user.acs_user_id, member=True)
    detail_after = await service.access.access_group_detail(group_id)
    assert user.acs_user_id in {m.acs_user_id for m in detail_after.members}
    access = await service.access.person_access(identity.user_identity_id)
    via_group = {
        e.entrance.acs_entrance_id
        for e in access.entrances
        for p in e.paths
        if p.acs_access_group_id == group_id
    }
    assert via_group == {e.acs_entrance_id for e in target.entrances}

    with pytest.raises(SeamConflictError) as twice:
        await service.access.set_group_membership(group_id, user.acs_user_id, member=True)
    assert "acs_access_group_id" in twice.value.field_errors

    await service.access.set_group_membership(group_id, user.acs_user_id, member=False)
    members = await client.acs.access_groups.list_users(acs_access_group_id=group_id)
    assert user.acs_user_id not in {m.acs_user_id for m in members}


async def test_revoke_all_entrances_of_an_acs_user(
    service: SeamService, client: SeamClient
) -> None:
    identity = await person_with_group_access(service)
    access = await service.access.person_access(identity.user_identity_id)
    user_id = next(p.acs_user_id for e in access.entrances for p in e.paths if p.acs_user_id)
    assert user_id is not None
    before = await client.acs.users.list_accessible_entrances(acs_user_id=user_id)
    revoked = await service.access.revoke_all_entrances(user_id)
    assert {e.acs_entrance_id for e in revoked} == {e.acs_entrance_id for e in before}
    assert await client.acs.users.list_accessible_entrances(acs_user_id=user_id) == []


class FailOnePath(httpx.AsyncBaseTransport):
    """A network where one endpoint never answers (the rest of the sandbox works)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str) -> None:
        self._inner = inner
        self._path = path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self._path:
            raise httpx.ConnectError("no route to host", request=request)
        return await self._inner.handle_async_request(request)


@pytest.fixture
async def devices_down(sandbox: Sandbox, workspace: SandboxWorkspace) -> AsyncIterator[SeamService]:
    transport = FailOnePath(sandbox.transport(), "/user_identities/list_accessible_devices")
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=transport,
        retry=FAST_RETRY,
    ) as seam:
        yield SeamService(seam, workspace=workspace.name, front_end="script")


async def test_a_part_that_cannot_be_read_is_named_and_the_rest_is_shown(
    devices_down: SeamService,
) -> None:
    identity = await person_with_group_access(devices_down)
    access = await devices_down.access.person_access(identity.user_identity_id)
    assert access.entrances
    assert len(access.problems) == 1
    assert access.problems[0].startswith("could not read devices:")
