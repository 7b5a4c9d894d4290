"""Every write's bookkeeping: refused when read-only, recorded before and after in the audit log.

`SeamService` builds on this; `change` wraps one write, `steps` a multi-step operation whose
intent is on record before its first step, so an interrupted one shows in Activity. Each may
pass `names` (id → name of the object, as it is when the change is made) and an update its
`changes` (field → before and after, from `core.audit_names`), so Activity can say who and what.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from seam_tui.core.audit import AuditLog, FieldChange, Outcome, new_change_id
from seam_tui.core.errors import AuditReadError, AuditWriteError, SeamError, SeamReadOnlyError

T = TypeVar("T")
Names = Mapping[str, str | None]
"""Id → name of the object it names (a None or empty name is left out)."""
Changes = Mapping[str, FieldChange]
FrontEnd = Literal["tui", "mcp", "cli", "script"]

_current_step: ContextVar[str | None] = ContextVar("seam_tui_current_step", default=None)


@dataclass
class StepRun:
    """A multi-step operation in progress: set `outcome` and `detail` before it ends."""

    change_id: str
    outcome: Outcome = "ok"
    detail: str | None = None


# How many recent changes `record_seen_settled` looks through for the one that settled.
SETTLED_LOOKBACK = 200


class AuditedChanges:
    """The audited write path of one workspace, as one front end sees it."""

    def __init__(
        self,
        *,
        workspace: str,
        front_end: FrontEnd,
        audit: AuditLog | None = None,
        read_only: bool = False,
    ) -> None:
        self.workspace = workspace
        self.front_end = front_end
        self.audit = audit or AuditLog()
        self.read_only = read_only

    def require_writable(self, operation: str, ids: dict[str, Any] | None = None) -> None:
        """Refuse a write in a read-only workspace; the refusal is audited (best effort)."""
        if not self.read_only:
            return
        message = (
            f"{operation} refused: workspace {self.workspace!r} is read-only. "
            "Switch to a writable profile (or drop --read-only) to make changes."
        )
        self.record_refusal(operation, ids or {}, "workspace is read-only")
        raise SeamReadOnlyError(message)

    def record_refusal(
        self, operation: str, ids: dict[str, Any], reason: str, *, names: Names | None = None
    ) -> None:
        """Audit a write refused before anything was sent (best effort: a refusal that cannot
        be recorded is still a refusal)."""
        with contextlib.suppress(AuditWriteError):
            self._record(operation, ids, "refused", reason, names=names)

    def _record(
        self,
        operation: str,
        ids: dict[str, Any],
        outcome: Outcome,
        detail: str | None = None,
        *,
        change_id: str | None = None,
        done: bool = False,
        names: Names | None = None,
        changes: Changes | None = None,
    ) -> None:
        self.audit.record(
            front_end=self.front_end,
            workspace=self.workspace,
            operation=operation,
            ids=ids,
            outcome=outcome,
            detail=detail,
            change_id=change_id,
            parent_id=_current_step.get(),
            done=done,
            names=names,
            changes=changes,
        )

    async def change(
        self,
        operation: str,
        ids: dict[str, Any],
        action: Callable[[], Awaitable[T]],
        *,
        names: Names | None = None,
        changes: Changes | None = None,
    ) -> T:
        """Run one write: refuse it when read-only; record that it starts (or refuse it when
        that cannot be recorded: AuditWriteError, nothing sent), then its outcome.

        `ids` (and `names`, if a dict) may be filled in by `action` (a created resource's id
        and name) before the outcome line.
        """
        self.require_writable(operation, ids)
        change_id = new_change_id()
        self._record(operation, ids, "started", change_id=change_id, names=names, changes=changes)
        try:
            result = await action()
        except SeamError as exc:
            self._record(
                operation,
                ids,
                "error",
                str(exc),
                change_id=change_id,
                names=names,
                changes=changes,
            )
            raise
        self._record(
            operation, ids, "ok", change_id=change_id, done=True, names=names, changes=changes
        )
        return result

    @contextlib.asynccontextmanager
    async def steps(
        self, operation: str, ids: dict[str, Any], intent: str, *, names: Names | None = None
    ) -> AsyncIterator[StepRun]:
        """A multi-step operation: its intent is recorded before the first step, every
        `change` inside is recorded as its step, and its outcome is recorded on leaving
        (`error` if an exception leaves the block). Set `run.outcome` and `run.detail`;
        `ids` and `names` may be filled in inside the block."""
        self.require_writable(operation, ids)
        run = StepRun(change_id=new_change_id())
        self._record(operation, ids, "started", intent, change_id=run.change_id, names=names)
        token = _current_step.set(run.change_id)
        try:
            yield run
        except BaseException as exc:
            _current_step.reset(token)
            with contextlib.suppress(AuditWriteError):
                self._record(
                    operation,
                    ids,
                    "error",
                    str(exc) or type(exc).__name__,
                    change_id=run.change_id,
                    done=True,
                    names=names,
                )
            raise
        _current_step.reset(token)
        self._record(
            operation,
            ids,
            run.outcome,
            run.detail,
            change_id=run.change_id,
            done=True,
            names=names,
        )

    def record_dry_run(
        self,
        operation: str,
        ids: dict[str, Any],
        preview: str,
        *,
        names: Names | None = None,
        changes: Changes | None = None,
    ) -> None:
        """Audit a previewed change (outcome `dry_run`): what it would have done, nothing done.
        Best effort: a preview changes nothing, so a log that cannot be written does not stop it."""
        with contextlib.suppress(AuditWriteError):
            self._record(operation, ids, "dry_run", preview, names=names, changes=changes)

    def record_settled(
        self,
        operation: str,
        ids: dict[str, Any],
        *,
        error: str | None = None,
        names: Names | None = None,
    ) -> None:
        """Audit that a change the API had accepted has settled on the access system
        (`settled`), or that pushing it failed (`push_failed`, with the API's `error`).
        Best effort: the change was already made and recorded, so this never raises."""
        outcome: Outcome = "push_failed" if error else "settled"
        with contextlib.suppress(AuditWriteError):
            self._record(
                operation, ids, outcome, error, change_id=new_change_id(), done=True, names=names
            )

    def record_seen_settled(self, object_id: str, *, error: str | None = None) -> None:
        """A read watched `object_id` settle (or its push fail): record it for the newest
        change made to it in this workspace, unless that change's settling is recorded
        already. Nothing when no change of ours names it. Best effort, like `record_settled`."""
        try:
            entries = self.audit.recent(SETTLED_LOOKBACK)
        except AuditReadError:
            return
        for entry in entries:
            if entry.workspace != self.workspace or object_id not in entry.ids.values():
                continue
            if entry.outcome == "ok":
                self.record_settled(entry.operation, entry.ids, error=error, names=entry.names)
            if entry.outcome in ("ok", "settled", "push_failed"):
                return
