"""A part of a screen with its own tables and actions (a tab of the identity screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Vertical

from seam_tui.tui.errors import describe_error
from seam_tui.tui.widgets.key_table import KeyTable

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService
    from seam_tui.tui.app import SeamApp


class Pane(Vertical):
    """Knows the app and its service, shows errors as the screens do, and stops its workers'
    results from reaching widgets once its screen is leaving."""

    @property
    def seam_app(self) -> SeamApp:
        return cast("SeamApp", self.app)

    @property
    def service(self) -> SeamService:
        return self.seam_app.service

    @property
    def is_closing(self) -> bool:
        """True once the pane or its screen has left (or is leaving) the app."""
        if not self.is_attached:
            return True
        screen = self.screen
        return not screen.is_attached or not screen.display

    def show_error(self, exc: BaseException) -> None:
        self.notify(describe_error(exc), title="Error", severity="error", timeout=8)


def cursor_key(table: KeyTable) -> str | None:
    """The key of the row under the table's cursor, if it has rows."""
    if not table.row_count:
        return None
    key: str | None = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return key


def restore_cursor(table: KeyTable, key: str | None) -> None:
    """Put the cursor back on the row `key` after the table was refilled, if it is still there."""
    if key is not None and key in table.rows:
        table.move_cursor(row=table.get_row_index(key), animate=False)
