"""What an apply did, row by row: one JSON line per row, written as each row ends.

Lines are appended and flushed one at a time, so after Ctrl+C or kill -9 the file holds every
row that finished; a re-run appends its own lines (each names its `run`), and the last line of
a row is where it stands.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from seam_tui.paths import PRIVATE_FILE

Status = Literal["created", "updated", "linked", "unchanged", "done", "failed", "skipped"]
STATUSES: tuple[Status, ...] = (
    "created",
    "updated",
    "linked",
    "done",
    "unchanged",
    "failed",
    "skipped",
)


@dataclass(slots=True)
class RowResult:
    """What happened to one row: its status, the ids it made or used, the writes done, and
    the error that stopped it (a failed row may have done some writes: `done` lists them)."""

    row: int
    action: str
    status: Status
    user_identity_id: str | None = None
    acs_user_ids: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "action": self.action,
            "user_identity_id": self.user_identity_id,
            "acs_user_ids": self.acs_user_ids,
            "done": self.done,
            "error": self.error,
        }


def default_result_path(source: Path) -> Path:
    """`<file>.result.jsonl` beside the input file."""
    return source.with_name(source.name + ".result.jsonl")


class ResultFile:
    """Appends one line per row to `path` (made 0600), flushed to disk as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.run = uuid.uuid4().hex[:12]
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        self._handle = os.fdopen(fd, "a", encoding="utf-8")

    def write(self, result: RowResult) -> None:
        line = {"run": self.run, "time": datetime.now(UTC).isoformat(), **result.to_json()}
        self._handle.write(json.dumps(line, ensure_ascii=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()


def read_results(path: Path) -> dict[int, dict[str, Any]]:
    """The last line written for each row (lines cut short by a kill are skipped)."""
    rows: dict[int, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return rows
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("row"), int):
            rows[data["row"]] = data
    return rows
