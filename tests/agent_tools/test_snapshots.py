"""What the model sees of every tool, pinned: a change to a name, description, schema or hint
shows up as a diff of tests/agent_tools/snapshots/*.json that a reviewer reads.

After an intended change, rewrite the snapshots and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/agent_tools/test_snapshots.py
    git diff tests/agent_tools/snapshots/
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from agent_tools.registry import TOOLS
from agent_tools.tool import Tool

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


def _seen_by_the_model(tool: Tool[Any, Any]) -> str:
    data = {
        "name": tool.name,
        "title": tool.title,
        "description": tool.description,
        "hints": asdict(tool.hints),
        "input_schema": tool.input_schema,
        "output_schema": tool.output_schema,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("tool", TOOLS, ids=[t.name for t in TOOLS])
def test_tool_matches_its_snapshot(tool: Tool[Any, Any]) -> None:
    path = SNAPSHOTS / f"{tool.name}.json"
    current = _seen_by_the_model(tool)
    if UPDATE:
        path.write_text(current, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot for {tool.name}: run UPDATE_SNAPSHOTS=1 pytest {__file__}"
    assert current == path.read_text(encoding="utf-8"), (
        f"{tool.name} changed what the model sees; if intended, rewrite the snapshot with "
        "UPDATE_SNAPSHOTS=1 and review the diff"
    )


def test_every_snapshot_has_a_tool() -> None:
    stale = {p.stem for p in SNAPSHOTS.glob("*.json")} - {t.name for t in TOOLS}
    if UPDATE:
        for name in stale:
            (SNAPSHOTS / f"{name}.json").unlink()
        return
    assert not stale, f"snapshots of removed tools: {sorted(stale)} (UPDATE_SNAPSHOTS=1 drops them)"
