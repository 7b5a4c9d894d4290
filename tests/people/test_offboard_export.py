"""Offboarding (planned, then applied, then nothing left to do) and the streaming export that
imports back as "nothing to do"."""

from __future__ import annotations

import csv
import io
import json

from seam_tui.core.people import apply_import, plan_import, read_people_text
from seam_tui.core.people.export import export_people
from seam_tui.core.people.offboard import plan_offboard
from seam_tui.core.service import SeamService


async def test_suspend_takes_every_access_away_then_there_is_nothing_left(
    service: SeamService,
) -> None:
    client = service.client
    jane = await client.user_identities.get(user_identity_key="acme-1001")
    text = "email_address\njane.doe@example.com\nnobody@example.com\n"
    plan = await plan_offboard(service, read_people_text(text, "leavers.csv"), "x", "suspend")
    first, missing = plan.rows
    kinds = [s.kind for s in first.steps]
    assert first.action == "offboard"
    assert first.user_identity_id == jane.user_identity_id
    assert kinds.count("suspend_acs_user") == 2
    assert "remove_from_access_group" in kinds
    assert "revoke_device" in kinds
    assert missing.action == "invalid"
    assert 'no identity in workspace "' in str(missing.problems[0])

    report = await apply_import(service, plan, skip_invalid=True)
    assert report.counts["done"] == 1
    assert report.counts["skipped"] == 1
    assert not report.failed
    users = await client.user_identities.list_acs_users(user_identity_id=jane.user_identity_id)
    assert users
    assert all(u.is_suspended for u in users)
    for user in users:
        assert await client.acs.access_groups.list(acs_user_id=user.acs_user_id) == []
    devices = await client.user_identities.list_accessible_devices(
        user_identity_id=jane.user_identity_id
    )
    assert devices == []
    again = await plan_offboard(service, read_people_text(text, "x.csv"), "x", "suspend")
    assert again.rows[0].action == "nothing"


async def test_delete_removes_the_identity_and_its_acs_users(service: SeamService) -> None:
    client = service.client
    marcus = await client.user_identities.get(user_identity_key="acme-1002")
    text = f"user_identity_id\n{marcus.user_identity_id}\n"
    plan = await plan_offboard(service, read_people_text(text, "x.csv"), "x", "delete")
    assert [s.kind for s in plan.rows[0].steps][-1] == "delete_identity"
    report = await apply_import(service, plan)
    assert report.counts["done"] == 1
    again = await plan_offboard(service, read_people_text(text, "x.csv"), "x", "delete")
    assert again.rows[0].action in ("invalid", "conflict")  # gone, or still being deleted


async def test_an_export_round_trips_to_nothing_to_do(service: SeamService) -> None:
    systems = list((await service.systems_by_id()).values())
    text = "full_name,email_address,user_identity_key,acs_system_ids\n" + "".join(
        f"E {i},e{i}@example.com,e-{i},{systems[i % 2].acs_system_id}\n" for i in range(5)
    )
    await apply_import(service, await plan_import(service, read_people_text(text), "in.csv"))

    out = io.StringIO()
    count = await export_people(service, out, "csv")
    exported = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(exported) >= 5
    mine = {r["user_identity_key"]: r for r in exported if r["user_identity_key"].startswith("e-")}
    assert mine["e-3"]["email_address"] == "e3@example.com"
    assert mine["e-3"]["acs_system_ids"] == systems[1].acs_system_id
    assert len(mine["e-3"]["acs_user_ids"].split()) == 1

    back = await plan_import(service, read_people_text(out.getvalue(), "out.csv"), "out.csv")
    assert back.problems() == []
    assert back.counts()["nothing"] == count

    lines = io.StringIO()
    assert await export_people(service, lines, "jsonl") == count
    first = json.loads(lines.getvalue().splitlines()[0])
    assert isinstance(first["acs_system_ids"], list)
    assert "user_identity_id" in first
