"""What an audit line says about a change: the names of what it touched, and what an update
changed from and to, recorded by the service when the change is made; never a secret, and old
lines without these fields still read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from seam_tui.core.audit import MAX_VALUE_CHARS, AuditEntry, AuditLog, FieldChange
from seam_tui.core.errors import SeamError, SeamReadOnlyError
from seam_tui.core.inputs import (
    AccessSchedule,
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.inputs_access import DeviceGrant, InstantKeyRequest
from seam_tui.core.models import AcsSystem
from seam_tui.core.service import SeamService
from seam_tui.sandbox import SandboxWorkspace


def last(audit_log: AuditLog, operation: str) -> AuditEntry:
    """The newest line written for `operation` (its outcome)."""
    lines = [AuditEntry.model_validate_json(x) for x in audit_log.path.read_text().splitlines()]
    return [e for e in lines if e.operation == operation][-1]


async def a_system(service: SeamService) -> AcsSystem:
    return next(iter((await service.systems_by_id()).values()))


async def test_an_identity_update_records_its_name_and_each_field_before_and_after(
    service: SeamService, audit_log: AuditLog
) -> None:
    created = await service.create_identity(
        UserIdentityCreate(
            full_name="Mary J", email_address="mary@example.com", phone_number="+15555550123"
        )
    )
    identity_id = created.identity.user_identity_id
    await service.update_identity(
        UserIdentityUpdate(
            user_identity_id=identity_id,
            full_name="Mary Jackson",
            email_address="mary@example.com",  # the same: not a change
            phone_number=None,
        )
    )
    entry = last(audit_log, "update_user_identity")
    assert entry.outcome == "ok"
    assert entry.names == {identity_id: "Mary J"}  # as it was called when it was changed
    assert entry.changes == {
        "full_name": FieldChange(before="Mary J", after="Mary Jackson"),
        "phone_number": FieldChange(before="+15555550123", after=None),
    }
    created_line = last(audit_log, "create_user_identity")
    assert created_line.names == {identity_id: "Mary J"}


async def test_an_acs_user_update_records_its_schedule_in_one_form_and_its_system(
    service: SeamService, audit_log: AuditLog
) -> None:
    system = await a_system(service)
    start = datetime(2024, 9, 1, tzinfo=UTC)
    user = await service.create_acs_user(
        AcsUserCreate(
            acs_system_id=system.acs_system_id,
            full_name="Sched Person",
            access_schedule=AccessSchedule(starts_at=start),
        )
    )
    created = last(audit_log, "create_acs_user")
    assert created.names[user.acs_user_id] == "Sched Person"
    assert created.names[system.acs_system_id] == system.name
    end = datetime(2099, 6, 30, 23, 59, 59, tzinfo=UTC)
    await service.update_acs_user(
        AcsUserUpdate(
            acs_user_id=user.acs_user_id,
            full_name="Sched Person",
            access_schedule=AccessSchedule(starts_at=start, ends_at=end),
        )
    )
    entry = last(audit_log, "update_acs_user")
    assert entry.names[user.acs_user_id] == "Sched Person"
    # The start is the same however the API and the form write it: only the end changed.
    assert entry.changes == {
        "ends_at": FieldChange(before=None, after="2099-06-30T23:59:59+00:00"),
    }


async def test_suspend_unsuspend_and_delete_name_the_acs_user(
    service: SeamService, audit_log: AuditLog
) -> None:
    system = await a_system(service)
    user = await service.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name="Suspend Me")
    )
    target = AcsUserTarget(acs_user_id=user.acs_user_id)
    await service.set_acs_user_suspended(target, True)
    suspended = last(audit_log, "suspend_acs_user")
    assert suspended.names[user.acs_user_id] == "Suspend Me"
    assert suspended.changes == {"is_suspended": FieldChange(before="no", after="yes")}
    now = await service.get_acs_user(target)
    await service.set_acs_user_suspended(target, False, current=now)
    unsuspended = last(audit_log, "unsuspend_acs_user")
    assert unsuspended.names[user.acs_user_id] == "Suspend Me"
    assert unsuspended.changes == {"is_suspended": FieldChange(before="yes", after="no")}
    await service.delete_acs_user(target)
    deleted = last(audit_log, "delete_acs_user")
    assert deleted.names == {user.acs_user_id: "Suspend Me", system.acs_system_id: system.name}


async def test_link_unlink_and_deleting_an_identity_name_everyone_involved(
    service: SeamService, audit_log: AuditLog
) -> None:
    system = await a_system(service)
    person = (await service.create_identity(UserIdentityCreate(full_name="Link Owner"))).identity
    user = await service.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name="Link Target")
    )
    link = LinkAcsUser(user_identity_id=person.user_identity_id, acs_user_id=user.acs_user_id)
    await service.link_acs_user(link)
    linked = last(audit_log, "link_acs_user")
    assert linked.names[person.user_identity_id] == "Link Owner"
    assert linked.names[user.acs_user_id] == "Link Target"
    # A change to a linked ACS user names the person and the system too (Enter opens them).
    await service.set_acs_user_suspended(AcsUserTarget(acs_user_id=user.acs_user_id), True)
    suspended = last(audit_log, "suspend_acs_user")
    assert suspended.ids == {
        "acs_user_id": user.acs_user_id,
        "user_identity_id": person.user_identity_id,
        "acs_system_id": system.acs_system_id,
    }
    assert suspended.names[person.user_identity_id] == "Link Owner"
    await service.unlink_acs_user(link)
    unlinked = last(audit_log, "unlink_acs_user")
    assert unlinked.names[user.acs_user_id] == "Link Target"
    assert unlinked.names[person.user_identity_id] == "Link Owner"

    created = await service.create_identity(
        UserIdentityCreate(full_name="Gone Soon", acs_system_ids=[system.acs_system_id])
    )
    [outcome] = created.outcomes
    await service.delete_identity(created.identity.user_identity_id)
    deleted = last(audit_log, "delete_user_identity")
    assert deleted.names[created.identity.user_identity_id] == "Gone Soon"
    assert outcome.acs_user_id is not None
    assert deleted.names[outcome.acs_user_id] == "Gone Soon"  # the ACS user it made


async def test_a_multi_step_creation_names_the_identity_on_its_own_line(
    service: SeamService, audit_log: AuditLog
) -> None:
    system = await a_system(service)
    created = await service.create_identity(
        UserIdentityCreate(full_name="Many Steps", acs_system_ids=[system.acs_system_id])
    )
    identity_id = created.identity.user_identity_id
    entries = audit_log.recent()
    parent = next(e for e in entries if e.operation == "create_user_identity" and not e.parent_id)
    assert parent.ids == {"user_identity_id": identity_id}
    assert parent.names == {identity_id: "Many Steps"}
    step = next(e for e in entries if e.operation == "create_acs_user")
    assert step.parent_id == parent.change_id
    assert "Many Steps" in step.names.values()
    assert step.names[system.acs_system_id] == system.name


async def test_an_update_whose_object_cannot_be_read_still_says_what_was_asked(
    service: SeamService, audit_log: AuditLog
) -> None:
    with pytest.raises(SeamError):
        await service.update_identity(
            UserIdentityUpdate(user_identity_id="no-such-identity", full_name="Nobody")
        )
    entry = last(audit_log, "update_user_identity")
    assert entry.outcome == "error"
    assert entry.names == {}
    assert entry.changes == {"full_name": FieldChange(after="Nobody", before_unknown=True)}


async def test_a_read_only_refusal_reads_nothing_first_and_records_the_refusal(
    service: SeamService, audit_log: AuditLog
) -> None:
    person = (await service.create_identity(UserIdentityCreate(full_name="Kept As Is"))).identity
    service.read_only = True
    with pytest.raises(SeamReadOnlyError):
        await service.update_identity(
            UserIdentityUpdate(user_identity_id=person.user_identity_id, full_name="Changed")
        )
    refused = [e for e in audit_log.recent() if e.outcome == "refused"]
    assert [e.operation for e in refused] == ["update_user_identity"]  # once, not twice
    assert (await service.get_identity(person.user_identity_id)).full_name == "Kept As Is"


async def test_names_are_capped_and_lines_hold_no_secret(
    service: SeamService, audit_log: AuditLog, workspace: SandboxWorkspace
) -> None:
    hostile = "Osc \x1b]52;c;cHduZWQ=\x07 Name"
    person = (await service.create_identity(UserIdentityCreate(full_name=hostile))).identity
    await service.update_identity(
        UserIdentityUpdate(user_identity_id=person.user_identity_id, full_name="Short")
    )
    key = await service.access.generate_instant_key(
        InstantKeyRequest(user_identity_id=person.user_identity_id, max_use_count=1)
    )
    entry = last(audit_log, "update_user_identity")
    assert entry.names[person.user_identity_id] == hostile  # kept as it is, shown literally
    raw = audit_log.path.read_text()
    assert workspace.api_key not in raw
    assert key.instant_key_url not in raw
    assert "\x1b" not in raw  # JSON escapes it

    # Another program's object may have a longer name than our inputs allow: it is capped.
    long = "N" * 5000
    audit_log.record(
        front_end="mcp",
        workspace="w",
        operation="update_user_identity",
        ids={"user_identity_id": "id-1"},
        outcome="ok",
        names={"id-1": long},
        changes={"full_name": FieldChange(before=long, after="x")},
    )
    capped = last(audit_log, "update_user_identity")
    assert len(capped.names["id-1"]) == MAX_VALUE_CHARS
    assert capped.names["id-1"].endswith("…")
    assert len(capped.changes["full_name"].before or "") == MAX_VALUE_CHARS


async def test_old_lines_without_names_or_changes_still_read(audit_log: AuditLog) -> None:
    old = {
        "time": "2025-01-02T03:04:05Z",
        "front_end": "tui",
        "workspace": "sandbox",
        "operation": "suspend_acs_user",
        "ids": {"acs_user_id": "acs-1"},
        "outcome": "ok",
        "change_id": "c1",
    }
    audit_log.path.parent.mkdir(parents=True, exist_ok=True)
    audit_log.path.write_text(json.dumps(old) + "\n")
    audit_log.record(
        front_end="mcp", workspace="w", operation="x", ids={}, outcome="ok", names={"a": None}
    )
    [new, read] = audit_log.recent()
    assert (read.names, read.changes, read.ids) == ({}, {}, {"acs_user_id": "acs-1"})
    assert audit_log.skipped_lines == 0
    assert new.names == {}  # an empty name is left out
    assert "names" not in audit_log.path.read_text().splitlines()[-1]  # nor written at all


async def test_device_grants_and_group_changes_name_the_device_and_the_group(
    service: SeamService, audit_log: AuditLog
) -> None:
    identity = (await service.search_identities("Ethan Brooks", limit=1)).items[0]  # no grants
    before = await service.access.person_access(identity.user_identity_id)
    assert before.devices == []
    device = (await service.access.list_devices()).items[0]
    await service.access.grant_device(
        DeviceGrant(user_identity_id=identity.user_identity_id, device_id=device.device_id)
    )
    granted = last(audit_log, "grant_access_to_device")
    assert granted.names[device.device_id] == device.display_name

    marcus = (await service.search_identities("Marcus Chen", limit=1)).items[0]
    user = (await service.get_identity_detail(marcus.user_identity_id)).acs_users[0]
    groups = await service.list_access_groups(user.acs_system_id)
    mine = {
        g.acs_access_group_id for g in await service.list_acs_user_access_groups(user.acs_user_id)
    }
    group = next(g for g in groups if g.acs_access_group_id not in mine)
    await service.access.set_group_membership(
        group.acs_access_group_id, user.acs_user_id, member=True
    )
    added = last(audit_log, "add_acs_user_to_access_group")
    assert added.names[group.acs_access_group_id] == (group.display_name or group.name)
