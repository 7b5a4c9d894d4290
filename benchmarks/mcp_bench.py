"""What the MCP tools cost: tools/list size, result size against the raw API, call overhead.

    .venv/bin/python benchmarks/mcp_bench.py [--runs 200] [--json]

Runs on a fresh offline sandbox in a temporary directory (nothing to set up, nothing touched).
Tokens are approximated at 4 characters per token; times are medians of --runs calls.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_TMP = tempfile.mkdtemp(prefix="seam-mcp-bench-")
os.environ["SEAM_TUI_DATA_DIR"] = str(Path(_TMP) / "data")
os.environ["SEAM_TUI_CONFIG_DIR"] = str(Path(_TMP) / "config")
for _name in [n for n in os.environ if n.startswith("SEAM_") and not n.startswith("SEAM_TUI_")]:
    del os.environ[_name]

from mcp import Client  # noqa: E402

from agent_tools.chat import anthropic_tools, call_tool, openai_tools  # noqa: E402
from agent_tools.context import ToolContext  # noqa: E402
from agent_tools.mcp_server import build_server  # noqa: E402

CHARS_PER_TOKEN = 4
PAGE = 25
PERSON = "Jane Doe"  # a seeded identity with entrances, a device and credentials


def _size(value: Any) -> int:
    """Bytes of compact JSON, as a client would send it to a model."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def _tokens(n: int) -> str:
    return f"{n:,} B (~{n // CHARS_PER_TOKEN:,} tokens)"


async def _median_ms(runs: int, fn: Callable[[], Awaitable[object]]) -> float:
    for _ in range(5):  # warm caches and connections
        await fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def _person_access(client: Client, name: str) -> dict[str, Any]:
    """What `get_user_identity` gives for one seeded person: the text's size and what it holds."""
    found = await client.call_tool("search_user_identities", {"search": name})
    identity_id = (found.structured_content or {})["user_identities"][0]["user_identity_id"]
    result = await client.call_tool("get_user_identity", {"user_identity_id": identity_id})
    data = result.structured_content or {}
    return {
        "person": name,
        "person_text_bytes": len(result.content[0].text.encode()),  # type: ignore[union-attr]
        "person_counts": {
            part: len(data.get(part, []))
            for part in ("acs_users", "entrances", "devices", "credentials", "instant_keys")
        },
    }


async def measure(runs: int) -> dict[str, Any]:
    """The figures, in bytes and milliseconds (what `--json` prints)."""
    logging.basicConfig(level=logging.WARNING)  # before the SDK configures INFO logging
    context = ToolContext.open()
    service = await context.service()
    async with Client(build_server(context)) as client:
        listing = await client.list_tools()
        wire = listing.model_dump(mode="json", by_alias=True, exclude_none=True)
        model_view = [
            {"name": t.name, "description": t.description, "inputSchema": t.input_schema}
            for t in listing.tools
        ]

        raw = await service.client.request("/user_identities/list", {"limit": PAGE}, is_write=False)
        raw_items = raw["user_identities"]
        result = await client.call_tool("search_user_identities", {"limit": PAGE})
        lean = result.structured_content or {}
        lean_items = lean["user_identities"]
        text = result.content[0].text  # type: ignore[union-attr]
        person = await _person_access(client, PERSON)

        direct = await _median_ms(runs, lambda: service.search_identities(limit=PAGE))
        via_mcp = await _median_ms(
            runs, lambda: client.call_tool("search_user_identities", {"limit": PAGE})
        )
        via_chat = await _median_ms(
            runs, lambda: call_tool("search_user_identities", {"limit": PAGE}, context=context)
        )
    await context.aclose()
    return {
        "tools": len(listing.tools),
        "tools_list_bytes": _size(wire),
        "model_view_bytes": _size(model_view),
        "anthropic_bytes": _size(anthropic_tools()),
        "openai_bytes": _size(openai_tools()),
        "page": PAGE,
        "raw_bytes_per_identity": sum(_size(i) for i in raw_items) / len(raw_items),
        "tool_bytes_per_identity": sum(_size(i) for i in lean_items) / len(lean_items),
        "result_text_bytes": len(text.encode()),
        **person,
        "runs": runs,
        "direct_ms": direct,
        "mcp_ms": via_mcp,
        "chat_ms": via_chat,
    }


async def bench(runs: int) -> None:
    """Measure, then print the figures as text."""
    f = await measure(runs)
    raw_per, lean_per = f["raw_bytes_per_identity"], f["tool_bytes_per_identity"]
    direct = f["direct_ms"]
    print(f"tools ({f['tools']})")
    print(f"  full tools/list result           {_tokens(f['tools_list_bytes'])}")
    print(f"  name + description + inputSchema {_tokens(f['model_view_bytes'])}")
    print(f"  Anthropic tool definitions       {_tokens(f['anthropic_bytes'])}")
    print(f"  OpenAI tool definitions          {_tokens(f['openai_bytes'])}")
    print(f"search_user_identities, page of {PAGE}")
    print(f"  raw API JSON per identity        {raw_per:,.0f} B")
    print(
        f"  tool result per identity         {lean_per:,.0f} B "
        f"({lean_per / raw_per:.0%} of raw, {1 - lean_per / raw_per:.0%} smaller)"
    )
    print(f"  whole result text                {_tokens(f['result_text_bytes'])}")
    counts = ", ".join(f"{n} {part}" for part, n in f["person_counts"].items())
    print(f"get_user_identity, {f['person']} ({counts})")
    print(f"  whole result text                {_tokens(f['person_text_bytes'])}")
    print(f"one call, median of {runs}")
    print(f"  direct service call              {direct:.2f} ms")
    print(
        f"  in-memory MCP tool call          {f['mcp_ms']:.2f} ms "
        f"(+{f['mcp_ms'] - direct:.2f} ms over direct)"
    )
    print(
        f"  chat call_tool                   {f['chat_ms']:.2f} ms "
        f"(+{f['chat_ms'] - direct:.2f} ms over direct)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(asyncio.run(measure(args.runs))))
    else:
        asyncio.run(bench(args.runs))


if __name__ == "__main__":
    main()
