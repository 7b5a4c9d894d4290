"""The identity screen's tab bar: its three tabs, which is in view, and how many of each."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message

from seam_tui.tui.widgets.text import Line

# The tabs, in order: (pane id, label).
TABS: tuple[tuple[str, str], ...] = (
    ("acs-users-tab", "ACS users"),
    ("access-tab", "Access"),
    ("credentials-tab", "Credentials"),
)


class TabBar(Horizontal):
    """One label per tab (the one in view marked), then the keys that switch them."""

    class Chosen(Message):
        """A tab's label was clicked."""

        def __init__(self, pane_id: str) -> None:
            super().__init__()
            self.pane_id = pane_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._current = TABS[0][0]
        self._counts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        for pane_id, label in TABS:
            yield Line(label, id=f"{pane_id}-label", classes="tab")
        yield Line("[ ] switch", classes="tab-hint")

    def on_mount(self) -> None:
        self._redraw()

    def mark(self, current: str) -> None:
        self._current = current
        self._redraw()

    def count(self, counts: dict[str, str]) -> None:
        """Label each tab with what it holds, e.g. `ACS users (2)`."""
        self._counts = counts
        self._redraw()

    def _redraw(self) -> None:
        """Show the marks and counts on the labels (once they are mounted)."""
        for pane_id, label in TABS:
            for line in self.query(f"#{pane_id}-label").results(Line):
                line.set_class(pane_id == self._current, "-active")
                line.update(f"{label}{self._counts.get(pane_id, '')}")

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        if widget is not None and widget.has_class("tab") and widget.id:
            self.post_message(self.Chosen(widget.id.removesuffix("-label")))
