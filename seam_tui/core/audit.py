"""The local audit log: JSON lines of every change, from either front end, never holding a secret.

A change is written twice: a `started` line before anything is sent and its outcome after, both
carrying one `change_id`, so a change cut short (kill -9, power loss) still shows in Activity.
A line is written whole or not at all; when it cannot be written the change is refused (or, if
it was already made, the error says so) with an `AuditWriteError` naming the file.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from seam_tui.core.errors import AuditReadError, AuditWriteError
from seam_tui.paths import PRIVATE_FILE, data_dir, private_dir
from seam_tui.visible import visible

Outcome = Literal[
    "started", "ok", "error", "partial", "dry_run", "refused", "settled", "push_failed"
]
"""`settled` / `push_failed`: a change the API accepted reached the access system, or failed to."""

current_caller: ContextVar[str | None] = ContextVar("seam_tui_audit_caller", default=None)
"""Who is calling (e.g. `token:ops` over MCP HTTP); every line written in this context says so."""

# How many raw lines `recent` reads per entry wanted: a change takes two, a step more.
_LINES_PER_ENTRY = 4
# A line longer than this is not one of ours (details are short): skipped, not held in memory.
_MAX_LINE = 1 << 20
# How much of a name or a changed value a line keeps (names are typed by anyone: no 1 MiB lines).
MAX_VALUE_CHARS = 200


def capped(value: str) -> str:
    """`value` cut to MAX_VALUE_CHARS, ending in an ellipsis when cut."""
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


class FieldChange(BaseModel):
    """One field an update changed: its value before and after (None: empty).

    `before_unknown` is set when the object could not be read before the change."""

    before: str | None = None
    after: str | None = None
    before_unknown: bool | None = None


class AuditEntry(BaseModel):
    """One change: when, from which front end, in which workspace, what, on which ids, outcome.

    `change_id` ties a `started` line to its outcome; `parent_id` is the multi-step operation a
    step belongs to; `caller` is who asked, where the front end knows it. `names` maps an id to
    the name of its object when the change was made, and `changes` says what an update changed
    (lines written before these existed have neither).
    """

    time: datetime
    front_end: str
    workspace: str
    operation: str
    ids: dict[str, str] = Field(default_factory=dict)
    outcome: Outcome
    detail: str | None = None
    change_id: str | None = None
    parent_id: str | None = None
    caller: str | None = None
    names: dict[str, str] = Field(default_factory=dict)
    changes: dict[str, FieldChange] = Field(default_factory=dict)


def default_audit_path() -> Path:
    """`audit.jsonl` in the user data dir."""
    return data_dir() / "audit.jsonl"


def new_change_id() -> str:
    """A short random id linking a change's lines."""
    return uuid.uuid4().hex[:16]


class AuditLog:
    """Appends entries as JSON lines; registered redactors scrub every line before it is written."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()
        self._redactors: list[Callable[[str], str]] = []
        self.skipped_lines = 0

    def add_redactor(self, redact: Callable[[str], str]) -> None:
        """Belt and braces: callers never pass secrets, and a redactor removes any that slip in."""
        self._redactors.append(redact)

    def _scrub(self, text: str) -> str:
        for redact in self._redactors:
            text = redact(text)
        return text

    def record(
        self,
        *,
        front_end: str,
        workspace: str,
        operation: str,
        ids: dict[str, Any],
        outcome: Outcome,
        detail: str | None = None,
        change_id: str | None = None,
        parent_id: str | None = None,
        done: bool = False,
        names: Mapping[str, str | None] | None = None,
        changes: Mapping[str, FieldChange] | None = None,
    ) -> AuditEntry:
        """Append one entry as one whole line, or raise AuditWriteError (`done` is passed on:
        whether the change this line records was already made). Names and changed values are
        capped at MAX_VALUE_CHARS; every line goes through the redactors."""
        entry = AuditEntry(
            time=datetime.now(UTC),
            front_end=front_end,
            workspace=workspace,
            operation=operation,
            ids={k: str(v) for k, v in ids.items() if v is not None},
            outcome=outcome,
            detail=self._scrub(detail) if detail else None,
            change_id=change_id,
            parent_id=parent_id,
            caller=current_caller.get(),
            names={str(k): capped(v) for k, v in (names or {}).items() if k and v},
            changes={k: _capped_change(c) for k, c in (changes or {}).items()},
        )
        empty = {field for field in ("names", "changes") if not getattr(entry, field)}
        line = self._scrub(entry.model_dump_json(exclude_none=True, exclude=empty)) + "\n"
        try:
            self._append(line.encode())
        except OSError as exc:
            raise self._write_error(exc, operation, entry.ids, done=done) from None
        return entry

    def _append(self, data: bytes) -> None:
        """One O_APPEND write (so concurrent writers never interleave), finished if the OS
        took only part of it, and cut back to where it started if it cannot be finished."""
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and info.st_mode & 0o077:
                os.fchmod(fd, PRIVATE_FILE)  # a log left readable by others is made private
            start = info.st_size
            written = 0
            try:
                while written < len(data):
                    count = os.write(fd, data[written:])
                    if count == 0:
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += count
                os.fsync(fd)
            except OSError:
                if written and os.fstat(fd).st_size == start + written:
                    os.ftruncate(fd, start)  # only our own bytes follow `start`
                raise
        finally:
            os.close(fd)

    def _write_error(
        self, exc: OSError, operation: str, ids: dict[str, str], *, done: bool
    ) -> AuditWriteError:
        reason = exc.strerror or str(exc)
        fix = (
            "Free some space there"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
            else "Make the file writable"
        )
        fix += " (or point SEAM_TUI_DATA_DIR at a writable directory)"
        if done:
            on = ", ".join(f"{key} {visible(value)}" for key, value in ids.items())
            what = f"{operation} ({on})" if on else operation
            message = (
                f"{what} was done, but its outcome could not be recorded in the audit log "
                f"{self.path} ({reason}). {fix}; do not repeat the change: it was made."
            )
        else:
            message = (
                f"{operation} was not done: it could not be recorded first in the audit log "
                f"{self.path} ({reason}). {fix}, then try again."
            )
        return AuditWriteError(message, path=self.path, done=done)

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        """The newest `limit` changes, newest first: one entry per change, its outcome if
        written, else its `started` line (interrupted, or still running). Lines that are not
        whole UTF-8 JSON entries are skipped and counted in `skipped_lines`."""
        self.skipped_lines = 0
        try:
            lines = self._tail(limit * _LINES_PER_ENTRY)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise AuditReadError(
                f"the audit log {self.path} cannot be read ({exc.strerror or exc}); fix its "
                "permissions, or move it aside (it is only a record: a new one is started)",
                path=self.path,
            ) from None
        latest: dict[str, AuditEntry] = {}
        for index, raw in enumerate(lines):
            entry = self._parse(raw)
            if entry is None:
                self.skipped_lines += 1
                continue
            key = entry.change_id or f"line-{index}"
            if key in latest and entry.outcome != "started":
                del latest[key]  # the outcome moves the change to where it ended
            if key not in latest or entry.outcome != "started":
                latest[key] = entry
        return list(reversed(latest.values()))[:limit]

    def _tail(self, count: int) -> deque[bytes]:
        """The last `count` non-blank lines of a regular file; over-long lines are skipped."""
        lines: deque[bytes] = deque(maxlen=count)
        with self.path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            while raw := handle.readline(_MAX_LINE):
                if len(raw) == _MAX_LINE and not raw.endswith(b"\n"):
                    self.skipped_lines += 1  # an over-long line is not an entry: skip its rest
                    while (rest := handle.readline(_MAX_LINE)) and not rest.endswith(b"\n"):
                        pass
                elif raw.strip():
                    lines.append(raw)
        return lines

    @staticmethod
    def _parse(raw: bytes) -> AuditEntry | None:
        try:
            return AuditEntry.model_validate(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, TypeError, ValidationError):
            return None


def _capped_change(change: FieldChange) -> FieldChange:
    return change.model_copy(
        update={
            "before": None if change.before is None else capped(change.before),
            "after": None if change.after is None else capped(change.after),
        }
    )
