"""How fast the TUI is at scale: launch to first rows, search to table updated, memory scrolling.

    .venv/bin/python -m benchmarks.tui_bench [--sizes 1000,10000,100000] [--searches 50]
                                             [--scroll 5000] [--launches 3]

For each size, a fresh offline sandbox in a temporary directory (`SEAM_TUI_DATA_DIR` and
`SEAM_TUI_CONFIG_DIR` point there and every `SEAM_*` credential variable is dropped, so the
user's own files and workspaces are never touched) is seeded with that many identities, then
the real `SeamApp(resolve_workspace())` runs headless at 120x36, each measurement in a fresh
subprocess so that imports, startup and memory are those of a real launch:

- launch → first rows: from just before the process is spawned to the identities table holding
  its first page (`PagedTable.PageLoaded`), and to the next frame composed after it; median of
  `--launches`;
- search → table updated: `IdentitiesScreen._run_search(term)` (what the debounce timer calls)
  to `PageLoaded`, over `--searches` varied terms; median and p95, plus the API call alone;
- memory: RSS (VmRSS) and Python heap blocks at 0, 1/5, 1/2 and all of `--scroll` rows while
  pressing Down one key at a time, and again after pressing Up back to the top (`--tracemalloc`
  adds traced memory, at the cost of speed and of RSS). Keys are sent as fast as the app takes
  them, so the cursor may reach the last loaded row before the next page: that wait is counted
  apart. About 3 minutes for the default sizes on 2 cores.

Targets (from the issue): first rows < 1 s, table updated < 150 ms after the search is sent,
memory flat while scrolling.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.message import Message

    from seam_tui.tui.app import SeamApp
    from seam_tui.tui.widgets.paged_table import PagedTable

ROOT = Path(__file__).resolve().parents[1]
SCREEN_SIZE = (120, 36)
PAGE_SIZE = 100  # the identities screen's page size
RESULT_MARK = "TUI_BENCH_RESULT "
CHILD_TIMEOUT_S = 600
TARGET_FIRST_ROWS_S = 1.0
TARGET_SEARCH_MS = 150.0

# Common and short terms (the many-matches paths), names, fragments and misses; the rare,
# exact ones (an email, a phone, an id) are picked from the seeded rows by `search_terms`.
FIXED_TERMS = [
    "a", "jane", "e", "Baker", "7", "jo", "example.net", "ke", "morgan stone", "xu",
    "+1", "Priya", "555", "ri", "Quinn Reyes", "net", "chen", "42", "taylor", "zh",
    "sage.ito", "Jane Doe", "@example.com", "ito", "qqqq", "Kenji", "Dana Gray", "o'connor",
    "fatima", "xyz",
]  # fmt: skip


# ---------------------------------------------------------------------------- measuring


def rss_mib() -> float:
    """This process's resident set size (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method: never beyond the largest value)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


class Probe:
    """Sees the identities table's `PageLoaded` and the next frame composed after it."""

    def __init__(self, app: SeamApp) -> None:
        from seam_tui.tui.widgets.paged_table import PagedTable

        self._page_loaded = PagedTable.PageLoaded
        self.loaded = asyncio.Event()
        self.painted = asyncio.Event()
        self.loaded_at = 0.0
        self.painted_at = 0.0
        self.pages = 0
        self.frames = 0
        self._last: object = None
        compose_frame = app._display

        def display(screen: Any, renderable: Any) -> None:
            compose_frame(screen, renderable)
            if renderable is None:
                return
            self.frames += 1
            if self.loaded.is_set() and not self.painted.is_set():
                self.painted_at = time.perf_counter()
                self.painted.set()

        # The frame is composed even headless; only writing it to the terminal is skipped.
        setattr(app, "_display", display)  # noqa: B010 (mypy refuses assigning a method)

    def hook(self, message: Message) -> None:
        """`run_test(message_hook=...)`: called for every message every pump dispatches."""
        if (
            isinstance(message, self._page_loaded)
            and message is not self._last  # the same message bubbles up to the screen
            and message.table.id == "identities"
        ):
            self._last = message
            self.pages += 1
            self.loaded_at = time.perf_counter()
            self.loaded.set()

    def arm(self) -> None:
        """Wait for the next page from now on."""
        self.loaded.clear()
        self.painted.clear()

    async def wait(self) -> None:
        """Until the next page is in the table and a frame has been composed after it."""
        async with asyncio.timeout(60):
            await self.loaded.wait()
            await self.painted.wait()


def identities_table(app: SeamApp) -> PagedTable[Any]:
    from seam_tui.tui.widgets.paged_table import PagedTable

    return app.screen.query_one("#identities", PagedTable)


# ------------------------------------------------------------------------ child processes


def child_launch(spawned_ns: int) -> dict[str, Any]:
    """Import, resolve the workspace, start the app and wait for the first rows on screen."""
    main_at = time.monotonic_ns()
    started = time.perf_counter()
    import textual.app  # noqa: F401

    textual_at = time.perf_counter()
    from seam_tui.tui.app import SeamApp
    from seam_tui.workspaces import resolve_workspace

    imported_at = time.perf_counter()
    workspace = resolve_workspace()
    resolved_at = time.perf_counter()
    app = SeamApp(workspace)
    probe = Probe(app)

    async def run() -> int:
        async with app.run_test(size=SCREEN_SIZE, message_hook=probe.hook):
            await probe.wait()
            return identities_table(app).row_count

    rows = asyncio.run(run())
    assert rows > 0
    to_spawn = (main_at - spawned_ns) / 1e9 - started  # shifts perf_counter to "since spawn"
    return {
        "python_start_s": (main_at - spawned_ns) / 1e9,
        "import_textual_s": textual_at - started,
        "import_app_s": imported_at - started,
        "resolve_s": resolved_at - imported_at,
        "first_rows_s": probe.loaded_at + to_spawn,
        "painted_s": probe.painted_at + to_spawn,
        "rows": rows,
    }


def child_search(terms: list[str]) -> dict[str, Any]:
    """In one running app, time each search from sent to table updated (and the API alone)."""
    from seam_tui.tui.app import SeamApp
    from seam_tui.tui.screens.identities import IdentitiesScreen
    from seam_tui.workspaces import resolve_workspace

    app = SeamApp(resolve_workspace())
    probe = Probe(app)

    async def run() -> list[dict[str, Any]]:
        timings: list[dict[str, Any]] = []
        async with app.run_test(size=SCREEN_SIZE, message_hook=probe.hook) as pilot:
            await probe.wait()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, IdentitiesScreen)
            table = identities_table(app)
            for term in terms:
                probe.arm()
                sent = time.perf_counter()
                screen._run_search(term)  # what the debounce timer calls
                await probe.wait()
                rows = table.row_count
                await pilot.pause()
                api_started = time.perf_counter()
                await app.service.search_identities(term, limit=PAGE_SIZE)
                api_s = time.perf_counter() - api_started
                timings.append(
                    {
                        "term": term,
                        "updated_s": probe.loaded_at - sent,
                        "painted_s": probe.painted_at - sent,
                        "api_s": api_s,
                        "rows": rows,
                    }
                )
        return timings

    return {"searches": asyncio.run(run())}


def child_scroll(rows: int, use_tracemalloc: bool) -> dict[str, Any]:
    """Press Down for `rows` rows (or to the end) then Up to the top, sampling memory."""
    from seam_tui.tui.app import SeamApp
    from seam_tui.workspaces import resolve_workspace

    app = SeamApp(resolve_workspace())
    probe = Probe(app)
    samples: list[dict[str, Any]] = []

    async def run() -> dict[str, Any]:
        async with app.run_test(size=SCREEN_SIZE, message_hook=probe.hook) as pilot:
            await probe.wait()
            await pilot.pause()
            table = identities_table(app)

            def position() -> int:  # the cursor's row in the whole list (pages are full)
                return len(table._dropped) * PAGE_SIZE + table.cursor_row

            def sample(label: str) -> None:
                gc.collect()
                traced = tracemalloc.get_traced_memory()[0] / 2**20 if use_tracemalloc else None
                samples.append(
                    {
                        "at": label,
                        "rss_mib": rss_mib(),
                        "blocks": sys.getallocatedblocks(),
                        "traced_mib": traced,
                        "rows": table.row_count,
                    }
                )

            marks = sorted({max(1, rows // 5), max(1, rows // 2), rows})

            def passed_mark() -> None:
                while marks and position() >= marks[0]:
                    sample(f"{marks.pop(0):,}")

            if use_tracemalloc:
                tracemalloc.start()
            sample("0")
            pages, frames, started = probe.pages, probe.frames, time.perf_counter()
            down = await press_until(
                app, table, "down", position, lambda: position() >= rows, passed_mark
            )
            down_s = time.perf_counter() - started
            bottom = position()
            if marks:
                sample(f"end {bottom:,}")
            pages_down, rows_held = probe.pages - pages, table.row_count
            started = time.perf_counter()
            up = await press_until(
                app, table, "up", position, lambda: position() <= 0, lambda: None
            )
            up_s = time.perf_counter() - started
            await pilot.pause()
            sample("top")
            latencies = down.latencies + up.latencies
            return {
                "samples": samples,
                "scrolled": bottom,
                "down_s": down_s,
                "up_s": up_s,
                "presses": [down.presses, up.presses],
                "edge_waits": [len(down.edge_waits), len(up.edge_waits)],
                "edge_wait_max_s": max(down.edge_waits + up.edge_waits, default=0.0),
                "key_median_s": statistics.median(latencies),
                "key_p99_s": statistics.quantiles(latencies, n=100, method="inclusive")[-1],
                "key_max_s": max(latencies),
                "frames": probe.frames - frames,
                "pages": [pages_down, probe.pages - pages - pages_down],
                "rows_after_down": rows_held,
                "rows_at_end": table.row_count,
                "reached_top": position() == 0,
            }

    return asyncio.run(run())


@dataclass
class PressRun:
    """The key presses sent in one direction: how long each took to move the cursor, and how
    often the cursor stood on the last loaded row waiting for the next page."""

    presses: int = 0
    latencies: list[float] = field(default_factory=list)
    edge_waits: list[float] = field(default_factory=list)


async def press_until(
    app: SeamApp,
    table: PagedTable[Any],
    key: str,
    position: Callable[[], int],
    done: Callable[[], bool],
    on_move: Callable[[], None],
) -> PressRun:
    """Send `key` as the terminal would, the next press once the cursor moved, until `done()`
    or the end of the list. Pressed on the last loaded row, a key cannot move the cursor (but
    starts the load if none is under way): then wait for the page before pressing again."""
    from textual import events

    assert app._driver is not None
    down = key == "down"
    run = PressRun()

    def at_edge() -> bool:
        if down:
            return table.cursor_row >= table.row_count - 1
        return table.cursor_row == 0

    def more() -> bool:
        return table.has_more if down else bool(table._dropped)

    def loading() -> bool:
        return any(w.node is table and not w.is_finished for w in app.workers)

    while not done():
        started = time.perf_counter()
        if at_edge():
            if not more():
                break  # the end of the list
            if not loading():
                app._driver.send_message(events.Key(key, None))  # starts the load
                run.presses += 1
            await until(lambda: not at_edge(), "the next page")
            run.edge_waits.append(time.perf_counter() - started)
            continue
        before = position()
        app._driver.send_message(events.Key(key, None))
        run.presses += 1
        await until(moved_from(position, before), f"the cursor to leave row {before}")
        run.latencies.append(time.perf_counter() - started)
        on_move()
    return run


def moved_from(position: Callable[[], int], row: int) -> Callable[[], bool]:
    return lambda: position() != row


async def until(condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition()` (spinning a few turns of its loop, then sleeping)."""
    started = time.perf_counter()
    spins = 0
    while not condition():
        spins += 1
        await asyncio.sleep(0 if spins < 50 else 0.001)
        if time.perf_counter() - started > 30.0:
            raise TimeoutError(f"waited 30 s for {what}")


def run_child(spec: dict[str, Any]) -> None:
    """`--child`: run one measurement and print its result as one JSON line."""
    mode = spec["mode"]
    if mode == "launch":
        result = child_launch(spec["spawned_ns"])
    elif mode == "search":
        result = child_search(spec["terms"])
    else:
        result = child_scroll(spec["rows"], spec["tracemalloc"])
    print(RESULT_MARK + json.dumps(result), flush=True)


# ------------------------------------------------------------------------------ the parent


def bench_env(tmp: Path) -> dict[str, str]:
    """The environment of every child: only the temp dirs, no workspace credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAM_")}
    env["SEAM_TUI_DATA_DIR"] = str(tmp / "data")
    env["SEAM_TUI_CONFIG_DIR"] = str(tmp / "config")
    return env


def spawn(spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run `--child spec` in a new interpreter and return its result."""
    command = [sys.executable, "-m", "benchmarks.tui_bench", "--child"]
    if spec["mode"] == "launch":
        spec = {**spec, "spawned_ns": time.monotonic_ns()}  # CLOCK_MONOTONIC: system-wide
    done = subprocess.run(
        [*command, json.dumps(spec)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    raise RuntimeError(f"{spec['mode']} child failed ({done.returncode}):\n{done.stderr[-3000:]}")


def seed(tmp: Path, count: int) -> tuple[float, Path, str]:
    """Create the sandbox the app will resolve (demo data) and add `count` identities to its
    first workspace, the one the built-in `sandbox` profile opens."""
    from seam_tui.sandbox import Sandbox

    db_path = tmp / "data" / "sandbox.sqlite3"  # what resolve_workspace() opens in the child
    db_path.parent.mkdir(parents=True)
    sandbox = Sandbox(db_path)
    workspace_id = sandbox.workspaces()[0].workspace_id
    started = time.perf_counter()
    sandbox.seed_identities(workspace_id, count)
    seconds = time.perf_counter() - started
    sandbox.close()
    return seconds, db_path, workspace_id


def search_terms(db_path: Path, workspace_id: str, count: int) -> list[str]:
    """`count` terms: the fixed ones interleaved with rare exact ones picked from the data."""
    rng = random.Random(20250303)
    rare: list[str] = []
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        total = db.execute(
            "SELECT count(*) FROM user_identities WHERE workspace_id = ?", (workspace_id,)
        ).fetchone()[0]
        for offset in rng.sample(range(total), min(total, 5)):
            name, email, phone, identity_id = db.execute(
                "SELECT full_name, email_address, phone_number, user_identity_id"
                " FROM user_identities WHERE workspace_id = ? ORDER BY seq LIMIT 1 OFFSET ?",
                (workspace_id, offset),
            ).fetchone()
            rare += [email or name, (email or "")[:14], (phone or "")[-7:], identity_id[:8]]
    rare = [term for term in rare if term]
    terms: list[str] = []
    fixed, exact = list(FIXED_TERMS), list(rare)
    while len(terms) < count:
        pool = exact if exact and len(terms) % 3 == 2 else fixed
        term = pool.pop(0) if pool else rng.choice(FIXED_TERMS + rare)
        if not terms or term.casefold() != terms[-1].casefold():
            terms.append(term)
    return terms


def machine() -> str:
    """CPU model, cores, OS, Python and textual versions."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpu}, {usable} cores usable ({os.cpu_count()} online); {platform.platform()}; "
        f"Python {platform.python_version()}; textual {version('textual')}"
    )


def bench_size(count: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement at one size, in its own temporary sandbox."""
    with tempfile.TemporaryDirectory(prefix="seam-tui-bench-") as name:
        tmp = Path(name)
        env = bench_env(tmp)
        for var in [var for var in os.environ if var.startswith("SEAM_")]:
            del os.environ[var]
        os.environ.update(env)  # this process, too, resolves nothing outside the temp dir
        seed_s, db_path, workspace_id = seed(tmp, count)
        print(f"  {count:,} identities seeded in {seed_s:.1f} s", file=sys.stderr, flush=True)
        launches = [spawn({"mode": "launch"}, env) for _ in range(args.launches)]
        print(f"  {args.launches} launches done", file=sys.stderr, flush=True)
        terms = search_terms(db_path, workspace_id, args.searches)
        searches = spawn({"mode": "search", "terms": terms}, env)["searches"]
        print(f"  {len(searches)} searches done", file=sys.stderr, flush=True)
        scroll = spawn(
            {"mode": "scroll", "rows": args.scroll, "tracemalloc": args.tracemalloc}, env
        )
        print("  scrolling done", file=sys.stderr, flush=True)
    return {"count": count, "seed_s": seed_s, "launches": launches, "searches": searches,
            "scroll": scroll}  # fmt: skip


# ------------------------------------------------------------------------------- reporting


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def miss(ok: bool) -> str:
    return "" if ok else " ✗"


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """The figures as markdown: the targets table, then the details behind it."""
    out = [
        f"Machine: {machine()}",
        "",
        f"| Identities | Seeding | Launch → first rows (median of {args.launches}) "
        f"| Search sent → table updated, median / p95 ({args.searches} searches) "
        f"| RSS (MiB) at rows scrolled down (of {args.scroll:,}), then back at the top "
        "| RSS growth after the first mark | Rows held at end |",
        "|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in results:
        first = median_of(r["launches"], "first_rows_s")
        updated = [s["updated_s"] * 1000 for s in r["searches"]]
        samples = r["scroll"]["samples"]
        rss = " · ".join(f"{s['at']}: {s['rss_mib']:.1f}" for s in samples)
        down = samples[1:-1]  # between the first page and back at the top
        growth = (
            f"{down[-1]['rss_mib'] - down[0]['rss_mib']:+.1f} MiB ({down[0]['at']} → "
            f"{down[-1]['at']})"
            if len(down) > 1
            else "n/a"
        )
        out.append(
            f"| {r['count']:,} | {r['seed_s']:.1f} s "
            f"| {first:.2f} s{miss(first < TARGET_FIRST_ROWS_S)} "
            f"| {statistics.median(updated):.0f} / {p95(updated):.0f} ms"
            f"{miss(p95(updated) < TARGET_SEARCH_MS)} "
            f"| {rss} | {growth} | {r['scroll']['rows_at_end']:,} |"
        )
    out += [
        "",
        f"Targets: first rows < {TARGET_FIRST_ROWS_S:g} s, table updated < "
        f"{TARGET_SEARCH_MS:g} ms after the search is sent, flat memory; ✗ marks a miss.",
        "",
        "Launch, medians: Python up (the interpreter and this script's stdlib imports, from "
        "spawning), then imports, `resolve_workspace()` (opens the sandbox), `SeamApp()` to the "
        "first page in the table, and the first frame composed after it (from spawning).",
        "",
        "| Identities | Python up | import textual / + seam_tui.tui.app | resolve "
        "| app start + first page | first rows | frame composed |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        runs = r["launches"]
        for run in runs:
            run["start_s"] = run["first_rows_s"] - sum(
                run[key] for key in ("python_start_s", "import_app_s", "resolve_s")
            )
        out.append(
            f"| {r['count']:,} | {median_of(runs, 'python_start_s') * 1000:.0f} ms "
            f"| {median_of(runs, 'import_textual_s') * 1000:.0f} / "
            f"{median_of(runs, 'import_app_s') * 1000:.0f} ms "
            f"| {median_of(runs, 'resolve_s') * 1000:.0f} ms "
            f"| {median_of(runs, 'start_s') * 1000:.0f} ms "
            f"| {median_of(runs, 'first_rows_s'):.2f} s | {median_of(runs, 'painted_s'):.2f} s |"
        )
    out += [
        "",
        "Search: to the first frame composed after the update, the same search as a bare "
        "service call (no TUI), and the slowest terms.",
        "",
        "| Identities | to frame composed, med / p95 | service call alone, med / p95 "
        "| slowest searches (rows shown) |",
        "|---:|---:|---:|---|",
    ]
    for r in results:
        searches = r["searches"]
        painted = [s["painted_s"] * 1000 for s in searches]
        api = [s["api_s"] * 1000 for s in searches]
        slowest = sorted(searches, key=lambda s: -s["updated_s"])[:3]
        slow = ", ".join(
            f"“{s['term']}” {s['updated_s'] * 1000:.0f} ms ({s['rows']})" for s in slowest
        )
        out.append(
            f"| {r['count']:,} | {statistics.median(painted):.0f} / {p95(painted):.0f} ms "
            f"| {statistics.median(api):.0f} / {p95(api):.0f} ms | {slow} |"
        )
    out += [
        "",
        "Scrolling: one Down key press after another (each sent once the cursor moved for the "
        "previous one), then Up to the top; Python heap blocks are `sys.getallocatedblocks()`.",
        "",
        "| Identities | rows down | down / up | key → cursor moved, med / p99 / max "
        "| waits on the last loaded row (longest) | frames | pages fetched down / up "
        "| rows held after down | heap blocks 0 → top | tracemalloc 0 → top |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        sc = r["scroll"]
        first, last = sc["samples"][0], sc["samples"][-1]
        traced = (
            f"{first['traced_mib']:.1f} → {last['traced_mib']:.1f} MiB"
            if first["traced_mib"] is not None
            else "off"
        )
        top = "" if sc["reached_top"] else " (stopped before the top)"
        out.append(
            f"| {r['count']:,} | {sc['scrolled']:,} "
            f"| {sc['down_s']:.1f} s / {sc['up_s']:.1f} s{top} "
            f"| {sc['key_median_s'] * 1000:.1f} / {sc['key_p99_s'] * 1000:.0f} / "
            f"{sc['key_max_s'] * 1000:.0f} ms "
            f"| {sum(sc['edge_waits'])} ({sc['edge_wait_max_s'] * 1000:.0f} ms) | {sc['frames']:,} "
            f"| {sc['pages'][0]} / {sc['pages'][1]} | {sc['rows_after_down']:,} "
            f"| {first['blocks']:,} → {last['blocks']:,} | {traced} |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000", help="identities, comma-separated")
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument("--scroll", type=int, default=5000, help="rows to scroll down")
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace allocations (slower; adds to RSS)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(json.loads(args.child))
        return
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    results = []
    for count in sizes:
        print(f"{count:,} identities…", file=sys.stderr, flush=True)
        results.append(bench_size(count, args))
    print(report(results, args))


if __name__ == "__main__":
    main()
