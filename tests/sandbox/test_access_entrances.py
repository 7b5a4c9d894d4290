"""`/acs/entrances/*` and the entrances reached by users, groups, credentials and identities."""

from __future__ import annotations

from typing import Any

import httpx

from seam_tui.sandbox import Sandbox
from tests.sandbox.conftest import client_for
from tests.sandbox.test_access_devices import error_of, identity_named
from tests.sandbox.test_identities import MISSING_ID, call, systems

ENTRANCE_KEYS = {
    "acs_system_id", "acs_entrance_id", "space_ids", "created_at", "display_name",
    "connected_account_id", "errors", "warnings",
}  # fmt: skip


def names(entrances: list[dict[str, Any]]) -> list[str]:
    return [entrance["display_name"] for entrance in entrances]


async def entrances(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await call(client, "/acs/entrances/list", **params))[
        "acs_entrances"
    ]
    return listed


async def acs_user_of(client: httpx.AsyncClient, person: str, system: str) -> dict[str, Any]:
    identity = await identity_named(client, person)
    system_id = (await systems(client))[system]["acs_system_id"]
    users = (
        await call(
            client,
            "/acs/users/list",
            user_identity_id=identity["user_identity_id"],
            acs_system_id=system_id,
        )
    )["acs_users"]
    user: dict[str, Any] = users[0]
    return user


async def test_entrances_per_system_with_states(client: httpx.AsyncClient) -> None:
    listed = await entrances(client)
    assert len(listed) == 15
    for entrance in listed:
        assert entrance.keys() >= ENTRANCE_KEYS
    by_system = await systems(client)
    counts = {
        name: len(await entrances(client, acs_system_id=system["acs_system_id"]))
        for name, system in by_system.items()
    }
    assert counts == {"Acme Tower": 5, "Acme HQ Offices": 4, "Harbor Lofts": 3, "Acme Warehouse": 3}
    by_name = {e["display_name"]: e for e in listed}
    assert by_name["Pool Gate"]["is_locked"] is False
    assert by_name["Main Lobby Door"]["is_locked"] is True
    assert by_name["Building Entrance"]["can_unlock_with_card"] is False
    assert by_name["Building Entrance"]["can_unlock_with_code"] is True
    assert by_name["Office Door"]["warnings"][0]["warning_code"] == "entrance_setup_required"
    tower = by_system["Acme Tower"]
    assert by_name["Gym"]["connected_account_id"] == tower["connected_account_id"]


async def test_list_filters_and_search(client: httpx.AsyncClient) -> None:
    listed = await entrances(client)
    picked = [listed[1]["acs_entrance_id"], listed[7]["acs_entrance_id"]]
    assert [
        e["acs_entrance_id"] for e in await entrances(client, acs_entrance_ids=picked)
    ] == picked
    assert names(await entrances(client, search="door")) == [
        "Main Lobby Door",
        "Warehouse Main Door",
        "Loading Dock Door",
        "Office Door",
    ]
    account = (await systems(client))["Harbor Lofts"]["connected_account_id"]
    assert len(await entrances(client, connected_account_id=account)) == 3
    credential = (await call(client, "/acs/credentials/list", search="Multi Phone"))[
        "acs_credentials"
    ][0]
    by_credential = await entrances(client, acs_credential_id=credential["acs_credential_id"])
    assert names(by_credential) == ["Main Lobby Door", "Rooftop Terrace"]


async def test_list_pages_default_and_limit(client: httpx.AsyncClient) -> None:
    first = await call(client, "/acs/entrances/list", limit=4)
    assert len(first["acs_entrances"]) == 4
    assert first["pagination"]["has_next_page"] is True
    rest = await client.get(first["pagination"]["next_page_url"])
    assert [e["acs_entrance_id"] for e in first["acs_entrances"] + rest.json()["acs_entrances"]][
        :8
    ] == [e["acs_entrance_id"] for e in (await entrances(client))[:8]]
    everything = await call(client, "/acs/entrances/list")
    assert everything["pagination"]["has_next_page"] is False
    zero = await error_of(await client.post("/acs/entrances/list", json={"limit": 0}), 400)
    assert "limit" in zero["validation_errors"]


async def test_get_and_not_found(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    entrance = (await entrances(client))[0]
    got = await client.get(
        "/acs/entrances/get", params={"acs_entrance_id": entrance["acs_entrance_id"]}
    )
    assert got.json()["acs_entrance"] == entrance
    missing = await client.get("/acs/entrances/get", params={"acs_entrance_id": MISSING_ID})
    assert (await error_of(missing, 404))["type"] == "acs_entrance_not_found"
    globex = sandbox.workspaces()[1]
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as other:
        assert (await call(other, "/acs/entrances/list"))["acs_entrances"] == []
        hidden = await other.post(
            "/acs/entrances/get", json={"acs_entrance_id": entrance["acs_entrance_id"]}
        )
        assert (await error_of(hidden, 404))["type"] == "acs_entrance_not_found"


async def test_credentials_with_access(client: httpx.AsyncClient) -> None:
    lobby = (await entrances(client, search="Main Lobby"))[0]
    body = await call(
        client,
        "/acs/entrances/list_credentials_with_access",
        acs_entrance_id=lobby["acs_entrance_id"],
    )
    assert "pagination" not in body
    assert [c["display_name"] for c in body["acs_credentials"]] == [
        "Multi Phone Sync Credential",
        "Mobile key (iPhone 15)",
    ]
    valid_only = await call(
        client,
        "/acs/entrances/list_credentials_with_access",
        acs_entrance_id=lobby["acs_entrance_id"],
        include_if=["visionline_metadata.is_valid"],
    )
    assert valid_only["acs_credentials"] == []
    missing = await client.get(
        "/acs/entrances/list_credentials_with_access", params={"acs_entrance_id": MISSING_ID}
    )
    assert (await error_of(missing, 404))["type"] == "acs_entrance_not_found"


async def test_identity_entrances_union_groups_and_credentials(client: httpx.AsyncClient) -> None:
    marcus = await identity_named(client, "Marcus Chen")
    body = await client.get(
        "/user_identities/list_accessible_entrances",
        params={"user_identity_id": marcus["user_identity_id"]},
    )
    # Group "Main Entrance" (lobby, bike storage) + credential (lobby, rooftop), once each.
    assert names(body.json()["acs_entrances"]) == [
        "Main Lobby Door",
        "Rooftop Terrace",
        "Bike Storage",
    ]
    missing = await client.get(
        "/user_identities/list_accessible_entrances", params={"user_identity_id": MISSING_ID}
    )
    assert (await error_of(missing, 404))["type"] == "user_identity_not_found"


async def test_suspended_user_still_lists_its_entrances(client: httpx.AsyncClient) -> None:
    kenji = await acs_user_of(client, "Kenji Watanabe", "Harbor Lofts")
    assert kenji["is_suspended"] is True
    body = await call(
        client, "/acs/users/list_accessible_entrances", acs_user_id=kenji["acs_user_id"]
    )
    assert names(body["acs_entrances"]) == ["Building Entrance"]
    identity = kenji["user_identity_id"]
    everywhere = await call(
        client, "/acs/users/list_accessible_entrances", user_identity_id=identity
    )
    assert set(names(everywhere["acs_entrances"])) == {
        "Main Lobby Door",
        "Bike Storage",
        "Building Entrance",
    }
    one_system = await call(
        client,
        "/acs/users/list_accessible_entrances",
        user_identity_id=identity,
        acs_system_id=kenji["acs_system_id"],
    )
    assert one_system["acs_entrances"] == body["acs_entrances"]


async def test_user_target_rules(client: httpx.AsyncClient) -> None:
    kenji = await acs_user_of(client, "Kenji Watanabe", "Harbor Lofts")
    for params in (
        {},
        {"acs_user_id": kenji["acs_user_id"], "user_identity_id": kenji["user_identity_id"]},
        {"acs_user_id": kenji["acs_user_id"], "acs_system_id": kenji["acs_system_id"]},
    ):
        response = await client.post("/acs/users/list_accessible_entrances", json=params)
        assert (await error_of(response, 400))["type"] == "invalid_input"
    unknown = await client.post(
        "/acs/users/list_accessible_entrances", json={"acs_user_id": MISSING_ID}
    )
    assert (await error_of(unknown, 404))["type"] == "acs_user_not_found"
    zara = await identity_named(client, "Zara Ahmed")  # no ACS user in Harbor Lofts
    none_there = await client.post(
        "/acs/users/revoke_access_to_all_entrances",
        json={
            "user_identity_id": zara["user_identity_id"],
            "acs_system_id": kenji["acs_system_id"],
        },
    )
    assert (await error_of(none_there, 404))["type"] == "acs_user_not_found"


async def test_revoke_access_to_all_entrances(client: httpx.AsyncClient) -> None:
    marcus = await acs_user_of(client, "Marcus Chen", "Acme Tower")
    target = {"acs_user_id": marcus["acs_user_id"]}
    assert (
        await client.get("/acs/users/revoke_access_to_all_entrances", params=target)
    ).status_code == 405
    revoked = await client.post("/acs/users/revoke_access_to_all_entrances", json=target)
    assert revoked.json() == {"ok": True}
    after = await call(client, "/acs/users/list_accessible_entrances", **target)
    assert after["acs_entrances"] == []
    groups = await call(client, "/acs/access_groups/list", acs_user_id=marcus["acs_user_id"])
    assert groups["acs_access_groups"] == []
    credentials = await call(client, "/acs/credentials/list", acs_user_id=marcus["acs_user_id"])
    assert len(credentials["acs_credentials"]) == 2  # kept, opening nothing
    for credential in credentials["acs_credentials"]:
        opened = await call(
            client,
            "/acs/credentials/list_accessible_entrances",
            acs_credential_id=credential["acs_credential_id"],
        )
        assert opened["acs_entrances"] == []


async def test_group_entrances(client: httpx.AsyncClient) -> None:
    groups = {
        g["name"]: g for g in (await call(client, "/acs/access_groups/list"))["acs_access_groups"]
    }
    office = await client.get(
        "/acs/access_groups/list_accessible_entrances",
        params={"acs_access_group_id": groups["Office Staff"]["acs_access_group_id"]},
    )
    assert names(office.json()["acs_entrances"]) == [
        "Front Entrance",
        "Suite 400",
        "Parking Garage Gate",
    ]
    missing = await client.get(
        "/acs/access_groups/list_accessible_entrances", params={"acs_access_group_id": MISSING_ID}
    )
    assert (await error_of(missing, 404))["type"] == "acs_access_group_not_found"
