"""Faults: 20% of requests fail (500, 429 with Retry-After, dropped connections, latency spikes).

- The client, in-process and over real loopback sockets: every read completes through retries;
  no write is ever applied twice (every create carries a unique name, and the rows are counted
  and grouped by name afterwards); a write is only ever re-sent after a 429.
- The TUI stays responsive through a 2 s spike, keeps working under 20% faults with its own
  default retry policy, and when requests do fail it says what failed and recovers on `r`.
- The MCP tools under 20% faults: a result or a readable error, never a duplicate.
- A sandbox that is down entirely: the TUI, the MCP tools and the CLI say so clearly, nothing
  crashes, and all three work again when it comes back (on the same port).

Latency spikes are scaled down in CI (2 s with SEAM_TUI_RELIABILITY_FULL=1), except in the
responsiveness test, which always waits out a real 2 s spike.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input

from agent_tools.context import ToolContext
from seam_tui.core import RetryPolicy, SeamClient, SeamError
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.sandbox import FaultConfig, Sandbox, SandboxWorkspace
from seam_tui.sandbox.settle_config import SETTLE_AFTER_VAR
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.help import HelpScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.agent_tools.conftest import connect
from tests.reliability.conftest import FULL, ROOT, ServedSandbox, record
from tests.tui.conftest import SIZE, wait_until

RATE = 0.2
SEED = 20260
# Every test here runs twice: with writes applied at once, and with every sandbox it opens
# (in process, built in, or served in a child) settling them 0.3 s later, as Seam does.
SETTLE_AFTER_S = 0.3


@pytest.fixture(autouse=True, params=[0.0, SETTLE_AFTER_S], ids=["at-once", "settling"])
def settling(
    request: pytest.FixtureRequest, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> float:
    seconds: float = request.param
    if seconds:
        monkeypatch.setenv(SETTLE_AFTER_VAR, str(seconds))
    else:
        monkeypatch.delenv(SETTLE_AFTER_VAR, raising=False)
    return seconds


SPIKE_S = 2.0 if FULL else 0.05
SOCKET_SPIKE_S = 2.0 if FULL else 0.2
RETRY_AFTER_S = 1.0 if FULL else 0.05
# Patient enough that a read survives a run of failures (0.15^9 per read, with 20% faults of
# which a quarter are only slow); how many attempts reads really needed is reported.
FORMS = 20 if FULL else 5
PATIENT = RetryPolicy(max_retries=8, backoff_factor=0.01, max_retry_after=2.5)


def faults(latency_s: float = SPIKE_S, rate: float = RATE, **changes: Any) -> FaultConfig:
    return FaultConfig(
        rate=rate, latency_s=latency_s, retry_after_s=RETRY_AFTER_S, seed=SEED, **changes
    )


# ----------------------------------------------------------------------------- the recorder


@dataclass
class Attempt:
    path: str
    name: str | None
    outcome: str  # "200", "429", "500", ... or "drop"
    seconds: float


class Recorder(httpx.AsyncBaseTransport):
    """Wraps a transport and notes every attempt: its path, the name it carries, and what came
    back. Faults are told apart from what the client saw: a 500 or 429 status, a broken
    connection, or an answer that took most of a latency spike."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.attempts: list[Attempt] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = _name_in(request)
        started = time.monotonic()
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()  # over a socket, a drop breaks the body, not the headers
        except httpx.TransportError:
            self.attempts.append(Attempt(request.url.path, name, "drop", 0.0))
            raise
        seconds = time.monotonic() - started
        self.attempts.append(Attempt(request.url.path, name, str(response.status_code), seconds))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def faults_seen(self, spike_s: float) -> Counter[str]:
        seen: Counter[str] = Counter()
        for attempt in self.attempts:
            if attempt.outcome in ("500", "429", "drop"):
                seen[attempt.outcome] += 1
            elif attempt.seconds >= 0.8 * spike_s:
                seen["latency"] += 1
        return seen


def _name_in(request: httpx.Request) -> str | None:
    import json

    try:
        body = json.loads(request.content or b"{}")
    except ValueError:
        return None
    name = body.get("full_name") if isinstance(body, dict) else None
    return name if isinstance(name, str) else None


# ----------------------------------------------------------------------------- the workload


@dataclass
class Tally:
    reads: int = 0
    acked: list[str] = field(default_factory=list)  # names of creates that got their 2xx
    unacked: list[str] = field(default_factory=list)  # names of creates that raised
    errors: Counter[str] = field(default_factory=Counter)


async def workload(seam: SeamClient, tag: str, rounds: int) -> Tally:
    """Each round: six reads of different kinds, then an identity and an ACS user created."""
    tally = Tally()
    systems = await seam.acs.systems.list()
    known = (await seam.user_identities.list(limit=5)).items[0].user_identity_id
    for n in range(rounds):
        await seam.user_identities.list(limit=10, search="a" if n % 2 else None)
        await seam.user_identities.get(user_identity_id=known)
        await seam.acs.users.list(limit=10)
        await seam.acs.systems.list()
        await seam.acs.access_groups.list()
        await seam.workspaces.get()
        tally.reads += 6
        for kind in ("identity", "acs_user"):
            name = f"Fault {tag} {kind} {n}"
            try:
                if kind == "identity":
                    await seam.user_identities.create(full_name=name)
                else:
                    system = systems[n % len(systems)].acs_system_id
                    await seam.acs.users.create(acs_system_id=system, full_name=name)
            except SeamError as exc:
                tally.unacked.append(name)
                tally.errors[type(exc).__name__] += 1
            else:
                tally.acked.append(name)
    return tally


def check_writes(tally: Tally, names_in_db: Counter[str], recorder: Recorder) -> dict[str, int]:
    """Every acknowledged create exists exactly once, no create exists twice, and a create was
    only ever sent again after a 429 (the one answer that proves nothing was applied)."""
    for name in tally.acked:
        assert names_in_db[name] == 1, f"acknowledged {name!r} is there {names_in_db[name]} times"
    for name in tally.unacked:
        assert names_in_db[name] <= 1, f"{name!r} was applied {names_in_db[name]} times"
    creates: dict[str, list[str]] = {}
    for attempt in recorder.attempts:
        if attempt.path.endswith("/create") and attempt.name:
            creates.setdefault(attempt.name, []).append(attempt.outcome)
    for name, outcomes in creates.items():
        assert all(o == "429" for o in outcomes[:-1]), f"{name!r} re-sent after {outcomes}"
    return {
        "writes": len(tally.acked) + len(tally.unacked),
        "acknowledged": len(tally.acked),
        "failed_and_reported": len(tally.unacked),
        "applied_but_answer_lost": sum(names_in_db[n] for n in tally.unacked),
        "applied_twice": 0,
        "resent_after_429": sum(len(o) - 1 for o in creates.values()),
    }


def read_attempts(recorder: Recorder) -> int:
    """The most attempts any one read needed (a run of failures on one request)."""
    longest = run = 0
    for attempt in recorder.attempts:
        if attempt.path.endswith("/create"):
            continue
        run = run + 1 if attempt.outcome in ("500", "429", "drop") else 0
        longest = max(longest, run)
    return longest + 1


def names_in(db: Path, table: str | None = None) -> Counter[str]:
    """Rows counted straight from the database file, by name: identities and ACS users (or
    one of the two tables)."""
    tables = [table] if table else ["user_identities", "acs_users"]
    query = " UNION ALL ".join(f"SELECT full_name FROM {t}" for t in tables)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(query).fetchall()
    finally:
        conn.close()
    return Counter(row[0] for row in rows)


# ----------------------------------------------------------------------------- client


async def test_client_in_process_reads_complete_and_writes_apply_once(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> None:
    rounds = 60 if FULL else 40
    recorder = Recorder(sandbox.transport())
    sandbox.faults = faults()
    async with SeamClient(
        api_key=workspace.api_key, endpoint=sandbox.base_url, transport=recorder, retry=PATIENT
    ) as seam:
        tally = await workload(seam, "in-process", rounds)
    sandbox.faults = FaultConfig()
    seen = recorder.faults_seen(SPIKE_S)
    assert tally.reads == 6 * rounds  # every read completed (a failed read raises)
    assert set(seen) == {"500", "429", "drop", "latency"}  # every kind of fault happened
    writes = check_writes(tally, names_in(sandbox.db_path), recorder)
    assert writes["acknowledged"] > 0
    record(
        "faults: client in-process (20%)",
        requests=len(recorder.attempts),
        faults=sum(seen.values()),
        **{f"faults_{k}": v for k, v in sorted(seen.items())},
        reads_completed=f"{tally.reads}/{tally.reads}",
        most_attempts_for_one_read=read_attempts(recorder),
        **writes,
    )


async def test_client_over_loopback_sockets(tmp_path: Path) -> None:
    rounds = 40 if FULL else 15
    db = tmp_path / "served.sqlite3"
    options = ["--fault-rate", str(RATE), "--fault-seed", str(SEED)]
    options += ["--fault-latency", str(SOCKET_SPIKE_S), "--fault-retry-after", str(RETRY_AFTER_S)]
    with ServedSandbox(db, *options) as served:
        recorder = Recorder(httpx.AsyncHTTPTransport())
        async with SeamClient(
            api_key=served.api_key, endpoint=served.url, transport=recorder, retry=PATIENT
        ) as seam:
            tally = await workload(seam, "loopback", rounds)
        seen = recorder.faults_seen(SOCKET_SPIKE_S)
        writes = check_writes(tally, names_in(db), recorder)
    assert served.url.startswith("http://127.0.0.1:")
    assert tally.reads == 6 * rounds
    assert {"500", "429", "drop"} <= set(seen)
    record(
        "faults: client over loopback (20%)",
        requests=len(recorder.attempts),
        faults=sum(seen.values()),
        **{f"faults_{k}": v for k, v in sorted(seen.items())},
        latency_spike_s=SOCKET_SPIKE_S,
        reads_completed=f"{tally.reads}/{tally.reads}",
        most_attempts_for_one_read=read_attempts(recorder),
        **writes,
    )


# ----------------------------------------------------------------------------- the TUI


def notifications(app: SeamApp) -> list[str]:
    """The notifications on screen now (title: message)."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def table_of(app: SeamApp) -> DataTable[Any]:
    table: DataTable[Any] = app.screen.query_one(DataTable)
    return table


async def test_tui_stays_responsive_through_a_2_s_spike() -> None:
    """Every request takes 2 s: the list is still loading while keys are handled."""
    sandbox = local_sandbox()
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"latency"}), latency_s=2.0)
    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        started = time.monotonic()
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        home = app.screen
        table = table_of(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert table.row_count == 0  # the help opened while the first page was on its way
        handled_within = time.monotonic() - started
        await pilot.press("escape", "slash", *"jane")
        assert home.query_one("#search", Input).value == "jane"
        await wait_until(pilot, lambda: table.row_count > 0)
        waited = time.monotonic() - started
    assert app.return_code in (None, 0)
    record(
        "faults: TUI responsiveness",
        spike_s=2.0,
        help_opened_after_s=round(handled_within, 2),
        rows_shown_after_s=round(waited, 2),
    )


async def test_tui_under_faults_keeps_working_and_says_what_failed() -> None:
    sandbox = local_sandbox()
    sandbox.faults = faults()
    app = SeamApp(resolve_workspace())  # its own default retry policy
    reloads = 0
    said: set[str] = set()

    async def loaded(pilot: Any, what: type) -> None:
        """Wait for the screen's table; on a failure, read what it said and press r."""
        nonlocal reloads
        await wait_until(pilot, lambda: isinstance(app.screen, what))
        for _ in range(10):
            status = str(app.screen.query_one("#status").render())
            if table_of(app).row_count > 0 and "loading" not in status:
                return
            if "could not load" in status:
                said.update(notifications(app))
                reloads += 1
                await pilot.press("r")
            await pilot.pause(0.05)
        await wait_until(pilot, lambda: table_of(app).row_count > 0)

    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, IdentitiesScreen)
        await pilot.press("enter")  # open the first identity
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
        await pilot.press("escape")
        await pilot.press("2")
        await loaded(pilot, SystemsScreen)
        await pilot.press("3")
        await loaded(pilot, AcsUsersScreen)
        await pilot.press("1")
        await loaded(pilot, IdentitiesScreen)

        saved = 0
        for n in range(FORMS):
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, IdentityFormScreen))
            form = app.screen
            form.query_one("#full_name", Input).value = f"Faulty Form {n}"
            message = form.query_one("#form-message")
            await pilot.press("ctrl+s")

            def settled(f: Screen[Any] = form, m: Widget = message) -> bool:
                return app.screen is not f or str(m.render()) not in ("", "saving…")

            await wait_until(pilot, settled)
            if app.screen is form:
                text = str(message.render())
                # and says why; after a 500 or a lost answer, that it may have been saved
                if "internal_server_error" in text or "may or may not" in text:
                    assert text.startswith("Not confirmed:"), text
                    assert "check whether it was saved" in text, text
                else:
                    assert text.startswith("Not saved:"), text
                said.add(text)
                await pilot.press("escape")
            else:
                saved += 1
        assert app.is_running

        # Now every request fails: the list says so, the user is told why, r recovers.
        sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"500"}))
        app.clear_notifications()
        await pilot.press("r")
        status = app.screen.query_one("#status")
        await wait_until(pilot, lambda: "could not load" in str(status.render()))
        await wait_until(pilot, lambda: bool(notifications(app)))
        told = notifications(app)
        assert any("An internal server error occurred [internal_server_error" in t for t in told)
        sandbox.faults = FaultConfig()
        await pilot.press("r")
        await wait_until(pilot, lambda: "identities" in str(status.render()))
        assert app.is_running

    names = names_in(sandbox.db_path)
    assert all(names[f"Faulty Form {n}"] <= 1 for n in range(FORMS))
    assert sum(names[f"Faulty Form {n}"] for n in range(FORMS)) >= saved
    record(
        "faults: TUI under 20% faults",
        screens_loaded=5,
        user_reloads_needed=reloads,
        forms_saved=f"{saved}/{FORMS}",
        forms_refused_with=sorted(said)[:3],
        duplicates=0,
        told_when_all_failed=told[0][:90],
    )


# ----------------------------------------------------------------------------- the MCP tools


async def test_mcp_tools_under_faults_answer_or_explain() -> None:
    sandbox = local_sandbox()
    context = ToolContext.open()
    calls = 80 if FULL else 40
    outcomes: Counter[str] = Counter()
    acked: list[str] = []
    unacked: list[str] = []
    sandbox.faults = faults()
    try:
        async with connect(context) as mcp:
            for n in range(calls):
                name = f"Tool Fault {n}"
                plan: list[tuple[str, dict[str, Any]]] = [
                    ("search_user_identities", {"limit": 10}),
                    ("list_acs_systems", {}),
                    ("search_acs_users", {"status": "unlinked"}),
                    ("create_user_identity", {"full_name": name}),
                ]
                tool, arguments = plan[n % 4]
                result = await mcp.call_tool(tool, arguments)
                if not result.is_error:
                    outcomes["ok"] += 1
                    if tool == "create_user_identity":
                        acked.append(name)
                    continue
                text = result.content[0].text  # type: ignore[union-attr]
                assert "Traceback" not in text
                assert "call again" in text, text  # what to do next
                outcomes["readable error"] += 1
                if tool == "create_user_identity":
                    unacked.append(name)
                    # a 5xx or a lost answer may hide an applied change; a 429 is a refusal
                    assert "the change may have been applied" in text or "wait" in text, text
    finally:
        sandbox.faults = FaultConfig()
        await context.aclose()
    names = names_in(sandbox.db_path)
    assert all(names[n] == 1 for n in acked)
    assert all(names[n] <= 1 for n in unacked)
    assert outcomes["ok"] > calls // 2
    record(
        "faults: MCP tools under 20% faults",
        calls=calls,
        ok=outcomes["ok"],
        readable_errors=outcomes["readable error"],
        creates_acknowledged=len(acked),
        creates_applied_twice=0,
    )


# ----------------------------------------------------------------------------- down entirely


@pytest.fixture
def served_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServedSandbox]:
    """A served sandbox, and SEAM_API_KEY + SEAM_ENDPOINT pointing every front end at it."""
    with ServedSandbox(tmp_path / "down.sqlite3") as served:
        monkeypatch.setenv("SEAM_API_KEY", served.api_key)
        monkeypatch.setenv("SEAM_ENDPOINT", served.url)
        yield served


async def seam_tui_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`seam-tui ARGS` in its own process (it runs its own event loop), environment as ours."""
    command = [sys.executable, "-m", "seam_tui.cli", *args]
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=60, cwd=ROOT
    )


async def test_sandbox_down_entirely_then_back(served_env: ServedSandbox) -> None:
    served = served_env
    url = served.url
    app = SeamApp(resolve_workspace())
    context = ToolContext.open()
    told: dict[str, str] = {}
    try:
        async with app.run_test(size=SIZE) as pilot, connect(context) as mcp:
            await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
            table = table_of(app)
            await wait_until(pilot, lambda: table.row_count > 0)
            assert not (await mcp.call_tool("list_acs_systems", {})).is_error

            assert served.stop() == 0  # down
            app.clear_notifications()
            cli_down = asyncio.create_task(seam_tui_cli("workspace", "show", "--check"))
            await pilot.press("r")
            status = app.screen.query_one("#status")
            await wait_until(pilot, lambda: "could not load" in str(status.render()))
            await wait_until(pilot, lambda: bool(notifications(app)))
            told["tui"] = notifications(app)[0]
            assert f"could not connect to {url}" in told["tui"]
            assert "Check the network or the workspace's endpoint" in told["tui"]
            assert table.row_count > 0  # what was shown stays shown

            result = await mcp.call_tool("search_user_identities", {})
            assert result.is_error
            told["mcp"] = result.content[0].text  # type: ignore[union-attr]
            assert f"could not connect to {url}" in told["mcp"]
            assert "call again later" in told["mcp"]

            cli = await cli_down
            assert cli.returncode == 1
            told["cli"] = cli.stderr.strip()
            assert told["cli"].startswith(f"seam-tui: error: could not connect to {url}")
            assert "Traceback" not in cli.stdout + cli.stderr
            assert app.is_running

            served.start()  # back, on the same port
            assert served.url == url
            cli_up = asyncio.create_task(seam_tui_cli("workspace", "show", "--check"))
            await pilot.press("r")
            await wait_until(pilot, lambda: "identities" in str(status.render()))
            assert not (await mcp.call_tool("search_user_identities", {})).is_error
            cli = await cli_up
            assert cli.returncode == 0, cli.stderr
            assert "Acme Property Sandbox" in cli.stdout
    finally:
        await context.aclose()
    record(
        "faults: sandbox down entirely",
        tui=told["tui"][:110],
        mcp=told["mcp"].removeprefix("Error executing tool search_user_identities: ")[:110],
        cli=told["cli"][:110],
        recovered="TUI (r), MCP (next call), CLI",
    )


async def test_identity_create_through_the_service_under_faults_never_duplicates(
    sandbox: Sandbox, workspace: SandboxWorkspace, tmp_path: Path
) -> None:
    """The service's whole operation (identity + ACS users in two systems) under faults."""
    from seam_tui.core.audit import AuditLog
    from seam_tui.core.service import SeamService

    sandbox.faults = faults()
    created = failed = 0
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=PATIENT,
    ) as seam:
        service = SeamService(
            seam, workspace=workspace.name, front_end="script", audit=AuditLog(tmp_path / "a")
        )
        systems = list(await service.systems_by_id())[:2]
        for n in range(15):
            try:
                result = await service.create_identity(
                    UserIdentityCreate(full_name=f"Whole {n}", acs_system_ids=systems)
                )
            except SeamError:
                failed += 1
                continue
            created += 1
            sandbox.faults = FaultConfig()
            exists = {
                u.acs_system_id
                for u in await seam.user_identities.list_acs_users(
                    user_identity_id=result.identity.user_identity_id
                )
            }
            sandbox.faults = faults()
            reported = {o.acs_system_id for o in result.outcomes if o.status != "failed"}
            assert reported == exists  # the report is what exists, fault or not
    sandbox.faults = FaultConfig()
    identities = names_in(sandbox.db_path, "user_identities")
    acs_users = names_in(sandbox.db_path, "acs_users")
    assert all(identities[f"Whole {n}"] <= 1 for n in range(15))
    assert all(acs_users[f"Whole {n}"] <= len(systems) for n in range(15))
    assert created > 0
    record(
        "faults: service create_identity (identity + 2 ACS users) under 20% faults",
        operations=15,
        completed=created,
        identity_create_failed_and_reported=failed,
        reports_matching_the_rows=f"{created}/{created}",
        identities_applied_twice=0,
        acs_users_applied_twice=0,
    )
