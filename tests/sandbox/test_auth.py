"""Authentication: API keys, the personal access token and the seam-workspace header."""

from __future__ import annotations

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for


async def test_missing_key_is_401(sandbox: Sandbox) -> None:
    async with client_for(sandbox) as http:
        response = await http.get("/user_identities/list")
    assert response.status_code == 401
    body = response.json()
    assert body["ok"] is False
    assert body["error"]["type"] == "unauthorized"
    assert body["error"]["request_id"] == response.headers["seam-request-id"]


async def test_unknown_key_is_401(sandbox: Sandbox) -> None:
    async with client_for(sandbox, authorization="Bearer seam_testnotakey") as http:
        response = await http.post("/workspaces/get", json={})
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "unauthorized"


async def test_auth_is_checked_before_params(sandbox: Sandbox) -> None:
    async with client_for(sandbox, authorization="Bearer seam_testnotakey") as http:
        response = await http.post("/user_identities/create", json={"nonsense": 1})
    assert response.status_code == 401


async def test_api_key_selects_its_workspace(
    sandbox: Sandbox, acme: SandboxWorkspace, globex: SandboxWorkspace
) -> None:
    for workspace in (acme, globex):
        async with client_for(sandbox, authorization=f"Bearer {workspace.api_key}") as http:
            got = (await http.get("/workspaces/get")).json()["workspace"]
            listed = (await http.get("/workspaces/list")).json()["workspaces"]
        assert got["workspace_id"] == workspace.workspace_id
        assert got["name"] == workspace.name
        assert got["is_sandbox"] is True
        assert [ws["workspace_id"] for ws in listed] == [workspace.workspace_id]


async def test_keys_look_like_sandbox_keys(sandbox: Sandbox) -> None:
    assert all(ws.api_key.startswith("seam_test") for ws in sandbox.workspaces())
    assert sandbox.personal_access_token().startswith("seam_at")


async def test_pat_with_workspace_header_acts_in_that_workspace(
    sandbox: Sandbox, globex: SandboxWorkspace
) -> None:
    pat = sandbox.personal_access_token()
    async with client_for(
        sandbox, authorization=f"Bearer {pat}", seam_workspace=globex.workspace_id
    ) as http:
        workspace = (await http.get("/workspaces/get")).json()["workspace"]
        identities = (await http.get("/user_identities/list")).json()["user_identities"]
    assert workspace["workspace_id"] == globex.workspace_id
    assert identities
    assert {ident["workspace_id"] for ident in identities} == {globex.workspace_id}


async def test_pat_without_header_only_lists_workspaces(sandbox: Sandbox) -> None:
    pat = sandbox.personal_access_token()
    async with client_for(sandbox, authorization=f"Bearer {pat}") as http:
        listed = await http.get("/workspaces/list")
        other = await http.get("/user_identities/list")
        get = await http.post("/workspaces/get")
    assert listed.status_code == 200
    names = [ws["name"] for ws in listed.json()["workspaces"]]
    assert names == ["Acme Property Sandbox", "Globex Offices Sandbox"]
    assert other.status_code == 401
    assert get.status_code == 401


async def test_pat_with_unknown_workspace_is_404(sandbox: Sandbox) -> None:
    pat = sandbox.personal_access_token()
    async with client_for(
        sandbox,
        authorization=f"Bearer {pat}",
        seam_workspace="00000000-0000-4000-8000-000000000000",
    ) as http:
        response = await http.get("/workspaces/get")
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "workspace_not_found"


async def test_wrong_pat_is_401(sandbox: Sandbox, acme: SandboxWorkspace) -> None:
    async with client_for(
        sandbox, authorization="Bearer seam_atwrong", seam_workspace=acme.workspace_id
    ) as http:
        response = await http.get("/workspaces/list")
    assert response.status_code == 401


async def test_created_workspace_has_a_working_key(empty_sandbox: Sandbox) -> None:
    assert empty_sandbox.workspaces() == []
    workspace = empty_sandbox.create_workspace("Test Workspace")
    assert workspace.is_sandbox
    async with client_for(empty_sandbox, authorization=f"Bearer {workspace.api_key}") as http:
        response = await http.get("/user_identities/list")
    assert response.json()["user_identities"] == []
    assert empty_sandbox.workspaces() == [workspace]


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.get("/workspaces/get")
    second = await client.get("/no/such/endpoint")
    assert first.headers["seam-request-id"] != second.headers["seam-request-id"]
    assert second.status_code == 404
