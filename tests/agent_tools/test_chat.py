"""Chat function calling: the definitions in both formats, and a dispatcher that runs the same
registry functions as the MCP server (same results, same audit entries)."""

from __future__ import annotations

import json

import pytest

import agent_tools.chat
from agent_tools import (
    TOOLS,
    ToolContext,
    anthropic_tools,
    call_tool,
    openai_tools,
    select_tools,
    tool_definitions,
)
from seam_tui.core.service import SeamService
from tests.agent_tools.conftest import audit_entries, call, connect


def test_definitions_in_both_formats() -> None:
    openai = openai_tools()
    anthropic = anthropic_tools()
    assert [d["function"]["name"] for d in openai] == [t.name for t in TOOLS]
    assert [d["name"] for d in anthropic] == [t.name for t in TOOLS]
    for tool, o, a in zip(TOOLS, openai, anthropic, strict=True):
        assert o == {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": tool.input_schema,
            },
        }
        assert a == {
            "name": tool.name,
            "description": tool.description,
            "input_schema": tool.input_schema,
        }
    assert tool_definitions("anthropic") == anthropic
    read_only = tool_definitions("openai", select_tools(read_only=True))
    assert len(read_only) == 9


async def test_dispatcher_gives_what_the_mcp_server_gives(context: ToolContext) -> None:
    arguments = {"search": "Chen", "limit": 5}
    chat = await call_tool("search_user_identities", json.dumps(arguments), context=context)
    assert not chat.is_error
    async with connect(context) as mcp:
        assert chat.data == await call(mcp, "search_user_identities", arguments)
    assert json.loads(chat.content) == chat.data
    assert chat.to_openai("call_1") == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": chat.content,
    }
    assert chat.to_anthropic("toolu_1") == {
        "type": "tool_result",
        "tool_use_id": "toolu_1",
        "content": chat.content,
    }


async def test_dispatcher_writes_are_audited_as_mcp(context: ToolContext) -> None:
    result = await call_tool("create_user_identity", {"full_name": "Mary Jackson"}, context=context)
    assert not result.is_error
    assert result.data is not None
    assert result.data["summary"].startswith('Created user identity "Mary Jackson"')
    [entry] = audit_entries()
    assert (entry.front_end, entry.operation, entry.outcome) == (
        "mcp",
        "create_user_identity",
        "ok",
    )
    assert entry.ids["user_identity_id"] == result.data["user_identity"]["user_identity_id"]


async def test_dispatcher_errors_are_results_the_model_reads(context: ToolContext) -> None:
    unknown = await call_tool("drop_database", {}, context=context)
    assert unknown.is_error
    assert "available: list_workspaces" in unknown.content
    bad_json = await call_tool("list_acs_systems", "{not json", context=context)
    assert bad_json.is_error
    assert "not valid JSON" in bad_json.content
    assert bad_json.to_anthropic("t")["is_error"] is True
    assert bad_json.to_openai("c")["content"].startswith("Error: ")
    invalid = await call_tool("create_user_identity", {"phone_number": "555"}, context=context)
    assert "phone_number" in invalid.content
    assert "E.164" in invalid.content
    refused = await call_tool(
        "create_user_identity",
        {"full_name": "X"},
        context=context,
        tools=select_tools(read_only=True),
    )
    assert refused.is_error
    assert "Unknown tool create_user_identity;" in refused.content


async def test_an_unexpected_failure_shows_no_internals(
    context: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail seam_test_secret")

    monkeypatch.setattr(SeamService, "list_systems", broken)
    result = await call_tool("list_acs_systems", {}, context=context)
    assert result.is_error
    assert (
        result.content == "Tool list_acs_systems failed unexpectedly; the details are in the log."
    )


async def test_default_context_is_the_default_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agent_tools.chat, "_default_context", None)
    result = await call_tool("list_workspaces")
    assert result.data is not None
    assert [w["name"] for w in result.data["workspaces"] if w.get("default")] == ["sandbox"]
    shared = agent_tools.chat._default_context
    assert shared is not None
    await shared.aclose()
