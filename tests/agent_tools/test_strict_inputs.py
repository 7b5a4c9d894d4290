"""Strict inputs: flags are JSON booleans, integers are never booleans, unknown fields are
refused and every schema says so; `seam-mcp schemas --format openai --strict` passes a checker
written from OpenAI's documented strict-mode rules, and `call_tool(strict=True)` reads calls
made with those schemas (null = not given, `clear` clears)."""

from __future__ import annotations

import json
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

import pytest

from agent_tools import call_tool
from agent_tools.chat import tool_definitions
from agent_tools.cli import main
from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.registry import TOOLS
from agent_tools.tool import Tool
from tests.agent_tools.conftest import call, call_error, connect

# --------------------------------------------------------------- OpenAI strict-mode checker
# From OpenAI's "Structured Outputs" guide, "Supported schemas" (function calling with
# `strict: true` uses the same subset): the root is an object, not anyOf; every object sets
# additionalProperties: false and lists every property in `required` (optional = nullable);
# types are string, number, boolean, integer, object, array, null (and anyOf, enum, $ref /
# $defs); string, number, array and object constraint keywords are not supported; at most
# 5000 properties and 10 levels of nesting (we hold to the first limits: 100 and 5); enum values
# of a nullable enum include null. Function names: a-z, A-Z, 0-9, _ and -, at most 64.
ALLOWED = {"type", "properties", "required", "additionalProperties", "items", "enum", "anyOf"}
ALLOWED |= {"description", "$ref", "$defs", "const"}
TYPES = {"string", "number", "boolean", "integer", "object", "array", "null"}
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def strict_problems(function: dict[str, Any]) -> list[str]:
    """Why OpenAI's strict mode would refuse this function definition (empty: it accepts it)."""
    problems = []
    if function.get("strict") is not True:
        problems.append("strict is not true")
    if not NAME.fullmatch(function["name"]):
        problems.append(f"name {function['name']!r}")
    schema = function["parameters"]
    if schema.get("type") != "object" or "anyOf" in schema:
        problems.append("the root is not an object")
    count = [0]

    def walk(node: dict[str, Any], path: str, depth: int) -> None:
        for key in node.keys() - ALLOWED:
            problems.append(f"{path}: unsupported keyword {key}")
        kinds = node.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        problems.extend(f"{path}: type {k}" for k in kinds if k not in TYPES)
        if "enum" in node and "null" in kinds and None not in node["enum"]:
            problems.append(f"{path}: a nullable enum without null")
        if "object" in kinds:
            if depth > 5:
                problems.append(f"{path}: nested deeper than 5")
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties is not false")
            properties = node.get("properties", {})
            if sorted(node.get("required", [])) != sorted(properties):
                problems.append(f"{path}: not every property is required")
            count[0] += len(properties)
            for name, child in properties.items():
                walk(child, f"{path}.{name}", depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[]", depth)
        for index, variant in enumerate(node.get("anyOf", [])):
            walk(variant, f"{path}|{index}", depth)
        for name, definition in node.get("$defs", {}).items():
            walk(definition, f"$defs.{name}", depth)

    walk(schema, function["name"], 1)
    if count[0] > 100:
        problems.append(f"{count[0]} properties")
    return problems


def test_the_checker_refuses_what_strict_mode_refuses() -> None:
    plain = tool_definitions("openai")
    assert all(strict_problems(d["function"]) for d in plain)  # no strict flag, optional fields
    bad = {
        "name": "x",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {"limit": {"type": "integer", "minimum": 1}},
            "required": ["limit"],
            "additionalProperties": False,
        },
    }
    assert strict_problems(bad) == ["x.limit: unsupported keyword minimum"]


def test_strict_schemas_from_the_command_line_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--format", "openai", "--strict"]) == 0
    definitions = json.loads(capsys.readouterr().out)
    assert [d["function"]["name"] for d in definitions] == [t.name for t in TOOLS]
    for definition in definitions:
        assert strict_problems(definition["function"]) == [], definition["function"]["name"]
    by_name = {d["function"]["name"]: d["function"] for d in definitions}
    limit = by_name["search_acs_users"]["parameters"]["properties"]["limit"]
    assert limit == {"type": ["integer", "null"], "description": "1 to 200."}  # folded
    update = by_name["update_user_identity"]
    assert "`clear` lists fields to clear" in update["description"]
    assert "null clears" not in update["description"]
    assert main(["schemas", "--format", "anthropic", "--strict"]) != 0


# ------------------------------------------------------------------- the plain schemas


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [o for item in node for o in _objects(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if node.get("type") in ("object", ["object", "null"]) else []
    return found + [o for value in node.values() for o in _objects(value)]


@pytest.mark.parametrize("tool", TOOLS, ids=[t.name for t in TOOLS])
def test_every_object_of_every_input_schema_is_closed(tool: Tool[Any, Any]) -> None:
    objects = _objects(tool.input_schema)
    assert objects
    assert all(o.get("additionalProperties") is False for o in objects), tool.name


def _flags(tool: Tool[Any, Any]) -> list[str]:
    def is_bool(annotation: Any) -> bool:
        if annotation is bool:
            return True
        origin = get_origin(annotation)
        if origin is Annotated:
            return is_bool(get_args(annotation)[0])
        union = origin is Union or origin is types.UnionType
        return union and any(is_bool(a) for a in get_args(annotation))

    return [n for n, f in tool.input_model.model_fields.items() if is_bool(f.annotation)]


def test_every_flag_of_every_tool_refuses_anything_but_a_boolean() -> None:
    flagged = {t.name: _flags(t) for t in TOOLS if _flags(t)}
    assert set(flagged["link_acs_user"]) == {"unlink", "dry_run"}
    assert set(flagged["update_acs_user"]) == {"is_suspended", "dry_run"}
    assert "create_user_identity" in flagged  # dry_run there too
    for name, flags in flagged.items():
        tool = next(t for t in TOOLS if t.name == name)
        for flag in flags:
            value: object
            for value in (
                "off",
                "yes",
                "true",
                "0",
                1,
                0,
                [],
                None if flag != "is_suspended" else 2,
            ):
                with pytest.raises(ToolError) as caught:
                    tool.parse({flag: value})
                assert f"{flag}: " in str(caught.value), (name, flag, value)
                assert "use true or false" in str(caught.value), (name, flag, value)


async def test_dry_run_off_changes_nothing(context: ToolContext) -> None:
    """The issue: `dry_run: "off"` deleted for real, `"yes"` was taken as a dry run."""
    async with connect(context) as mcp:
        jane = (await call(mcp, "search_user_identities", {"search": "Jane Doe"}))[
            "user_identities"
        ][0]["user_identity_id"]
        for value in ("off", "yes", "false", 0):
            message = await call_error(
                mcp, "delete_user_identity", {"user_identity_id": jane, "dry_run": value}
            )
            assert f"dry_run: {json.dumps(value)} is not a boolean; use true or false" in message
        assert (await call(mcp, "get_user_identity", {"user_identity_id": jane}))["user_identity"]


async def test_unknown_fields_and_wrong_kinds_are_refused(context: ToolContext) -> None:
    async with connect(context) as mcp:
        message = await call_error(mcp, "search_devices", {"serach": "door"})
        assert "unknown field serach; allowed: " in message
        message = await call_error(
            mcp,
            "create_acs_user",
            {"acs_system_id": "x", "full_name": "A", "access_schedule": {"start": "2030-01-01"}},
        )
        assert "unknown field access_schedule.start" in message
        for limit in (True, 2.5, "ten"):
            message = await call_error(mcp, "search_devices", {"limit": limit})
            assert "limit" in message, limit
        # Digits as text (some clients send every argument as text) mean only one number.
        page = await call(mcp, "search_devices", {"limit": "2"})
        assert len(page["devices"]) == 2


# ----------------------------------------------------------- calls made with strict schemas


async def test_strict_calls_read_null_as_not_given(context: ToolContext) -> None:
    every = {"acs_system_id": None, "status": None, "search": None, "limit": None}
    page = await call_tool(
        "search_acs_users",
        {**every, "cursor": None, "workspace": None},
        context=context,
        strict=True,
    )
    assert not page.is_error, page.content
    assert page.data is not None
    assert len(page.data["acs_users"]) == 25  # the defaults
    plain = await call_tool("search_acs_users", {"limit": None}, context=context)
    assert plain.is_error  # without strict=True a null is not "not given"


async def test_strict_calls_clear_with_clear(context: ToolContext) -> None:
    service = await context.service()
    person = await service.client.user_identities.create(
        full_name="Clear Me", phone_number="+15555550177"
    )
    blank = dict.fromkeys(("full_name", "email_address", "user_identity_key", "workspace"))
    arguments = {"user_identity_id": person.user_identity_id, **blank, "dry_run": None}
    kept = await call_tool(
        "update_user_identity",
        {**arguments, "phone_number": None, "clear": None, "full_name": "Renamed"},
        context=context,
        strict=True,
    )
    assert kept.data is not None, kept.content
    assert kept.data["user_identity"]["phone_number"] == "+15555550177"  # null left it
    both = await call_tool(
        "update_user_identity",
        {**arguments, "phone_number": "+15555550178", "clear": ["phone_number"]},
        context=context,
        strict=True,
    )
    assert both.is_error
    assert "phone_number: given a value and listed in clear" in both.content
    wrong = await call_tool(
        "update_user_identity",
        {**arguments, "phone_number": None, "clear": ["user_identity_id"]},
        context=context,
        strict=True,
    )
    assert wrong.is_error
    assert "clear: a list of field names from email_address, full_name" in wrong.content
    cleared = await call_tool(
        "update_user_identity",
        {**arguments, "phone_number": None, "clear": ["phone_number"]},
        context=context,
        strict=True,
    )
    assert cleared.data is not None, cleared.content
    assert "phone_number" not in cleared.data["user_identity"]
