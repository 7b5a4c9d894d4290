"""The one table of the TUI: literal cells cut to their column, and j/k/g/G like k9s and lazygit.

Textual's `DataTable` parses a string cell as markup and sizes a column to its widest value, so
one hostile or very long name could run actions or push every other column off screen. Here a
string cell is literal text, every cell is cut to its column's `max_width` with an ellipsis, and
the full value is left to the detail views.
"""

from __future__ import annotations

from typing import Any, Self

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from seam_tui.tui.literal import Cell, as_text

# The widest a column grows, in cells, unless `add_column` says otherwise.
DEFAULT_MAX_WIDTH = 40
# A column: its label, or (label, the most cells its values take before an ellipsis).
ColumnSpec = str | tuple[str, int]


class KeyTable(DataTable[Text]):
    """Row cursor, zebra stripes, vim-style movement keys, and literal cells of bounded width."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.cursor_up"),
        Binding("g", "first_row", "Top", show=False, id="table.first_row"),
        Binding("G", "last_row", "Bottom", show=False, id="table.last_row"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._max_width_by_key: dict[ColumnKey, int] = {}  # in column order

    async def _on_idle(self, event: events.Idle) -> None:
        """Re-size columns as Textual does, then drop every cached cell.

        Textual sizes columns when idle but keeps cells it rendered before that under the same
        cache key, so a header drawn between `add_row` and idle kept its old widths over rows
        drawn with the new ones (seen about one run in fifteen on a busy machine).
        """
        resized = self._require_update_dimensions or bool(self._updated_cells)
        await super()._on_idle(event)
        if resized:
            self._clear_caches()
            self.refresh()

    def add_column(
        self,
        label: Any,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Any = None,
        max_width: int = DEFAULT_MAX_WIDTH,
    ) -> ColumnKey:
        """A column whose cells are cut to `max_width` cells (its label is literal too)."""
        column_key = super().add_column(as_text(label), width=width, key=key, default=default)
        self._max_width_by_key[column_key] = max_width
        return column_key

    def add_column_specs(self, *columns: ColumnSpec) -> list[ColumnKey]:
        """Columns keyed by their labels, each cut to its own `max_width` or the default."""
        added = []
        for column in columns:
            label, max_width = (column, DEFAULT_MAX_WIDTH) if isinstance(column, str) else column
            added.append(self.add_column(label, key=label or None, max_width=max_width))
        return added

    def add_row(
        self,
        *cells: Cell,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        """A row of literal cells, each cut to its column."""
        widths = list(self._max_width_by_key.values())
        shown = [
            as_text(cell, width=widths[index] if index < len(widths) else DEFAULT_MAX_WIDTH)
            for index, cell in enumerate(cells)
        ]
        row_label = None if label is None else as_text(label)
        return super().add_row(*shown, height=height, key=key, label=row_label)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Cell,
        *,
        update_width: bool = False,
    ) -> None:
        """Replace one cell with literal text cut to its column."""
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        width = self._max_width_by_key.get(column, DEFAULT_MAX_WIDTH)
        super().update_cell(
            row_key, column_key, as_text(value, width=width), update_width=update_width
        )

    def clear(self, columns: bool = False) -> Self:
        if columns:
            self._max_width_by_key.clear()
        super().clear(columns)
        return self

    def focused_or_say(self, how: str) -> bool:
        """Whether the table has focus; if not, say `how` to reach it. A destructive key acts
        only on the focused table's row, never on a faint cursor the user is not looking at."""
        if self.has_focus:
            return True
        self.notify(how, severity="warning")
        return False

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))
