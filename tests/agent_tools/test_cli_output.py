"""`seam-mcp` writes its errors and schemas through `seam_tui.console_text`: data shown, never
run."""

from __future__ import annotations

import json

import pytest

from agent_tools.cli import main
from tests.inert import HOSTILE, assert_inert


def test_an_unknown_hostile_workspace_is_one_inert_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--workspace", HOSTILE]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_inert(captured.err)
    assert captured.err.startswith("seam-mcp: error: ")
    assert captured.err.count("\n") == 1
    assert 'named "[b]x[/b] ␛]0;pwned␇' in captured.err  # quoted, hidden characters shown


def test_schemas_are_ascii_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--format", "anthropic"]) == 0
    out = capsys.readouterr().out
    assert out.isascii()
    assert_inert(out)
    assert json.loads(out)
