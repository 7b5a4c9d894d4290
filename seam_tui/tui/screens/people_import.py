"""Import people from a file: ask for its path, show the plan as a table (row, action, who,
what it does or its problems), apply it after one confirmation with a progress bar, and show
each row's result; the list beneath follows without `r`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar

from seam_tui.core.errors import SeamError
from seam_tui.core.people import (
    ApplyReport,
    ImportPlan,
    PlannedRow,
    RowResult,
    apply_import,
    default_result_path,
    plan_import,
    read_people_file,
)
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import Cell, join, quoted, styled
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import ActionButton, Line, LiteralInput

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

Phase = Literal["path", "planning", "confirm", "applying", "done"]
# The outcome before the long text, so it stays in view at 80 columns; the highlighted row's
# whole text is also shown under the table.
COLUMNS = (("Row", 6), ("Action", 9), ("Who", 24), ("Result", 30), ("What / problems", 200))
RESULT = "Result"
_STATUS_STYLE = {"failed": "red", "skipped": "yellow", "unchanged": "dim"}


class PeopleImportScreen(ModalScreen[None]):
    """Enter a file's path (Enter plans it, again after an edit); `y` applies the plan shown;
    `changed()` is called once the apply is over, so the identities list reloads."""

    DEFAULT_CSS = """
    PeopleImportScreen { align: center middle; }
    #people-dialog {
        width: 100%; max-width: 160; height: 100%; max-height: 44;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    #people-title { text-style: bold; }
    #people-rows { height: 1fr; }
    #people-row-detail { height: auto; max-height: 4; color: $text-muted; }
    #people-progress { width: 100%; }
    #people-buttons { height: auto; align-horizontal: right; }
    #people-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "apply", "Apply", show=False, id="people_import.apply"),
        Binding("escape", "close", "Close", show=False, id="people_import.close"),
    ]

    def __init__(self, service: SeamService, changed: Callable[[], None]) -> None:
        super().__init__()
        self._service = service
        self._changed = changed
        self.phase: Phase = "path"
        self.plan: ImportPlan | None = None
        self.report: ApplyReport | None = None
        self._path: Path | None = None
        self._results: dict[str, Cell] = {}  # row -> its result, whole (a cell may cut it)
        self.said = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="people-dialog"):
            yield Line("Import people from a CSV or JSON-lines file", id="people-title")
            yield LiteralInput(placeholder="path of the file, then Enter", id="people-path")
            yield Line("One person per row, columns named as the API names them.", id="people-say")
            yield KeyTable(id="people-rows")
            yield Line("", id="people-row-detail")
            yield ProgressBar(show_eta=False, id="people-progress")
            with Horizontal(id="people-buttons"):
                yield ActionButton("Apply (y)", "warning", id="people-apply")
                yield ActionButton("Close (Esc)", id="people-close")

    @property
    def rows_table(self) -> KeyTable:
        return self.query_one("#people-rows", KeyTable)

    def on_mount(self) -> None:
        self.rows_table.add_column_specs(*COLUMNS)
        self.query_one("#people-apply", ActionButton).display = False
        self.query_one("#people-progress", ProgressBar).display = False
        self.query_one("#people-path", LiteralInput).focus()

    def _say(self, text: str) -> None:
        """Show `text` (already quoting any value) under the path; kept in `said` for tests."""
        self.said = text
        self.query_one("#people-say", Line).update(text)

    # ---------------------------------------------------------------------------- plan

    @on(LiteralInput.Submitted, "#people-path")
    def _submitted(self, event: LiteralInput.Submitted) -> None:
        if self.phase in ("planning", "applying") or not event.value.strip():
            return
        self._path = Path(event.value.strip()).expanduser()
        self._plan()

    @work(exclusive=True, group="people-plan")
    async def _plan(self) -> None:
        assert self._path is not None
        self.phase = "planning"
        self.query_one("#people-apply", ActionButton).display = False
        self._say(f"planning {quoted(str(self._path))}…")
        try:
            plan = await plan_import(self._service, read_people_file(self._path), self._path.name)
        except SeamError as exc:
            self.phase = "path"
            self._say(f"Nothing planned: {describe_error(exc)}")
            return
        self._show_plan(plan)

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        table = self.rows_table
        table.clear()
        for row in plan.rows:
            number, action, who, what = _plan_cells(row)
            table.add_row(number, action, who, "", what, key=str(row.person.row))
        if plan.file_problem is not None:
            self.phase = "path"
            self._say(f"The file cannot be read: {plan.file_problem}. Fix it and press Enter.")
            return
        to_do = sum(1 for r in plan.rows if r.steps and not r.is_error)
        errors = sum(1 for r in plan.rows if r.is_error)
        text = f"Plan: {plan.summary()}."
        if errors:
            text += f" {errors} row(s) have problems (listed): fix the file and press Enter"
            text += ", or y applies the other rows, skipping them." if to_do else "."
        if not to_do:
            self.phase = "path"
            self._say(f"{text} Nothing to apply.")
            return
        if self._service.read_only:
            self.phase = "path"
            self._say(f"{text} The workspace is read-only: it cannot be applied here.")
            return
        self.phase = "confirm"
        self._say(f"{text} Apply {to_do} row(s) in workspace {quoted(plan.workspace)}? (y)")
        apply = self.query_one("#people-apply", ActionButton)
        apply.label = f"Apply {to_do} (y)"
        apply.display = True
        table.focus()

    # --------------------------------------------------------------------------- apply

    def action_apply(self) -> None:
        if self.phase == "confirm":
            self._apply()

    def action_close(self) -> None:
        if self.phase != "applying":
            self.dismiss(None)

    def on_button_pressed(self, event: ActionButton.Pressed) -> None:
        if event.button.id == "people-apply":
            self.action_apply()
        else:
            self.action_close()

    @work(exclusive=True, group="people-apply")
    async def _apply(self) -> None:
        plan, path = self.plan, self._path
        assert plan is not None
        assert path is not None
        self.phase = "applying"
        self.query_one("#people-apply", ActionButton).display = False
        self.query_one("#people-close", ActionButton).disabled = True
        bar = self.query_one("#people-progress", ProgressBar)
        bar.display = True
        bar.update(total=len(plan.rows), progress=0)
        self._say(f"Applying {plan.summary()}…")
        try:
            # The same file planned again: what was shown must still be what is applied.
            again = await plan_import(self._service, read_people_file(path), path.name)
            if again.token != plan.token:
                self.query_one("#people-close", ActionButton).disabled = False
                bar.display = False
                self._show_plan(again)
                self._say(f"The workspace or the file changed since the plan; {self.said}")
                return
            self.report = await apply_import(
                self._service,
                plan,
                skip_invalid=True,
                result_path=default_result_path(path),
                on_row=self._row_done,
            )
        except SeamError as exc:
            self._say(f"Stopped: {describe_error(exc)}")
        else:
            result = self.report.result_path
            self._say(f"Done: {self.report.summary()}. Results in {quoted(str(result))}.")
        finally:
            self.phase = "done" if self.phase == "applying" else self.phase
            self.query_one("#people-close", ActionButton).disabled = False
        self._changed()

    @on(KeyTable.RowHighlighted, "#people-rows")
    def _row_highlighted(self) -> None:
        """The highlighted row's result and whole text, which its cells may cut."""
        table = self.rows_table
        if not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        rows = self.plan.rows if self.plan is not None else []
        planned = next((r for r in rows if str(r.person.row) == key), None)
        if planned is None:
            return
        number, _action, who, what = _plan_cells(planned)
        parts = [part for part in (self._results.get(key), what) if part]
        self.query_one("#people-row-detail", Line).update(
            join([f"row {number}, ", who, ": ", join(parts, " — ")])
        )

    def _row_done(self, result: RowResult, done: int, total: int) -> None:
        self.query_one("#people-progress", ProgressBar).update(progress=done, total=total)
        said = f"{result.status}: {result.error}" if result.error else result.status
        cell: Cell = styled(said, _STATUS_STYLE.get(result.status, "green"))
        self._results[str(result.row)] = cell
        self.rows_table.update_cell(str(result.row), RESULT, cell, update_width=True)
        self._row_highlighted()


def _plan_cells(row: PlannedRow) -> tuple[Cell, ...]:
    if row.is_error:
        what: Cell = styled("; ".join(p.in_row for p in row.problems), "red")
    else:
        what = "; ".join(s.text for s in row.steps) or "—"
    return (str(row.person.row), row.action, row.person.label(), what)
