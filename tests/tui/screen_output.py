"""What the terminal would receive from a running app, and checks that data in it stayed inert.

`terminal_output` renders the whole screen stack the way Textual writes it to a terminal (the
same strips, styles and cursor moves); `forbidden_in_output` lists every byte of it that is not
Textual's own cursor/style sequence and could act on a terminal. `db_fingerprint` hashes every
row of the sandbox's database file, so a test can show that nothing was changed.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from textual.app import App

from tests.inert import raw_hidden

# Textual's own output of a frame: SGR styles and absolute cursor moves, nothing else.
OWN_SEQUENCE = re.compile(r"\x1b\[[0-9;:]*[mH]")
MOVE_TO = re.compile(r"\x1b\[(\d+);(\d+)H")


def terminal_output(app: App[object]) -> str:
    """The escape sequences and text a terminal would get for a full redraw of the app."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app.screen_stack)
    return update.render_segments(app.console)  # type: ignore[union-attr]


def forbidden_in_output(output: str) -> list[str]:
    """Characters in `output`, outside Textual's own sequences, that a terminal would act on or
    that reorder or hide text (ESC, BEL, C1, bidi, zero-width ...), as `U+XXXX`: judged by
    `tests/inert.py`, not by the code under test."""
    return sorted(set(raw_hidden(OWN_SEQUENCE.sub("", output))))


def screen_text(app: App[object]) -> str:
    """The screen as plain text, one line per row (styles and cursor moves removed)."""
    output = terminal_output(app)
    rows: dict[int, str] = {}
    pieces = MOVE_TO.split(output)
    # split gives [before, y, x, text, y, x, text, ...]
    for index in range(1, len(pieces) - 2, 3):
        y = int(pieces[index])
        text = OWN_SEQUENCE.sub("", pieces[index + 2]).replace("\n", "")
        rows[y] = rows.get(y, "") + text
    return "\n".join(rows[y] for y in sorted(rows))


def db_fingerprint(path: Path) -> str:
    """A hash of every row of every table of the SQLite file at `path`."""
    digest = hashlib.sha256()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in sorted(repr(r) for r in db.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode("utf-8", "surrogatepass"))
    finally:
        db.close()
    return digest.hexdigest()
