"""The local audit log, newest first: every change made from the TUI or the MCP server."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.audit import AuditEntry
from seam_tui.core.errors import AuditReadError
from seam_tui.tui.formatting import DASH, text_or_dash
from seam_tui.tui.literal import Cell, lines, quoted, styled
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line, LiteralInput
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar
from seam_tui.visible import quoted as json_quoted

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Time", 19),
    ("From", 5),
    ("Workspace", 20),
    ("Operation", 24),
    ("Ids", 40),
    ("Outcome", 11),
    ("Detail", 48),
)
OUTCOME_STYLES = {
    "ok": "green",
    "error": "bold red",
    "partial": "yellow",
    "dry_run": "cyan",
    "refused": "magenta",
    "started": "bold yellow",
    "settled": "green",
    "push_failed": "bold red",
}
# A change Seam accepted, then pushed to the access system (`settled`) or failed to.
OUTCOME_LABELS = {"settled": "settled", "push_failed": "push failed"}
OUTCOME_MEANS = {
    "settled": "Seam has pushed this change to the access system",
    "push_failed": "Seam accepted this change but could not push it to the access system",
}
# A change with a `started` line and no outcome: cut short (kill -9, power loss) or running now.
UNFINISHED = "unfinished"
UNFINISHED_MEANS = "no outcome recorded: interrupted (or still running)"
STEP_MARK = "↳ "
SHORT_ID = 8
# The panel shows this much of a detail; the log keeps it whole.
DETAIL_CHARS = 2000
# Lines of the panel under the table (a plan or a step list takes several).
DETAIL_LINES = 10
# Lines the status may take when it says why the log cannot be read (file and fix).
STATUS_LINES = 3


def outcome_label(entry: AuditEntry) -> str:
    if entry.outcome == "started":
        return UNFINISHED
    return OUTCOME_LABELS.get(entry.outcome, entry.outcome)


def when(entry: AuditEntry, *, zone: bool = False) -> str:
    """The entry's time in local time (in UTC when local time cannot hold it, e.g. year 1)."""
    try:
        time = entry.time.astimezone()
        name = time.tzname() or ""
    except (OverflowError, ValueError, OSError):
        time, name = entry.time, "UTC"
    stamp = f"{time.year:04d}-{time:%m-%d %H:%M:%S}"
    return f"{stamp} {name}" if zone and name else stamp


def short_ids(entry: AuditEntry) -> str:
    """`acs_user 1a2b3c4d, user_identity 5e6f7a8b`: enough to tell rows apart."""
    if not entry.ids:
        return DASH
    return ", ".join(
        f"{name.removesuffix('_id')} {value[:SHORT_ID]}" for name, value in entry.ids.items()
    )


def entry_cells(entry: AuditEntry) -> Sequence[Cell]:
    return (
        when(entry),
        entry.front_end,
        entry.workspace,
        STEP_MARK + entry.operation if entry.parent_id else entry.operation,
        short_ids(entry),
        styled(outcome_label(entry), OUTCOME_STYLES.get(entry.outcome, "")),
        text_or_dash(entry.detail),
    )


def entry_text(entry: AuditEntry, parent: AuditEntry | None = None) -> Cell:
    """Everything about one entry, full ids and detail, for the panel under the table."""
    ids = "  ".join(f"{name}={value}" for name, value in entry.ids.items()) or DASH
    about: list[Cell] = [
        f"{when(entry, zone=True)} · {entry.front_end} · "
        f"{entry.workspace} · {entry.operation} · {outcome_label(entry)}"
    ]
    if entry.outcome == "started":
        about.append(UNFINISHED_MEANS)
    if entry.outcome in OUTCOME_MEANS:
        about.append(OUTCOME_MEANS[entry.outcome])
    if entry.caller:
        about.append(f"called by {entry.caller}")
    if entry.parent_id:
        of = f"{parent.operation} " if parent else ""
        about.append(f"a step of {of}(change {entry.parent_id})")
    about.append(ids)
    if entry.detail:
        cut = len(entry.detail) - DETAIL_CHARS
        about.append(
            entry.detail[:DETAIL_CHARS] + (f"… ({cut} more characters)" if cut > 0 else "")
        )
    return lines(about)


def steps_of(entry: AuditEntry, entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """The recorded steps of a multi-step change, oldest first."""
    if not entry.change_id:
        return []
    return [e for e in reversed(entries) if e.parent_id == entry.change_id]


def identity_of(entry: AuditEntry, entries: Sequence[AuditEntry]) -> str | None:
    """The identity a change is about: its own id, else the one its steps name (an
    interrupted creation records the new identity's id only on its step)."""
    if own := entry.ids.get("user_identity_id"):
        return own
    for step in steps_of(entry, entries):
        if found := step.ids.get("user_identity_id"):
            return found
    return None


def steps_said(steps: Sequence[AuditEntry]) -> str:
    """`create_user_identity ok, link_acs_user ok (acs_user 1a2b3c4d), ...`."""
    said = []
    for step in steps:
        ids = {k: v for k, v in step.ids.items() if k != "user_identity_id"}
        about = f" ({short_ids(step.model_copy(update={'ids': ids}))})" if ids else ""
        said.append(f"{step.operation} {outcome_label(step)}{about}")
    return ", ".join(said)


def interrupted_note(entry: AuditEntry, entries: Sequence[AuditEntry], identity_id: str) -> str:
    """What an interrupted change left behind, said when its identity is opened."""
    return (
        f"This change was interrupted (or is still running); opened identity {identity_id}, "
        "which its steps name. "
        f"Its steps: {steps_said(steps_of(entry, entries))}. Add what is missing, or undo it: "
        "unlink (x) each ACS user it linked (they existed before), then delete the identity (d)."
    )


def no_identity_note(entry: AuditEntry, entries: Sequence[AuditEntry]) -> str:
    """Why Enter opens nothing for this change, and what to do about it."""
    if entry.outcome != "started":
        return "This change names no identity."
    steps = steps_of(entry, entries)
    if steps:
        return (
            "This change was interrupted (or is still running) and names no identity; its "
            f"steps: {steps_said(steps)}. Check those in workspace "
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
    """What changed, when, from which front end and in which workspace; `/` filters the rows."""

    HELP_TITLE = "Activity"
    # Reloaded when a change made here settles (see tui/settling.py).
    FOLLOWS_AUDIT: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the palette lists it too; it stands aside while the filter box has focus.
        Binding("enter", "open_identity", "Open identity", show=False, priority=True),
        Binding("slash", "search", "Filter", key_display="/"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[AuditEntry] = []
        self._skipped = 0
        self._query = ""

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Activity")
        yield LiteralInput(
            placeholder="/ filter by operation, id, workspace, outcome…", id="search"
        )
        yield KeyTable(id="activity")
        yield Line(id="activity-detail")
        yield Line(id="status")
        yield Footer()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#activity", KeyTable)

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
        if not self.is_closing:
            self._fill()

    def _unreadable(self, why: str) -> None:
        """The log cannot be read at all: no rows, and the status says which file and the fix."""
        self._entries, self._skipped = [], 0
        self.table.clear()
        self.query_one("#activity-detail", Line).update("")
        self.query_one("#status", Line).update(why[:1].upper() + why[1:])

    def _matches(self, entry: AuditEntry) -> bool:
        if not self._query:
            return True
        needle = self._query.casefold()
        fields = (
            entry.front_end,
            entry.workspace,
            entry.operation,
            entry.outcome,
            outcome_label(entry),
            entry.detail,
            entry.caller,
            entry.change_id,
            entry.parent_id,
        )
        haystack = " ".join([*(f for f in fields if f), *entry.ids.values()])
        return needle in haystack.casefold()

    def _fill(self) -> None:
        table = self.table
        table.clear()
        shown = 0
        for index, entry in enumerate(self._entries):
            if self._matches(entry):
                table.add_row(*entry_cells(entry), key=str(index))
                shown += 1
        what = f" matching {quoted(self._query)}" if self._query else ""
        path = self.service.audit.path
        skipped = ""
        if self._skipped:
            many = "s" if self._skipped != 1 else ""
            skipped = f" · {self._skipped} unreadable line{many} skipped"
        self.query_one("#status", Line).update(
            f"{shown} recent change{'' if shown == 1 else 's'}{what}, newest first · {path}"
            f"{skipped}"
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
            text = entry_text(entry, parent)
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
        self.query_one("#search", LiteralInput).focus()

    def action_back(self) -> None:
        """Esc clears the filter first, then goes back."""
        search = self.query_one("#search", LiteralInput)
        if search.value or search.has_focus:
            search.value = ""
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
            self.notify(no_identity_note(entry, self._entries), title="Open", timeout=12)
        elif entry.workspace != self.seam_app.workspace.name:
            self.notify(
                f"This change was made in workspace {json_quoted(entry.workspace)}: switch to "
                f"it (w) to open identity {identity_id}.",
                title="Open",
            )
        else:
            if entry.outcome == "started" and "user_identity_id" not in entry.ids:
                note = interrupted_note(entry, self._entries, identity_id)
                self.notify(note, title="Interrupted", severity="warning", timeout=15)
            self.seam_app.open_identity(identity_id)
