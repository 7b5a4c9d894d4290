"""A table of items, one row per key, whose rows can be marked for an action on several.

A marked row shows a dot in a narrow first column. Marks are kept by key with the item as last
seen, so a marked row that scrolls out of a paged window stays marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual.message import Message

from seam_tui.tui.literal import Cell
from seam_tui.tui.widgets.key_table import KeyTable

T = TypeVar("T")

MARK_COLUMN = "mark"
MARK = "●"


class TableMessage(Message):
    """A message from a table; `control` is the table, so `@on(..., "#id")` selectors work."""

    def __init__(self, table: MarkedRows[Any]) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> MarkedRows[Any]:
        return self.table


class MarkedRows(KeyTable, Generic[T]):
    """Rows of `row_cells(item)` keyed by `row_key(item)`; with `markable`, rows can be marked.

    Subclasses fill `_items` (in row order, the order of `_row_keys()`) and draw a row's
    cells with `_cells`."""

    class MarksChanged(TableMessage):
        """Rows were marked or unmarked: `count` are marked now."""

        def __init__(self, table: MarkedRows[Any], count: int) -> None:
            super().__init__(table)
            self.count = count

    def __init__(
        self,
        *,
        row_cells: Callable[[T], Sequence[Cell]],
        row_key: Callable[[T], str],
        markable: bool,
        id: str | None,
    ) -> None:
        super().__init__(id=id)
        self._row_cells = row_cells
        self._row_key = row_key
        self.markable = markable
        self._items: dict[str, T] = {}
        self._marks: dict[str, T] = {}
        self._anchor: str | None = None  # the row last marked, where a range starts

    def _row_keys(self) -> list[str]:
        """The keys of the rows shown, in order."""
        return list(self._items)

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        key: str | None = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return key

    def current_item(self) -> T | None:
        """The item under the cursor, if any."""
        key = self._cursor_key()
        return self._items.get(key) if key is not None else None

    def _cells(self, key: str, item: T) -> list[Cell]:
        cells = list(self._row_cells(item))
        return [MARK if key in self._marks else "", *cells] if self.markable else cells

    def add_mark_column(self) -> None:
        if self.markable:
            # A fixed width: an auto one is sized to the cells at load, often all unmarked.
            self.add_column("", key=MARK_COLUMN, width=1, max_width=1)

    @property
    def marked(self) -> list[T]:
        """The marked items, in the order they were marked (also those scrolled away)."""
        return list(self._marks.values())

    def is_marked(self, key: str) -> bool:
        return key in self._marks

    def toggle_mark(self, *, move: int = 1) -> None:
        """Mark the cursor's row (or unmark it), then move the cursor `move` rows."""
        key = self._cursor_key()
        if key is None or not self.markable:
            return
        if self._marks.pop(key, None) is None:
            self._marks[key] = self._items[key]
        self._anchor = key
        self._show_mark(key)
        self.move_cursor(row=max(0, min(self.cursor_row + move, self.row_count - 1)))
        self.post_message(self.MarksChanged(self, len(self._marks)))

    def mark_range(self) -> None:
        """Mark every row from the row last marked (or the first) to the cursor's."""
        key = self._cursor_key()
        if key is None or not self.markable:
            return
        start = self.get_row_index(self._anchor) if self._anchor in self._items else 0
        low, high = sorted((start, self.cursor_row))
        self._mark(self._row_keys()[low : high + 1])
        self._anchor = key

    def mark_all(self) -> None:
        """Mark every row shown."""
        if self.markable:
            self._mark(self._row_keys())

    def clear_marks(self) -> int:
        """Unmark every row; returns how many were marked."""
        cleared = list(self._marks)
        self._marks.clear()
        self._anchor = None
        for key in cleared:
            self._show_mark(key)
        if cleared:
            self.post_message(self.MarksChanged(self, 0))
        return len(cleared)

    def unmark(self, key: str) -> None:
        """Forget one mark (its row went, or the action on it is done)."""
        if self._marks.pop(key, None) is not None:
            self._show_mark(key)
            self.post_message(self.MarksChanged(self, len(self._marks)))

    def _mark(self, keys: list[str]) -> None:
        for key in keys:
            if key not in self._marks:
                self._marks[key] = self._items[key]
                self._show_mark(key)
        self.post_message(self.MarksChanged(self, len(self._marks)))

    def _show_mark(self, key: str) -> None:
        if self.markable and key in self._items:
            self.update_cell(key, MARK_COLUMN, MARK if key in self._marks else "")
