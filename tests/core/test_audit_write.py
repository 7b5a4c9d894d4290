"""The audit log is written whole or not at all, and a change it cannot record is not made."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seam_tui.core.audit import AuditEntry, AuditLog
from seam_tui.core.errors import AuditReadError, AuditWriteError, SeamReadOnlyError
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox

CHILD = Path(__file__).with_name("disk_full_child.py")
# Bigger than the sandbox database and its WAL grow to, so only the audit log hits the limit.
PREFILL = 8 * 1024 * 1024


def _prefill(path: Path, size: int) -> int:
    """Whole, valid entry lines up to about `size` bytes; returns how many."""
    line = AuditEntry.model_validate(
        {
            "time": "2026-01-01T00:00:00Z",
            "front_end": "script",
            "workspace": "padding",
            "operation": "padding",
            "outcome": "ok",
            "detail": "x" * 900,
        }
    ).model_dump_json()
    count = size // (len(line) + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((line + "\n") * count, encoding="utf-8")
    return count


def test_a_filling_disk_never_tears_a_line_nor_loses_an_acknowledged_change(
    tmp_path: Path,
) -> None:
    db, audit_path = tmp_path / "sandbox.sqlite3", tmp_path / "audit.jsonl"
    Sandbox(db).close()
    padding = _prefill(audit_path, PREFILL)
    # Room for six creations (a `started` line is ~190 bytes, its outcome naming the identity
    # ~310), then for a seventh's `started` line but not its outcome, then a short write.
    limit = audit_path.stat().st_size + 3_200
    child = subprocess.run(
        [sys.executable, str(CHILD), str(db), str(audit_path), str(limit), "12"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    said = [json.loads(line) for line in child.stdout.splitlines()]
    assert len(said) == 12
    ok = [s["name"] for s in said if s["said"] == "ok"]
    refused = [s["name"] for s in said if s["said"] == "refused"]
    assert ok, said  # the disk filled up part way through: some made it,
    assert refused, said  # and the rest were refused

    raw = audit_path.read_bytes()
    assert raw.endswith(b"\n")  # no torn line at the end
    lines = raw.splitlines()
    entries = [AuditEntry.model_validate_json(line) for line in lines]  # every line parses
    assert len(entries) == len(lines)
    created = [e for e in entries[padding:] if e.operation == "create_user_identity"]
    acknowledged = {e.change_id for e in created if e.outcome == "ok"}
    assert len(acknowledged) == len(ok)  # every "ok" told to the caller is in the log
    # A change made whose outcome could not be written was said to be so, and its start is
    # in the log: Activity shows it as interrupted.
    unrecorded = [s for s in said if s["said"] == "unrecorded"]
    started = {e.change_id for e in created if e.outcome == "started"}
    assert len(started - acknowledged) == len(unrecorded)

    sandbox = Sandbox(db, seed=False)
    try:
        with sandbox.write() as db:
            rows = db.execute("SELECT full_name, user_identity_id FROM user_identities").fetchall()
        names, ids = {row[0] for row in rows}, {row[1] for row in rows}
    finally:
        sandbox.close()
    assert set(ok) <= names
    assert not set(refused) & names  # refused because unrecordable: never sent
    assert unrecorded, said  # the limit falls between a started line and its outcome
    for case in unrecorded:  # the caller is told which identity now exists
        made = re.search(r"user_identity_id ([0-9a-f-]{36})", case["message"])
        assert made, case["message"]
        assert made[1] in ids
        assert "do not repeat the change" in case["message"]


async def test_an_unwritable_log_refuses_the_change_before_it_is_sent(
    service: SeamService, sandbox: Sandbox
) -> None:
    before = sandbox.count("user_identities")
    service.audit.path = Path("/dev/full")  # every write fails: no space left on device
    with pytest.raises(AuditWriteError) as refused:
        await service.create_identity(UserIdentityCreate(full_name="Never Sent"))
    assert refused.value.done is False
    assert "/dev/full" in str(refused.value)
    assert "was not done" in str(refused.value)
    assert "SEAM_TUI_DATA_DIR" in str(refused.value)
    assert sandbox.count("user_identities") == before


async def test_a_read_only_refusal_is_audited(service: SeamService, audit_log: AuditLog) -> None:
    service.read_only = True
    with pytest.raises(SeamReadOnlyError):
        await service.create_identity(UserIdentityCreate(full_name="Not Allowed"))
    [entry] = audit_log.recent()
    assert (entry.operation, entry.outcome) == ("create_user_identity", "refused")


async def test_an_interrupted_change_shows_as_started(audit_log: AuditLog) -> None:
    common = {"front_end": "tui", "workspace": "w", "operation": "delete_acs_user", "ids": {}}
    audit_log.record(**common, outcome="started", change_id="a")
    audit_log.record(**common, outcome="ok", change_id="a")
    audit_log.record(**common, outcome="started", change_id="b")  # the process was killed here
    with audit_log.path.open("ab") as fh:
        fh.write(b'\xff\xfe not utf-8\n{"half": \n')
    recent = audit_log.recent()
    assert [(e.change_id, e.outcome) for e in recent] == [("b", "started"), ("a", "ok")]
    assert audit_log.skipped_lines == 2


async def test_a_multi_step_change_records_its_intent_first_and_its_steps_under_it(
    service: SeamService, audit_log: AuditLog
) -> None:
    groups = await service.list_access_groups()
    group = groups[0]
    users = await service.list_acs_users(acs_system_id=group.acs_system_id, limit=1)
    user = users.items[0]
    current = {
        g.acs_access_group_id for g in await service.list_acs_user_access_groups(user.acs_user_id)
    }
    add = [] if group.acs_access_group_id in current else [group.acs_access_group_id]
    remove = [group.acs_access_group_id] if not add else []
    await service.change_acs_user_access_groups(user.acs_user_id, add=add, remove=remove)
    lines = [
        AuditEntry.model_validate_json(line) for line in audit_log.path.read_text().splitlines()
    ]
    first, *steps, last = lines
    assert (first.operation, first.outcome) == ("change_acs_user_access_groups", "started")
    assert group.acs_access_group_id in (first.detail or "")
    assert (last.change_id, last.outcome) == (first.change_id, "ok")
    assert steps
    assert all(s.parent_id == first.change_id for s in steps)


def test_a_log_that_is_not_a_file_or_holds_a_huge_line_is_read_safely(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.path.symlink_to("/dev/zero")  # endless NUL bytes, never a newline
    with pytest.raises(AuditReadError, match="not a regular file"):
        log.recent()
    log.path.unlink()
    common = {"front_end": "tui", "workspace": "w", "operation": "x", "ids": {}}
    log.record(**common, outcome="ok", change_id="before")
    with log.path.open("ab") as fh:
        fh.write(b"{" + b"x" * (3 << 20) + b"\n")  # 3 MiB: not one of ours
    log.record(**common, outcome="ok", change_id="after")
    assert [e.change_id for e in log.recent()] == ["after", "before"]
    assert log.skipped_lines == 1
