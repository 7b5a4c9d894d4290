"""A yes/no modal for destructive actions: says exactly what will happen, defaults to no.

A dialog cannot be forged by the data it names: each line is its own widget, a value cannot
break a line, carry a style or run an action, and a long value is cut with an ellipsis so it
cannot push the other lines (or the buttons) out of sight. Callers name the record by its
literal name and its id (`say(...)`, `record(...)`).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen

from seam_tui.tui.literal import Cell, as_text, say, styled
from seam_tui.tui.widgets.text import ActionButton, Line

# A dialog line wraps, and is cut at this many cells so that no line can crowd out the rest.
LINE_WIDTH = 240


def record(kind: str, name: object, record_id: str) -> Cell:
    """`identity “Jane Doe” (id 5f0c…)`: how a dialog names the record it acts on."""
    template = f"{kind} {{name}} {{id}}" if kind else "{name} {id}"
    return say(template, name=name, id=styled(f"(id {record_id})", "dim"))


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only when the user confirms."""

    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("n,escape", "cancel", "No", id="confirm.no"),
    ]

    def __init__(
        self,
        title: Cell,
        lines: Sequence[Cell],
        *,
        confirm_label: str = "Delete",
        cancel_label: str = "Cancel",
    ) -> None:
        super().__init__()
        self._title = title
        self._lines = list(lines)
        self._confirm_label = confirm_label
        self._cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Line(self._title, id="confirm-title", width=LINE_WIDTH)
            with Vertical(id="confirm-detail"):
                for line in self._lines:
                    yield Line(line, classes="confirm-line", width=LINE_WIDTH)
            with Horizontal(id="confirm-buttons"):
                yield ActionButton(f"{self._confirm_label} (y)", "error", id="confirm-yes")
                yield ActionButton(f"{self._cancel_label} (n)", id="confirm-no")

    @property
    def plain_text(self) -> str:
        """The title and lines as shown, one per line (for tests and screen readers)."""
        shown = [self._title, *self._lines]
        return "\n".join(as_text(line, width=LINE_WIDTH).plain for line in shown)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", ActionButton).focus()

    def on_button_pressed(self, event: ActionButton.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
