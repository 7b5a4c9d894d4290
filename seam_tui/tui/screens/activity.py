"""The local audit log, newest first: every change made from the TUI, the MCP server or a
script, said by the names of what it touched, with what an update changed.

`/` filters by words and `from:` / `op:` / `outcome:` tokens (`activity_filter`); `f`, `t` and
`o` step the front end, operation and outcome the filter keeps. What a row cannot hold at 80
columns is in the panel under the table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.audit import AuditEntry
from seam_tui.core.errors import AuditReadError
from seam_tui.tui.activity_filter import (
    FRONT_ENDS,
    OUTCOMES,
    ActivityFilter,
    next_value,
    with_token,
)
from seam_tui.tui.activity_text import (
    COLUMNS,
    entry_cells,
    entry_text,
    known_names,
    searchable,
    steps_of,
    steps_said,
)
from seam_tui.tui.literal import Cell, quoted
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line, LiteralInput
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar
from seam_tui.visible import quoted as json_quoted

# Lines of the panel under the table (a plan or a step list takes several).
DETAIL_LINES = 10
# Lines the status may take when it says why the log cannot be read (file and fix).
STATUS_LINES = 3


def identity_of(entry: AuditEntry, entries: Sequence[AuditEntry]) -> str | None:
    """The identity a change is about: its own id, else the one its steps name (an
    interrupted creation records the new identity's id only on its step)."""
    if own := entry.ids.get("user_identity_id"):
        return own
    for step in steps_of(entry, entries):
        if found := step.ids.get("user_identity_id"):
            return found
    return None


def interrupted_note(
    entry: AuditEntry, entries: Sequence[AuditEntry], identity_id: str, names: Mapping[str, str]
) -> str:
    """What an interrupted change left behind, said when its identity is opened."""
    return (
        f"This change was interrupted (or is still running); opened identity {identity_id}, "
        "which its steps name. "
        f"Its steps: {steps_said(steps_of(entry, entries), names)}. Add what is missing, or "
        "undo it: unlink (x) each ACS user it linked (they existed before), then delete the "
        "identity (d)."
    )


def no_identity_note(
    entry: AuditEntry, entries: Sequence[AuditEntry], names: Mapping[str, str]
) -> str:
    """Why Enter opens nothing for this change, and what to do about it."""
    if entry.outcome != "started":
        return "This change names no identity."
    steps = steps_of(entry, entries)
    if steps:
        return (
            "This change was interrupted (or is still running) and names no identity; its "
            f"steps: {steps_said(steps, names)}. Check those in workspace "
            f"{json_quoted(entry.workspace)}, then do what is missing again or undo what was "
            "done."
        )
    if entry.detail:  # a multi-step change records its intent before its first step
        return (
            "This change was interrupted before anything was created: no step of it started, "
            "so there is nothing to undo. Do it again if it is still wanted."
        )
    return (
        "This change was interrupted (or is still running) before its outcome was recorded, "
        f"and names no identity: check workspace {json_quoted(entry.workspace)} to see "
        "whether it was made before doing it again."
    )


class ActivityScreen(SeamScreen):
    """What changed, to whom, when, from which front end and by which caller; `/` filters."""

    HELP_TITLE = "Activity"
    # Reloaded when a change made here settles (see tui/settling.py).
    FOLLOWS_AUDIT: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the palette lists it too; it stands aside while the filter box has focus.
        Binding(
            "enter",
            "open_identity",
            "Open identity",
            show=False,
            priority=True,
            id="activity.open_identity",
        ),
        Binding("slash", "search", "Filter", key_display="/", id="activity.search"),
        Binding("f", "cycle_front_end", "From", id="activity.cycle_front_end"),
        Binding("t", "cycle_operation", "Operation", id="activity.cycle_operation"),
        Binding("o", "cycle_outcome", "Outcome", id="activity.cycle_outcome"),
        Binding("r", "refresh", "Refresh", id="activity.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[AuditEntry] = []
        self._names: dict[str, str] = {}
        self._skipped = 0
        self._query = ""

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Activity")
        yield LiteralInput(
            placeholder="/ name, id or value · from:mcp · op:delete · outcome:error", id="search"
        )
        yield KeyTable(id="activity")
        yield Line(id="activity-detail")
        yield Line(id="status")
        yield Footer()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#activity", KeyTable)

    @property
    def search(self) -> LiteralInput:
        return self.query_one("#search", LiteralInput)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_identity":
            return isinstance(self.focused, KeyTable)
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.table.add_column_specs(*COLUMNS)
        self.query_one("#activity-detail", Line).styles.max_height = DETAIL_LINES
        status = self.query_one("#status", Line).styles
        status.height, status.max_height = "auto", STATUS_LINES
        self.table.focus()

    @on(events.ScreenResume)
    def _reload_on_resume(self) -> None:
        """Read the log each time the screen shows: the MCP server may have written to it."""
        self.refresh_data()

    def refresh_data(self) -> None:
        self._load()

    @work(exclusive=True, group="activity")
    async def _load(self) -> None:
        audit = self.service.audit
        try:
            entries = await asyncio.to_thread(audit.recent)
        except AuditReadError as exc:
            if not self.is_closing:
                self._unreadable(str(exc))
            return
        self._entries, self._skipped = entries, audit.skipped_lines
        self._names = known_names(entries)
        if not self.is_closing:
            self._fill()

    def _unreadable(self, why: str) -> None:
        """The log cannot be read at all: no rows, and the status says which file and the fix."""
        self._entries, self._names, self._skipped = [], {}, 0
        self.table.clear()
        self.query_one("#activity-detail", Line).update("")
        self.query_one("#status", Line).update(why[:1].upper() + why[1:])

    def _fill(self) -> None:
        """The rows the filter keeps, the cursor kept on the change it was on when still shown."""
        table = self.table
        was = self._current()
        table.clear()
        wanted = ActivityFilter.parse(self._query)
        shown = 0
        for index, entry in enumerate(self._entries):
            if not wanted or wanted.matches(entry, searchable(entry, self._names)):
                table.add_row(*entry_cells(entry, self._names), key=str(index))
                if entry is was:
                    table.move_cursor(row=shown, animate=False)
                shown += 1
        total = len(self._entries)
        counted = (
            f"{shown} of {total} recent changes"
            if wanted
            else (f"{total} recent change{'' if total == 1 else 's'}")
        )
        what = f" matching {quoted(self._query)}" if wanted else ""
        skipped = ""
        if self._skipped:
            many = "s" if self._skipped != 1 else ""
            skipped = f" · {self._skipped} unreadable line{many} skipped"
        self.query_one("#status", Line).update(
            f"{counted}{what}, newest first · {self.service.audit.path}{skipped}"
        )
        self._show_detail()

    def _current(self) -> AuditEntry | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._entries[int(key)] if key is not None else None

    def _show_detail(self) -> None:
        entry = self._current()
        text: Cell = ""
        if entry is not None:
            parent = next(
                (e for e in self._entries if entry.parent_id and e.change_id == entry.parent_id),
                None,
            )
            text = entry_text(entry, self._names, parent)
        self.query_one("#activity-detail", Line).update(text)

    @on(KeyTable.RowHighlighted, "#activity")
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(KeyTable.RowSelected, "#activity")
    def _row_selected(self) -> None:
        self.action_open_identity()

    @on(LiteralInput.Changed, "#search")
    def _filter_changed(self, event: LiteralInput.Changed) -> None:
        self._query = event.value.strip()
        self._fill()

    @on(LiteralInput.Submitted, "#search")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.search.focus()

    def _step(self, key: str, choices: Sequence[str]) -> None:
        """Keep the next of `choices` for `key` (all again after the last), in the filter box."""
        query = self.search.value
        self.search.value = with_token(query, key, next_value(query, key, choices))

    def action_cycle_front_end(self) -> None:
        """Keep only changes from the next front end: tui, mcp, cli, script, then all."""
        self._step("from", FRONT_ENDS)

    def action_cycle_operation(self) -> None:
        """Keep only the next operation the log holds, then all."""
        self._step("op", sorted({e.operation for e in self._entries}))

    def action_cycle_outcome(self) -> None:
        """Keep only the next outcome (errors and refusals first), then all."""
        self._step("outcome", OUTCOMES)

    def action_back(self) -> None:
        """Esc clears the filter first, then goes back."""
        if self.search.value or self.search.has_focus:
            self.search.value = ""
            self.table.focus()
            return
        super().action_back()

    def action_open_identity(self) -> None:
        """Open the identity a change was about, when it is in the current workspace."""
        entry = self._current()
        if entry is None:
            return
        identity_id = identity_of(entry, self._entries)
        if identity_id is None:
            note = no_identity_note(entry, self._entries, self._names)
            self.notify(note, title="Open", timeout=12)
        elif entry.workspace != self.seam_app.workspace.name:
            self.notify(
                f"This change was made in workspace {json_quoted(entry.workspace)}: switch to "
                f"it (w) to open identity {identity_id}.",
                title="Open",
            )
        else:
            if entry.outcome == "started" and "user_identity_id" not in entry.ids:
                note = interrupted_note(entry, self._entries, identity_id, self._names)
                self.notify(note, title="Interrupted", severity="warning", timeout=15)
            self.seam_app.open_identity(identity_id)
