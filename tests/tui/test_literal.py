"""The TUI's text boundary (`tui/literal.py`) and the rule under it (`seam_tui/visible.py`)."""

from __future__ import annotations

import pytest
from rich.text import Text

from seam_tui.tui.literal import (
    DATA_STYLE,
    PLACEHOLDER_STYLE,
    as_text,
    clipped,
    lines,
    lit,
    quoted,
    say,
    styled,
)
from seam_tui.tui.widgets.confirm import record
from seam_tui.visible import hidden_note, visible, visible_one_for_one

FORGED_ID = "11111111-1111-1111-1111-111111111111"
REAL_ID = "8b29637a-e4a8-4d4e-9895-7d6716510ce7"


def styles_at(text: Text, index: int) -> str:
    return " ".join(str(span.style) for span in text.spans if span.start <= index < span.end)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Jane [contractor] Doe", "Jane [contractor] Doe"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("a\x1b]52;c;QQ==\x07b", "a␛]52;c;QQ==␇b"),
        ("line\nbreak\ttab\r", "line␊break␉tab␍"),
        ("\x00\x7f\x9b2J", "␀␡⟨U+009B⟩2J"),
        ("x\u202eevil\u2066", "x⟨U+202E⟩evil⟨U+2066⟩"),
        ("zero\u200bwidth\ufeff\U000e0041", "zero⟨U+200B⟩width⟨U+FEFF⟩⟨U+E0041⟩"),
        ("José 李 محمد 👩", "José 李 محمد 👩"),
        ("e\u0301", "e\u0301"),
    ],
)
def test_values_are_literal_with_visible_placeholders(value: str, shown: str) -> None:
    assert visible(value) == shown
    text = lit(value)
    assert text.plain == shown
    for index, char in enumerate(shown):
        if char in "␀␡␉␊␍␛␇" or char == "⟨":
            assert PLACEHOLDER_STYLE in styles_at(text, index)


def test_strings_are_never_markup_anywhere_in_the_boundary() -> None:
    for value in ("[b]x[/b]", "[/]", "[red]x", "[@click=screen.confirm]ok[/]"):
        assert as_text(value).plain == value
        assert say("Delete {name}?", name=value).plain == f"Delete “{value}”?"
        assert styled(value, "red").plain == value
        assert value in quoted(value)
    assert say("[b]{x}[/b]", x="y").plain == "[b]“y”[/b]"  # the template is literal too


def test_an_input_keeps_the_value_one_character_for_one() -> None:
    value = "a\x1bb\u202ec\u200d👩"
    shown = visible_one_for_one(value)
    assert len(shown) == len(value)
    assert shown == "a␛b\ufffdc\ufffd👩"
    assert hidden_note(value) == (
        "holds hidden characters, shown as placeholders: U+001B at 2, U+202E at 4, U+200D at 6"
    )
    assert hidden_note("plain José") is None


def test_long_values_are_cut_to_their_width_with_an_ellipsis() -> None:
    long = "Wolfeschlegelsteinhausenberger " * 400
    assert lit(long, width=20).plain == long[:19] + "…"
    assert lit("長" * 100, width=11).cell_len <= 11
    assert clipped("x\n" * 100, 10).endswith("…")
    assert "\n" not in lines(["one", "two\nthree"]).plain.split("\n")[1]


def test_a_name_cannot_pass_for_the_record_id_in_a_dialog() -> None:
    """`Bob” (id 1111…)`: everything the value holds is underlined, and the real id follows."""
    forged = f"Bob” (id {FORGED_ID})"
    line = as_text(record("Identity", forged, REAL_ID))
    plain = line.plain
    assert plain.index(REAL_ID) > plain.index(FORGED_ID)
    assert "underline" in styles_at(line, plain.index(FORGED_ID))
    assert "underline" not in styles_at(line, plain.index(REAL_ID))
    assert DATA_STYLE == "bold underline"
