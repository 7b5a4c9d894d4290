"""`/devices/*` and device grants to identities: shapes, filters, pages, errors, isolation."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for
from tests.sandbox.test_identities import MISSING_ID, call

DEVICE_KEYS = {
    "device_id", "device_type", "space_ids", "display_name", "capabilities_supported",
    "properties", "connected_account_id", "workspace_id", "errors", "warnings", "created_at",
    "is_managed", "custom_metadata",
}  # fmt: skip
ACCESS_TABLES = (
    "instant_keys", "device_grants", "acs_credential_entrances", "acs_credentials",
    "acs_access_group_entrances", "acs_entrances", "devices",
)  # fmt: skip


async def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


async def identity_named(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    found = (await call(client, "/user_identities/list", search=name))["user_identities"]
    identity: dict[str, Any] = next(i for i in found if i["full_name"] == name)
    return identity


async def devices(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await call(client, "/devices/list", **params))["devices"]
    return listed


async def test_demo_devices_show_every_state(client: httpx.AsyncClient) -> None:
    listed = await devices(client)
    assert len(listed) == 8
    for device in listed:
        assert device.keys() >= DEVICE_KEYS
        assert device["is_managed"] is True
        assert {"online", "name", "appearance", "model"} <= device["properties"].keys()
    by_name = {d["display_name"]: d for d in listed}
    assert len({d["device_type"] for d in listed}) >= 4
    offline = by_name["Pool House"]
    assert offline["properties"]["online"] is False
    assert [e["error_code"] for e in offline["errors"]] == ["device_offline"]
    assert offline["errors"][0]["is_device_error"] is True
    low = by_name["Back Door"]["properties"]
    assert low["battery"] == {"level": 0.12, "status": "low"}
    assert low["battery_level"] == 0.12
    open_door = by_name["Garage Side Door"]["properties"]
    assert (open_door["locked"], open_door["door_open"]) == (False, True)
    nicknamed = by_name["Cottage Door"]
    assert nicknamed["nickname"] == "Cottage Door"
    assert nicknamed["properties"]["appearance"]["name"] == "Nuki 3F1A"
    assert nicknamed["warnings"][0]["warning_code"] == "device_has_flaky_connection"
    assert nicknamed["custom_metadata"] == {"property_code": "COT-1", "cleaning": True}
    schlage = by_name["Front Door"]
    assert schlage["device_manufacturer"]["display_name"] == "Schlage"
    assert schlage["properties"]["model"]["manufacturer_display_name"] == "Schlage"
    assert schlage["location"]["location_name"] == "Harbor Lofts Unit 101"
    assert schlage["can_remotely_unlock"] is True
    assert by_name["Storage Cage 4"]["can_remotely_unlock"] is False


async def test_list_filters(client: httpx.AsyncClient) -> None:
    everything = await devices(client)
    schlage = await devices(client, device_type="schlage_lock")
    assert [d["display_name"] for d in schlage] == ["Front Door", "Back Door"]
    two_types = await devices(client, device_types=["yale_lock", "nuki_lock"])
    assert {d["device_type"] for d in two_types} == {"yale_lock", "nuki_lock"}
    assert await devices(client, manufacturer="august") == [everything[3]]
    assert await devices(client, manufacturer="ecobee") == []
    some = [everything[0]["device_id"], everything[5]["device_id"]]
    assert [d["device_id"] for d in await devices(client, device_ids=some)] == some
    account = everything[0]["connected_account_id"]
    assert len(await devices(client, connected_account_id=account)) == 2
    assert [d["display_name"] for d in await devices(client, search="harbor lofts")] == [
        "Front Door",
        "Back Door",
    ]
    assert [d["display_name"] for d in await devices(client, search="COT-1")] == ["Cottage Door"]
    prefix = everything[2]["device_id"][:6]
    assert everything[2] in await devices(client, search=prefix)
    assert await devices(client, space_id=MISSING_ID) == []
    # GET with query params, as the SDKs send them.
    response = await client.get("/devices/list", params={"device_types": ["yale_lock"]})
    assert [d["device_type"] for d in response.json()["devices"]] == ["yale_lock"]


async def test_list_pages(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        body = await call(client, "/devices/list", **params)
        assert len(body["devices"]) <= 3
        seen += [d["device_id"] for d in body["devices"]]
        if not body["pagination"]["has_next_page"]:
            assert body["pagination"]["next_page_cursor"] is None
            break
        params["page_cursor"] = body["pagination"]["next_page_cursor"]
    assert seen == [d["device_id"] for d in await devices(client)]
    assert len(seen) == 8


async def test_invalid_filters_are_400(client: httpx.AsyncClient) -> None:
    bad_type = await error_of(await client.post("/devices/list", json={"device_type": "x"}), 400)
    assert bad_type["type"] == "invalid_input"
    assert "Invalid enum value" in bad_type["validation_errors"]["device_type"]["_errors"][0]
    bad_maker = await error_of(
        await client.get("/devices/list", params={"manufacturer": "acme"}), 400
    )
    assert "manufacturer" in bad_maker["validation_errors"]
    bad_id = await error_of(await client.post("/devices/list", json={"device_ids": ["x"]}), 400)
    assert bad_id["validation_errors"]["device_ids"]["0"]["_errors"] == ["Invalid uuid"]


async def test_get_by_id_or_name_and_not_found(client: httpx.AsyncClient) -> None:
    first = (await devices(client))[0]
    by_id = await client.get("/devices/get", params={"device_id": first["device_id"]})
    assert by_id.json()["device"] == first
    by_name = await call(client, "/devices/get", name="Cottage Door")
    assert by_name["device"]["device_type"] == "nuki_lock"
    missing = await error_of(
        await client.get("/devices/get", params={"device_id": MISSING_ID}), 404
    )
    assert missing["type"] == "device_not_found"
    neither = await error_of(await client.post("/devices/get", json={}), 400)
    assert neither["type"] == "invalid_input"


async def test_devices_are_per_workspace(
    sandbox: Sandbox, client: httpx.AsyncClient, globex: SandboxWorkspace
) -> None:
    acme_device = (await devices(client))[0]
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as other:
        assert await devices(other) == []
        response = await other.post("/devices/get", json={"device_id": acme_device["device_id"]})
        assert (await error_of(response, 404))["type"] == "device_not_found"
        hank = await identity_named(other, "Hank Scorpio")
        grant = await other.put(
            "/user_identities/grant_access_to_device",
            json={
                "user_identity_id": hank["user_identity_id"],
                "device_id": acme_device["device_id"],
            },
        )
        assert (await error_of(grant, 404))["type"] == "device_not_found"


async def test_demo_grants(client: httpx.AsyncClient) -> None:
    marcus = await identity_named(client, "Marcus Chen")
    body = await call(
        client,
        "/user_identities/list_accessible_devices",
        user_identity_id=marcus["user_identity_id"],
    )
    assert [d["display_name"] for d in body["devices"]] == [
        "Front Door",
        "Office 12F",
        "Cottage Door",
    ]
    assert body["accessible_devices"] == body["devices"]
    nobody = await identity_named(client, "Zara Ahmed")
    empty = await client.get(
        "/user_identities/list_accessible_devices",
        params={"user_identity_id": nobody["user_identity_id"]},
    )
    assert empty.json() == {"ok": True, "devices": [], "accessible_devices": []}


async def test_grant_and_revoke_are_idempotent(client: httpx.AsyncClient) -> None:
    zara = (await identity_named(client, "Zara Ahmed"))["user_identity_id"]
    device = (await devices(client))[4]["device_id"]
    pair = {"user_identity_id": zara, "device_id": device}
    for _ in range(2):
        granted = await client.put("/user_identities/grant_access_to_device", json=pair)
        assert granted.json() == {"ok": True}
    listed = await call(client, "/user_identities/list_accessible_devices", user_identity_id=zara)
    assert [d["device_id"] for d in listed["devices"]] == [device]
    for _ in range(2):
        revoked = await client.delete("/user_identities/revoke_access_to_device", params=pair)
        assert revoked.json() == {"ok": True}
    listed = await call(client, "/user_identities/list_accessible_devices", user_identity_id=zara)
    assert listed["devices"] == []
    assert (await client.post("/user_identities/grant_access_to_device", json=pair)).is_success
    assert (
        await client.get("/user_identities/grant_access_to_device", params=pair)
    ).status_code == 405
    assert (
        await client.patch("/user_identities/revoke_access_to_device", json=pair)
    ).status_code == 405


async def test_grant_errors(client: httpx.AsyncClient) -> None:
    zara = (await identity_named(client, "Zara Ahmed"))["user_identity_id"]
    device = (await devices(client))[0]["device_id"]
    unknown_device = await client.put(
        "/user_identities/grant_access_to_device",
        json={"user_identity_id": zara, "device_id": MISSING_ID},
    )
    assert (await error_of(unknown_device, 404))["type"] == "device_not_found"
    unknown_identity = await client.delete(
        "/user_identities/revoke_access_to_device",
        params={"user_identity_id": MISSING_ID, "device_id": device},
    )
    assert (await error_of(unknown_identity, 404))["type"] == "user_identity_not_found"
    missing = await error_of(
        await client.put(
            "/user_identities/grant_access_to_device", json={"user_identity_id": zara}
        ),
        400,
    )
    assert missing["validation_errors"]["device_id"]["_errors"] == ["Required"]
    listing = await client.get(
        "/user_identities/list_accessible_devices", params={"user_identity_id": MISSING_ID}
    )
    assert (await error_of(listing, 404))["type"] == "user_identity_not_found"


async def test_deleting_an_identity_deletes_its_grants(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    marcus = (await identity_named(client, "Marcus Chen"))["user_identity_id"]
    before = sandbox.count("device_grants")
    await call(client, "/user_identities/delete", user_identity_id=marcus)
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("device_grants") == before - 3
    assert sandbox.count("devices") == 8


async def test_a_database_from_before_gains_the_access_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Sandbox(path).close()
    with sqlite3.connect(path) as db:  # back to the schema before access existed
        for table in ACCESS_TABLES:
            db.execute(f"DROP TABLE {table}")
    reopened = Sandbox(path)
    try:
        acme = reopened.workspaces()[0]
        async with client_for(reopened, authorization=f"Bearer {acme.api_key}") as http:
            assert await devices(http) == []
            assert (await call(http, "/instant_keys/list"))["instant_keys"] == []
        assert reopened.count("user_identities") == 33  # the data is kept, not re-seeded
    finally:
        reopened.close()
