"""Every write's bookkeeping: refused when read-only, recorded before and after in the audit log.

`SeamService` builds on this; `change` wraps one write, `steps` a multi-step operation whose
intent is on record before its first step, so an interrupted one shows in Activity.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from seam_tui.core.audit import AuditLog, Outcome, new_change_id
from seam_tui.core.errors import AuditWriteError, SeamError, SeamReadOnlyError

T = TypeVar("T")
FrontEnd = Literal["tui", "mcp", "cli", "script"]

_current_step: ContextVar[str | None] = ContextVar("seam_tui_current_step", default=None)


@dataclass
class StepRun:
    """A multi-step operation in progress: set `outcome` and `detail` before it ends."""

    change_id: str
    outcome: Outcome = "ok"
    detail: str | None = None


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

    def record_refusal(self, operation: str, ids: dict[str, Any], reason: str) -> None:
        """Audit a write refused before anything was sent (best effort: a refusal that cannot
        be recorded is still a refusal)."""
        with contextlib.suppress(AuditWriteError):
            self._record(operation, ids, "refused", reason)

    def _record(
        self,
        operation: str,
        ids: dict[str, Any],
        outcome: Outcome,
        detail: str | None = None,
        *,
        change_id: str | None = None,
        done: bool = False,
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
        )

    async def change(
        self, operation: str, ids: dict[str, Any], action: Callable[[], Awaitable[T]]
    ) -> T:
        """Run one write: refuse it when read-only; record that it starts (or refuse it when
        that cannot be recorded: AuditWriteError, nothing sent), then its outcome.

        `ids` may be filled in by `action` (a created resource's id) before the outcome line.
        """
        self.require_writable(operation, ids)
        change_id = new_change_id()
        self._record(operation, ids, "started", change_id=change_id)
        try:
            result = await action()
        except SeamError as exc:
            self._record(operation, ids, "error", str(exc), change_id=change_id)
            raise
        self._record(operation, ids, "ok", change_id=change_id, done=True)
        return result

    @contextlib.asynccontextmanager
    async def steps(
        self, operation: str, ids: dict[str, Any], intent: str
    ) -> AsyncIterator[StepRun]:
        """A multi-step operation: its intent is recorded before the first step, every
        `change` inside is recorded as its step, and its outcome is recorded on leaving
        (`error` if an exception leaves the block). Set `run.outcome` and `run.detail`."""
        self.require_writable(operation, ids)
        run = StepRun(change_id=new_change_id())
        self._record(operation, ids, "started", intent, change_id=run.change_id)
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
                )
            raise
        _current_step.reset(token)
        self._record(operation, ids, run.outcome, run.detail, change_id=run.change_id, done=True)

    def record_dry_run(self, operation: str, ids: dict[str, Any], preview: str) -> None:
        """Audit a previewed change (outcome `dry_run`): what it would have done, nothing done.
        Best effort: a preview changes nothing, so a log that cannot be written does not stop it."""
        with contextlib.suppress(AuditWriteError):
            self._record(operation, ids, "dry_run", preview)

    def record_settled(
        self, operation: str, ids: dict[str, Any], *, error: str | None = None
    ) -> None:
        """Audit that a change the API had accepted has settled on the access system
        (`settled`), or that pushing it failed (`push_failed`, with the API's `error`).
        Best effort: the change was already made and recorded, so this never raises."""
        outcome: Outcome = "push_failed" if error else "settled"
        with contextlib.suppress(AuditWriteError):
            self._record(operation, ids, outcome, error, change_id=new_change_id(), done=True)
