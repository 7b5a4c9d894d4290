"""The service's whole operations against the sandbox, with the audit log they leave."""

from __future__ import annotations

import json

import pytest

from seam_tui.core import (
    SeamClient,
    SeamConflictError,
    SeamReadOnlyError,
)
from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import (
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox, SandboxWorkspace


async def test_search_identities_pages(service: SeamService) -> None:
    first = await service.search_identities(limit=10)
    assert len(first.items) == 10
    assert first.has_next_page
    second = await service.search_identities(limit=10, cursor=first.next_page_cursor)
    assert not {i.user_identity_id for i in first.items} & {
        i.user_identity_id for i in second.items
    }
    name = first.items[0].full_name
    assert name
    found = await service.search_identities(name.split()[0])
    assert first.items[0].user_identity_id in [i.user_identity_id for i in found.items]


async def test_identity_detail_names_the_systems(service: SeamService) -> None:
    page = await service.search_identities(limit=100)
    linked = next(i for i in page.items if i.acs_user_ids)
    detail = await service.get_identity_detail(linked.user_identity_id)
    assert sorted(u.acs_user_id for u in detail.acs_users) == sorted(linked.acs_user_ids)
    for user in detail.acs_users:
        assert detail.system_name(user.acs_system_id) != user.acs_system_id


async def test_create_identity_with_acs_users_in_two_systems(service: SeamService) -> None:
    systems = list((await service.systems_by_id()).values())[:2]
    result = await service.create_identity(
        UserIdentityCreate(
            full_name="Katherine Johnson",
            email_address="katherine@example.com",
            phone_number="+1 555 555 0199",
            acs_system_ids=[s.acs_system_id for s in systems],
        )
    )
    assert result.complete
    assert [o.status for o in result.outcomes] == ["created", "created"]
    assert result.identity.phone_number == "+15555550199"
    detail = await service.get_identity_detail(result.identity.user_identity_id)
    assert {u.acs_system_id for u in detail.acs_users} == {s.acs_system_id for s in systems}
    assert all(u.email_address == "katherine@example.com" for u in detail.acs_users)
    found = await service.search_identities("katherine")
    assert [i.user_identity_id for i in found.items] == [result.identity.user_identity_id]


async def test_create_identity_links_a_matching_unlinked_acs_user(service: SeamService) -> None:
    system = next(iter((await service.systems_by_id()).values()))
    existing = await service.create_acs_user(
        AcsUserCreate(
            acs_system_id=system.acs_system_id,
            full_name="Dorothy V",
            email_address="dorothy@example.com",
        )
    )
    result = await service.create_identity(
        UserIdentityCreate(
            full_name="Dorothy Vaughan",
            email_address="dorothy@example.com",
            acs_system_ids=[system.acs_system_id],
        )
    )
    assert [(o.status, o.acs_user_id) for o in result.outcomes] == [
        ("linked", existing.acs_user_id)
    ]


async def test_an_unknown_system_refuses_the_whole_creation(
    service: SeamService, sandbox: Sandbox
) -> None:
    good = next(iter((await service.systems_by_id()).values()))
    before = (sandbox.count("user_identities"), sandbox.count("acs_users"))
    with pytest.raises(SeamConflictError) as info:
        await service.create_identity(
            UserIdentityCreate(
                full_name="Partial Person",
                acs_system_ids=["no-such-system", good.acs_system_id],
            )
        )
    assert list(info.value.field_errors) == ["acs_system_ids"]
    assert (sandbox.count("user_identities"), sandbox.count("acs_users")) == before


async def test_duplicate_email_names_the_holder(service: SeamService) -> None:
    holder = (
        await service.create_identity(
            UserIdentityCreate(full_name="First Holder", email_address="taken@example.com")
        )
    ).identity
    with pytest.raises(SeamConflictError) as info:
        await service.create_identity(
            UserIdentityCreate(full_name="Second", email_address="taken@example.com")
        )
    assert list(info.value.field_errors) == ["email_address"]
    assert holder.user_identity_id in info.value.message
    assert "First Holder" in info.value.message


async def test_update_identity_and_clear_a_field(service: SeamService) -> None:
    identity = (
        await service.create_identity(
            UserIdentityCreate(full_name="Mary J", phone_number="+15555550123")
        )
    ).identity
    updated = await service.update_identity(
        UserIdentityUpdate(
            user_identity_id=identity.user_identity_id, full_name="Mary Jackson", phone_number=None
        )
    )
    assert updated.full_name == "Mary Jackson"
    assert updated.phone_number is None


async def test_link_suggest_unlink(service: SeamService) -> None:
    system = next(iter((await service.systems_by_id()).values()))
    acs_user = await service.create_acs_user(
        AcsUserCreate(
            acs_system_id=system.acs_system_id,
            full_name="Alan T",
            phone_number="+15555550142",
        )
    )
    identity = (
        await service.create_identity(
            UserIdentityCreate(full_name="Alan Turing", phone_number="+15555550142")
        )
    ).identity
    suggestions = await service.suggest_acs_user_links(identity.user_identity_id)
    assert [(s.acs_user.acs_user_id, s.matched_on) for s in suggestions] == [
        (acs_user.acs_user_id, ["phone_number"])
    ]
    assert suggestions[0].system_name == system.name

    link = LinkAcsUser(user_identity_id=identity.user_identity_id, acs_user_id=acs_user.acs_user_id)
    linked = await service.link_acs_user(link)
    assert linked.user_identity_id == identity.user_identity_id
    assert await service.suggest_acs_user_links(identity.user_identity_id) == []
    assert (await service.link_acs_user(link)).user_identity_id == identity.user_identity_id

    other = (await service.create_identity(UserIdentityCreate(full_name="Someone Else"))).identity
    with pytest.raises(SeamConflictError, match="already linked to identity Alan Turing"):
        await service.link_acs_user(
            LinkAcsUser(user_identity_id=other.user_identity_id, acs_user_id=acs_user.acs_user_id)
        )

    unlinked = await service.unlink_acs_user(link)
    assert unlinked.user_identity_id is None


async def test_suggestions_in_seed_data(service: SeamService) -> None:
    page = await service.search_identities(limit=100)
    counts = [len(await service.suggest_acs_user_links(i.user_identity_id)) for i in page.items]
    assert sum(counts) >= 2


async def test_acs_user_filters(service: SeamService) -> None:
    for status, check in (
        ("linked", lambda u: u.user_identity_id is not None),
        ("unlinked", lambda u: u.user_identity_id is None),
        ("suspended", lambda u: u.is_suspended is True),
    ):
        page = await service.list_acs_users(status=status, limit=100)  # type: ignore[arg-type]
        assert page.items, status
        assert all(check(u) for u in page.items), status


async def test_acs_user_changes(service: SeamService) -> None:
    system = next(iter((await service.systems_by_id()).values()))
    user = await service.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name="Change Me")
    )
    target = AcsUserTarget(acs_user_id=user.acs_user_id)
    updated = await service.update_acs_user(
        AcsUserUpdate(acs_user_id=user.acs_user_id, full_name="Changed", email_address="c@x.io")
    )
    assert (updated.full_name, updated.email_address) == ("Changed", "c@x.io")
    assert (await service.set_acs_user_suspended(target, True)).is_suspended is True
    assert (await service.set_acs_user_suspended(target, False)).is_suspended is False
    deleted = await service.delete_acs_user(target)
    assert deleted.acs_user_id == user.acs_user_id
    # A deletion may settle later (listed, `deleting`, meanwhile): wait until it is gone.
    assert (await service.wait_until_settled("acs_user", user.acs_user_id, timeout=15)).gone
    page = await service.list_acs_users(search="Changed")
    assert user.acs_user_id not in [u.acs_user_id for u in page.items]


async def test_delete_identity_removes_its_acs_users(
    service: SeamService, sandbox: Sandbox
) -> None:
    systems = list((await service.systems_by_id()).values())[:2]
    created = await service.create_identity(
        UserIdentityCreate(full_name="Gone Soon", acs_system_ids=[s.acs_system_id for s in systems])
    )
    before = sandbox.count("acs_users")
    plan = await service.plan_identity_deletion(created.identity.user_identity_id)
    assert len(plan.acs_users) == 2
    await service.delete_identity(created.identity.user_identity_id)
    for user in plan.acs_users:  # deletions may settle later: wait until they are gone
        assert (await service.wait_until_settled("acs_user", user.acs_user_id, timeout=15)).gone
    assert sandbox.count("acs_users") == before - 2


async def test_system_counts_match_listing(service: SeamService, client: SeamClient) -> None:
    for summary in await service.list_systems():
        listed = [
            u async for u in client.acs.users.iterate(acs_system_id=summary.system.acs_system_id)
        ]
        assert summary.acs_user_count == len(listed)


async def test_read_only_refuses_every_write(
    client: SeamClient, sandbox: Sandbox, workspace: SandboxWorkspace, audit_log: AuditLog
) -> None:
    service = SeamService(
        client, workspace=workspace.name, front_end="tui", audit=audit_log, read_only=True
    )
    page = await service.search_identities(limit=1)
    identity = page.items[0]
    system_id = next(iter(await service.systems_by_id()))
    counts = (sandbox.count("user_identities"), sandbox.count("acs_users"))
    target = AcsUserTarget(acs_user_id="any")
    writes = [
        service.create_identity(UserIdentityCreate(full_name="Nope")),
        service.update_identity(
            UserIdentityUpdate(user_identity_id=identity.user_identity_id, full_name="Nope")
        ),
        service.delete_identity(identity.user_identity_id),
        service.link_acs_user(LinkAcsUser(user_identity_id="a", acs_user_id="b")),
        service.unlink_acs_user(LinkAcsUser(user_identity_id="a", acs_user_id="b")),
        service.create_acs_user(AcsUserCreate(acs_system_id=system_id, full_name="Nope")),
        service.update_acs_user(AcsUserUpdate(acs_user_id="any", full_name="Nope")),
        service.set_acs_user_suspended(target, True),
        service.delete_acs_user(target),
        service.create_identity(UserIdentityCreate(full_name="Nope", acs_system_ids=[system_id])),
    ]
    for write in writes:
        with pytest.raises(SeamReadOnlyError, match="read-only"):
            await write
    assert (sandbox.count("user_identities"), sandbox.count("acs_users")) == counts


async def test_audit_log_records_changes_without_secrets(
    service: SeamService, audit_log: AuditLog, workspace: SandboxWorkspace
) -> None:
    created = await service.create_identity(UserIdentityCreate(full_name="Audited"))
    await service.create_identity(UserIdentityCreate(user_identity_key="k1"))
    with pytest.raises(SeamConflictError):
        await service.create_identity(UserIdentityCreate(user_identity_key="k1"))
    entries = audit_log.recent()
    assert [e.operation for e in entries[:3]] == [
        "create_user_identity",
        "create_user_identity",
        "create_user_identity",
    ]
    assert entries[0].outcome == "refused"  # the key is taken: refused before anything is sent
    assert entries[-1].ids["user_identity_id"] == created.identity.user_identity_id
    assert {e.front_end for e in entries} == {"script"}
    assert {e.workspace for e in entries} == {workspace.name}
    raw = audit_log.path.read_text()
    assert workspace.api_key not in raw
    for line in raw.splitlines():
        assert set(json.loads(line)) >= {"time", "front_end", "workspace", "operation", "outcome"}
