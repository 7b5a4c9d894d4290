"""Request handling: verbs, query serialisation, the error envelope, validation_errors."""

from __future__ import annotations

import httpx
import pytest


async def test_validation_error_tree_for_one_issue(client: httpx.AsyncClient) -> None:
    response = await client.post("/user_identities/create", json={"email_address": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    error = body["error"]
    assert error["type"] == "invalid_input"
    assert error["message"] == 'Invalid email for "email_address"'
    assert error["validation_errors"] == {
        "_errors": [],
        "email_address": {"_errors": ["Invalid email"]},
    }
    assert error["request_id"] == response.headers["seam-request-id"]


async def test_several_issues_and_unknown_params(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/user_identities/create",
        json={"full_name": "", "acs_system_ids": ["x"], "colour": "blue"},
    )
    error = response.json()["error"]
    assert error["message"].startswith("3 Input Errors: ")
    assert error["validation_errors"] == {
        "_errors": ["Unrecognized key(s) in object: 'colour'"],
        "full_name": {"_errors": ["String must contain at least 1 character(s)"]},
        "acs_system_ids": {"_errors": [], "0": {"_errors": ["Invalid uuid"]}},
    }


async def test_required_and_type_errors(client: httpx.AsyncClient) -> None:
    response = await client.post("/acs/users/create", json={"full_name": 5})
    error = response.json()["error"]
    assert error["validation_errors"]["acs_system_id"] == {"_errors": ["Required"]}
    assert error["validation_errors"]["full_name"] == {
        "_errors": ["Expected string, received number"]
    }
    assert "acs_system_id is required" in error["message"]


async def test_nested_validation_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/acs/users/create",
        json={
            "acs_system_id": "00000000-0000-4000-8000-000000000000",
            "full_name": "X",
            "access_schedule": {"starts_at": "yesterday", "colour": 1},
        },
    )
    tree = response.json()["error"]["validation_errors"]
    assert tree["access_schedule"] == {
        "_errors": ["Unrecognized key(s) in object: 'colour'"],
        "starts_at": {"_errors": ["Invalid datetime"]},
    }


async def test_exactly_one_of(client: httpx.AsyncClient) -> None:
    both = await client.get(
        "/user_identities/get",
        params={
            "user_identity_key": "a",
            "user_identity_id": "00000000-0000-4000-8000-000000000000",
        },
    )
    neither = await client.get("/user_identities/get")
    for response in (both, neither):
        assert response.status_code == 400
        assert response.json()["error"]["validation_errors"]["_errors"]


async def test_non_uuid_id_is_invalid_input_not_a_crash(client: httpx.AsyncClient) -> None:
    response = await client.get("/acs/users/get", params={"acs_user_id": "'; DROP TABLE x; --"})
    assert response.status_code == 400
    assert response.json()["error"]["validation_errors"]["acs_user_id"] == {
        "_errors": ["Invalid uuid"]
    }


async def test_wrong_verb_is_405(client: httpx.AsyncClient) -> None:
    response = await client.get("/user_identities/create")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "type": "method_not_allowed",
        "message": "only POST accepted",
        "request_id": response.headers["seam-request-id"],
    }
    assert (await client.put("/user_identities/list", json={})).status_code == 405


async def test_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/noise_sensors/list", json={})
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"


@pytest.mark.parametrize(
    ("content", "headers", "error_type"),
    [
        (b"{not json", {"content-type": "application/json"}, "invalid_input"),
        (b"a=1", {"content-type": "application/x-www-form-urlencoded"}, "invalid_content_type"),
    ],
)
async def test_bad_bodies(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], error_type: str
) -> None:
    response = await client.post("/user_identities/create", content=content, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["type"] == error_type


async def test_body_must_be_an_object(client: httpx.AsyncClient) -> None:
    response = await client.post("/user_identities/list", json=[1])
    assert response.json()["error"]["validation_errors"] == {
        "_errors": ["Expected object, received array"]
    }


async def test_query_serialisation(client: httpx.AsyncClient) -> None:
    everyone = (await client.get("/user_identities/list")).json()["user_identities"]
    ids = [everyone[1]["user_identity_id"], everyone[2]["user_identity_id"]]
    repeated = await client.get(
        f"/user_identities/list?limit=5&user_identity_ids={ids[0]}&user_identity_ids={ids[1]}"
        "&_strict=true"
    )
    assert [i["user_identity_id"] for i in repeated.json()["user_identities"]] == ids
    empty_array = await client.get("/user_identities/list?user_identity_ids=&_strict=true")
    assert empty_array.json()["user_identities"] == []
    bad_number = await client.get("/user_identities/list?limit=ten")
    assert bad_number.json()["error"]["validation_errors"]["limit"] == {
        "_errors": ["Expected number, received string"]
    }
    fractional = await client.get("/user_identities/list?limit=1.5")
    assert fractional.json()["error"]["validation_errors"]["limit"] == {
        "_errors": ["Expected integer, received float"]
    }
    negative = await client.get("/user_identities/list?limit=-1")
    assert negative.status_code == 400
    unknown = await client.get("/user_identities/list?colour=blue")
    assert unknown.status_code == 400


async def test_dotted_keys_for_nested_params(client: httpx.AsyncClient) -> None:
    user = (await client.get("/acs/users/list", params={"search": "Front Desk"})).json()[
        "acs_users"
    ][0]
    # PATCH carries JSON; the same nested param as dotted query keys reaches it too.
    response = await client.patch(
        "/acs/users/update?access_schedule.starts_at=2026-01-01T00:00:00Z"
        "&access_schedule.ends_at=2035-01-01T00:00:00Z",
        json={"acs_user_id": user["acs_user_id"]},
    )
    assert response.json() == {"ok": True}
    got = (await client.get("/acs/users/get", params={"acs_user_id": user["acs_user_id"]})).json()
    assert got["acs_user"]["access_schedule"]["ends_at"] == "2035-01-01T00:00:00.000Z"
