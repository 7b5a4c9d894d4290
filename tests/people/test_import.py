"""Plan and apply an import through the real client and the sandbox: matching, conflicts,
a re-run that does nothing, a resumed run that duplicates nothing, 429s, and the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from seam_tui.core import SeamClient
from seam_tui.core.audit import AuditLog
from seam_tui.core.people import (
    ImportPlan,
    PlanNotReady,
    apply_import,
    plan_import,
    read_people_text,
    read_results,
)
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.faults import FaultConfig

TOWER = "Acme Tower"
HQ = "Acme HQ Offices"
HEADER = (
    "full_name,email_address,phone_number,user_identity_key,acs_system_ids,acs_access_group_ids"
)


async def system_ids(service: SeamService) -> dict[str, str]:
    return {s.name: s.acs_system_id for s in (await service.systems_by_id()).values()}


async def plan_text(service: SeamService, text: str) -> ImportPlan:
    return await plan_import(service, read_people_text(text, "people.csv"), "people.csv")


async def identities_with(client: SeamClient, email: str) -> int:
    page = await client.user_identities.list(search=email, limit=50)
    return sum(1 for i in page.items if (i.email_address or "").casefold() == email.casefold())


async def test_each_row_is_matched_to_what_exists(service: SeamService) -> None:
    ids = await system_ids(service)
    group = next(
        g
        for g in await service.client.acs.access_groups.list(acs_system_id=ids[TOWER])
        if g.name == "Gym & Pool"
    )
    text = "\n".join(
        [
            HEADER,
            f"New Person,new.person@example.com,,new-1,{ids[TOWER]},{group.acs_access_group_id}",
            f"Alex Moore,alex.moore@example.org,,,{ids[TOWER]},",  # unlinked ACS user there
            f",marcus.chen@example.com,,,{ids[HQ]},",  # exists; unlinked ACS user in HQ
            "Jane Doe,jane.doe@example.com,,acme-1001,,",  # exists as is
            "Jane Renamed,,,acme-1001x,,",  # matches nobody: a new person
            ",priya.patel@example.com,,acme-1002,,",  # key is Marcus's, email is Priya's
            "Nameless,,,,,",
        ]
    )
    plan = await plan_text(service, text + "\n")
    actions = [(r.person.row, r.action) for r in plan.rows]
    assert actions == [
        (2, "create"),
        (3, "create"),
        (4, "link"),
        (5, "nothing"),
        (6, "create"),
        (7, "conflict"),
        (8, "invalid"),
    ]
    new, alex, marcus = plan.rows[0], plan.rows[1], plan.rows[2]
    assert [s.kind for s in new.steps] == ["create_identity", "create_acs_user"]
    assert '"Gym & Pool"' in new.steps[1].text
    assert [s.kind for s in alex.steps] == ["create_identity", "link_acs_user"]
    assert "same email address" in alex.steps[1].text
    assert marcus.matched_on == "email_address"
    assert "belongs to identity" in str(plan.rows[5].problems[0])
    assert "needs user_identity_key, email_address or phone_number" in str(plan.rows[6].problems[0])
    with pytest.raises(PlanNotReady, match="2 row"):
        plan.to_apply()


async def test_repeats_within_the_file_and_other_workspaces_systems_are_refused(
    service: SeamService, sandbox: Sandbox
) -> None:
    other = sandbox.workspaces()[1]
    async with SeamClient(
        api_key=other.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
    ) as elsewhere:
        foreign = (await elsewhere.acs.systems.list())[0].acs_system_id
    text = "\n".join(
        [
            HEADER,
            "Ann,ann@example.com,,ann,,",
            "Ann,ann@example.com,,ann,,",  # the same row again
            "Ann B,ann.b@example.com,,ann,,",  # the same key, another email
            f"Cat,cat@example.com,,,{foreign},",
        ]
    )
    plan = await plan_text(service, text + "\n")
    problems = [str(r.problems[0]) if r.problems else "" for r in plan.rows]
    assert problems[1] == "row 3, user_identity_key: repeats row 2; delete one of them"
    assert problems[2].startswith('row 4, user_identity_key: "ann" is also in row 2 ("Ann")')
    assert problems[3].startswith(f'row 5, acs_system_ids: "{foreign}" is not an ACS system')
    assert [r.action for r in plan.rows] == ["create", "invalid", "invalid", "invalid"]


async def test_apply_then_again_does_nothing_new_and_audits_each_row(
    service: SeamService, audit_log: AuditLog, tmp_path: Path
) -> None:
    ids = await system_ids(service)
    text = (
        HEADER
        + "\n"
        + "".join(f"P {i},p{i}@example.com,,p-{i},{ids[TOWER]} {ids[HQ]},\n" for i in range(12))
    )
    result_path = tmp_path / "result.jsonl"
    seen: list[int] = []
    plan = await plan_text(service, text)
    report = await apply_import(
        service, plan, result_path=result_path, on_row=lambda r, done, total: seen.append(done)
    )
    assert report.counts["created"] == 12
    assert not report.failed
    assert seen == list(range(1, 13))
    results = read_results(result_path)
    assert sorted(results) == list(range(2, 14))
    assert all(len(r["acs_user_ids"]) == 2 and r["status"] == "created" for r in results.values())

    again = await plan_text(service, text)
    assert again.counts()["nothing"] == 12
    second = await apply_import(service, again, result_path=result_path)
    assert second.summary() == "nothing new to do: all 12 row(s) already match"

    entries = audit_log.recent(500)
    runs = [e for e in entries if e.operation == "import_people"]
    rows = [e for e in entries if e.operation == "import_person"]
    assert len(runs) == 1
    assert runs[0].outcome == "ok"
    assert len(rows) == 12
    assert all(e.parent_id == runs[0].change_id for e in rows)
    assert all(e.outcome == "ok" for e in rows)
    # Each row's line names its person (Activity shows and finds them by name).
    assert all(e.names.get(e.ids["user_identity_id"]) for e in rows)


async def test_a_stale_plan_never_makes_a_person_twice(service: SeamService) -> None:
    """A row whose identity appeared after planning (a run killed after creating it) is
    planned again when the API refuses the second one, and finished."""
    ids = await system_ids(service)
    text = f"{HEADER}\nRita,rita@example.com,,rita,{ids[TOWER]},\n"
    plan = await plan_text(service, text)
    assert plan.rows[0].action == "create"
    await service.client.user_identities.create(
        full_name="Rita", email_address="rita@example.com", user_identity_key="rita"
    )
    report = await apply_import(service, plan)
    assert not report.failed
    assert await identities_with(service.client, "rita@example.com") == 1
    rita = await service.client.user_identities.get(user_identity_key="rita")
    users = await service.client.user_identities.list_acs_users(
        user_identity_id=rita.user_identity_id
    )
    assert [u.acs_system_id for u in users] == [ids[TOWER]]


async def test_429s_are_waited_out_and_nothing_is_lost_or_doubled(
    service: SeamService, sandbox: Sandbox
) -> None:
    ids = await system_ids(service)
    text = (
        HEADER + "\n" + "".join(f"Q {i},q{i}@example.com,,q-{i},{ids[TOWER]},\n" for i in range(20))
    )
    plan = await plan_text(service, text)
    sandbox.faults = FaultConfig(rate=0.5, kinds=frozenset({"429"}), retry_after_s=0.01, seed=7)
    report = await apply_import(service, plan, concurrency=4)
    sandbox.faults = FaultConfig()
    assert report.counts["created"] == 20
    assert not report.failed
    again = await plan_text(service, text)
    assert again.counts()["nothing"] == 20
    for i in (0, 19):
        assert await identities_with(service.client, f"q{i}@example.com") == 1


async def test_a_read_only_workspace_refuses_before_anything_is_sent(
    client: SeamClient, audit_log: AuditLog
) -> None:
    service = SeamService(
        client, workspace="ro", front_end="script", audit=audit_log, read_only=True
    )
    plan = await plan_text(service, f"{HEADER}\nZed,zed@example.com,,,,\n")
    with pytest.raises(Exception, match="read-only"):
        await apply_import(service, plan)
    assert await identities_with(client, "zed@example.com") == 0
