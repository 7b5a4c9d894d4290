"""One dialog for a bulk action: read what it would change, list exactly that (and what is
skipped, and why) for one confirmation, run it with progress (Esc stops the steps not yet
started), then report each step: done, queued, failed with the reason, or not run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen

from seam_tui.core.errors import SeamError
from seam_tui.tui.bulk import QUEUED_SAYINGS, Outcome, Plan, Step, run_plan
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import Cell, styled
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import ActionButton, Line

Phase = Literal["reading", "confirm", "running", "done"]
MakePlan = Callable[[Callable[[int], None]], Awaitable[Plan]]
# Result second: at 80 columns the change it reports may scroll off, the outcome may not.
COLUMNS = (("Who", 22), ("Result", 36), ("Change", 60))
RESULT = "Result"


class BulkRunScreen(ModalScreen[None]):
    """`make_plan(read)` reads what would change (telling `read(n)` its progress); `y` runs
    it; `finished(step, outcome)` is told each outcome as it comes, `ended(plan, not_run)` once
    the run is over (so the list beneath follows every change)."""

    BINDINGS = [
        Binding("y", "confirm", "Yes", show=False, id="bulk.confirm"),
        Binding("n", "cancel", "No", show=False, id="bulk.cancel"),
        Binding("escape", "escape", "Cancel / stop / close", show=False, id="bulk.escape"),
    ]

    def __init__(
        self,
        title: str,
        make_plan: MakePlan,
        *,
        finished: Callable[[Step, Outcome], None],
        ended: Callable[[Plan, list[Step]], None],
    ) -> None:
        super().__init__()
        self._title = title
        self._make_plan = make_plan
        self._finished = finished
        self._ended = ended
        self.phase: Phase = "reading"
        self.plan: Plan | None = None
        self.outcomes: dict[str, Outcome] = {}  # by step key
        self._stop = False
        self._failed = 0
        self.said: dict[str, str] = {"summary": "", "progress": ""}

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog"):
            yield Line(self._title, id="bulk-title")
            yield Line("reading what would change…", id="bulk-summary")
            yield KeyTable(id="bulk-steps")
            yield Line("", id="bulk-progress")
            with Horizontal(id="bulk-buttons"):
                yield ActionButton("Apply (y)", "error", id="bulk-yes")
                yield ActionButton("Cancel (n)", id="bulk-no")

    @property
    def steps_table(self) -> KeyTable:
        return self.query_one("#bulk-steps", KeyTable)

    def _say(self, line: Literal["summary", "progress"], text: str) -> None:
        """Show `text` on the summary or progress line (kept in `said` for tests)."""
        self.said[line] = text
        self.query_one(f"#bulk-{line}", Line).update(text)

    def on_mount(self) -> None:
        self.steps_table.add_column_specs(*COLUMNS)
        self.query_one("#bulk-yes", ActionButton).display = False
        self.query_one("#bulk-no", ActionButton).focus()
        self._read()

    @work(exclusive=True, group="bulk-read")
    async def _read(self) -> None:
        try:
            plan = await self._make_plan(lambda n: self._say("progress", f"read {n:,}…"))
        except SeamError as exc:
            self.phase = "done"
            self._say("summary", f"Nothing changed: {describe_error(exc)}")
            self._closing_buttons()
            return
        self.plan = plan
        for step in plan.steps:
            result: Cell = styled(f"skipped: {step.skip}", "dim") if step.skip else ""
            self.steps_table.add_row(step.name, result, step.what, key=step.key)
        count, skipped = len(plan.to_run), len(plan.steps) - len(plan.to_run)
        skip_text = f" · {skipped} skipped (see why below)" if skipped else ""
        self._say("progress", "")
        if not count:
            self.phase = "done"
            self._say("summary", f"Nothing to {plan.action}{skip_text}.")
            self._closing_buttons()
            return
        self.phase = "confirm"
        self._say(
            "summary",
            f"{plan.action.capitalize()}: {count} change(s) to {plan.noun}, listed below"
            f"{skip_text}. Apply them?",
        )
        yes = self.query_one("#bulk-yes", ActionButton)
        yes.label = f"{plan.action.capitalize()} {count} (y)"
        yes.display = True

    def _closing_buttons(self) -> None:
        self.query_one("#bulk-yes", ActionButton).display = False
        no = self.query_one("#bulk-no", ActionButton)
        no.label = "Close (Esc)"
        no.focus()

    def action_confirm(self) -> None:
        if self.phase == "confirm":
            self._run()

    def action_cancel(self) -> None:
        if self.phase in ("reading", "confirm"):
            self.dismiss(None)

    def action_escape(self) -> None:
        if self.phase == "running":
            self._stop = True
            self._say("progress", "stopping after the changes under way…")
        else:
            self.dismiss(None)

    def on_button_pressed(self, event: ActionButton.Pressed) -> None:
        if event.button.id == "bulk-yes":
            self.action_confirm()
        else:
            self.action_escape()

    @work(exclusive=True, group="bulk-run")
    async def _run(self) -> None:
        plan = self.plan
        assert plan is not None
        self.phase = "running"
        self.query_one("#bulk-yes", ActionButton).display = False
        self.query_one("#bulk-no", ActionButton).label = "Stop (Esc)"
        self._show_progress(plan)
        not_run = await run_plan(plan.steps, stopped=lambda: self._stop, finished=self._step_done)
        for step in not_run:
            self._result(step, styled("not run (stopped)", "yellow"))
        self.phase = "done"
        ok = [o for o in self.outcomes.values() if o.ok]
        queued = sum(o.said.startswith(QUEUED_SAYINGS) for o in ok)
        done = len(ok) - queued
        said_queued = f", {queued} queued (Seam is pushing them)" if queued else ""
        self._say(
            "summary",
            f"{plan.action.capitalize()}: {done} done{said_queued}, {self._failed} failed"
            + (f", {len(not_run)} not run (stopped)" if not_run else "")
            + ". Each result is below.",
        )
        self._say("progress", "")
        self._closing_buttons()
        self._ended(plan, not_run)

    def _step_done(self, step: Step, outcome: Outcome) -> None:
        self.outcomes[step.key] = outcome
        if not outcome.ok:
            self._failed += 1
        said = f"failed: {outcome.said}" if not outcome.ok else outcome.said
        self._result(step, styled(said, "green" if outcome.ok else "red"))
        self._finished(step, outcome)
        if self.plan is not None:
            self._show_progress(self.plan)

    def _result(self, step: Step, said: Cell) -> None:
        self.steps_table.update_cell(step.key, RESULT, said, update_width=True)

    def _show_progress(self, plan: Plan) -> None:
        total = len(plan.to_run)
        line = f"{len(self.outcomes)} of {total} done"
        if self._failed:
            line += f" · {self._failed} failed"
        if not self._stop:
            line += " · Esc stops the rest"
        self._say("progress", line)
