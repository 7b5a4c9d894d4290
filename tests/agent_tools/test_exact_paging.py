"""Exact paging through a real MCP client session on the built-in sandbox: `limit` is a hard
maximum on every list tool, a page with a next_cursor is never empty, and a cursor is bound to
the tool, filters and workspace it came from (refused naming `cursor`, with the fix)."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from agent_tools.context import ToolContext
from agent_tools.outputs import NEXT_CURSOR
from tests.agent_tools.conftest import call, call_error, connect

LISTS = {  # tool → the key of its items and of their ids
    "search_user_identities": ("user_identities", "user_identity_id"),
    "search_acs_users": ("acs_users", "acs_user_id"),
    "search_devices": ("devices", "device_id"),
}


async def _walk(mcp: Client, tool: str, arguments: dict[str, Any]) -> list[list[str]]:
    """Every page of a listing, as lists of ids; checks each page's shape on the way."""
    items, id_key = LISTS[tool]
    pages: list[list[str]] = []
    cursor = None
    while True:
        page = await call(mcp, tool, {**arguments, **({"cursor": cursor} if cursor else {})})
        ids = [item[id_key] for item in page[items]]
        pages.append(ids)
        assert len(ids) <= arguments["limit"], (tool, arguments, len(ids))
        cursor = page.get("next_cursor")
        if cursor is None:
            assert "note" not in page
            return pages
        assert ids, f"an empty page with a next_cursor: {tool} {arguments}"
        assert page["note"] == NEXT_CURSOR  # a full page: the sandbox's seed never runs out


@pytest.mark.parametrize("limit", [1, 3, 10])
async def test_limit_is_a_hard_maximum_on_every_list(context: ToolContext, limit: int) -> None:
    async with connect(context) as mcp:
        everyone = (await call(mcp, "search_acs_users", {"limit": 200}))["acs_users"]
        expected = {
            "all": everyone,
            "linked": [u for u in everyone if "user_identity_id" in u],
            "unlinked": [u for u in everyone if "user_identity_id" not in u],
            "suspended": [u for u in everyone if u.get("is_suspended")],
        }
        for status, users in expected.items():
            pages = await _walk(mcp, "search_acs_users", {"status": status, "limit": limit})
            assert [i for p in pages for i in p] == [u["acs_user_id"] for u in users], status
            assert all(len(p) == limit for p in pages[:-1]), (status, [len(p) for p in pages])
        for tool in ("search_user_identities", "search_devices"):
            items, id_key = LISTS[tool]
            reference = [i[id_key] for i in (await call(mcp, tool, {"limit": 200}))[items]]
            pages = await _walk(mcp, tool, {"limit": limit})
            assert [i for p in pages for i in p] == reference, tool
            assert all(len(p) == limit for p in pages[:-1]), tool


async def test_the_issue_case_limit_3_suspended_and_linked(context: ToolContext) -> None:
    """The issue: status=linked with limit 3 returned 5, with limit 10 returned 17."""
    async with connect(context) as mcp:
        for limit in (3, 10):
            page = await call(mcp, "search_acs_users", {"status": "linked", "limit": limit})
            assert len(page["acs_users"]) == limit
            assert page["next_cursor"]


async def test_a_cursor_is_bound_to_its_tool_filters_and_workspace(context: ToolContext) -> None:
    async with connect(context) as mcp:
        suspended = await call(mcp, "search_acs_users", {"status": "suspended", "limit": 1})
        cursor = suspended["next_cursor"]
        systems = (await call(mcp, "list_acs_systems"))["acs_systems"]
        for other in (
            {"status": "linked"},
            {"status": "suspended", "search": "a"},
            {"status": "suspended", "acs_system_id": systems[0]["acs_system_id"]},
            {"status": "suspended", "workspace": "sandbox-globex-offices"},
        ):
            message = await call_error(mcp, "search_acs_users", {**other, "cursor": cursor})
            assert "cursor was returned by another listing or for other filters" in message, other
            assert "leave cursor out to start from the first page" in message
            assert "Nothing was changed" not in message  # a read: nothing to reassure about
        devices = await call(mcp, "search_devices", {"limit": 1})
        message = await call_error(
            mcp, "search_user_identities", {"cursor": devices["next_cursor"]}
        )
        assert (
            "cursor was returned by another listing or for other filters (workspace, search)"
            in message
        )
        message = await call_error(mcp, "search_devices", {"cursor": "eyJmIjoiYSJ9"})
        assert "cursor is not one this listing returned" in message
        # The same filters with another limit are fine: the next items, right after the first.
        rest = await call(
            mcp, "search_acs_users", {"status": "suspended", "limit": 50, "cursor": cursor}
        )
        everyone = (await call(mcp, "search_acs_users", {"status": "suspended", "limit": 50}))[
            "acs_users"
        ]
        assert suspended["acs_users"] + rest["acs_users"] == everyone
