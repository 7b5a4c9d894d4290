"""Hostile text for the trust-boundary tests, and the check that output holds none of it raw.

The check is written out here rather than taken from `seam_tui.visible`, so that a mistake in
that module cannot hide itself.
"""

from __future__ import annotations

import unicodedata

# Markup, an OSC title change, a screen clear, a one-byte CSI (C1), a bidi override and its
# pop, a zero-width space, a newline, a tab and DEL.
HOSTILE = (
    "[b]x[/b] \x1b]0;pwned\x07 \x1b[2J \x9b31m \u202eevil\u202c zero\u200bwidth\nsecond\tline\x7f"
)
# What `HOSTILE` looks like once made visible.
HOSTILE_SHOWN = (
    "[b]x[/b] ␛]0;pwned␇ ␛[2J ⟨U+009B⟩31m ⟨U+202E⟩evil⟨U+202C⟩ zero⟨U+200B⟩width␊second␉line␡"
)
PLACEHOLDERS = ("␛]0;pwned␇", "␛[2J", "⟨U+009B⟩", "⟨U+202E⟩", "⟨U+200B⟩", "␊", "␡", "[b]x[/b]")


def raw_hidden(text: str) -> list[str]:
    """Each character of `text` that would act on a terminal or hide text (newline allowed)."""
    found = []
    for char in text:
        code = ord(char)
        if char == "\n":
            continue
        if (
            code < 0x20
            or 0x7F <= code <= 0x9F
            or unicodedata.category(char) in {"Cf", "Zl", "Zp", "Cs"}
            or char in "\u115f\u1160\u3164\uffa0"
        ):
            found.append(f"U+{code:04X}")
    return found


def assert_inert(text: str) -> None:
    """No control, C1, DEL, bidi, zero-width or separator character in `text` (bar newline)."""
    hidden = raw_hidden(text)
    assert not hidden, f"raw hidden characters {hidden} in output:\n{text!r}"
