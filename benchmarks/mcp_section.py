"""The MCP server's cost: `benchmarks/mcp_bench.py`'s figures, and where the bytes of tools/list
go (per tool: descriptions, input schemas, annotations), as served by default, with
`--output-schemas` and with `--read-only`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, json_size

TARGET_BYTES = 12_000  # "under 12 KB"
PARTS = ("name", "title", "description", "inputSchema", "annotations")


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


@dataclass(frozen=True)
class Listing:
    """tools/list as an MCP client receives it, served three ways, and the instructions."""

    wire: dict[str, Any]  # the default: every tool, no output schemas
    output_schemas_bytes: int  # `seam-mcp --output-schemas`
    read_only_tools: int  # `seam-mcp --read-only`
    read_only_bytes: int
    instructions_bytes: int  # sent once, at initialize


async def tools_list() -> Listing:
    """List the tools (in memory) as `seam-mcp`, `--output-schemas` and `--read-only` serve them."""
    from mcp import Client

    from agent_tools.context import ToolContext
    from agent_tools.mcp_server import build_server
    from agent_tools.registry import TOOLS, select_tools

    context = ToolContext.open()
    wires: list[dict[str, Any]] = []
    try:
        for tools, output_schemas in (
            (TOOLS, False),
            (TOOLS, True),
            (select_tools(read_only=True), False),
        ):
            async with Client(build_server(context, tools, output_schemas=output_schemas)) as c:
                listing = await c.list_tools()
                instructions = c.instructions or ""
            wires.append(listing.model_dump(mode="json", by_alias=True, exclude_none=True))
    finally:
        await context.aclose()
    wire, with_output, read_only = wires
    return Listing(
        wire=wire,
        output_schemas_bytes=json_size(with_output),
        read_only_tools=len(read_only["tools"]),
        read_only_bytes=json_size(read_only),
        instructions_bytes=len(instructions.encode()),
    )


def breakdown(wire: dict[str, Any]) -> list[dict[str, int | str]]:
    """Bytes per tool and part (each part as its compact JSON value)."""
    rows: list[dict[str, int | str]] = []
    for tool in wire["tools"]:
        row: dict[str, int | str] = {"tool": tool["name"], "total": json_size(tool)}
        for part in PARTS:
            row[part] = json_size(tool[part]) if part in tool else 0
        rows.append(row)
    return rows


def model_view(wire: dict[str, Any]) -> list[dict[str, Any]]:
    """What most clients put in the model's context: name, description, input schema."""
    return [
        {"name": t["name"], "description": t["description"], "inputSchema": t["inputSchema"]}
        for t in wire["tools"]
    ]
