"""Untrusted text made safe to show: the one rule for every value that crosses into a display.

Names, emails and phones in a workspace are typed by our customers' own users, so anything may
be in them. Before a value reaches a terminal, each character that could act on the terminal,
reorder the line, or hide text is replaced by a visible placeholder:

- C0 controls (newline and tab included) become their Unicode control pictures (ESC → ␛),
  DEL becomes ␡;
- C1 controls, format characters (bidi overrides and isolates, zero-width spaces and joiners,
  tag characters, the BOM), line and paragraph separators, surrogates and invisible filler
  letters become ⟨U+XXXX⟩.

Everything else (accents, CJK, right-to-left letters, emoji, combining marks) is kept as is.
This module is pure Python: the TUI styles the placeholders (`seam_tui.tui.literal`) and the
CLI prints them (`seam_tui.console_text`).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Letters that render as nothing, used to make names look empty or to pad them out.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# What an Input shows for a hidden character that has no control picture (one char for one).
INPUT_PLACEHOLDER = "\ufffd"


@lru_cache(maxsize=4096)
def placeholder(char: str) -> str | None:
    """The placeholder for one character, or None when it is shown as it is."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code < 0xA0 and code >= 0x80:
        return f"⟨U+{code:04X}⟩"
    if code < 0xA0:
        return None  # printable ASCII: the common case, decided without a table lookup
    if char in _INVISIBLE_LETTERS or unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return f"⟨U+{code:04X}⟩"
    return None


def _is_plain(text: str) -> bool:
    """True when no character of `text` needs a placeholder (fast for printable ASCII)."""
    if text.isascii():
        return text.isprintable()
    return all(placeholder(c) is None for c in text)


def visible_parts(text: str) -> Iterator[tuple[str, bool]]:
    """`text` as runs of (literal text, False) and (placeholder, True), in order."""
    if _is_plain(text):
        if text:
            yield text, False
        return
    start = 0
    for index, char in enumerate(text):
        shown = placeholder(char)
        if shown is None:
            continue
        if index > start:
            yield text[start:index], False
        yield shown, True
        start = index + 1
    if start < len(text):
        yield text[start:], False


def visible(value: object) -> str:
    """Any value as a single line of literal text with its hidden characters made visible."""
    text = value if isinstance(value, str) else str(value)
    if _is_plain(text):
        return text
    return "".join(part for part, _ in visible_parts(text))


def quoted(text: str) -> str:
    """A value in prose as a JSON string with its hidden characters made visible, so it never
    reads as our own words (`Bob). All checks passed.` stays inside its quotes)."""
    return json.dumps(visible(text), ensure_ascii=False)


def visible_one_for_one(text: str) -> str:
    """`text` with each hidden character replaced by exactly one character (for text inputs,
    whose cursor positions index the real value): a control picture, else U+FFFD."""
    if _is_plain(text):
        return text
    out = []
    for char in text:
        shown = placeholder(char)
        out.append(char if shown is None else shown if len(shown) == 1 else INPUT_PLACEHOLDER)
    return "".join(out)


def has_hidden(text: str) -> bool:
    """True when `text` holds a character that `visible` would replace."""
    return not _is_plain(text)


def hidden_note(text: str, *, most: int = 4) -> str | None:
    """Which hidden characters `text` holds and where (1-based), e.g. `U+202E at 17`, or None.

    For a text input, which can show each one only as one character (a control picture or
    U+FFFD)."""
    found = [f"U+{ord(c):04X} at {i}" for i, c in enumerate(text, 1) if placeholder(c) is not None]
    if not found:
        return None
    more = f" and {len(found) - most} more" if len(found) > most else ""
    return f"holds hidden characters, shown as placeholders: {', '.join(found[:most])}{more}"
