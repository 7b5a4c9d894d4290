"""Cursor pagination: following pages to the end, stable order, mismatched cursors."""

from __future__ import annotations

from typing import Any

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for


async def pages(client: httpx.AsyncClient, path: str, key: str, **params: Any) -> list[list[Any]]:
    result: list[list[Any]] = []
    cursor = None
    while True:
        sent = dict(params) if cursor is None else {**params, "page_cursor": cursor}
        body = (await client.get(path, params=sent)).json()
        result.append(body[key])
        pagination = body["pagination"]
        if not pagination["has_next_page"]:
            assert pagination["next_page_cursor"] is None
            assert pagination["next_page_url"] is None
            return result
        cursor = pagination["next_page_cursor"]


async def test_identities_to_the_end(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    acme = sandbox.workspaces()[0]
    sandbox.seed_identities(acme.workspace_id, 1_000)
    got = await pages(client, "/user_identities/list", "user_identities", limit=300)
    assert [len(page) for page in got] == [300, 300, 300, 125]
    flat = [ident for page in got for ident in page]
    assert len({ident["user_identity_id"] for ident in flat}) == 1_025
    keys = [(ident["created_at"], ident["user_identity_id"]) for ident in flat]
    assert keys == sorted(keys)


async def test_default_limit_is_500(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, 600)
    body = (await client.get("/user_identities/list")).json()
    assert len(body["user_identities"]) == 500
    assert body["pagination"]["has_next_page"] is True


async def test_search_pages(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, 2_000)
    # Dense (most rows match) and sparse (few match) searches both page correctly.
    dense = await pages(
        client, "/user_identities/list", "user_identities", search="example", limit=700
    )
    assert sum(len(page) for page in dense) == 2_025 - 1  # Zara has no email, and no "example"
    sparse = await pages(
        client, "/user_identities/list", "user_identities", search="quinn.turner", limit=2
    )
    matches = [ident for page in sparse for ident in page]
    assert matches
    assert all("quinn.turner" in ident["email_address"] for ident in matches)
    assert len(matches) == 5  # Quinn x Turner appears once per 400 generated names


async def test_acs_users_to_the_end(client: httpx.AsyncClient) -> None:
    got = await pages(client, "/acs/users/list", "acs_users", limit=7)
    assert sum(len(page) for page in got) == 60
    assert len({user["acs_user_id"] for page in got for user in page}) == 60


async def test_post_pagination_and_next_page_url(client: httpx.AsyncClient) -> None:
    first = (await client.post("/user_identities/list", json={"limit": 10, "search": "a"})).json()
    url = first["pagination"]["next_page_url"]
    assert url.startswith("http://sandbox.local/user_identities/list?")
    second = (await client.get(url)).json()
    via_cursor = (
        await client.post(
            "/user_identities/list",
            json={
                "limit": 10,
                "search": "a",
                "page_cursor": first["pagination"]["next_page_cursor"],
            },
        )
    ).json()
    assert second["user_identities"] == via_cursor["user_identities"]
    assert second["user_identities"][0] not in first["user_identities"]


async def test_mismatched_cursor(client: httpx.AsyncClient) -> None:
    first = (await client.get("/user_identities/list", params={"limit": 5})).json()
    cursor = first["pagination"]["next_page_cursor"]
    changes: list[dict[str, Any]] = [{"limit": 6}, {"limit": 5, "search": "jane"}]
    for changed in changes:
        response = await client.get(
            "/user_identities/list", params={**changed, "page_cursor": cursor}
        )
        assert response.status_code == 400
        assert response.json()["error"]["type"] == "mismatched_page_parameters"
    garbage = await client.get("/user_identities/list", params={"limit": 5, "page_cursor": "xyz"})
    assert garbage.status_code == 400
    assert garbage.json()["error"]["type"] == "invalid_input"


async def test_cursor_from_another_workspace_is_mismatched(
    sandbox: Sandbox, acme: SandboxWorkspace, globex: SandboxWorkspace
) -> None:
    async with client_for(sandbox, authorization=f"Bearer {acme.api_key}") as http:
        cursor = (await http.get("/user_identities/list", params={"limit": 1})).json()[
            "pagination"
        ]["next_page_cursor"]
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as http:
        response = await http.get(
            "/user_identities/list", params={"limit": 1, "page_cursor": cursor}
        )
    assert response.json()["error"]["type"] == "mismatched_page_parameters"


async def test_limit_zero_and_cap(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    zero = (await client.get("/user_identities/list", params={"limit": 0})).json()
    assert zero["user_identities"] == []
    assert zero["pagination"]["has_next_page"] is True
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, 1_200)
    big = (await client.get("/user_identities/list", params={"limit": 5_000})).json()
    assert len(big["user_identities"]) == 1_000
    assert big["pagination"]["has_next_page"] is True
