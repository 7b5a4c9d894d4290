"""Apply an import plan: rows in parallel (bounded), each row's writes in order, all audited.

The run is one audited operation and each row one entry under it: its intent lists the row's
writes, its outcome says which were done (and the error that stopped the rest).
A write answered 429 was not applied: the worker that sent it waits the `Retry-After` the API
asked (or backs off) and sends it again, while the other workers carry on. A write the API
refuses as a clash (409: an identity made by an interrupted run, an ACS user already there)
makes the row be planned again against what exists now, once, and the new plan is applied:
with the server refusing a second identity with the same key, email or phone, a re-run or a
resumed run never makes a person twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import (
    AuditWriteError,
    SeamConflictError,
    SeamError,
)
from seam_tui.core.people.model import ImportPlan, PlannedRow
from seam_tui.core.people.plan import plan_row
from seam_tui.core.people.result_file import STATUSES, ResultFile, RowResult, Status
from seam_tui.core.people.snapshot import Snapshot
from seam_tui.core.people.writes import RateCount, run_steps

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 32
_DONE_STATUS: dict[str, Status] = {
    "create": "created",
    "update": "updated",
    "link": "linked",
    "offboard": "done",
    "nothing": "unchanged",
}

Progress = Callable[[RowResult, int, int], None]


@dataclass
class ApplyReport:
    """How an apply went: a count per status, the failed rows, and why it stopped early."""

    total: int = 0
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    failed: list[RowResult] = field(default_factory=list)
    stopped: str | None = None
    result_path: Path | None = None
    rate_limited: int = 0

    @property
    def changed(self) -> int:
        return sum(self.counts[s] for s in ("created", "updated", "linked", "done"))

    def summary(self) -> str:
        if self.changed == 0 and not self.failed and self.stopped is None:
            return f"nothing new to do: all {self.total} row(s) already match"
        parts = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        text = f"{self.total} row(s): {parts}"
        return f"{text}; stopped: {self.stopped}" if self.stopped else text


async def apply_import(
    service: SeamService,
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    result_path: Path | None = None,
    on_row: Progress | None = None,
) -> ApplyReport:
    """Apply `plan` (refused with PlanNotReady while it has errors, unless `skip_invalid`).

    Rows with nothing to do and skipped rows get their result line too."""
    to_apply = plan.to_apply(skip_invalid=skip_invalid)
    if to_apply:
        service.require_writable("import_people", {"source": plan.source})
    report = ApplyReport(total=len(plan.rows), result_path=result_path)
    results = ResultFile(result_path) if result_path is not None else None
    done = 0

    def record(result: RowResult) -> None:
        nonlocal done
        done += 1
        report.counts[result.status] += 1
        if result.status == "failed":
            report.failed.append(result)
        if results is not None:
            results.write(result)
        if on_row is not None:
            on_row(result, done, report.total)

    try:
        for row in plan.rows:
            if row.is_error:
                error = "; ".join(str(p) for p in row.problems)
                record(RowResult(row.person.row, row.action, "skipped", error=error))
            elif not row.steps:
                record(RowResult(row.person.row, "nothing", "unchanged", row.user_identity_id))
        if to_apply:
            await _run(service, plan, to_apply, concurrency, record, report)
    finally:
        if results is not None:
            results.close()
    return report


async def _run(
    service: SeamService,
    plan: ImportPlan,
    rows: list[PlannedRow],
    concurrency: int,
    record: Callable[[RowResult], None],
    report: ApplyReport,
) -> None:
    gate = RateCount()
    queue: Iterator[PlannedRow] = iter(rows)
    counts = plan.counts()
    if plan.offboard:
        operation = "offboard_people"
        intent = f"offboard ({plan.offboard}) {len(rows)} person(s) from {plan.source}"
    else:
        operation = "import_people"
        intent = (
            f"import {len(rows)} row(s) from {plan.source}: {counts['create']} create, "
            f"{counts['update']} update, {counts['link']} link"
        )
    ids = {"source": plan.source, "rows": str(len(rows))}
    async with service.steps(operation, ids, intent) as run:

        async def worker() -> None:
            for row in queue:
                record(await _apply_row(service, plan, row, gate))

        try:
            workers = max(1, min(concurrency, MAX_CONCURRENCY, len(rows)))
            await asyncio.gather(*(worker() for _ in range(workers)))
        except AuditWriteError as exc:
            report.stopped = str(exc)
        report.rate_limited = gate.hits
        failed = len(report.failed)
        run.outcome = "ok" if not failed and not report.stopped else "partial"
        run.detail = report.summary()


async def _apply_row(
    service: SeamService, plan: ImportPlan, row: PlannedRow, gate: RateCount
) -> RowResult:
    result = RowResult(row.person.row, row.action, _DONE_STATUS[row.action], row.user_identity_id)
    ids = {"row": str(row.person.row)}
    if row.user_identity_id:
        ids["user_identity_id"] = row.user_identity_id
    intent = "; ".join(s.text for s in row.steps)
    operation = "offboard_person" if plan.offboard else "import_person"
    names: dict[str, str] = {}  # the person by name in Activity, once their id is known
    async with service.steps(operation, ids, intent, names=names) as step_run:
        try:
            await run_steps(service, row, row.steps, result, gate)
        except SeamConflictError as exc:
            if plan.offboard:
                _fail(result, exc)
                raise _Handled from None
            # Made meanwhile (an interrupted run, someone else): plan the row again, once.
            try:
                again = await _replan(service, plan.workspace, row)
                if again.is_error:
                    raise _Refused("; ".join(str(p) for p in again.problems))
                result.user_identity_id = again.user_identity_id or result.user_identity_id
                await run_steps(service, again, again.steps, result, gate)
            except (SeamError, _Refused) as exc:
                _fail(result, exc)
        except _Handled:
            pass
        except SeamError as exc:
            if isinstance(exc, AuditWriteError):
                raise
            _fail(result, exc)
        if result.user_identity_id:
            ids["user_identity_id"] = result.user_identity_id
            names[result.user_identity_id] = row.person.label()
        if result.acs_user_ids:
            ids["acs_user_ids"] = " ".join(result.acs_user_ids)
        step_run.outcome = (
            "ok" if result.status != "failed" else ("partial" if result.done else "error")
        )
        step_run.detail = result.error
    return result


class _Refused(Exception):
    """A row planned again turned out to be a conflict."""


class _Handled(Exception):
    """The row's failure is already in its result."""


def _fail(result: RowResult, exc: Exception) -> None:
    result.status = "failed"
    result.error = " ".join([str(exc), *getattr(exc, "__notes__", ())])


async def _replan(service: SeamService, workspace: str, row: PlannedRow) -> PlannedRow:
    snap = await Snapshot.load_for(service, [row.person])
    return plan_row(snap, row.person, workspace)
