"""`/acs/users/*`, `/acs/systems/*` and `/acs/access_groups/*`."""

from __future__ import annotations

from typing import Any

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for
from tests.sandbox.test_identities import MISSING_ID, call, systems


async def groups_of(client: httpx.AsyncClient, acs_system_id: str) -> list[dict[str, Any]]:
    body = await call(client, "/acs/access_groups/list", acs_system_id=acs_system_id)
    groups: list[dict[str, Any]] = body["acs_access_groups"]
    return groups


async def test_create_user_with_defaults_and_groups(client: httpx.AsyncClient) -> None:
    brivo = (await systems(client))["Acme HQ Offices"]
    group = (await groups_of(client, brivo["acs_system_id"]))[0]
    user = (
        await call(
            client,
            "/acs/users/create",
            acs_system_id=brivo["acs_system_id"],
            full_name="Temp Worker",
            email_address="temp@example.net",
            acs_access_group_ids=[group["acs_access_group_id"]],
            access_schedule={"ends_at": "2033-01-01T00:00:00Z"},
        )
    )["acs_user"]
    assert user["display_name"] == "Temp Worker"
    assert user["external_type"] == "brivo_user"
    assert user["external_type_display_name"] == "Brivo user"
    assert user["is_managed"] is True
    assert user["is_suspended"] is False
    assert user["connected_account_id"] == brivo["connected_account_id"]
    assert user["access_schedule"]["ends_at"] == "2033-01-01T00:00:00.000Z"
    assert user["access_schedule"]["starts_at"] <= user["created_at"]
    assert "user_identity_id" not in user
    members = (
        await call(
            client,
            "/acs/access_groups/list_users",
            acs_access_group_id=group["acs_access_group_id"],
        )
    )["acs_users"]
    assert user["acs_user_id"] in [member["acs_user_id"] for member in members]


async def test_create_user_schedule_rules(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    salto = (await systems(client))["Acme Tower"]
    before = sandbox.count("acs_users")
    for schedule, message in (
        (
            {"starts_at": "2031-01-01T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"},
            "ends_at must be after starts_at",
        ),
        ({"ends_at": "2020-01-01T00:00:00Z"}, "ends_at must be after starts_at"),
        (
            {"starts_at": "2019-01-01T00:00:00Z", "ends_at": "2020-01-01T00:00:00Z"},
            "ends_at must be in the future",
        ),
        ({"starts_at": "not a date"}, "Invalid datetime"),
    ):
        response = await client.post(
            "/acs/users/create",
            json={
                "acs_system_id": salto["acs_system_id"],
                "full_name": "X",
                "access_schedule": schedule,
            },
        )
        assert response.status_code == 400
        tree = response.json()["error"]["validation_errors"]
        assert message in str(tree["access_schedule"])
    assert sandbox.count("acs_users") == before


async def test_create_user_linked_to_identity(client: httpx.AsyncClient) -> None:
    by_name = await systems(client)
    zara = (await call(client, "/user_identities/list", search="Zara"))["user_identities"][0]
    user = (
        await call(
            client,
            "/acs/users/create",
            acs_system_id=by_name["Harbor Lofts"]["acs_system_id"],
            full_name="Zara Ahmed",
            phone_number=zara["phone_number"],
            user_identity_id=zara["user_identity_id"],
        )
    )["acs_user"]
    assert user["user_identity_id"] == zara["user_identity_id"]
    assert user["user_identity_email_address"] is None
    again = await client.post(
        "/acs/users/create",
        json={
            "acs_system_id": by_name["Harbor Lofts"]["acs_system_id"],
            "full_name": "Zara again",
            "user_identity_id": zara["user_identity_id"],
        },
    )
    assert again.status_code == 409
    missing = await client.post(
        "/acs/users/create",
        json={"acs_system_id": MISSING_ID, "full_name": "Nobody"},
    )
    assert missing.json()["error"]["type"] == "acs_system_not_found"


async def test_get_by_identity_and_system(client: httpx.AsyncClient) -> None:
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    salto = (await systems(client))["Acme Tower"]
    user = (
        await call(
            client,
            "/acs/users/get",
            user_identity_id=jane["user_identity_id"],
            acs_system_id=salto["acs_system_id"],
        )
    )["acs_user"]
    assert user["acs_user_id"] in jane["acs_user_ids"]
    assert user["salto_ks_metadata"] == {"is_subscribed": True}
    half = await client.get("/acs/users/get", params={"user_identity_id": jane["user_identity_id"]})
    assert half.status_code == 400
    assert half.json()["error"]["type"] == "invalid_input"


async def test_update_schedule_and_profile(client: httpx.AsyncClient) -> None:
    user = (await call(client, "/acs/users/list", search="Front Desk"))["acs_users"][0]
    acs_user_id = user["acs_user_id"]
    schedule = {"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2034-01-01T00:00:00Z"}
    response = await client.patch(
        "/acs/users/update",
        json={"acs_user_id": acs_user_id, "access_schedule": schedule, "full_name": "Desk"},
    )
    assert response.json() == {"ok": True}
    got = (await call(client, "/acs/users/get", acs_user_id=acs_user_id))["acs_user"]
    assert got["full_name"] == "Desk"
    assert got["access_schedule"] == {
        "starts_at": "2026-01-01T00:00:00.000Z",
        "ends_at": "2034-01-01T00:00:00.000Z",
    }
    # On update the schedule needs both ends; null removes it.
    partial = await client.patch(
        "/acs/users/update",
        json={"acs_user_id": acs_user_id, "access_schedule": {"starts_at": "2026-01-01T00:00:00Z"}},
    )
    assert partial.status_code == 400
    assert partial.json()["error"]["validation_errors"]["access_schedule"]["ends_at"] == {
        "_errors": ["Required"]
    }
    await call(client, "/acs/users/update", acs_user_id=acs_user_id, access_schedule=None)
    got = (await call(client, "/acs/users/get", acs_user_id=acs_user_id))["acs_user"]
    assert "access_schedule" not in got


async def test_suspend_unsuspend_and_delete(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    user = (await call(client, "/acs/users/list", search="Package Room"))["acs_users"][0]
    target = {"acs_user_id": user["acs_user_id"]}
    not_allowed = await client.patch("/acs/users/suspend", json=target)
    assert not_allowed.status_code == 405
    assert not_allowed.json()["error"]["type"] == "method_not_allowed"
    await call(client, "/acs/users/suspend", **target)
    assert (await call(client, "/acs/users/get", **target))["acs_user"]["is_suspended"] is True
    await call(client, "/acs/users/unsuspend", **target)
    assert (await call(client, "/acs/users/get", **target))["acs_user"]["is_suspended"] is False
    before = sandbox.count("acs_users")
    deleted = await client.delete("/acs/users/delete", params=target)
    assert deleted.json() == {"ok": True}
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("acs_users") == before - 1
    again = await client.delete("/acs/users/delete", params=target)
    assert again.status_code == 404


async def test_list_users_filters(client: httpx.AsyncClient) -> None:
    by_name = await systems(client)
    everyone = (await call(client, "/acs/users/list"))["acs_users"]
    assert len(everyone) == 60
    kisi = by_name["Acme Warehouse"]
    in_kisi = (await call(client, "/acs/users/list", acs_system_id=kisi["acs_system_id"]))[
        "acs_users"
    ]
    assert len(in_kisi) == kisi["acs_user_count"] == 8
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    hers = (await call(client, "/acs/users/list", user_identity_id=jane["user_identity_id"]))[
        "acs_users"
    ]
    assert sorted(u["acs_user_id"] for u in hers) == sorted(jane["acs_user_ids"])
    by_phone = await client.get(
        "/acs/users/list", params={"user_identity_phone_number": jane["phone_number"]}
    )
    assert len(by_phone.json()["acs_users"]) == len(hers)
    # An empty query value means null: users whose identity has no phone.
    no_phone = await client.get("/acs/users/list?user_identity_phone_number=&_strict=true")
    users = no_phone.json()["acs_users"]
    assert users
    assert all("user_identity_id" in u and u["user_identity_phone_number"] is None for u in users)
    by_identity_name = (await call(client, "/acs/users/list", search="jane doe"))["acs_users"]
    assert {u["acs_user_id"] for u in by_identity_name} == set(jane["acs_user_ids"])


async def test_seeded_issues_are_visible(client: httpx.AsyncClient) -> None:
    users = (await call(client, "/acs/users/list"))["acs_users"]
    error_codes = {error["error_code"] for user in users for error in user["errors"]}
    warning_codes = {warning["warning_code"] for user in users for warning in user["warnings"]}
    mutations = {m["mutation_code"] for user in users for m in user["pending_mutations"]}
    assert "failed_to_update_on_acs_system" in error_codes
    assert {"acs_user_inactive", "latch_resident_user"} <= warning_codes
    assert "updating_user_information" in mutations
    assert any(user["is_suspended"] for user in users)
    unlinked = [user for user in users if "user_identity_id" not in user]
    identities = (await call(client, "/user_identities/list"))["user_identities"]
    emails = {i["email_address"].lower() for i in identities if i["email_address"]}
    phones = {i["phone_number"] for i in identities if i["phone_number"]}
    suggestions = [
        user
        for user in unlinked
        if (user.get("email_address") or "").lower() in emails or user.get("phone_number") in phones
    ]
    assert len(suggestions) >= 5


async def test_systems(client: httpx.AsyncClient) -> None:
    listed = (await call(client, "/acs/systems/list"))["acs_systems"]
    assert [s["external_type"] for s in listed] == [
        "salto_ks_site",
        "brivo_account",
        "latch_building",
        "kisi_organization",
    ]
    assert sum(s["acs_user_count"] for s in listed) == 60
    one = await call(client, "/acs/systems/get", acs_system_id=listed[0]["acs_system_id"])
    assert one["acs_system"] == listed[0]
    searched = (await call(client, "/acs/systems/list", search="harbor"))["acs_systems"]
    assert [s["name"] for s in searched] == ["Harbor Lofts"]
    missing = await client.get("/acs/systems/get", params={"acs_system_id": MISSING_ID})
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "acs_system_not_found"


async def test_access_groups(client: httpx.AsyncClient) -> None:
    salto = (await systems(client))["Acme Tower"]
    groups = await groups_of(client, salto["acs_system_id"])
    assert [g["name"] for g in groups] == ["Main Entrance", "Gym & Pool"]
    group = groups[1]
    assert group["external_type"] == "salto_ks_access_group"
    group_id = group["acs_access_group_id"]
    got = await call(client, "/acs/access_groups/get", acs_access_group_id=group_id)
    assert got["acs_access_group"] == group

    # Add by identity: Ethan has no Salto user but an unlinked one with his email exists.
    ethan = (await call(client, "/user_identities/list", search="Ethan"))["user_identities"][0]
    added = await client.put(
        "/acs/access_groups/add_user",
        json={"acs_access_group_id": group_id, "user_identity_id": ethan["user_identity_id"]},
    )
    assert added.json() == {"ok": True}
    ethan = (
        await call(client, "/user_identities/get", user_identity_id=ethan["user_identity_id"])
    )["user_identity"]
    assert len(ethan["acs_user_ids"]) == 1
    members = (await call(client, "/acs/access_groups/list_users", acs_access_group_id=group_id))[
        "acs_users"
    ]
    assert ethan["acs_user_ids"][0] in [m["acs_user_id"] for m in members]
    his_groups = (
        await call(client, "/acs/access_groups/list", user_identity_id=ethan["user_identity_id"])
    )["acs_access_groups"]
    assert [g["acs_access_group_id"] for g in his_groups] == [group_id]

    removed = await client.delete(
        "/acs/access_groups/remove_user",
        params={"acs_access_group_id": group_id, "user_identity_id": ethan["user_identity_id"]},
    )
    assert removed.json() == {"ok": True}
    members = (await call(client, "/acs/access_groups/list_users", acs_access_group_id=group_id))[
        "acs_users"
    ]
    assert ethan["acs_user_ids"][0] not in [m["acs_user_id"] for m in members]

    # The acs/users spelling of the same membership change.
    acs_user_id = ethan["acs_user_ids"][0]
    await call(
        client,
        "/acs/users/add_to_access_group",
        acs_user_id=acs_user_id,
        acs_access_group_id=group_id,
    )
    mine = (await call(client, "/acs/access_groups/list", acs_user_id=acs_user_id))[
        "acs_access_groups"
    ]
    assert [g["acs_access_group_id"] for g in mine] == [group_id]
    await client.delete(
        "/acs/users/remove_from_access_group",
        params={"acs_user_id": acs_user_id, "acs_access_group_id": group_id},
    )
    assert (await call(client, "/acs/access_groups/list", acs_user_id=acs_user_id))[
        "acs_access_groups"
    ] == []


async def test_group_and_user_must_share_a_system(client: httpx.AsyncClient) -> None:
    by_name = await systems(client)
    group = (await groups_of(client, by_name["Acme Tower"]["acs_system_id"]))[0]
    brivo_user = (
        await call(
            client, "/acs/users/list", acs_system_id=by_name["Acme HQ Offices"]["acs_system_id"]
        )
    )["acs_users"][0]
    response = await client.put(
        "/acs/users/add_to_access_group",
        json={
            "acs_user_id": brivo_user["acs_user_id"],
            "acs_access_group_id": group["acs_access_group_id"],
        },
    )
    assert response.status_code == 400
    missing = await client.get("/acs/access_groups/get", params={"acs_access_group_id": MISSING_ID})
    assert missing.json()["error"]["type"] == "acs_access_group_not_found"


async def test_workspaces_see_different_data(sandbox: Sandbox, globex: SandboxWorkspace) -> None:
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as http:
        names = [s["name"] for s in (await http.get("/acs/systems/list")).json()["acs_systems"]]
        people = (await http.get("/user_identities/list")).json()["user_identities"]
        acme_system = await http.get("/acs/users/list")
    assert names == ["Globex HQ", "Globex Annex"]
    assert "Hank Scorpio" in [p["full_name"] for p in people]
    assert all(u["workspace_id"] == globex.workspace_id for u in acme_system.json()["acs_users"])
