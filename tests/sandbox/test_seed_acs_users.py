"""Bulk seeding of ACS users into one system (`Sandbox.seed_acs_users`)."""

from __future__ import annotations

import sqlite3

import pytest

from seam_tui.sandbox import Sandbox
from tests.sandbox.conftest import client_for


async def test_seed_acs_users_lists_after_existing_in_the_system(sandbox: Sandbox) -> None:
    acme = sandbox.workspaces()[0]
    auth = f"Bearer {acme.api_key}"
    async with client_for(sandbox, authorization=auth) as http:
        systems = (await http.get("/acs/systems/list")).json()["acs_systems"]
        system = systems[0]["acs_system_id"]
        before = (await http.get("/acs/users/list", params={"acs_system_id": system})).json()
        assert sandbox.seed_acs_users(acme.workspace_id, system, 1_200) == 1_200
        listed: list[dict[str, object]] = []
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"acs_system_id": system, "limit": 500}
            if cursor:
                params["page_cursor"] = cursor
            page = (await http.get("/acs/users/list", params=params)).json()
            listed += page["acs_users"]
            cursor = page["pagination"]["next_page_cursor"]
            if not page["pagination"]["has_next_page"]:
                break
    existing = len(before["acs_users"])
    assert len(listed) == existing + 1_200
    assert [u["acs_user_id"] for u in listed[:existing]] == [
        u["acs_user_id"] for u in before["acs_users"]
    ]
    bulk = listed[existing:]
    assert all(u["acs_system_id"] == system and "user_identity_id" not in u for u in bulk)
    assert len({u["email_address"] for u in bulk}) == 1_200
    assert sandbox.count("acs_users") == 60 + 13 + 1_200


def test_seed_acs_users_rejects_a_system_of_another_workspace(sandbox: Sandbox) -> None:
    acme, globex = sandbox.workspaces()
    with sqlite3.connect(sandbox.db_path) as db:
        globex_system = db.execute(
            "SELECT acs_system_id FROM acs_systems WHERE workspace_id = ?", (globex.workspace_id,)
        ).fetchone()[0]
    with pytest.raises(ValueError, match="no ACS system"):
        sandbox.seed_acs_users(acme.workspace_id, globex_system, 1)
    with pytest.raises(ValueError, match="negative"):
        sandbox.seed_acs_users(globex.workspace_id, globex_system, -1)
    assert sandbox.count("acs_users") == 60 + 13
