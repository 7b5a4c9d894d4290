"""Marking rows of a list screen's table, and the bulk actions on the marked rows.

`space` marks the row (and moves down), shift+↓/↑ mark while moving, `V` marks from the row last
marked to the cursor, `A` marks every loaded row, Esc clears the marks. A bulk action acts on
the marked rows, or on the cursor's row when none is marked, after one confirmation that lists
exactly what changes (`screens.bulk_run`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from seam_tui.tui.bulk import Outcome, Plan, Step
from seam_tui.tui.literal import quoted
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.bulk_run import BulkRunScreen, MakePlan
from seam_tui.tui.settling import OwnChange, error_keys
from seam_tui.tui.widgets.paged_table import PagedTable

MARK_ACTIONS = frozenset({"toggle_mark", "mark_down", "mark_up", "mark_range", "mark_all"})
# Esc clears the marks first; a screen's own Esc binding comes after this one.
CLEAR_MARKS = Binding("escape", "clear_marks", "Clear marks", show=False, id="marks.clear_marks")
MARK_BINDINGS: list[BindingType] = [
    Binding("space", "toggle_mark", "Mark", key_display="space", id="marks.toggle_mark"),
    Binding("shift+down", "mark_down", "Mark and go down", show=False, id="marks.mark_down"),
    Binding("shift+up", "mark_up", "Mark and go up", show=False, id="marks.mark_up"),
    Binding("V", "mark_range", "Mark range", show=False, id="marks.mark_range"),
    Binding("A", "mark_all", "Mark all loaded", show=False, id="marks.mark_all"),
]


class MarkingScreen(SeamScreen):
    """A list screen whose one `PagedTable` (made with `markable=True`) has marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *MARK_BINDINGS,
        CLEAR_MARKS,
        Binding("escape", "back", "Back", id="back"),  # a class's Esc bindings replace its base's
    ]

    def __init__(self) -> None:
        super().__init__()
        self._kept_marks: set[str] = set()  # rows whose change failed: they stay marked

    @property
    def marking_table(self) -> PagedTable[Any]:
        table: PagedTable[Any] = self.query_one(PagedTable)
        return table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in MARK_ACTIONS:
            return self.marking_table.has_focus
        if action == "clear_marks":
            return bool(self.marking_table.marked)
        return True

    def marks_text(self) -> str:
        """` · 3 marked (Esc clears)` while rows are marked, else nothing."""
        count = len(self.marking_table.marked)
        return f" · {count:,} marked (Esc clears)" if count else ""

    def action_toggle_mark(self) -> None:
        self.marking_table.toggle_mark()

    def action_mark_down(self) -> None:
        self.marking_table.toggle_mark(move=1)

    def action_mark_up(self) -> None:
        self.marking_table.toggle_mark(move=-1)

    def action_mark_range(self) -> None:
        self.marking_table.mark_range()

    def action_mark_all(self) -> None:
        self.marking_table.mark_all()

    def action_clear_marks(self) -> None:
        self.marking_table.clear_marks()

    def targets(self) -> list[Any]:
        """What a bulk action acts on: the marked rows, else the cursor's row."""
        table = self.marking_table
        current = table.current_item()
        return table.marked or ([current] if current is not None else [])

    def run_bulk(self, title: str, make_plan: MakePlan) -> None:
        """Open the bulk dialog; each step's outcome is shown here as it comes."""
        self._kept_marks = set()
        self.app.push_screen(
            BulkRunScreen(title, make_plan, finished=self._bulk_step_done, ended=self._bulk_ended)
        )

    def _bulk_step_done(self, step: Step, outcome: Outcome) -> None:
        if not outcome.ok:
            self._kept_marks.add(step.owner)
        obj = outcome.obj
        if obj is not None and outcome.said.startswith(("queued", "being deleted")):
            said = f"{step.what.capitalize()} — {quoted(step.name)}"
            where = quoted(step.where)
            change = OwnChange(
                step.operation, step.ids, said, said, where, error_keys(obj), quiet=True
            )
            self.seam_app.settling.watch(obj, change)
        self.bulk_step_done(step, outcome)

    def bulk_step_done(self, step: Step, outcome: Outcome) -> None:
        """Show one outcome in the list (a screen redraws or drops the row)."""

    def _bulk_ended(self, plan: Plan, not_run: list[Step]) -> None:
        """After a bulk run: rows done (or skipped) are unmarked, and every screen reloads in
        place so that counts and filters follow."""
        self._kept_marks.update(step.owner for step in not_run)
        for owner in {step.owner for step in plan.steps} - self._kept_marks:
            self.marking_table.unmark(owner)
        self.seam_app.refresh_screens()
