"""`/user_identities/*`: happy paths, uniqueness, linking, cascades, verbs."""

from __future__ import annotations

from typing import Any

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for

MISSING_ID = "00000000-0000-4000-8000-000000000000"


async def call(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    response = await client.post(path, json=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is True
    return body


async def systems(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    listed = (await call(client, "/acs/systems/list"))["acs_systems"]
    return {system["name"]: system for system in listed}


async def test_create_get_update_delete(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    created = (
        await call(
            client,
            "/user_identities/create",
            user_identity_key="new-1",
            email_address="new.person@example.com",
            phone_number="+15555550123",
            full_name="New Person",
        )
    )["user_identity"]
    assert created["display_name"] == "New Person"
    assert created["acs_user_ids"] == []
    assert created["errors"] == []
    assert created["warnings"] == []
    identity_id = created["user_identity_id"]

    by_key = await client.get("/user_identities/get", params={"user_identity_key": "new-1"})
    assert by_key.json()["user_identity"] == created

    update = await client.patch(
        "/user_identities/update",
        json={"user_identity_id": identity_id, "full_name": "Renamed", "phone_number": None},
    )
    assert update.json() == {"ok": True}
    got = (await call(client, "/user_identities/get", user_identity_id=identity_id))[
        "user_identity"
    ]
    assert got["full_name"] == "Renamed"
    assert got["phone_number"] is None
    assert got["email_address"] == "new.person@example.com"  # omitted = unchanged

    before = sandbox.count("user_identities")
    deleted = await client.delete(
        "/user_identities/delete", params={"user_identity_id": identity_id}
    )
    assert deleted.json() == {"ok": True}
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("user_identities") == before - 1
    gone = await client.get("/user_identities/get", params={"user_identity_id": identity_id})
    assert gone.status_code == 404
    assert gone.json()["error"]["type"] == "user_identity_not_found"


async def test_display_name_falls_back_to_email(client: httpx.AsyncClient) -> None:
    created = (await call(client, "/user_identities/create", email_address="only@example.com"))[
        "user_identity"
    ]
    assert created["full_name"] is None
    assert created["display_name"] == "only@example.com"


async def test_uniqueness_conflicts(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    before = sandbox.count("user_identities")
    cases = [
        ({"user_identity_key": "acme-1001"}, "user_identity_key_taken"),
        ({"email_address": "JANE.DOE@example.com"}, "user_identity_email_address_taken"),
        ({"phone_number": jane["phone_number"]}, "user_identity_phone_number_taken"),
    ]
    for params, error_type in cases:
        response = await client.post("/user_identities/create", json=params)
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["type"] == error_type
        assert error["data"]["user_identity_id"] == jane["user_identity_id"]
    assert sandbox.count("user_identities") == before

    other = (await call(client, "/user_identities/create", email_address="x@example.com"))[
        "user_identity"
    ]
    clash = await client.patch(
        "/user_identities/update",
        json={
            "user_identity_id": other["user_identity_id"],
            "email_address": "Jane.Doe@Example.com",
        },
    )
    assert clash.status_code == 409
    # Setting an identity's own values again is not a clash.
    same = await client.patch(
        "/user_identities/update",
        json={"user_identity_id": jane["user_identity_id"], "email_address": jane["email_address"]},
    )
    assert same.status_code == 200


async def test_uniqueness_is_per_workspace(sandbox: Sandbox, globex: SandboxWorkspace) -> None:
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as http:
        response = await http.post(
            "/user_identities/create", json={"email_address": "jane.doe@example.com"}
        )
    assert response.status_code == 200


async def test_acs_system_ids_link_or_create(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    by_name = await systems(client)
    salto, latch = by_name["Acme Tower"], by_name["Harbor Lofts"]
    # Ethan Brooks exists with no ACS users; an unlinked Salto user has his email.
    ethan_acs = (
        await call(client, "/acs/users/list", acs_system_id=salto["acs_system_id"], search="ethan")
    )["acs_users"]
    assert len(ethan_acs) == 1
    assert "user_identity_id" not in ethan_acs[0]
    await call(
        client,
        "/user_identities/delete",
        user_identity_id=(await call(client, "/user_identities/list", search="Ethan Brooks"))[
            "user_identities"
        ][0]["user_identity_id"],
    )
    sandbox.settle_all()  # with settling on, Ethan holds his email until the delete is pushed
    acs_before = sandbox.count("acs_users")
    created = (
        await call(
            client,
            "/user_identities/create",
            email_address="ethan.brooks@example.com",
            full_name="Ethan B.",
            acs_system_ids=[salto["acs_system_id"], latch["acs_system_id"]],
        )
    )["user_identity"]
    # Salto: the existing unlinked user was linked; Latch: a new user was created.
    assert sandbox.count("acs_users") == acs_before + 1
    assert ethan_acs[0]["acs_user_id"] in created["acs_user_ids"]
    assert len(created["acs_user_ids"]) == 2
    users = (
        await call(
            client, "/user_identities/list_acs_users", user_identity_id=created["user_identity_id"]
        )
    )["acs_users"]
    new_user = next(user for user in users if user["acs_system_id"] == latch["acs_system_id"])
    assert new_user["full_name"] == "Ethan B."
    assert new_user["email_address"] == "ethan.brooks@example.com"
    assert new_user["external_type"] == "latch_user"
    listed_systems = (
        await call(
            client,
            "/user_identities/list_acs_systems",
            user_identity_id=created["user_identity_id"],
        )
    )["acs_systems"]
    assert {system["name"] for system in listed_systems} == {"Acme Tower", "Harbor Lofts"}


async def test_unknown_system_in_create_applies_nothing(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    before = (sandbox.count("user_identities"), sandbox.count("acs_users"))
    salto = (await systems(client))["Acme Tower"]
    response = await client.post(
        "/user_identities/create",
        json={"full_name": "Nobody", "acs_system_ids": [salto["acs_system_id"], MISSING_ID]},
    )
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "acs_system_not_found"
    assert (sandbox.count("user_identities"), sandbox.count("acs_users")) == before


async def test_delete_cascades_to_acs_users(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    assert jane["acs_user_ids"]
    before = sandbox.count("acs_users")
    await call(client, "/user_identities/delete", user_identity_id=jane["user_identity_id"])
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("acs_users") == before - len(jane["acs_user_ids"])
    for acs_user_id in jane["acs_user_ids"]:
        response = await client.get("/acs/users/get", params={"acs_user_id": acs_user_id})
        assert response.json()["error"]["type"] == "acs_user_not_found"


async def test_acs_user_fields_follow_identity_updates(client: httpx.AsyncClient) -> None:
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    await call(
        client,
        "/user_identities/update",
        user_identity_id=jane["user_identity_id"],
        full_name="Jane Q. Doe",
        email_address="jane.q@example.com",
        phone_number=None,
    )
    for acs_user_id in jane["acs_user_ids"]:
        user = (await call(client, "/acs/users/get", acs_user_id=acs_user_id))["acs_user"]
        assert user["user_identity_id"] == jane["user_identity_id"]
        assert user["user_identity_full_name"] == "Jane Q. Doe"
        assert user["user_identity_email_address"] == "jane.q@example.com"
        assert user["user_identity_phone_number"] is None
    by_email = (
        await call(client, "/acs/users/list", user_identity_email_address="JANE.Q@example.com")
    )["acs_users"]
    assert sorted(user["acs_user_id"] for user in by_email) == sorted(jane["acs_user_ids"])


async def test_add_and_remove_acs_user(client: httpx.AsyncClient) -> None:
    identity = (await call(client, "/user_identities/create", full_name="Linker"))["user_identity"]
    identity_id = identity["user_identity_id"]
    unlinked = [
        user
        for user in (await call(client, "/acs/users/list"))["acs_users"]
        if "user_identity_id" not in user
    ]
    first = unlinked[0]
    same_system = next(
        user for user in unlinked[1:] if user["acs_system_id"] == first["acs_system_id"]
    )
    added = await client.put(
        "/user_identities/add_acs_user",
        json={"user_identity_id": identity_id, "acs_user_id": first["acs_user_id"]},
    )
    assert added.json() == {"ok": True}
    # Adding again is a no-op; a second user in the same system is a conflict.
    await call(
        client,
        "/user_identities/add_acs_user",
        user_identity_id=identity_id,
        acs_user_id=first["acs_user_id"],
    )
    second = await client.put(
        "/user_identities/add_acs_user",
        json={"user_identity_id": identity_id, "acs_user_id": same_system["acs_user_id"]},
    )
    assert second.status_code == 409
    assert second.json()["error"]["type"] == "user_identity_already_has_acs_user_in_system"

    got = (await call(client, "/user_identities/get", user_identity_id=identity_id))[
        "user_identity"
    ]
    assert got["acs_user_ids"] == [first["acs_user_id"]]

    removed = await client.delete(
        "/user_identities/remove_acs_user",
        params={"user_identity_id": identity_id, "acs_user_id": first["acs_user_id"]},
    )
    assert removed.json() == {"ok": True}
    user = (await call(client, "/acs/users/get", acs_user_id=first["acs_user_id"]))["acs_user"]
    assert "user_identity_id" not in user


async def test_add_acs_user_already_linked_elsewhere(client: httpx.AsyncClient) -> None:
    jane = (await call(client, "/user_identities/get", user_identity_key="acme-1001"))[
        "user_identity"
    ]
    other = (await call(client, "/user_identities/create", full_name="Other"))["user_identity"]
    response = await client.put(
        "/user_identities/add_acs_user",
        json={
            "user_identity_id": other["user_identity_id"],
            "acs_user_id": jane["acs_user_ids"][0],
        },
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["type"] == "acs_user_already_linked"
    assert error["data"]["user_identity_id"] == jane["user_identity_id"]


async def test_add_acs_user_with_new_key_creates_identity(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    user = next(
        user for user in (await call(client, "/acs/users/list", search="Night Guard"))["acs_users"]
    )
    before = sandbox.count("user_identities")
    await call(
        client,
        "/user_identities/add_acs_user",
        user_identity_key="guard-1",
        acs_user_id=user["acs_user_id"],
    )
    assert sandbox.count("user_identities") == before + 1
    identity = (await call(client, "/user_identities/get", user_identity_key="guard-1"))[
        "user_identity"
    ]
    assert identity["full_name"] == "Night Guard"
    assert identity["email_address"] == user["email_address"]
    assert identity["phone_number"] == user["phone_number"]
    assert identity["acs_user_ids"] == [user["acs_user_id"]]


async def test_identity_errors_reflect_acs_user_errors(client: httpx.AsyncClient) -> None:
    sofia = (await call(client, "/user_identities/list", search="Sofia Rossi"))["user_identities"][
        0
    ]
    assert [error["error_code"] for error in sofia["errors"]] == ["issue_with_acs_user"]


async def test_list_filters_and_search(client: httpx.AsyncClient) -> None:
    everyone = (await call(client, "/user_identities/list"))["user_identities"]
    assert len(everyone) == 25
    created = [ident["created_at"] for ident in everyone]
    assert created == sorted(created)

    for term in ("PATEL", "priya.patel@", "2125550102", everyone[3]["user_identity_id"][:13], "ta"):
        found = (await call(client, "/user_identities/list", search=term))["user_identities"]
        assert found, term
        for ident in found:
            haystack = " ".join(
                str(ident[field] or "")
                for field in ("full_name", "email_address", "phone_number", "user_identity_id")
            ).lower()
            assert term.lower() in haystack

    picked = [everyone[0]["user_identity_id"], everyone[5]["user_identity_id"]]
    by_ids = await client.get("/user_identities/list", params={"user_identity_ids": picked})
    assert [i["user_identity_id"] for i in by_ids.json()["user_identities"]] == picked

    before = await client.get(
        "/user_identities/list", params={"created_before": everyone[2]["created_at"]}
    )
    assert [i["user_identity_id"] for i in before.json()["user_identities"]] == [
        everyone[0]["user_identity_id"],
        everyone[1]["user_identity_id"],
    ]


async def test_list_acs_users_of_unknown_identity_is_404(client: httpx.AsyncClient) -> None:
    for path in ("/user_identities/list_acs_users", "/user_identities/list_acs_systems"):
        response = await client.get(path, params={"user_identity_id": MISSING_ID})
        assert response.status_code == 404
