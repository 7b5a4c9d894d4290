"""The MCP server's cost: `benchmarks/mcp_bench.py`'s figures, and where the bytes of tools/list
go (per tool: descriptions, input schemas, output schemas, annotations), with what would bring
it under the target and how much each step saves (computed on the real listing)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, json_size

TARGET_BYTES = 12_000  # "under 12 KB"
PARTS = ("name", "title", "description", "inputSchema", "outputSchema", "annotations")


def mcp_bench(runs: int, tmp: Path) -> dict[str, Any]:
    """Run `benchmarks/mcp_bench.py --json` and return its figures. It makes its own sandbox in
    a temporary directory it leaves behind, so that goes under `tmp` (which is removed)."""
    done = subprocess.run(
        [sys.executable, "benchmarks/mcp_bench.py", "--runs", str(runs), "--json"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"mcp_bench failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


async def tools_list() -> dict[str, Any]:
    """The tools/list result as an MCP client receives it (in memory, default tool set)."""
    from mcp import Client

    from agent_tools.context import ToolContext
    from agent_tools.mcp_server import build_server

    context = ToolContext.open()
    try:
        async with Client(build_server(context)) as client:
            listing = await client.list_tools()
    finally:
        await context.aclose()
    wire: dict[str, Any] = listing.model_dump(mode="json", by_alias=True, exclude_none=True)
    return wire


@dataclass(frozen=True)
class Step:
    """One change to the listing and the size after it (cumulative)."""

    what: str
    size: int


def breakdown(wire: dict[str, Any]) -> list[dict[str, int | str]]:
    """Bytes per tool and part (each part as its compact JSON value)."""
    rows: list[dict[str, int | str]] = []
    for tool in wire["tools"]:
        row: dict[str, int | str] = {"tool": tool["name"], "total": json_size(tool)}
        for part in PARTS:
            row[part] = json_size(tool[part]) if part in tool else 0
        rows.append(row)
    return rows


def repeated_arguments(wire: dict[str, Any]) -> Counter[tuple[str, str]]:
    """(argument, description) pairs and in how many tools each appears."""
    seen: Counter[tuple[str, str]] = Counter()
    for tool in wire["tools"]:
        for name, schema in tool["inputSchema"].get("properties", {}).items():
            if "description" in schema:
                seen[(name, schema["description"])] += 1
    return seen


def savings_plan(wire: dict[str, Any]) -> list[Step]:
    """Cumulative changes that shrink the listing, each measured on a copy of the real one."""
    listing = copy.deepcopy(wire)
    steps = [Step("as served today", json_size(listing))]
    for tool in listing["tools"]:
        tool.pop("outputSchema", None)
    steps.append(
        Step(
            "leave `outputSchema` out of tools/list (results keep `structuredContent` and the "
            "JSON text; each description's “Returns …” sentence already says what comes back)",
            json_size(listing),
        )
    )
    for tool in listing["tools"]:
        if tool.get("annotations", {}).get("title") == tool.get("title"):
            tool["annotations"].pop("title")
    steps.append(Step("drop `annotations.title`, a copy of the tool's `title`", json_size(listing)))
    shared = {pair for pair, n in repeated_arguments(wire).items() if n >= 3}
    for tool in listing["tools"]:
        for name, schema in tool["inputSchema"].get("properties", {}).items():
            if (name, schema.get("description")) in shared:
                schema.pop("description")
    names = sorted({name for name, _ in shared})
    steps.append(
        Step(
            "say once, in the server `instructions` (sent once at initialize), what the "
            f"arguments repeated in 3+ tools mean ({', '.join(f'`{n}`' for n in names)}), "
            "instead of in every schema",
            json_size(listing),
        )
    )
    gap = steps[-1].size - TARGET_BYTES
    if gap > 0:
        described = sum(json_size(t["description"]) for t in listing["tools"])
        steps.append(
            Step(
                f"shorten the descriptions by {gap / described:.0%} ({gap:,} of {described:,} B),"
                " e.g. the sentences that restate the input schema (“Give at least one of …”, "
                "“Only the fields given change”)",
                TARGET_BYTES,
            )
        )
    return steps


def model_view(wire: dict[str, Any]) -> list[dict[str, Any]]:
    """What most clients put in the model's context: name, description, input schema."""
    return [
        {"name": t["name"], "description": t["description"], "inputSchema": t["inputSchema"]}
        for t in wire["tools"]
    ]


def model_view_plan(wire: dict[str, Any]) -> list[Step]:
    """The same argument de-duplication, on what the model reads."""
    view = model_view(wire)
    steps = [Step("name + description + inputSchema today", json_size(view))]
    shared = {pair for pair, n in repeated_arguments(wire).items() if n >= 3}
    workspace = {pair for pair in shared if pair[0] == "workspace"}
    for label, pairs in (
        ("`workspace` described once in the instructions", workspace),
        ("and every argument repeated in 3+ tools", shared - workspace),
    ):
        for tool in view:
            for name, schema in tool["inputSchema"].get("properties", {}).items():
                if (name, schema.get("description")) in pairs:
                    schema.pop("description")
        steps.append(Step(label, json_size(view)))
    return steps


def read_only_size(wire: dict[str, Any]) -> tuple[int, int]:
    """(tools, bytes) of the listing `seam-mcp --read-only` serves (the read tools only)."""
    listing = copy.deepcopy(wire)
    listing["tools"] = [t for t in listing["tools"] if t["annotations"].get("readOnlyHint")]
    return len(listing["tools"]), json_size(listing)
