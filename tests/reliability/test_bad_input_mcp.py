"""Bad input, part 2: 1,000 hostile tool calls through the MCP protocol (the SDK's in-memory
client against our server, on the built-in sandbox), spread over every tool.

Arguments mix real ids from the sandbox, random UUIDs, malformed and huge values, unicode,
wrong JSON types, missing required and unknown arguments. Every call must end in either a
result that matches the tool's output schema, or an error the model can read and act on:

- "Invalid arguments for <tool>: ..." naming every argument known to be wrong;
- a Seam API error with a 4xx status (never 5xx) and its type, naming the parameter on a 400;
- "workspace '<name>' cannot be opened ..." for an unknown profile name.

Never a traceback, never an internal server error. Destructive calls really run: a deleted
identity just means later calls on it answer 404.
"""

from __future__ import annotations

import math
import re
import types
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from hypothesis import given, settings
from hypothesis import strategies as st
from mcp import Client

from agent_tools.context import ToolContext
from agent_tools.mcp_server import build_server
from agent_tools.quoting import id_text
from agent_tools.registry import TOOLS, TOOLS_BY_NAME
from agent_tools.tool import MAX_LIMIT, Tool
from tests.reliability import strategies as S
from tests.reliability.conftest import FULL, SessionThread, record
from tests.reliability.strategies import INVALID, UNKNOWN, VALID, Value
from tests.reliability.test_bad_input_models import CLEAN, HYPOTHESIS, KINDS, schedules

CASES = 5000 if FULL else 1000
API_ERROR = re.compile(r"Seam API error (\d{3}) ([a-z_]+): ")
PYTHON_ERROR = re.compile(r"\b(Key|Type|Value|Attribute|Index|Runtime|Unicode\w*)Error\b")


@dataclass
class Session:
    client: Client
    ids: dict[str, list[str]]  # real ids by kind, read from the sandbox at the start


@asynccontextmanager
async def mcp_session() -> AsyncIterator[Session]:
    context = ToolContext.open()
    try:
        async with Client(build_server(context)) as client:
            service = await context.service()
            identities = (await service.search_identities(limit=50)).items
            acs_users = (await service.list_acs_users(limit=50)).items
            systems = await service.systems_by_id()
            groups = [g.acs_access_group_id for g in await service.list_access_groups()]
            devices = (await service.access.list_devices(limit=50)).items
            yield Session(
                client,
                {
                    "user_identity_id": [i.user_identity_id for i in identities],
                    "acs_user_id": [u.acs_user_id for u in acs_users],
                    "acs_system_id": list(systems),
                    "acs_access_group_ids": groups,
                    "add_access_group_ids": groups,
                    "remove_access_group_ids": groups,
                    "expected_acs_user_ids": [u.acs_user_id for u in acs_users],
                    "device_id": [d.device_id for d in devices],
                },
            )
    finally:
        await context.aclose()


# ----------------------------------------------------------------------------- arguments


def _allows_none(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return (origin is Union or origin is types.UnionType) and type(None) in get_args(annotation)


def _structured(annotation: Any) -> bool:
    """A list or object field: the tools also accept it as JSON text."""
    text = str(annotation)
    return "list[" in text or "AccessSchedule" in text


KIND_BY_FIELD = {
    "full_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "user_identity_key": "key",
    "acs_system_ids": "ids",
    "acs_access_group_ids": "ids",
    "add_access_group_ids": "ids",
    "remove_access_group_ids": "ids",
    "expected_acs_user_ids": "ids",
    "access_schedule": "schedule",
}

limits = st.one_of(
    S.tagged(st.integers(1, MAX_LIMIT), VALID),
    S.tagged(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_LIMIT + 1)), INVALID),
    S.tagged(st.sampled_from([2.5, [], {}]), INVALID),
    S.tagged(st.sampled_from(["10", 10.0, True]), UNKNOWN),  # lax numbers
)
use_counts = st.one_of(
    S.tagged(st.integers(1, 1000), VALID),
    S.tagged(st.one_of(st.integers(max_value=0), st.integers(min_value=1001)), INVALID),
    S.tagged(st.sampled_from([2.5, [], {}, "many"]), INVALID),
    S.tagged(st.sampled_from(["10", 10.0, True]), UNKNOWN),  # lax numbers
)
# Valid waits kept short: the demo seed holds objects that never settle, and a wait lasts its limit.
waits = st.one_of(
    S.tagged(st.integers(0, 1), VALID),
    S.tagged(st.one_of(st.integers(max_value=-1), st.integers(min_value=61)), INVALID),
    S.tagged(st.sampled_from([2.5, [], {}, "soon"]), INVALID),
    S.tagged(st.sampled_from(["1", 1.0, True]), UNKNOWN),  # lax numbers
)
flags = st.one_of(
    S.tagged(st.booleans(), VALID),
    S.tagged(st.sampled_from([[], {}, 2.5, "maybe"]), INVALID),
    S.tagged(st.sampled_from(["true", "no", 0, 1]), UNKNOWN),  # lax booleans
)
statuses = st.one_of(
    S.tagged(st.sampled_from(["all", "linked", "unlinked", "suspended"]), VALID),
    S.tagged(st.sampled_from(["ALL", "active", "", 3]), INVALID),
)
workspaces = st.one_of(
    S.tagged(st.sampled_from(["sandbox", "sandbox-globex-offices"]), VALID),
    S.tagged(S.unicode_text, UNKNOWN),
)
free_text = S.tagged(st.one_of(S.unicode_text, S.huge(1, 3000)), UNKNOWN)
# The people tools: rows as CSV or JSON-lines text, a plan's token, an offset into its rows.
people_rows = st.one_of(
    S.tagged(
        st.sampled_from(
            [
                "full_name,email_address\nAda Fuzz,ada.fuzz@example.com\n",
                '{"full_name": "Bo Fuzz", "phone_number": "+15555550199"}\n',
            ]
        ),
        VALID,
    ),
    free_text,
)
offsets = st.one_of(
    S.tagged(st.integers(0, 100), VALID),
    S.tagged(st.integers(max_value=-1), INVALID),
    S.tagged(st.sampled_from([2.5, [], {}, "next"]), INVALID),
    S.tagged(st.sampled_from(["1", 1.0, True]), UNKNOWN),  # lax numbers
)
offboard_modes = st.one_of(
    S.tagged(st.sampled_from(["suspend", "unlink", "delete"]), VALID),
    S.tagged(st.sampled_from(["fire", "", 3, []]), INVALID),
)
tokens = st.one_of(S.tagged(st.sampled_from(["0" * 16, "stale-token"]), VALID), free_text)


def _value(
    draw: st.DrawFn, tool: Tool[Any, Any], name: str, session_ids: list[str], clean: bool
) -> Value:
    def pick(strategy: st.SearchStrategy[Value]) -> Value:
        value: Value = draw(strategy.filter(lambda v: v.verdict == VALID) if clean else strategy)
        return value

    if name == "limit":
        return pick(limits)
    if name in ("dry_run", "is_suspended", "granted", "unlink", "skip_invalid"):
        return pick(flags)
    if name == "rows":
        return pick(people_rows)
    if name == "path":  # a file of the server's: only ever a name that is not there
        return Value(None, VALID) if clean else draw(free_text)
    if name == "offset":
        return pick(offsets)
    if name == "offboard":
        return pick(offboard_modes)
    if name == "token":
        return pick(tokens)
    if name == "max_use_count":
        return pick(use_counts)
    if name == "wait_seconds":
        return pick(waits)
    if name == "status":
        return pick(statuses)
    if name == "workspace":
        return pick(workspaces) if not clean else Value("sandbox", VALID)
    if name in ("cursor", "search"):
        return draw(free_text) if not clean or name == "search" else Value(None, VALID)
    kind = KIND_BY_FIELD.get(name, "id" if name.endswith("_id") else None)
    assert kind is not None, f"no generator for {tool.name}.{name}"
    if kind == "ids" and session_ids and (clean or draw(st.booleans())):
        picked = draw(st.lists(st.sampled_from(session_ids), max_size=2, unique=True))
        return Value(picked, VALID)
    if kind == "id" and session_ids and (clean or draw(st.integers(0, 2)) == 0):
        return Value(draw(st.sampled_from(session_ids)), VALID)
    if clean and kind == "schedule":  # well-formed, including the edges of the calendar
        value: Value = draw(schedules.filter(lambda v: v.verdict != INVALID))
    else:
        value = draw(CLEAN[kind] if clean else st.one_of(KINDS[kind], CLEAN[kind]))
    if isinstance(value.value, float) and not math.isfinite(value.value):
        return Value(value.value, UNKNOWN)  # JSON has no inf or nan: the client sends null
    annotation = tool.input_model.model_fields[name].annotation
    if isinstance(value.value, str) and _structured(annotation) and value.verdict == INVALID:
        return Value(value.value, UNKNOWN)  # JSON text for a list is decoded, maybe validly
    return value


@dataclass
class Call:
    tool: Tool[Any, Any]
    arguments: dict[str, Any]
    invalid: set[str]


@st.composite
def calls(draw: st.DrawFn, ids: dict[str, list[str]]) -> Call:
    tool = draw(st.sampled_from(TOOLS))
    fields = tool.input_model.model_fields
    arguments: dict[str, Any] = {}
    invalid: set[str] = set()
    clean = draw(st.integers(0, 2)) == 0  # a third of the calls are well-formed
    for name, info in fields.items():
        if clean:
            presence = "value" if info.is_required() or draw(st.booleans()) else "absent"
        else:
            presence = draw(st.sampled_from(["value", "value", "value", "none", "absent"]))
        if presence == "absent":
            if info.is_required():
                invalid.add(name)
            continue
        if presence == "none":
            arguments[name] = None
            none_refused = tool.name == "update_acs_user" and name in (
                "full_name",
                "email_address",
                "phone_number",
            )
            if not _allows_none(info.annotation) or none_refused:
                invalid.add(name)
            continue
        pool = ids.get(name) or ids.get(name.removesuffix("s"), [])
        value = _value(draw, tool, name, pool, clean)
        if value.value is None and clean:
            continue
        arguments[name] = value.value
        blank_refused = tool.name == "update_user_identity" and name in KIND_BY_FIELD
        blank = isinstance(value.value, str) and not value.value.strip()
        if (blank_refused and blank) or value.verdict == INVALID:
            invalid.add(name)
    if not clean and draw(st.integers(0, 9)) == 0:
        extra = draw(S.extra_keys)
        if extra not in fields:
            arguments[extra] = draw(st.one_of(st.none(), st.integers(), st.text(max_size=5)))
            invalid.add(extra)
    return Call(tool, arguments, invalid)


# ----------------------------------------------------------------------------- the property


def classify(call: Call, text: str) -> str:
    """What kind of readable error `text` is; fails the test if it is not readable."""
    assert text.strip(), "an empty error"
    assert "Traceback" not in text, text
    assert "Unexpected error" not in text, text
    name = call.tool.name
    text = text.removeprefix(f"Error executing tool {name}: ")  # the MCP SDK's prefix
    named = set(call.tool.input_model.model_fields) | set(call.arguments)
    if text.startswith(f"Invalid arguments for {name}: "):
        missing = [f for f in call.invalid if f not in text and id_text(f) not in text]
        assert not missing, f"{missing} not named: {text}"
        assert any(field in text or id_text(field) in text for field in named), text
        return "invalid arguments"
    assert not call.invalid, f"invalid {sorted(call.invalid)} accepted; then: {text}"
    assert not PYTHON_ERROR.search(text), text
    words = (
        named
        | {_words(field) for field in named}
        | {v for v in call.arguments.values() if isinstance(v, str) and len(v) > 3}
    )
    api = API_ERROR.search(text)
    if api is not None:
        status = int(api[1])
        assert 400 <= status < 500, text
        if status == 400:  # says which parameter (or which pair of them) is wrong
            assert any(word in text.lower() or word in text for word in words), text
        return f"API {status} {api[2]}"
    if "cannot be opened" in text:
        assert "workspace" in text
        assert "list_workspaces" in text
        return "unknown workspace"
    # The service's own refusals (e.g. unlinking from the wrong identity) name what they refer to.
    assert any(word in text.lower() or word in text for word in words), text
    return "refused by the service"


def _words(field: str) -> str:
    """`acs_access_group_ids` as a message says it: "access group"."""
    for part in ("_ids", "_id", "acs_"):
        field = field.replace(part, "")
    return field.replace("_", " ")


def test_every_tool_call_ends_in_a_result_or_a_readable_error() -> None:
    outcomes: Counter[str] = Counter()
    per_tool: Counter[str] = Counter()
    with SessionThread(mcp_session) as session:
        ids = session.run(lambda s: _ids(s))

        @settings(HYPOTHESIS, max_examples=CASES)
        @given(call=calls(ids))
        def check(call: Call) -> None:
            per_tool[call.tool.name] += 1
            result = session.run(
                lambda s: s.client.call_tool(call.tool.name, call.arguments), timeout=60
            )
            if result.is_error:
                text = "".join(getattr(part, "text", "") for part in result.content)
                outcomes[classify(call, text)] += 1
                return
            assert not call.invalid, f"accepted although {sorted(call.invalid)} are invalid"
            assert result.structured_content is not None
            TOOLS_BY_NAME[call.tool.name].output_model.model_validate(result.structured_content)
            outcomes["ok"] += 1

        check()
    total = sum(per_tool.values())
    assert total >= CASES
    assert set(per_tool) == set(TOOLS_BY_NAME)  # every tool was called
    assert outcomes["ok"]
    assert outcomes["invalid arguments"]
    api = sum(n for kind, n in outcomes.items() if kind.startswith("API"))
    record(
        "bad input: MCP tool calls",
        cases=total,
        tools=len(per_tool),
        ok=outcomes["ok"],
        invalid_arguments=outcomes["invalid arguments"],
        api_4xx=api,
        unknown_workspace=outcomes["unknown workspace"],
        refused_by_service=outcomes["refused by the service"],
        unreadable=0,
    )


async def _ids(session: Session) -> dict[str, list[str]]:
    return session.ids


EDGE_OF_TIME = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]


def test_times_without_a_utc_form_are_a_400_naming_the_field() -> None:
    """Found by the ACS-user form cases: such times made the sandbox answer 500 (an
    OverflowError), which reads as "Seam is down, call again later" instead of "fix this"."""
    with SessionThread(mcp_session) as session:
        system = session.run(_ids)["acs_system_id"][0]
        for when in EDGE_OF_TIME:
            for end in ("starts_at", "ends_at"):
                arguments = {
                    "acs_system_id": system,
                    "full_name": "Edge Of Time",
                    "access_schedule": {end: when},
                }

                async def create(s: Session, a: dict[str, Any] = arguments) -> Any:
                    return await s.client.call_tool("create_acs_user", a)

                result = session.run(create)
                text = "".join(getattr(part, "text", "") for part in result.content)
                assert result.is_error
                assert "Seam API error 400 invalid_input" in text
                assert f'Invalid datetime for \\"access_schedule.{end}\\"' in text
