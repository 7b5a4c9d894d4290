"""`seam-mcp schemas --strict`: OpenAI strict-mode definitions from the command line (wired by
helper-http for helper-mcp-data's `tool_definitions(..., strict=True)`)."""

from __future__ import annotations

import json

import pytest

from agent_tools.cli import main
from agent_tools.registry import TOOLS


def test_schemas_strict_for_openai(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--format", "openai", "--strict"]) == 0
    definitions = json.loads(capsys.readouterr().out)
    assert len(definitions) == len(TOOLS)
    assert all(d["function"]["strict"] is True for d in definitions)
    assert all(d["function"]["parameters"]["additionalProperties"] is False for d in definitions)


def test_schemas_strict_needs_openai(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--format", "anthropic", "--strict"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "seam-mcp: error: schemas --strict needs --format openai (OpenAI's strict mode)"
    )
