"""The people tools through a real MCP client session on the built-in sandbox: plan an import,
apply it only with the plan's token, refusals when the workspace changed or is read-only, and
a hostile name in a row coming back as quoted data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp import Client

from agent_tools.context import ToolContext
from agent_tools.mcp_server import build_server
from agent_tools.quoting import quoted
from seam_tui.visible import placeholder
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.agent_tools.conftest import audit_entries, call, call_error, connect
from tests.agent_tools.test_hostile_data import HIDING, INJECTION, WORDS, _outside_quotes

HEADER = "full_name,email_address,user_identity_key,acs_system_ids\n"


async def _systems(context: ToolContext) -> list[str]:
    service = await context.service()
    return list(await service.systems_by_id())[:2]


def _rows(systems: list[str], *people: int) -> str:
    return HEADER + "".join(
        f"Bulk Person {i},bulk{i}@example.com,bulk-{i},{' '.join(systems)}\n" for i in people
    )


async def _emails(mcp: Client) -> list[str]:
    found = await call(mcp, "search_user_identities", {"search": "bulk", "limit": 50})
    return sorted(i["email_address"] for i in found["user_identities"])


async def test_plan_then_apply_with_the_token(context: ToolContext) -> None:
    systems = await _systems(context)
    async with connect(context) as mcp:
        plan = await call(mcp, "plan_people", {"rows": _rows(systems, 1, 2, 3)})
        assert plan["counts"] == {"create": 3}
        assert [r["action"] for r in plan["rows"]] == ["create"] * 3
        assert plan["rows"][0]["who"] == "Bulk Person 1"
        assert plan["token"] in plan["summary"]
        assert "Nothing has changed" in plan["summary"]
        assert await _emails(mcp) == []  # planning changed nothing

        applied = await call(mcp, "apply_people_plan", {"token": plan["token"]})
        assert applied["counts"] == {"created": 3}
        assert all(len(r["acs_user_ids"]) == 2 for r in applied["rows"])
        assert await _emails(mcp) == [f"bulk{i}@example.com" for i in (1, 2, 3)]

        # The same token again: what it planned is done, so the plan differs now.
        again = await call_error(mcp, "apply_people_plan", {"token": plan["token"]})
        assert "changed since that plan; nothing was applied" in again
        assert "Plan again: call plan_people" in again
        replanned = await call(mcp, "plan_people", {"rows": _rows(systems, 1, 2, 3)})
        assert replanned["counts"] == {"nothing": 3}
        assert "rows" not in replanned  # rows with nothing to do are only counted
        done = await call(mcp, "apply_people_plan", {"token": replanned["token"]})
        assert "nothing new to do" in done["summary"]
        assert await _emails(mcp) == [f"bulk{i}@example.com" for i in (1, 2, 3)]

        # Offboarding the same way: a plan, then its token.
        leaver = "email_address\nbulk1@example.com\n"
        off = await call(mcp, "plan_people", {"rows": leaver, "offboard": "delete"})
        assert off["counts"] == {"offboard": 1}
        assert off["summary"].startswith("Planned offboarding (delete) of")
        assert any("delete" in step for step in off["rows"][0]["steps"])
        gone = await call(mcp, "apply_people_plan", {"token": off["token"]})
        assert gone["counts"] == {"done": 1}
        local_sandbox().settle_all()  # with settling on, gone once Seam has pushed the delete
        assert await _emails(mcp) == [f"bulk{i}@example.com" for i in (2, 3)]
    outcomes = [(e.operation, e.outcome) for e in audit_entries() if e.parent_id is None]
    assert ("import_people", "dry_run") in outcomes
    assert ("import_people", "ok") in outcomes


async def test_a_changed_workspace_or_unknown_token_is_refused(context: ToolContext) -> None:
    systems = await _systems(context)
    service = await context.service()
    async with connect(context) as mcp:
        plan = await call(mcp, "plan_people", {"rows": _rows(systems, 4, 5)})
        # Someone makes person 5 meanwhile: the plan's "create" would now be an "update".
        await service.client.user_identities.create(
            full_name="Someone Else", email_address="bulk5@example.com"
        )
        refused = await call_error(mcp, "apply_people_plan", {"token": plan["token"]})
        assert "nothing was applied" in refused
        assert "Plan again" in refused
        assert await _emails(mcp) == ["bulk5@example.com"]  # person 4 was not made

        unknown = await call_error(mcp, "apply_people_plan", {"token": "0123abcd"})
        assert 'No plan has token "0123abcd"' in unknown
        assert "Call plan_people" in unknown


async def test_problems_refuse_the_apply_unless_skipped(
    context: ToolContext, tmp_path: Path
) -> None:
    systems = await _systems(context)
    source = tmp_path / "people.csv"
    source.write_text(_rows(systems, 6) + "Bad Email,not-an-email,bulk-7,\n", encoding="utf-8")
    async with connect(context) as mcp:
        plan = await call(mcp, "plan_people", {"path": str(source)})
        assert plan["counts"] == {"create": 1, "invalid": 1}
        [bad] = [r for r in plan["rows"] if r["action"] == "invalid"]
        assert bad["row"] == 3
        assert bad["problems"][0].startswith("row 3, email_address: ")
        refused = await call_error(mcp, "apply_people_plan", {"token": plan["token"]})
        assert "1 row(s) of the plan have problems" in refused
        assert "skip_invalid=true" in refused
        assert await _emails(mcp) == []

        applied = await call(
            mcp, "apply_people_plan", {"token": plan["token"], "skip_invalid": True}
        )
        assert applied["counts"] == {"created": 1, "skipped": 1}
        assert applied["result_file"] == str(tmp_path / "people.csv.result.jsonl")
        assert await _emails(mcp) == ["bulk6@example.com"]

        not_people = await call_error(mcp, "plan_people", {"path": "/etc/passwd"})
        assert 'path: "/etc/passwd" is not a people file' in not_people
        both = await call_error(mcp, "plan_people", {"rows": HEADER, "path": str(source)})
        assert "give exactly one of rows" in both
        empty = await call_error(mcp, "plan_people", {"rows": "full_name\n"})
        assert "The rows cannot be read: the file has no people in it" in empty

    context.local_files = False  # as `seam-mcp --transport streamable-http` serves it
    async with connect(context) as mcp:
        remote = await call_error(mcp, "plan_people", {"path": str(source)})
        assert "reads no file of its machine; pass the people as rows" in remote


async def test_a_read_only_workspace_refuses_the_apply() -> None:
    context = ToolContext.open(read_only=True)
    try:
        systems = await _systems(context)
        async with Client(build_server(context)) as mcp:
            plan = await call(mcp, "plan_people", {"rows": _rows(systems, 8)})
            assert "read-only: it cannot apply" in plan["summary"]
            refused = await call_error(mcp, "apply_people_plan", {"token": plan["token"]})
            assert "read-only" in refused
            assert await _emails(mcp) == []
    finally:
        await context.aclose()


async def test_a_hostile_name_in_a_row_comes_back_quoted(context: ToolContext) -> None:
    rows = "\n".join(
        json.dumps({"full_name": name, "user_identity_key": f"hostile-{i}"})
        for i, name in enumerate((INJECTION, HIDING))
    )
    async with connect(context) as mcp:
        result = await mcp.call_tool("plan_people", {"rows": rows})
        assert not result.is_error, result.content
        text = result.content[0].text  # type: ignore[union-attr]
        assert not [c for c in text if placeholder(c) is not None], text
        plan: dict[str, Any] = result.structured_content or {}
        assert [r["who"] for r in plan["rows"]] == [INJECTION, HIDING]  # the data, exact
        for row, name in zip(plan["rows"], (INJECTION, HIDING), strict=True):
            [step] = row["steps"]
            assert quoted(name) in step
            outside = _outside_quotes(step)
            assert not [w for w in WORDS if w in outside], step
            assert not [c for c in step if placeholder(c) is not None], step
        applied = await call(mcp, "apply_people_plan", {"token": plan["token"]})
        assert applied["counts"] == {"created": 2}
        assert not [w for w in WORDS if w in _outside_quotes(applied["summary"])]

        # A hostile column name in the header: the error names it quoted, hidden characters
        # made visible.
        column = HIDING.replace("\n", " ")
        message = await call_error(mcp, "plan_people", {"rows": f"full_name,{column}\nAda,x\n"})
        assert "row 1, header: unknown column " in message
        assert not [w for w in WORDS if w in _outside_quotes(message)], message
        assert not [c for c in message if placeholder(c) is not None], message
