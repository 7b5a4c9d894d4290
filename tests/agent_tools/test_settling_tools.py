"""Pending changes through a real MCP client session: write results say a change is queued
(and where to check), carry `pending`, and get_acs_user / get_user_identity can wait for it.

The built-in sandbox settles writes SETTLE seconds after they are made; every wait is bounded
and ends on a condition, never on a timed assert.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from agent_tools.context import ToolContext
from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.faults import FaultConfig
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.agent_tools.conftest import call, call_error, connect

SETTLE = 0.3
WAIT = 30  # generous: a wait ends as soon as the object has settled


@pytest.fixture
async def settling(context: ToolContext) -> AsyncIterator[Sandbox]:
    """The context's built-in sandbox, settling every write SETTLE seconds later."""
    sandbox = local_sandbox()
    sandbox.settle_after = SETTLE
    yield sandbox
    sandbox.settle_after = 0.0


async def _a_system(mcp: Any) -> dict[str, Any]:
    systems = (await call(mcp, "list_acs_systems"))["acs_systems"]
    return dict(systems[0])


async def test_suspend_is_queued_then_waited_for(context: ToolContext, settling: Sandbox) -> None:
    async with connect(context) as mcp:
        system = await _a_system(mcp)
        created = await call(
            mcp,
            "create_acs_user",
            {"acs_system_id": system["acs_system_id"], "full_name": "Queued Quinn"},
        )
        user = created["acs_user"]
        assert [p["what"] for p in user["pending"]] == ["creation"]
        assert user["pending"][0]["since"]
        assert (
            f'Queued: Seam is pushing the creation to "{system["name"]}"; get_acs_user with '
            "wait_seconds waits for it." in created["summary"]
        )
        settled = await call(
            mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"], "wait_seconds": WAIT}
        )
        assert settled["settled"] is True
        assert "pending" not in settled
        assert settled["note"].startswith("Settled after ")

        updated = await call(
            mcp, "update_acs_user", {"acs_user_id": user["acs_user_id"], "is_suspended": True}
        )
        assert updated["summary"].startswith("Seam accepted the update of ACS user ")
        assert "Seam is pushing the suspension (to suspended) to" in updated["summary"]
        assert updated["acs_user"]["is_suspended"] is True
        assert [p["what"] for p in updated["acs_user"]["pending"]] == ["suspension (to suspended)"]

        now = await call(mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"]})
        assert now["settled"] is False
        assert now["pending"][0]["what"] == "suspension (to suspended)"
        assert "wait_seconds" in now["note"]

        done = await call(
            mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"], "wait_seconds": WAIT}
        )
        assert done["settled"] is True
        assert done["is_suspended"] is True
        assert "pending" not in done


async def test_deletes_are_queued_and_gone_after_the_wait(
    context: ToolContext, settling: Sandbox
) -> None:
    async with connect(context) as mcp:
        system = await _a_system(mcp)
        created = await call(
            mcp,
            "create_user_identity",
            {
                "full_name": "Dana Departing",
                "email_address": "dana.departing@example.com",
                "acs_system_ids": [system["acs_system_id"]],
            },
        )
        assert "Queued: Seam is pushing the ACS user(s) to" in created["summary"]
        assert created["acs_users"][0]["pending"] == ["creation"]
        identity_id = created["user_identity"]["user_identity_id"]

        before = await call(mcp, "get_user_identity", {"user_identity_id": identity_id})
        assert before["settled"] is False
        assert before["acs_users"][0]["pending"][0]["what"] == "creation"
        waited = await call(
            mcp, "get_user_identity", {"user_identity_id": identity_id, "wait_seconds": WAIT}
        )
        assert waited["settled"] is True
        assert "pending" not in waited["acs_users"][0]

        deleted = await call(mcp, "delete_user_identity", {"user_identity_id": identity_id})
        assert deleted["summary"].startswith("Deletion of user identity ")
        assert "is queued, not done yet." in deleted["summary"]
        assert "get_user_identity with wait_seconds waits until it is gone." in deleted["summary"]
        assert deleted["user_identity"]["pending"][0]["what"] == "deletion"

        again = await call_error(mcp, "delete_user_identity", {"user_identity_id": identity_id})
        assert "already being deleted" in again

        gone = await call(
            mcp, "get_user_identity", {"user_identity_id": identity_id, "wait_seconds": WAIT}
        )
        assert gone["gone"] is True
        assert gone["settled"] is True
        assert "no longer exists" in gone["note"]
        assert "pending" not in gone["user_identity"]


async def test_deleted_acs_user_is_gone_after_the_wait(
    context: ToolContext, settling: Sandbox
) -> None:
    async with connect(context) as mcp:
        system = await _a_system(mcp)
        user = (
            await call(
                mcp,
                "create_acs_user",
                {"acs_system_id": system["acs_system_id"], "full_name": "Short Stay"},
            )
        )["acs_user"]
        deleted = await call(mcp, "delete_acs_user", {"acs_user_id": user["acs_user_id"]})
        assert deleted["summary"].startswith("Deletion of ACS user ")
        assert "get_acs_user with wait_seconds waits until it is gone." in deleted["summary"]
        gone = await call(
            mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"], "wait_seconds": WAIT}
        )
        assert gone["gone"] is True
        assert gone["settled"] is True
        assert "pending" not in gone


async def test_a_failed_push_is_reported(context: ToolContext, settling: Sandbox) -> None:
    async with connect(context) as mcp:
        system = await _a_system(mcp)
        user = (
            await call(
                mcp,
                "create_acs_user",
                {"acs_system_id": system["acs_system_id"], "full_name": "Push Fails"},
            )
        )["acs_user"]
        await call(mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"], "wait_seconds": WAIT})
        settling.faults = FaultConfig(push_failure_rate=1.0, seed=14)
        await call(
            mcp, "update_acs_user", {"acs_user_id": user["acs_user_id"], "full_name": "Renamed"}
        )
        done = await call(
            mcp, "get_acs_user", {"acs_user_id": user["acs_user_id"], "wait_seconds": WAIT}
        )
        assert done["settled"] is True
        assert any(i.startswith("error failed_to_update_on_acs_system") for i in done["issues"])
        again = await call(
            mcp, "update_acs_user", {"acs_user_id": user["acs_user_id"], "full_name": "Again"}
        )
        assert "Seam reports a failed push: " in again["summary"]


async def test_wait_seconds_is_checked(context: ToolContext) -> None:
    async with connect(context) as mcp:
        users = (await call(mcp, "search_acs_users", {"limit": 1}))["acs_users"]
        acs_user_id = users[0]["acs_user_id"]
        for bad in (61, -1, True, "soon"):
            text = await call_error(
                mcp, "get_acs_user", {"acs_user_id": acs_user_id, "wait_seconds": bad}
            )
            assert "wait_seconds" in text


async def test_without_settling_nothing_is_queued(context: ToolContext) -> None:
    local_sandbox().settle_after = 0.0
    async with connect(context) as mcp:
        system = await _a_system(mcp)
        created = await call(
            mcp,
            "create_acs_user",
            {"acs_system_id": system["acs_system_id"], "full_name": "At Once"},
        )
        assert "Queued" not in created["summary"]
        assert "pending" not in created["acs_user"]
        acs_user_id = created["acs_user"]["acs_user_id"]
        read = await call(mcp, "get_acs_user", {"acs_user_id": acs_user_id, "wait_seconds": 5})
        assert read["settled"] is True
        assert "note" not in read
        deleted = await call(mcp, "delete_acs_user", {"acs_user_id": acs_user_id})
        assert deleted["summary"].startswith("Deleted ACS user ")
