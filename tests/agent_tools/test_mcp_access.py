"""The access tools through the SDK's in-memory MCP client on the built-in sandbox: what a person
can open and why, grant / revoke a device, instant keys, access groups, the errors that change
nothing, the size of tools/list, and the chat definitions of the same tools."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from mcp import Client

from agent_tools import anthropic_tools, call_tool, openai_tools, select_tools
from agent_tools.context import ToolContext
from agent_tools.mcp_server import build_server
from agent_tools.registry import TOOLS_BY_NAME
from tests.agent_tools.conftest import audit_entries, call, call_error, connect

BUDGET = 12_000  # bytes of the whole tools/list result, as `seam-mcp` serves it
PATHS = {"access_group", "credential", "acs_user", "device_grant"}
BLOCKED = {"suspended", "not_started", "ended"}


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


async def _person(mcp: Client, name: str) -> str:
    [found] = (await call(mcp, "search_user_identities", {"search": name}))["user_identities"]
    identity_id: str = found["user_identity_id"]
    return identity_id


async def _device(mcp: Client, name: str, workspace: str | None = None) -> dict[str, Any]:
    arguments = {"search": name, **({"workspace": workspace} if workspace else {})}
    [device] = (await call(mcp, "search_devices", arguments))["devices"]
    assert device["name"] == name
    return device  # type: ignore[no-any-return]


async def test_tools_list_stays_under_budget(context: ToolContext) -> None:
    async with connect(context) as mcp:
        listing = await mcp.list_tools()
    wire = listing.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert _size(wire) < BUDGET, _size(wire)
    names = {t.name for t in listing.tools}
    assert {"search_devices", "set_device_access", "generate_instant_key"} <= names
    async with Client(build_server(context, select_tools(read_only=True))) as client:
        read_only = (await client.list_tools()).model_dump(mode="json", by_alias=True)
    assert _size(read_only) < _size(wire) // 2


async def test_what_a_person_can_open_and_why(context: ToolContext) -> None:
    async with connect(context) as mcp:
        jane = await call(
            mcp, "get_user_identity", {"user_identity_id": await _person(mcp, "Jane")}
        )
        liam = await call(
            mcp, "get_user_identity", {"user_identity_id": await _person(mcp, "Liam")}
        )
        kenji = await call(
            mcp, "get_user_identity", {"user_identity_id": await _person(mcp, "Kenji")}
        )
    acs_user_ids = {u["acs_user_id"] for u in jane["acs_users"]}
    front = next(e for e in jane["entrances"] if e["name"] == "Front Entrance")
    assert front["system_name"] == "Acme HQ Offices"
    assert front["opens_now"] is True
    assert {p["via"] for p in front["paths"]} == {"access_group", "credential"}
    group_path = next(p for p in front["paths"] if p["via"] == "access_group")
    assert group_path["access_group_name"] == "Office Staff"
    [hq_user] = [u for u in jane["acs_users"] if u["acs_system_id"] == front["acs_system_id"]]
    assert hq_user["system_name"] == "Acme HQ Offices"
    assert jane["devices"]
    assert all(d["paths"] == [{"via": "device_grant"}] for d in jane["devices"])
    for credential in jane["credentials"]:
        assert credential["acs_user_id"] in acs_user_ids
        assert "code" not in credential  # a PIN is never handed to the model
    for person in (jane, liam, kenji):
        for item in person["entrances"] + person.get("devices", []):
            assert {p["via"] for p in item["paths"]} <= PATHS
            blocked = [p.get("blocked") for p in item["paths"]]
            assert set(blocked) - {None} <= BLOCKED
            assert item["opens_now"] == (None in blocked)
        assert "problems" not in person
    assert any(p.get("blocked") == "ended" for e in liam["entrances"] for p in e["paths"])
    assert any(p.get("blocked") == "suspended" for e in kenji["entrances"] for p in e["paths"])


async def test_grant_a_lock_make_a_key_and_revoke_the_lock(context: ToolContext) -> None:
    async with connect(context) as mcp:
        ethan = await _person(mcp, "Ethan")
        front = await _device(mcp, "Front Door")
        grant = {"user_identity_id": ethan, "device_id": front["device_id"], "granted": True}

        preview = await call(mcp, "set_device_access", {**grant, "dry_run": True})
        assert preview["dry_run"] is True
        assert preview["summary"].startswith(f"Dry run: would grant device {front['device_id']}")
        assert "Front Door" not in preview["summary"]  # names are data, in their own fields
        assert preview["device"]["name"] == "Front Door"
        assert "devices" not in await call(mcp, "get_user_identity", {"user_identity_id": ethan})

        granted = await call(mcp, "set_device_access", grant)
        assert granted["summary"] == (
            f"Granted device {front['device_id']} to user identity {ethan}."
        )
        person = await call(mcp, "get_user_identity", {"user_identity_id": ethan})
        assert [(d["device_id"], d["opens_now"], d["paths"]) for d in person["devices"]] == [
            (front["device_id"], True, [{"via": "device_grant"}])
        ]
        again = await call_error(mcp, "set_device_access", grant)
        assert "device_id" in again
        assert "already granted" in again

        key = (
            await call(mcp, "generate_instant_key", {"user_identity_id": ethan, "max_use_count": 3})
        )["instant_key"]
        assert key["instant_key_url"].startswith("https://ik.seam.co/")
        person = await call(mcp, "get_user_identity", {"user_identity_id": ethan})
        assert [k["instant_key_url"] for k in person["instant_keys"]] == [key["instant_key_url"]]
        assert person["instant_keys"][0]["expires_at"] == key["expires_at"]

        revoke = {**grant, "granted": False}
        preview = await call(mcp, "set_device_access", {**revoke, "dry_run": True})
        assert "would revoke" in preview["summary"]
        await call(mcp, "set_device_access", revoke)
        assert "devices" not in await call(mcp, "get_user_identity", {"user_identity_id": ethan})
        message = await call_error(mcp, "set_device_access", revoke)
        assert "not granted" in message
        assert "device_id" in message
        message = await call_error(mcp, "set_device_access", {**revoke, "dry_run": True})
        assert "Nothing was changed" in message
    done = [(e.operation, e.outcome) for e in audit_entries() if e.outcome != "dry_run"]
    assert done == [  # a refused write is audited too, as an error
        ("grant_access_to_device", "ok"),
        ("grant_access_to_device", "error"),
        ("generate_instant_key", "ok"),
        ("revoke_access_to_device", "ok"),
        ("revoke_access_to_device", "error"),
    ]


async def test_bad_access_requests_change_nothing(context: ToolContext) -> None:
    async with connect(context) as mcp:
        ethan = await _person(mcp, "Ethan")
        for dry_run in (True, False):
            unknown = {"user_identity_id": ethan, "device_id": str(uuid4()), "granted": True}
            message = await call_error(mcp, "set_device_access", {**unknown, "dry_run": dry_run})
            assert "device_id" in message
            assert "search_devices" in message

        # A device of this workspace, asked for in another one, is unknown there.
        front = await _device(mcp, "Front Door")
        globex = "sandbox-globex-offices"
        someone = (await call(mcp, "search_user_identities", {"workspace": globex}))[
            "user_identities"
        ][0]["user_identity_id"]
        message = await call_error(
            mcp,
            "set_device_access",
            {
                "user_identity_id": someone,
                "device_id": front["device_id"],
                "granted": True,
                "workspace": globex,
            },
        )
        assert "device_id" in message
        assert "search_devices" in message

        for count in (0, -1, 1.5, "many"):
            message = await call_error(
                mcp, "generate_instant_key", {"user_identity_id": ethan, "max_use_count": count}
            )
            assert "Invalid arguments for generate_instant_key: max_use_count" in message
        message = await call_error(mcp, "generate_instant_key", {"user_identity_id": str(uuid4())})
        assert "404" in message
        person = await call(mcp, "get_user_identity", {"user_identity_id": ethan})
    assert "devices" not in person
    assert "instant_keys" not in person
    assert [e.outcome for e in audit_entries() if e.outcome == "ok"] == []


async def test_access_groups_with_members_and_changes(context: ToolContext) -> None:
    async with connect(context) as mcp:
        systems = (await call(mcp, "list_acs_systems"))["acs_systems"]
        assert all("access_groups" not in s for s in systems)
        tower = next(s for s in systems if s["name"] == "Acme Tower")
        hq = next(s for s in systems if s["name"] == "Acme HQ Offices")
        listed = await call(mcp, "list_acs_systems", {"acs_system_id": tower["acs_system_id"]})
        assert [s["name"] for s in listed["acs_systems"]] == ["Acme Tower"]
        groups = {g["name"]: g for g in listed["access_groups"]}
        gym = groups["Gym & Pool"]
        assert {e["name"] for e in gym["entrances"]} == {"Gym", "Pool Gate"}
        marcus = await call(
            mcp, "get_user_identity", {"user_identity_id": await _person(mcp, "Marcus")}
        )
        [acs_user] = marcus["acs_users"]
        acs_user_id = acs_user["acs_user_id"]
        assert acs_user_id not in {m["acs_user_id"] for m in gym["members"]}
        add = {"acs_user_id": acs_user_id, "add_access_group_ids": [gym["acs_access_group_id"]]}

        preview = await call(mcp, "update_acs_user", {**add, "dry_run": True})
        assert preview["changes"] == [f"access group {gym['acs_access_group_id']}: add"]
        changed = await call(mcp, "update_acs_user", add)
        assert changed["changes"] == preview["changes"]
        detail = await call(mcp, "get_acs_user", {"acs_user_id": acs_user_id})
        assert gym["acs_access_group_id"] in {
            g["acs_access_group_id"] for g in detail["access_groups"]
        }
        listed = await call(mcp, "list_acs_systems", {"acs_system_id": tower["acs_system_id"]})
        gym_now = next(g for g in listed["access_groups"] if g["name"] == "Gym & Pool")
        assert acs_user_id in {m["acs_user_id"] for m in gym_now["members"]}
        opens = await call(
            mcp,
            "get_user_identity",
            {"user_identity_id": marcus["user_identity"]["user_identity_id"]},
        )
        assert {"Gym", "Pool Gate"} <= {e["name"] for e in opens["entrances"]}

        # A group of another system: refused before anything is sent, the name included.
        hq_groups = (await call(mcp, "list_acs_systems", {"acs_system_id": hq["acs_system_id"]}))[
            "access_groups"
        ]
        message = await call_error(
            mcp,
            "update_acs_user",
            {
                "acs_user_id": acs_user_id,
                "full_name": "Marcus Changed",
                "remove_access_group_ids": [gym["acs_access_group_id"]],
                "add_access_group_ids": [hq_groups[0]["acs_access_group_id"]],
            },
        )
        assert "add_access_group_ids" in message
        assert "Nothing was changed" in message
        assert (await call(mcp, "get_acs_user", {"acs_user_id": acs_user_id}))[
            "full_name"
        ] == "Marcus Chen"

        remove = {
            "acs_user_id": acs_user_id,
            "remove_access_group_ids": add["add_access_group_ids"],
        }
        await call(mcp, "update_acs_user", remove)
        detail = await call(mcp, "get_acs_user", {"acs_user_id": acs_user_id})
        assert gym["acs_access_group_id"] not in {
            g["acs_access_group_id"] for g in detail.get("access_groups", [])
        }
        message = await call_error(
            mcp,
            "update_acs_user",
            {**remove, "add_access_group_ids": remove["remove_access_group_ids"]},
        )
        assert "in both add_access_group_ids and remove_access_group_ids" in message
        message = await call_error(mcp, "update_acs_user", {"acs_user_id": acs_user_id})
        assert "nothing to change" in message
        message = await call_error(mcp, "list_acs_systems", {"acs_system_id": str(uuid4())})
        assert "acs_system_id" in message
    done = [
        (e.operation, e.outcome)
        for e in audit_entries()
        if e.outcome != "dry_run" and e.operation != "change_acs_user_access_groups"
    ]
    assert done == [
        ("add_acs_user_to_access_group", "ok"),
        ("remove_acs_user_from_access_group", "ok"),
    ]
    # Each call is one multi-step change, its steps recorded under it.
    wholes = [e for e in audit_entries() if e.operation == "change_acs_user_access_groups"]
    assert [e.outcome for e in wholes] == ["ok", "ok"]
    steps = [e for e in audit_entries() if e.operation.endswith("_access_group")]
    assert [s.parent_id for s in steps] == [w.change_id for w in wholes]


async def test_chat_definitions_and_dispatch_of_the_access_tools(context: ToolContext) -> None:
    anthropic = {d["name"]: d for d in anthropic_tools()}
    openai = {d["function"]["name"]: d["function"] for d in openai_tools()}
    for name in ("search_devices", "set_device_access", "generate_instant_key"):
        assert anthropic[name]["input_schema"] == TOOLS_BY_NAME[name].input_schema
        assert openai[name]["parameters"] == TOOLS_BY_NAME[name].input_schema
    key_schema = anthropic["generate_instant_key"]["input_schema"]
    assert key_schema["properties"]["max_use_count"]["minimum"] == 1
    assert key_schema["required"] == ["user_identity_id"]
    grant_schema = openai["set_device_access"]["parameters"]
    assert set(grant_schema["required"]) == {"user_identity_id", "device_id", "granted"}

    found = await call_tool("search_user_identities", {"search": "Yuki"}, context=context)
    assert found.data is not None
    yuki = found.data["user_identities"][0]["user_identity_id"]
    made = await call_tool(
        "generate_instant_key", json.dumps({"user_identity_id": yuki}), context=context
    )
    assert made.data is not None
    assert made.data["instant_key"]["instant_key_url"].startswith("https://ik.seam.co/")
    refused = await call_tool(
        "set_device_access",
        {"user_identity_id": yuki, "device_id": str(uuid4()), "granted": False},
        context=context,
    )
    assert refused.is_error
    assert "device_id" in refused.content
