"""A row-cursor DataTable that also moves with j/k/g/G, like every list in k9s and lazygit."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.binding import Binding
from textual.widgets import DataTable

CellType = TypeVar("CellType")


class KeyTable(DataTable[CellType]):
    """Row cursor, zebra stripes, and vim-style movement keys."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first_row", "Top", show=False),
        Binding("G", "last_row", "Bottom", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))
