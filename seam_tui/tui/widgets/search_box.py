"""A search field that says what to look for once typing pauses, or at once on Enter."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.timer import Timer

from seam_tui.tui.widgets.text import LiteralInput

DEBOUNCE_S = 0.25


class SearchBox(LiteralInput):
    """Posts `SearchBox.Search` with the stripped text after a pause, never twice in a row."""

    class Search(Message):
        """Search for `query` (empty: show everything); `submitted` when Enter was pressed."""

        def __init__(self, box: SearchBox, query: str, submitted: bool) -> None:
            super().__init__()
            self.box = box
            self.query = query
            self.submitted = submitted

        @property
        def control(self) -> SearchBox:
            return self.box

    def __init__(self, placeholder: str, *, id: str) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._timer: Timer | None = None
        self.query_sent = ""

    @on(LiteralInput.Changed)
    def _typed(self, event: LiteralInput.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        value = event.value.strip()
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self._send(value, submitted=False))

    @on(LiteralInput.Submitted)
    def _entered(self, event: LiteralInput.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._send(event.value.strip(), submitted=True)

    def _send(self, query: str, *, submitted: bool) -> None:
        if query != self.query_sent or submitted:
            self.query_sent = query
            self.post_message(self.Search(self, query, submitted))
