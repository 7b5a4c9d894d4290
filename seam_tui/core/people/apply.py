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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from seam_tui.core.errors import (
    AuditWriteError,
    SeamConflictError,
    SeamError,
    SeamRateLimitedError,
)
from seam_tui.core.people.model import ImportPlan, PlannedRow, Step
from seam_tui.core.people.plan import plan_row
from seam_tui.core.people.result_file import STATUSES, ResultFile, RowResult, Status
from seam_tui.core.people.snapshot import Snapshot

if TYPE_CHECKING:
    from seam_tui.core.people.rows import PersonRow
    from seam_tui.core.service import SeamService

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 32
# How often one write is sent again after a 429 (beyond the client's own retries).
MAX_RATE_LIMITED = 8
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


class _RateCount:
    """How many writes were answered 429 (each waited out by the worker that sent it)."""

    def __init__(self) -> None:
        self.hits = 0


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
    gate = _RateCount()
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
    service: SeamService, plan: ImportPlan, row: PlannedRow, gate: _RateCount
) -> RowResult:
    result = RowResult(row.person.row, row.action, _DONE_STATUS[row.action], row.user_identity_id)
    ids = {"row": str(row.person.row)}
    if row.user_identity_id:
        ids["user_identity_id"] = row.user_identity_id
    intent = "; ".join(s.text for s in row.steps)
    operation = "offboard_person" if plan.offboard else "import_person"
    async with service.steps(operation, ids, intent) as step_run:
        try:
            await _steps(service, row, row.steps, result, gate)
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
                await _steps(service, again, again.steps, result, gate)
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


class _Writer:
    """Writes that wait out their own 429 (`Retry-After`, else a backoff) and send again; they
    are audited by their row's entry (its intent lists them, its outcome says how far it got)."""

    def __init__(self, service: SeamService, gate: _RateCount) -> None:
        self.client = service.client
        self.gate = gate

    async def __call__(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(MAX_RATE_LIMITED):
            try:
                return await call()
            except SeamRateLimitedError as exc:
                self.gate.hits += 1
                if attempt == MAX_RATE_LIMITED - 1:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else 0.5 * 2**attempt
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")


async def _steps(
    service: SeamService, row: PlannedRow, steps: list[Step], result: RowResult, gate: _RateCount
) -> None:
    """Each write of the row in order; a created identity's id is used by the writes after.

    ACS users to create with no group or schedule are created with the identity, in the one
    write (`acs_system_ids`), which the API applies whole or not at all."""
    write = _Writer(service, gate)
    made: dict[str, str] = {}  # system id -> the ACS user created or linked there
    bundled = _bundled(row.person, steps)
    for step in steps:
        if step in bundled:
            continue
        try:
            if step.kind == "create_identity":
                systems = [s.acs_system_id for s in bundled if s.acs_system_id]
                identity_id, acs_user_ids = await _create_identity(write, row.person, systems)
                result.user_identity_id = identity_id
                result.acs_user_ids.extend(acs_user_ids)
                result.done += [s.text for s in bundled]
            elif step.kind in _OFFBOARD_KINDS:
                assert result.user_identity_id is not None
                await _offboard_step(write, result.user_identity_id, step)
            else:
                assert result.user_identity_id is not None
                await _import_step(write, row.person, result.user_identity_id, step, made)
                if step.kind in ("link_acs_user", "create_acs_user") and step.acs_system_id:
                    result.acs_user_ids.append(made[step.acs_system_id])
        except SeamError as exc:
            exc.add_note(f"(while trying to {step.text})")
            raise
        result.done.append(step.text)


_OFFBOARD_KINDS = frozenset(
    {
        "revoke_device",
        "remove_from_access_group",
        "suspend_acs_user",
        "unlink_acs_user",
        "delete_identity",
    }
)


def _bundled(person: PersonRow, steps: list[Step]) -> list[Step]:
    """The ACS users a new identity can be created with: those with no group, when the row
    has no schedule."""
    if not steps or steps[0].kind != "create_identity" or person.starts_at or person.ends_at:
        return []
    return [s for s in steps if s.kind == "create_acs_user" and not s.group_ids]


async def _create_identity(
    write: _Writer, person: PersonRow, acs_system_ids: list[str]
) -> tuple[str, tuple[str, ...]]:
    """Create the identity (with an ACS user in each of `acs_system_ids`): its id and theirs."""
    fields = {
        f: getattr(person, f)
        for f in ("full_name", "email_address", "phone_number", "user_identity_key")
        if getattr(person, f)
    }

    async def create() -> tuple[str, tuple[str, ...]]:
        identity = await write.client.user_identities.create(
            **fields, acs_system_ids=acs_system_ids or None
        )
        return identity.user_identity_id, identity.acs_user_ids

    return await write(create)


async def _import_step(
    write: _Writer, person: PersonRow, identity_id: str, step: Step, made: dict[str, str]
) -> None:
    """One import write after the identity exists: update, link, create, group, schedule."""
    client = write.client
    user_id = step.acs_user_id
    if step.kind == "update_identity":
        changes = dict(step.changes)
        await write(
            lambda: client.user_identities.update(user_identity_id=identity_id, **changes),
        )
    elif step.kind == "link_acs_user":
        assert user_id is not None
        assert step.acs_system_id is not None
        await write(
            lambda: client.user_identities.add_acs_user(
                user_identity_id=identity_id, acs_user_id=user_id
            ),
        )
        made[step.acs_system_id] = user_id
    elif step.kind == "create_acs_user":
        assert step.acs_system_id is not None
        made[step.acs_system_id] = await _create_acs_user(write, person, identity_id, step)
    elif step.kind == "add_to_access_group":
        assert step.acs_access_group_id is not None
        assert step.acs_system_id is not None
        member = user_id or made[step.acs_system_id]
        group_id = step.acs_access_group_id
        await write(
            lambda: client.acs.users.add_to_access_group(
                acs_user_id=member, acs_access_group_id=group_id
            ),
        )
    else:  # update_access_schedule
        assert user_id is not None
        schedule = dict(step.changes)
        await write(
            lambda: client.acs.users.update(acs_user_id=user_id, access_schedule=schedule),
        )


async def _create_acs_user(write: _Writer, person: PersonRow, identity_id: str, step: Step) -> str:
    schedule = {
        k: v.isoformat() for k in ("starts_at", "ends_at") if (v := getattr(person, k)) is not None
    }
    name = person.full_name or person.email_address or person.phone_number
    system_id = step.acs_system_id
    assert system_id is not None

    async def create() -> str:
        user = await write.client.acs.users.create(
            acs_system_id=system_id,
            full_name=name or person.user_identity_key or identity_id,
            email_address=person.email_address,
            phone_number=person.phone_number,
            user_identity_id=identity_id,
            acs_access_group_ids=list(step.group_ids) or None,
            access_schedule=schedule or None,
        )
        return user.acs_user_id

    return await write(create)


async def _offboard_step(write: _Writer, identity_id: str, step: Step) -> None:
    """One offboarding write: revoke a device, leave a group, suspend, unlink or delete."""
    client = write.client
    user_id = step.acs_user_id
    if step.kind == "revoke_device":
        assert step.device_id is not None
        device_id = step.device_id
        await write(
            lambda: client.user_identities.revoke_access_to_device(
                user_identity_id=identity_id, device_id=device_id
            ),
        )
    elif step.kind == "remove_from_access_group":
        assert user_id is not None
        assert step.acs_access_group_id is not None
        group_id = step.acs_access_group_id
        await write(
            lambda: client.acs.users.remove_from_access_group(
                acs_user_id=user_id, acs_access_group_id=group_id
            ),
        )
    elif step.kind == "suspend_acs_user":
        assert user_id is not None
        await write(
            lambda: client.acs.users.suspend(acs_user_id=user_id),
        )
    elif step.kind == "unlink_acs_user":
        assert user_id is not None
        await write(
            lambda: client.user_identities.remove_acs_user(
                user_identity_id=identity_id, acs_user_id=user_id
            ),
        )
    else:  # delete_identity
        await write(
            lambda: client.user_identities.delete(user_identity_id=identity_id),
        )
