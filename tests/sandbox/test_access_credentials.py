"""`/acs/credentials/*`: the demo's kinds and states, create rules, changes, pages, cascades."""

from __future__ import annotations

from typing import Any

import httpx

from seam_tui.sandbox import Sandbox
from tests.sandbox.conftest import client_for
from tests.sandbox.test_access_devices import error_of, identity_named
from tests.sandbox.test_access_entrances import acs_user_of, entrances, names
from tests.sandbox.test_identities import MISSING_ID, call, systems

CREDENTIAL_KEYS = {
    "acs_credential_id", "connected_account_id", "acs_system_id", "display_name",
    "access_method", "created_at", "workspace_id", "errors", "warnings", "is_managed",
}  # fmt: skip


async def credentials(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await call(client, "/acs/credentials/list", **params))[
        "acs_credentials"
    ]
    return listed


async def test_demo_credentials_show_every_kind_and_state(client: httpx.AsyncClient) -> None:
    listed = await credentials(client)
    assert len(listed) == 9
    for credential in listed:
        assert credential.keys() >= CREDENTIAL_KEYS
        assert credential["user_identity_id"]
    assert {c["access_method"] for c in listed} == {"mobile_key", "code", "card"}
    parent, child = listed[0], listed[1]
    assert parent["is_multi_phone_sync_credential"] is True
    assert child["parent_acs_credential_id"] == parent["acs_credential_id"]
    assert parent["external_type"] == "salto_ks_credential"
    cards = [c for c in listed if c["access_method"] == "card"]
    issued, waiting = cards
    assert issued["is_issued"] is True
    assert issued["card_number"]
    assert issued["warnings"] == []
    assert waiting["is_issued"] is False
    assert [w["warning_code"] for w in waiting["warnings"]] == ["waiting_to_be_issued"]
    ended = [c for c in listed if c.get("ends_at", "9") < "2026"]
    assert [c["access_method"] for c in ended] == ["code"]
    assert ended[0]["code"].isdigit()
    assert isinstance(ended[0]["starts_at"], str)


async def test_list_filters_and_pages(client: httpx.AsyncClient) -> None:
    jane = await identity_named(client, "Jane Doe")
    by_identity = await credentials(client, user_identity_id=jane["user_identity_id"])
    assert [c["access_method"] for c in by_identity] == ["card", "code"]
    user_id = by_identity[0]["acs_user_id"]
    assert await credentials(client, acs_user_id=user_id) == by_identity
    brivo = (await systems(client))["Acme HQ Offices"]["acs_system_id"]
    assert len(await credentials(client, acs_system_id=brivo)) == 3
    mps = await client.get(
        "/acs/credentials/list", params={"is_multi_phone_sync_credential": "true"}
    )
    assert [c["display_name"] for c in mps.json()["acs_credentials"]] == [
        "Multi Phone Sync Credential"
    ]
    assert len(await credentials(client, is_multi_phone_sync_credential=False)) == 8
    code = by_identity[1]["code"]
    assert [c["acs_credential_id"] for c in await credentials(client, search=code)] == [
        by_identity[1]["acs_credential_id"]
    ]
    page = await call(client, "/acs/credentials/list", limit=4)
    assert len(page["acs_credentials"]) == 4
    following = await call(
        client, "/acs/credentials/list", limit=4, page_cursor=page["pagination"]["next_page_cursor"]
    )
    everything = await credentials(client)
    assert page["acs_credentials"] + following["acs_credentials"] == everything[:8]
    bad = await error_of(
        await client.post("/acs/credentials/list", json={"is_multi_phone_sync_credential": "yes"}),
        400,
    )
    assert "is_multi_phone_sync_credential" in bad["validation_errors"]


async def test_get_and_not_found(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    first = (await credentials(client))[0]
    got = await client.get(
        "/acs/credentials/get", params={"acs_credential_id": first["acs_credential_id"]}
    )
    assert got.json()["acs_credential"] == first
    missing = await client.get("/acs/credentials/get", params={"acs_credential_id": MISSING_ID})
    assert (await error_of(missing, 404))["type"] == "acs_credential_not_found"
    globex = sandbox.workspaces()[1]
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as other:
        assert (await call(other, "/acs/credentials/list"))["acs_credentials"] == []
        for path in ("/acs/credentials/get", "/acs/credentials/list_accessible_entrances"):
            hidden = await other.post(path, json={"acs_credential_id": first["acs_credential_id"]})
            assert (await error_of(hidden, 404))["type"] == "acs_credential_not_found"


async def test_create_for_acs_user_with_entrances(client: httpx.AsyncClient) -> None:
    liam = await acs_user_of(client, "Liam O'Connor", "Harbor Lofts")
    lofts = await entrances(client, acs_system_id=liam["acs_system_id"])
    created = (
        await call(
            client,
            "/acs/credentials/create",
            access_method="code",
            acs_user_id=liam["acs_user_id"],
            code="482913",
            allowed_acs_entrance_ids=[lofts[1]["acs_entrance_id"]],
            starts_at="2026-01-01T00:00:00Z",
            ends_at="2033-01-01T00:00:00Z",
        )
    )["acs_credential"]
    assert created.keys() >= CREDENTIAL_KEYS
    assert created["code"] == "482913"
    assert created["user_identity_id"] == liam["user_identity_id"]
    assert created["external_type"] == "latch_access"
    assert created["starts_at"] == "2026-01-01T00:00:00.000Z"
    assert created["ends_at"] == "2033-01-01T00:00:00.000Z"
    opened = await call(
        client,
        "/acs/credentials/list_accessible_entrances",
        acs_credential_id=created["acs_credential_id"],
    )
    assert names(opened["acs_entrances"]) == ["Mail Room"]
    card = (
        await call(
            client, "/acs/credentials/create", access_method="card", acs_user_id=liam["acs_user_id"]
        )
    )["acs_credential"]
    assert card["is_issued"] is False
    assert card["warnings"][0]["warning_code"] == "waiting_to_be_issued"
    generated = (
        await call(
            client, "/acs/credentials/create", access_method="code", acs_user_id=liam["acs_user_id"]
        )
    )["acs_credential"]
    assert generated["code"].isdigit()


async def test_create_for_identity_links_or_creates_its_acs_user(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    zara = await identity_named(client, "Zara Ahmed")
    lofts = (await systems(client))["Harbor Lofts"]["acs_system_id"]
    users_before = sandbox.count("acs_users")
    created = (
        await call(
            client,
            "/acs/credentials/create",
            access_method="mobile_key",
            user_identity_id=zara["user_identity_id"],
            acs_system_id=lofts,
            is_multi_phone_sync_credential=True,
        )
    )["acs_credential"]
    assert created["user_identity_id"] == zara["user_identity_id"]
    assert created["is_multi_phone_sync_credential"] is True
    assert created["display_name"] == "Multi Phone Sync Credential"
    assert sandbox.count("acs_users") == users_before + 1


async def test_create_rules(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    liam = await acs_user_of(client, "Liam O'Connor", "Harbor Lofts")
    tower_entrance = (await entrances(client, search="Gym"))[0]
    user = {"acs_user_id": liam["acs_user_id"]}
    before = sandbox.count("acs_credentials")
    for body, field in (
        ({**user}, "access_method"),
        ({**user, "access_method": "key"}, "access_method"),
        ({**user, "access_method": "code", "code": "12a4"}, "code"),
        ({**user, "access_method": "card", "code": "1234"}, "code"),
        (
            {**user, "access_method": "card", "is_multi_phone_sync_credential": True},
            "is_multi_phone_sync_credential",
        ),
        ({**user, "access_method": "code", "ends_at": "2020-01-01T00:00:00Z"}, "ends_at"),
    ):
        error = await error_of(await client.post("/acs/credentials/create", json=body), 400)
        assert error["type"] == "invalid_input"
        assert field in error["validation_errors"], body
    no_owner = await error_of(
        await client.post("/acs/credentials/create", json={"access_method": "card"}), 400
    )
    assert no_owner["type"] == "invalid_input"
    unknown_user = await client.post(
        "/acs/credentials/create", json={"access_method": "card", "acs_user_id": MISSING_ID}
    )
    assert (await error_of(unknown_user, 404))["type"] == "acs_user_not_found"
    unknown_entrance = await client.post(
        "/acs/credentials/create",
        json={**user, "access_method": "card", "allowed_acs_entrance_ids": [MISSING_ID]},
    )
    assert (await error_of(unknown_entrance, 404))["type"] == "acs_entrance_not_found"
    other_system = await client.post(
        "/acs/credentials/create",
        json={
            **user,
            "access_method": "card",
            "allowed_acs_entrance_ids": [tower_entrance["acs_entrance_id"]],
        },
    )
    assert (await error_of(other_system, 400))["type"] == "invalid_input"
    assert sandbox.count("acs_credentials") == before  # nothing half-made


async def test_update_code_and_end(client: httpx.AsyncClient) -> None:
    jane = await identity_named(client, "Jane Doe")
    card, code = await credentials(client, user_identity_id=jane["user_identity_id"])
    target = {"acs_credential_id": code["acs_credential_id"]}
    changed = await client.patch(
        "/acs/credentials/update",
        json={**target, "code": "7777", "ends_at": "2034-01-01T00:00:00Z"},
    )
    assert changed.status_code == 200
    got = (await call(client, "/acs/credentials/get", **target))["acs_credential"]
    assert (got["code"], got["ends_at"]) == ("7777", "2034-01-01T00:00:00.000Z")
    past = await client.patch(
        "/acs/credentials/update", json={**target, "ends_at": "2021-01-01T00:00:00Z"}
    )
    assert "ends_at" in (await error_of(past, 400))["validation_errors"]
    on_card = await client.patch(
        "/acs/credentials/update",
        json={"acs_credential_id": card["acs_credential_id"], "code": "1"},
    )
    assert "code" in (await error_of(on_card, 400))["validation_errors"]
    not_uuid = await client.patch("/acs/credentials/update", json={"acs_credential_id": "nope"})
    assert (await error_of(not_uuid, 404))["type"] == "acs_credential_not_found"


async def test_assign_and_unassign(client: httpx.AsyncClient) -> None:
    priya = await identity_named(client, "Priya Patel")
    jane = await acs_user_of(client, "Jane Doe", "Acme HQ Offices")
    waiting = (await credentials(client, user_identity_id=priya["user_identity_id"]))[0]
    target = {"acs_credential_id": waiting["acs_credential_id"]}
    unassigned = await client.patch(
        "/acs/credentials/unassign", json={**target, "user_identity_id": priya["user_identity_id"]}
    )
    assert unassigned.status_code == 200
    assert "acs_user_id" not in unassigned.json()["acs_credential"]
    assert (
        "acs_user_id"
        not in (await call(client, "/acs/credentials/get", **target))["acs_credential"]
    )
    assigned = await client.patch(
        "/acs/credentials/assign", json={**target, "acs_user_id": jane["acs_user_id"]}
    )
    assert assigned.json()["acs_credential"]["acs_user_id"] == jane["acs_user_id"]
    # Unassigning from someone who does not hold it changes nothing.
    await call(
        client, "/acs/credentials/unassign", **target, user_identity_id=priya["user_identity_id"]
    )
    got = (await call(client, "/acs/credentials/get", **target))["acs_credential"]
    assert got["acs_user_id"] == jane["acs_user_id"]
    liam = await acs_user_of(client, "Liam O'Connor", "Harbor Lofts")
    elsewhere = await client.patch(
        "/acs/credentials/assign", json={**target, "acs_user_id": liam["acs_user_id"]}
    )
    assert (await error_of(elsewhere, 400))["type"] == "invalid_input"
    both = await client.patch(
        "/acs/credentials/assign",
        json={
            **target,
            "acs_user_id": jane["acs_user_id"],
            "user_identity_id": priya["user_identity_id"],
        },
    )
    assert (await error_of(both, 400))["type"] == "invalid_input"
    unknown = await client.patch(
        "/acs/credentials/assign",
        json={"acs_credential_id": MISSING_ID, "acs_user_id": jane["acs_user_id"]},
    )
    assert (await error_of(unknown, 404))["type"] == "acs_credential_not_found"


async def test_delete_credential_and_its_children(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    parent = (await credentials(client, is_multi_phone_sync_credential=True))[0]
    target = {"acs_credential_id": parent["acs_credential_id"]}
    before = sandbox.count("acs_credentials")
    assert (await client.delete("/acs/credentials/delete", params=target)).json() == {"ok": True}
    assert sandbox.count("acs_credentials") == before - 2
    again = await client.delete("/acs/credentials/delete", params=target)
    assert (await error_of(again, 404))["type"] == "acs_credential_not_found"


async def test_deleting_acs_user_or_identity_deletes_credentials(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    jane = await acs_user_of(client, "Jane Doe", "Acme HQ Offices")
    before = sandbox.count("acs_credentials")
    await call(client, "/acs/users/delete", acs_user_id=jane["acs_user_id"])
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("acs_credentials") == before - 2
    liam = await identity_named(client, "Liam O'Connor")
    links_before = sandbox.count("acs_credential_entrances")
    await call(client, "/user_identities/delete", user_identity_id=liam["user_identity_id"])
    sandbox.settle_all()
    assert sandbox.count("acs_credentials") == before - 4
    assert sandbox.count("acs_credential_entrances") == links_before - 4
    assert sandbox.count("acs_entrances") == 15
