"""Data is data: how a value from the API or the caller enters a tool's prose.

`quoted` is the one rule, `seam_tui.visible.quoted` (re-exported here, and by `plans.quoted`
for the tools): a value reads as a JSON string, never as the tool's own words, with every
control or invisible character made visible, as the TUI and CLI show it. `id_text` shows a
plain id bare. `json_text` is a result's text content: the data exact, hidden characters
escaped.
A leaf module, so errors, outputs and plans can all use it without an import cycle.
"""

from __future__ import annotations

import json
import re
from typing import Any

from seam_tui.visible import placeholder, quoted

__all__ = ["id_text", "json_text", "quoted"]

# An id as Seam issues them: letters, digits, '-' and '_' only, which cannot make a sentence.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
# Only these can be hidden characters; the rest of a result's text is left to the C scanner.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")


def id_text(value: str) -> str:
    """An id (or field name) in prose: bare when plain, as every id Seam issues is; anything
    else (an id the caller typed can hold any text) is quoted like a name."""
    return value if _PLAIN_ID.fullmatch(value) else quoted(value)


def json_text(data: Any) -> str:
    """A result as compact JSON text for the model: values exact (JSON quotes them), and every
    control or invisible character escaped as \\uXXXX, not only the C0 controls json escapes.

    So DEL, C1 controls, bidi overrides, zero-width and tag characters and U+2028/U+2029 never
    reach the text raw; parsing the text gives back the same data as `structuredContent`.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _NOT_PRINTABLE_ASCII.sub(_escape_hidden, text)


def _escape_hidden(match: re.Match[str]) -> str:
    char = match.group()
    return _escaped(char) if placeholder(char) is not None else char


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON writes characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
