"""The TUI's one door for text: every value shown on screen becomes literal `Text` here.

Nothing in a value is ever parsed as markup, and the characters `seam_tui.visible` hides
(controls, escapes, bidi overrides, zero-width characters) appear as styled placeholders. Only
this module and the widgets in `widgets/text.py` and `widgets/key_table.py` may build Rich
`Text` or hand strings to Textual's text widgets; ruff's banned-api rule holds everyone else
to that, so a screen cannot show data any other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import StyleType
from rich.table import Table
from rich.text import Text
from textual.markup import escape

from seam_tui.visible import visible, visible_parts

Cell = str | Text
"""What screens hand to widgets: a plain string (always shown literally) or `Text` from here."""

PLACEHOLDER_STYLE = "reverse"
# Data in a sentence is underlined too: a value holding “quotes” or "(id …)" cannot pass for
# our own words, since everything it holds is underlined with it.
DATA_STYLE = "bold underline"
# How much of a name a sentence (a toast, a dialog line, a title) quotes before an ellipsis.
NAME_WIDTH = 48


def lit(value: object, *, style: StyleType = "", width: int | None = None) -> Text:
    """Any value as literal text: placeholders for hidden characters, cut to `width` cells."""
    text = Text(style=style, end="")
    for part, hidden in visible_parts(value if isinstance(value, str) else str(value)):
        text.append(part, PLACEHOLDER_STYLE if hidden else None)
    return clip(text, width)


def clip(text: Text, width: int | None) -> Text:
    """`text` cut to one line of at most `width` cells, ending in an ellipsis when cut."""
    if width is None or text.cell_len <= width:
        return text
    cut = text.copy()
    cut.truncate(max(1, width), overflow="ellipsis")
    return cut


def as_text(value: object, *, width: int | None = None) -> Text:
    """A cell for a widget: `Text` built here is kept (cut to `width`), anything else made
    literal text."""
    if isinstance(value, Text):
        return clip(value, width)
    return lit(value, width=width)


def clipped(value: object, width: int = NAME_WIDTH) -> str:
    """A value as a plain one-line string with placeholders, cut to `width` cells."""
    return lit(value, width=width).plain


def quoted(value: object, *, width: int = NAME_WIDTH) -> str:
    """A name for prose as a plain string: “literal”, one line, cut to `width` cells."""
    return f"“{clipped(value, width)}”"


def data(value: object, *, width: int | None = NAME_WIDTH) -> Text:
    """A value inside a sentence: quoted, in `DATA_STYLE`, one line, cut to `width` cells."""
    text = Text("“", end="")
    text.append_text(lit(value, style=DATA_STYLE, width=width))
    text.append("”")
    return text


def styled(value: object, style: StyleType) -> Text:
    """Literal text in a style (our own words in colour, a code from the API in red)."""
    return lit(value, style=style)


def say(template: str, /, **values: object) -> Text:
    """One line from a template of our own words: `{name}` fields become `data(value)`, and a
    `Text` value (an id in a style, say) is inserted as it is.

    The template is literal too, so even a value pasted into it by mistake stays inert.
    """
    out = Text(end="")
    rest = template
    while rest:
        start = rest.find("{")
        end = rest.find("}", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append_text(lit(rest))
            break
        out.append_text(lit(rest[:start]))
        name = rest[start + 1 : end]
        value = values[name]
        out.append_text(value if isinstance(value, Text) else data(value))
        rest = rest[end + 1 :]
    return out


def join(parts: Iterable[Cell], separator: str = "") -> Text:
    """Pieces side by side (each literal), e.g. codes in their colours."""
    return lit(separator).join(as_text(part) for part in parts)


def lines(parts: Iterable[Cell]) -> Text:
    """Several lines: ours are the only line breaks, as data cannot hold one."""
    return Text("\n", end="").join(as_text(part) for part in parts)


def grid(rows: Sequence[Sequence[Cell]], *, label_style: StyleType = "bold") -> Table:
    """Label/value pairs in columns (label, value, label, value, ...): labels in `label_style`,
    values literal and wrapped whole (a detail view shows the full value)."""
    columns = max((len(row) for row in rows), default=0)
    table = Table.grid(padding=(0, 2))
    for index in range(columns):
        label = index % 2 == 0
        table.add_column(no_wrap=label, overflow="ellipsis" if label else "fold")
    for row in rows:
        table.add_row(
            *(
                as_text(cell) if index % 2 else lit(cell, style=label_style)
                for index, cell in enumerate(row)
            )
        )
    return table


def markup_literal(value: object) -> str:
    """For the few Textual APIs that only take markup strings (the palette's help line)."""
    return escape(visible(value))
