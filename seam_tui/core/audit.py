"""The local audit log: one JSON line per change, from either front end, never holding a secret."""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from seam_tui.paths import data_dir

Outcome = Literal["ok", "error", "partial", "dry_run"]


class AuditEntry(BaseModel):
    """One change: when, from which front end, in which workspace, what, on which ids, outcome."""

    time: datetime
    front_end: str
    workspace: str
    operation: str
    ids: dict[str, str] = Field(default_factory=dict)
    outcome: Outcome
    detail: str | None = None


def default_audit_path() -> Path:
    """`audit.jsonl` in the user data dir."""
    return data_dir() / "audit.jsonl"


class AuditLog:
    """Appends entries as JSON lines; registered redactors scrub every line before it is written."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()
        self._redactors: list[Callable[[str], str]] = []

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
    ) -> AuditEntry:
        """Append one entry; one write of one line so concurrent writers never interleave."""
        entry = AuditEntry(
            time=datetime.now(UTC),
            front_end=front_end,
            workspace=workspace,
            operation=operation,
            ids={k: str(v) for k, v in ids.items() if v is not None},
            outcome=outcome,
            detail=self._scrub(detail) if detail else None,
        )
        line = self._scrub(entry.model_dump_json()) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        return entry

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        """The newest `limit` entries, newest first; unreadable lines are skipped."""
        if not self.path.exists():
            return []
        lines: deque[str] = deque(maxlen=limit)
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    lines.append(line)
        entries = []
        for line in reversed(lines):
            try:
                entries.append(AuditEntry.model_validate(json.loads(line)))
            except (ValueError, TypeError):
                continue
        return entries
