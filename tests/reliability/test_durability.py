"""Durability and concurrency.

- kill -9 the served sandbox in the middle of a burst of writes from concurrent clients, restart
  `serve` on the same file, and find every acknowledged write (a create whose client got its
  2xx) there, by id through the API and by count in the file; SQLite's integrity check passes.
  The store runs in WAL mode with synchronous=NORMAL: a commit is in the WAL (the OS's page
  cache) before the answer is sent, which survives the death of the process. Only a crash of
  the whole machine could lose the last commits, and a sandbox does not need fsync for that.
- The TUI (in this process, through its form and its service) and the MCP server (a `seam-mcp`
  child process over stdio) write to the same sandbox file at once: no "database is locked",
  no error at all, and the rows and the shared audit log add up exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from seam_tui.core import RetryPolicy, SeamClient, SeamError
from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.paths import data_dir
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.reliability.conftest import FULL, ROOT, ServedSandbox, record
from tests.tui.conftest import SIZE, wait_until

WRITERS = 8
CYCLES = 10 if FULL else 3
# Kill once this many creates were acknowledged in the cycle (or after this long).
KILL_AFTER_ACKS = 120
KILL_AFTER_S = 3.0
NO_RETRY = RetryPolicy(max_retries=0)


@dataclass
class Burst:
    acked: dict[str, str] = field(default_factory=dict)  # identity id -> name
    in_flight_at_kill: int = 0
    errors: list[str] = field(default_factory=list)


async def writer(url: str, key: str, cycle: int, n: int, burst: Burst, killed: Flag) -> None:
    """Create identities back to back until the server dies under it."""
    async with SeamClient(api_key=key, endpoint=url, retry=NO_RETRY, timeout=10) as seam:
        count = 0
        while True:
            name = f"Burst c{cycle} w{n} #{count}"
            count += 1
            try:
                identity = await seam.user_identities.create(full_name=name)
            except SeamError as exc:
                if not killed.set:
                    burst.errors.append(f"{name}: {exc}")  # a failure before the kill is a bug
                burst.in_flight_at_kill += 1
                return
            burst.acked[identity.user_identity_id] = name


@dataclass
class Flag:
    set: bool = False


def ids_and_integrity(db: Path) -> tuple[set[str], str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = {row[0] for row in conn.execute("SELECT user_identity_id FROM user_identities")}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return ids, integrity


async def test_kill_9_mid_burst_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "durable.sqlite3"
    acked: dict[str, str] = {}
    in_flight = 0
    served = ServedSandbox(db)
    try:
        served.start()
        for cycle in range(CYCLES):
            burst = Burst()
            killed = Flag()
            tasks = [
                asyncio.create_task(writer(served.url, served.api_key, cycle, n, burst, killed))
                for n in range(WRITERS)
            ]
            for _ in range(int(KILL_AFTER_S / 0.005)):  # bounded: at most KILL_AFTER_S
                if len(burst.acked) >= KILL_AFTER_ACKS:
                    break
                await asyncio.sleep(0.005)
            killed.set = True
            assert served.kill() == -9  # SIGKILL while every writer has a create in flight
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
            assert not burst.errors, burst.errors[:3]
            assert burst.acked, "nothing was acknowledged before the kill"
            acked.update(burst.acked)
            in_flight += burst.in_flight_at_kill

            served.start()  # the same file, as after a crash
            async with SeamClient(api_key=served.api_key, endpoint=served.url) as seam:
                found = {i.user_identity_id async for i in seam.user_identities.iterate()}
            missing = set(acked) - found
            assert not missing, f"{len(missing)} acknowledged writes lost after kill -9"
        ids, integrity = ids_and_integrity(db)
    finally:
        served.close()
    assert set(acked) <= ids
    assert integrity == "ok"
    record(
        "durability: kill -9 mid-burst",
        cycles=CYCLES,
        concurrent_writers=WRITERS,
        acknowledged_writes=len(acked),
        in_flight_when_killed=in_flight,
        acknowledged_writes_lost=len(set(acked) - ids),
        integrity_check=integrity,
        journal="WAL, synchronous=NORMAL",
    )


# ----------------------------------------------------------------------------- TUI + MCP


TUI_FORM_CREATES = 20 if FULL else 5
TUI_SERVICE_CREATES = 40 if not FULL else 200
MCP_CREATES = 40 if not FULL else 200


async def test_tui_and_mcp_server_write_the_same_sandbox_at_once(tmp_path: Path) -> None:
    sandbox = local_sandbox()  # the file both will use: <data dir>/sandbox.sqlite3
    before = sandbox.count("user_identities")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SEAM_")},
        "SEAM_TUI_DATA_DIR": os.environ["SEAM_TUI_DATA_DIR"],
        "SEAM_TUI_CONFIG_DIR": os.environ["SEAM_TUI_CONFIG_DIR"],
        "PYTHONPATH": str(ROOT),
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "agent_tools.cli"], env=env, cwd=ROOT
    )
    errors: list[str] = []
    tui_names: list[str] = []
    mcp_names: list[str] = []
    app = SeamApp(resolve_workspace())
    stderr_path = tmp_path / "seam-mcp.stderr"
    with stderr_path.open("w") as stderr:
        async with (
            Client(stdio_client(params, errlog=stderr)) as mcp,
            app.run_test(size=SIZE) as pilot,
        ):
            await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))

            async def mcp_writes(worker: int) -> None:
                for n in range(worker, MCP_CREATES, 4):
                    name = f"MCP Writer {n}"
                    result = await mcp.call_tool("create_user_identity", {"full_name": name})
                    if result.is_error:
                        errors.append(f"mcp: {result.content[0].text}")  # type: ignore[union-attr]
                    else:
                        mcp_names.append(name)

            async def tui_service_writes(worker: int) -> None:
                for n in range(worker, TUI_SERVICE_CREATES, 4):
                    name = f"TUI Service {n}"
                    try:
                        await app.service.create_identity(UserIdentityCreate(full_name=name))
                    except SeamError as exc:
                        errors.append(f"tui service: {exc}")
                    else:
                        tui_names.append(name)

            async def tui_form_writes() -> None:
                for n in range(TUI_FORM_CREATES):
                    name = f"TUI Form {n}"
                    await pilot.press("n")
                    await wait_until(pilot, lambda: isinstance(app.screen, IdentityFormScreen))
                    form = app.screen
                    form.query_one("#full_name", Input).value = name
                    message = form.query_one("#form-message")
                    await pilot.press("ctrl+s")

                    def settled(f: Screen[Any] = form, m: Widget = message) -> bool:
                        return app.screen is not f or str(m.render()).startswith(
                            ("Not saved", "Not confirmed")
                        )

                    await wait_until(pilot, settled)
                    if app.screen is form:
                        errors.append(f"tui form: {message.render()}")
                        await pilot.press("escape")
                    else:
                        tui_names.append(name)

            started = time.monotonic()
            await asyncio.gather(
                tui_form_writes(),
                *(tui_service_writes(w) for w in range(4)),
                *(mcp_writes(w) for w in range(4)),
            )
            took = time.monotonic() - started
            assert app.is_running
    server_log = stderr_path.read_text()
    assert not errors, errors[:3]
    assert "locked" not in server_log.lower()
    assert "Traceback" not in server_log

    after = sandbox.count("user_identities")
    written = len(tui_names) + len(mcp_names)
    assert written == TUI_FORM_CREATES + TUI_SERVICE_CREATES + MCP_CREATES
    assert after == before + written
    names = _names(sandbox.db_path)
    assert all(names.count(name) == 1 for name in tui_names + mcp_names)

    entries = [json.loads(line) for line in (data_dir() / "audit.jsonl").read_text().splitlines()]
    creates = [
        e for e in entries if e["operation"] == "create_user_identity" and e["outcome"] != "started"
    ]
    by_front_end = {fe: sum(e["front_end"] == fe for e in creates) for fe in ("tui", "mcp")}
    assert by_front_end == {"tui": len(tui_names), "mcp": len(mcp_names)}
    assert all(e["outcome"] == "ok" for e in creates)
    log = AuditLog()
    # No torn or interleaved line: every line parses, and each change has its two lines.
    assert len(log.recent(10_000)) * 2 == len(entries)
    assert log.skipped_lines == 0
    ordered = [e["front_end"] for e in sorted(creates, key=lambda e: e["time"])]
    switches = sum(a != b for a, b in itertools.pairwise(ordered))
    # The two really wrote at the same time: their windows overlap, their writes interleave.
    times = {fe: [e["time"] for e in creates if e["front_end"] == fe] for fe in ("tui", "mcp")}
    assert min(times["mcp"]) < max(times["tui"])
    assert min(times["tui"]) < max(times["mcp"])
    assert switches >= 3
    record(
        "concurrency: TUI + MCP server on one sandbox file",
        processes=2,
        tui_writes=len(tui_names),
        mcp_writes=len(mcp_names),
        rows_added=after - before,
        errors=len(errors),
        database_locked=0,
        audit_lines=len(entries),
        interleavings=switches,
        seconds=round(took, 1),
    )


def _names(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT full_name FROM user_identities")]
    finally:
        conn.close()
