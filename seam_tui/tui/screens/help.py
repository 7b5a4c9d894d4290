"""`?`: the keys of the screen underneath, filtered as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen

from seam_tui.tui.keys import ScreenKey, screen_keys
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line, LiteralInput

# Keys that work everywhere but are not bindings of any one screen.
GENERAL_KEYS = [
    ("j / k, ↓ / ↑", "Move down / up in a table"),
    ("g / G", "First / last row"),
    ("enter", "Open the highlighted row"),
    ("escape", "Back; in a search box, clear it; closes this help"),
    ("tab / shift+tab", "Next / previous field or table"),
    ("ctrl+p", "Command palette: every key of this screen by name"),
]


class HelpScreen(ModalScreen[None]):
    """Lists what the user can press on the screen they came from."""

    BINDINGS = [Binding("escape", "dismiss_help", "Close", id="help.dismiss_help")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self._keys: list[ScreenKey] = screen_keys(under)
        self._under_name = getattr(under, "HELP_TITLE", "") or type(under).__name__.removesuffix(
            "Screen"
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Line(f"Keys — {self._under_name}", id="help-title")
            yield LiteralInput(placeholder="type to filter keys", id="help-filter")
            yield KeyTable(id="help-keys")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", KeyTable)
        table.add_column_specs(("Key", 24), ("Does", 60))
        self._fill("")
        self.query_one("#help-filter", LiteralInput).focus()

    def _fill(self, text: str) -> None:
        table = self.query_one("#help-keys", KeyTable)
        table.clear()
        needle = text.casefold()
        rows = [(k.display, k.description) for k in self._keys] + GENERAL_KEYS
        for key, does in rows:
            if needle in key.casefold() or needle in does.casefold():
                table.add_row(key, does)

    @on(LiteralInput.Changed, "#help-filter")
    def _filter(self, event: LiteralInput.Changed) -> None:
        self._fill(event.value.strip())

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
