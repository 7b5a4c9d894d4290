"""The one way the command-line tools write text for people (and JSON for scripts).

Every human-readable line that `seam-tui`, `seam-tui workspace|sandbox ...` and `seam-mcp`
print goes through here, so that data in it (profile names and labels, endpoints, workspace
names, server messages quoted in errors) is shown, never run: each character that could act on
the terminal, reorder the line or hide text is replaced by its placeholder (`seam_tui.visible`).
One `say` is always exactly one line: a newline inside data is shown as ␊, so data cannot forge
a line of its own. JSON goes out with `ensure_ascii=True`, which escapes every control, bidi
and non-ASCII character as `\\uXXXX`.

ruff's T20 rule (no `print`) holds everywhere else in the package; this module is the
exception. It imports nothing heavy: `rich.cells` (for column widths) only when a table or a
cut is made.
"""

from __future__ import annotations

import getpass
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from seam_tui.visible import visible, visible_parts

PROG = "seam-tui"
ELLIPSIS = "…"
CELL_WIDTH = 40  # the widest a table cell may be before it is cut
_GAP = "  "


def _write(text: str, file: TextIO | None, *, flush: bool = False) -> None:
    """Write already-visible text; a stream that cannot encode a placeholder gets `\\uXXXX`."""
    out = sys.stdout if file is None else file
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, "backslashreplace").decode(encoding))
    if flush:
        out.flush()


def say(line: object = "", *, file: TextIO | None = None) -> None:
    """Print one line (stdout unless `file`), its hidden characters made visible."""
    _write(visible(line) + "\n", file)


def say_lines(lines: Iterable[object], *, file: TextIO | None = None) -> None:
    """Print several lines, each as `say` would."""
    for line in lines:
        say(line, file=file)


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """`data` as JSON text that is pure printable ASCII plus the indent's newlines."""
    return json.dumps(data, indent=indent, ensure_ascii=True)


def say_json(data: Any, *, indent: int | None = 2, file: TextIO | None = None) -> None:
    """Print `data` as one JSON document (one line when `indent` is None), then flush."""
    _write(json_text(data, indent=indent) + "\n", file, flush=True)


def note(message: object, *, prog: str = PROG) -> None:
    """`prog: note: message` on stderr."""
    say(f"{prog}: note: {message}", file=sys.stderr)


def warn(message: object, *, prog: str = PROG) -> None:
    """`prog: warning: message` on stderr."""
    say(f"{prog}: warning: {message}", file=sys.stderr)


def error(message: object, *, prog: str = PROG) -> None:
    """`prog: error: message` on stderr (an exception's text may quote data: it is shown too)."""
    say(f"{prog}: error: {message}", file=sys.stderr)


def ask(prompt: object) -> str:
    """Show `prompt` on stderr (no newline), read one line of stdin, stripped.

    Raises EOFError when stdin is at its end.
    """
    _write(visible(prompt), sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def ask_secret(prompt: object) -> str:
    """A hidden prompt (the terminal echoes nothing) for a key or token, stripped."""
    return getpass.getpass(visible(prompt)).strip()


def cell_width(value: object) -> int:
    """How many terminal cells `value` takes once made visible."""
    from rich.cells import cell_len

    return cell_len(visible(value))


def cut(value: object, max_width: int) -> str:
    """`value` made visible and cut to at most `max_width` (1 or more) cells, ending in … when
    cut. A placeholder (⟨U+202E⟩) is kept whole or left out, never split.
    """
    from rich.cells import cell_len

    text = visible(value)
    if cell_len(text) <= max_width:
        return text
    room = max(max_width - 1, 0)
    kept: list[str] = []
    used = 0
    for part, is_placeholder in visible_parts(value if isinstance(value, str) else str(value)):
        pieces = [part] if is_placeholder else list(part)
        for piece in pieces:
            width = cell_len(piece)
            if used + width > room:
                return "".join(kept) + ELLIPSIS
            kept.append(piece)
            used += width
    return "".join(kept) + ELLIPSIS


def table_lines(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    max_width: int | Sequence[int] = CELL_WIDTH,
) -> list[str]:
    """The lines of a table: columns two spaces apart, aligned by terminal cell width, each
    cell made visible and cut to `max_width` cells (one limit for all columns, or one per
    column); trailing spaces dropped."""
    from rich.cells import cell_len

    limits = [max_width] * len(header) if isinstance(max_width, int) else list(max_width)
    if len(limits) != len(header):
        raise ValueError("max_width needs one limit per column of the header")
    all_rows = [header, *rows]
    if any(len(row) != len(header) for row in all_rows):
        raise ValueError("every row of a table needs one cell per column of the header")
    cells = [
        [cut(cell, limit) for cell, limit in zip(row, limits, strict=True)] for row in all_rows
    ]
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(header))]
    return [
        _GAP.join(
            cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in cells
    ]


def table(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    max_width: int | Sequence[int] = CELL_WIDTH,
    file: TextIO | None = None,
) -> None:
    """Print a table (see `table_lines`)."""
    _write("".join(line + "\n" for line in table_lines(header, rows, max_width=max_width)), file)


class VisibleFormatter(logging.Formatter):
    """A logging formatter for a terminal: the message line is made visible whole (a newline in
    it shows as ␊); a traceback keeps its lines, each made visible."""

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text  # another handler's formatter may have cached it raw
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatMessage(self, record: logging.LogRecord) -> str:
        return visible(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return _visible_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _visible_lines(super().formatStack(stack_info))


def _visible_lines(text: str) -> str:
    return "\n".join(visible(line) for line in text.split("\n"))
