"""`seam_tui.console_text`: the one way the CLIs write text, with data shown and never run."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from seam_tui import console_text
from seam_tui.console_text import (
    ask,
    ask_secret,
    cut,
    error,
    json_text,
    note,
    say,
    say_json,
    say_lines,
    table,
    table_lines,
    warn,
)
from tests.inert import HOSTILE, HOSTILE_SHOWN, PLACEHOLDERS, assert_inert

ROOT = Path(__file__).resolve().parents[1]


def test_say_prints_one_line_with_hidden_characters_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    say(f"label: {HOSTILE}")
    out = capsys.readouterr().out
    assert out == f"label: {HOSTILE_SHOWN}\n"
    assert out.count("\n") == 1
    assert_inert(out)
    for placeholder in PLACEHOLDERS:
        assert placeholder in out


def test_say_takes_any_value_and_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    say(42)
    say()
    say("to stderr\x1b[2J", file=sys.stderr)
    say_lines(["a\nb", "c"])
    captured = capsys.readouterr()
    assert captured.out == "42\n\na␊b\nc\n"
    assert captured.err == "to stderr␛[2J\n"


def test_plain_text_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Zoë Ørsted — 東京 شركة 👋 e\u0301"
    say(text)
    assert capsys.readouterr().out == text + "\n"


def test_json_is_ascii_and_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"label": HOSTILE, "name": "東京", "ok": True}
    say_json(data)
    out = capsys.readouterr().out
    assert out.isascii()
    assert_inert(out)
    assert json.loads(out) == data
    assert out == json_text(data) + "\n"
    say_json(data, indent=None)
    one_line = capsys.readouterr().out
    assert one_line.count("\n") == 1
    assert json.loads(one_line) == data


def test_say_json_flushes_the_given_file() -> None:
    class Recording(io.StringIO):
        flushed = False

        def flush(self) -> None:
            self.flushed = True
            super().flush()

    out = Recording()
    say_json({"url": "http://127.0.0.1:1"}, indent=None, file=out)
    assert out.getvalue() == '{"url": "http://127.0.0.1:1"}\n'
    assert out.flushed


def test_stderr_helpers(capsys: pytest.CaptureFixture[str]) -> None:
    error(f"no workspace profile named {HOSTILE}")
    warn(ValueError("bad\x1b[31m"))
    note("SEAM_API_KEY is set", prog="seam-mcp")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"seam-tui: error: no workspace profile named {HOSTILE_SHOWN}",
        "seam-tui: warning: bad␛[31m",
        "seam-mcp: note: SEAM_API_KEY is set",
    ]


def test_ask_shows_the_prompt_and_reads_a_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("  yes \n"))
    assert ask(f"Remove {HOSTILE}? [y/N] ") == "yes"
    captured = capsys.readouterr()
    assert captured.err == f"Remove {HOSTILE_SHOWN}? [y/N] "
    assert captured.out == ""
    with pytest.raises(EOFError):
        ask("again? ")


def test_ask_secret_hides_nothing_in_its_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return " seam_test_key \n"

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert ask_secret(f"key for {HOSTILE}: ") == "seam_test_key"
    assert prompts == [f"key for {HOSTILE_SHOWN}: "]


def test_cut_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert cut("short", 10) == "short"
    assert cut("exactly10!", 10) == "exactly10!"
    assert cut("a" * 11, 10) == "a" * 9 + "…"
    assert cut("東京東京東京", 7) == "東京東…"  # 6 cells + the ellipsis; never 8
    assert cell_len(cut("東京東京東京", 6)) <= 6
    assert cut("ab\u202ecd", 5) == "ab…"  # the placeholder is kept whole or left out
    assert cut("ab\u202ecd", 11) == "ab⟨U+202E⟩…"
    assert cut("[b]bold[/b] and more", 8) == "[b]bold…"
    long = "L" * 500
    assert cut(long, 40) == "L" * 39 + "…"


def test_table_aligns_by_cell_width_and_cuts_long_cells() -> None:
    rows = [
        ("*", "acme", "東京オフィス", "sandbox://local"),
        ("", "evil", HOSTILE + "x" * 500, "https://connect.getseam.com"),
        ("", "plain", "Plain", ""),
    ]
    lines = table_lines(("", "NAME", "LABEL", "ENDPOINT"), rows, max_width=30)
    assert len(lines) == 4
    assert_inert("\n".join(lines))
    header = lines[0]
    assert header.startswith("   NAME")  # the first column is as wide as "*"
    endpoint_at = cell_len(header[: header.index("ENDPOINT")])
    for line, endpoint in [(lines[1], "sandbox://local"), (lines[2], "https://")]:
        assert cell_len(line[: line.index(endpoint)]) == endpoint_at
    assert "…" in lines[2]
    assert "x" * 40 not in lines[2]
    label_at = header.index("LABEL")  # ASCII before it in every row: cells are characters
    assert lines[2][label_at:].startswith("[b]x[/b] ␛]0;pwned␇ ␛[2J")
    # the ⟨U+009B⟩ that would cross the 30th cell is left out whole
    assert lines[2][label_at : lines[2].index("…") + 1] == "[b]x[/b] ␛]0;pwned␇ ␛[2J …"
    assert all(line == line.rstrip() for line in lines)
    assert lines[3].endswith("Plain")


def test_table_prints_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    table(("A", "B"), [("1", "two\nlines")])
    assert capsys.readouterr().out == "A  B\n1  two␊lines\n"
    with pytest.raises(ValueError, match="one cell per column"):
        table_lines(("A", "B"), [("1",)])
    with pytest.raises(ValueError, match="one limit per column"):
        table_lines(("A", "B"), [("1", "2")], max_width=[5])


def test_table_limits_may_differ_by_column() -> None:
    lines = table_lines(("NAME", "LABEL"), [("n" * 12, "l" * 12)], max_width=[12, 5])
    assert lines[1] == "n" * 12 + "  " + "llll…"


def test_a_stream_that_cannot_encode_a_placeholder_gets_escapes() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    say("bell\x07 and 東", file=out)
    out.flush()
    assert raw.getvalue() == b"bell\\u2407 and \\u6771\n"


def test_visible_formatter_shows_log_messages_and_tracebacks() -> None:
    formatter = console_text.VisibleFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "workspace %r (%s)", None, None)
    record.args = ("acme", HOSTILE)
    assert formatter.format(record) == f"INFO workspace 'acme' ({HOSTILE_SHOWN})"
    try:
        raise RuntimeError("server said \x1b]0;pwned\x07\nand more")
    except RuntimeError:
        exc_info = sys.exc_info()
    failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, exc_info)
    failed.exc_text = "raw cached \x1b[2J"  # another handler's formatter cached it raw
    text = formatter.format(failed)
    assert_inert(text)
    assert text.startswith("ERROR failed\nTraceback")
    assert "server said ␛]0;pwned␇" in text
    assert failed.exc_text == "raw cached \x1b[2J"  # left as it was for the other handlers


def test_importing_it_loads_neither_textual_nor_rich() -> None:
    code = (
        "import sys, seam_tui.console_text\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
