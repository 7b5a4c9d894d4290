"""`make bench`: seed a sandbox, measure everything, print the markdown and write it to
build/BENCHMARKS.md; `--update` (`make bench UPDATE=1`) replaces the tracked BENCHMARKS.md
instead, and only from a full run: a quick or partial run never replaces the full figures.

    .venv/bin/python -m benchmarks.run [--quick] [--update | --output FILE | --output -]
                                       [--only client,parsing,sandbox,tui,mcp]

Every data and config dir is a temporary one (`SEAM_TUI_DATA_DIR`, `SEAM_TUI_CONFIG_DIR`; every
`SEAM_*` credential variable dropped); the sandbox is served on 127.0.0.1 by a child process
that is always stopped. About 5 minutes on 2 cores; `--quick` (smaller sizes, fewer runs)
about 1. A section that fails is reported as such and the exit status is 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import client_bench, mcp_section, people_bench, sandbox_bench, tui_section
from benchmarks.common import (
    ROOT,
    Stopwatch,
    isolated,
    json_size,
    machine,
    mark,
    process_cpu_s,
    served_sandbox,
    system_busy_s,
    tokens,
)

SECTIONS = ("client", "parsing", "sandbox", "tui", "mcp", "people")
TRACKED = ROOT / "BENCHMARKS.md"
BUILD_OUTPUT = ROOT / "build" / "BENCHMARKS.md"


@dataclass(frozen=True)
class Config:
    """Sizes and repeat counts of one run."""

    quick: bool
    identity_sizes: list[int]
    acs_sizes: list[int]
    runs: int  # walks per client of a list of up to 10,000
    runs_large: int  # of a longer list
    parse_repeats: int
    page_repeats: int
    tui_sizes: list[int]
    searches: int
    scroll: int
    launches: int
    mcp_runs: int

    @classmethod
    def make(cls, quick: bool) -> Config:
        if quick:
            return cls(True, [1_000, 10_000], [1_000, 10_000], 3, 3, 100, 30,
                       [1_000, 10_000], 20, 1_000, 3, 50)  # fmt: skip
        return cls(False, [10_000, 100_000], [10_000, 100_000], 5, 3, 300, 50,
                   [1_000, 10_000, 100_000], 50, 5_000, 3, 200)  # fmt: skip

    def runs_for(self, count: int) -> int:
        return self.runs if count <= 10_000 else self.runs_large


@dataclass
class Results:
    """Whatever was measured, and the error of each section that failed."""

    seeded: sandbox_bench.Seeded | None = None
    throughput: list[client_bench.Throughput] = field(default_factory=list)
    parsing: list[client_bench.ParseRow] = field(default_factory=list)
    pages: list[sandbox_bench.Timing] = field(default_factory=list)
    page_count: int = 0
    tui: list[tui_section.TuiSize] = field(default_factory=list)
    tui_report: str = ""
    mcp: dict[str, Any] = field(default_factory=dict)
    listing: mcp_section.Listing | None = None
    errors: dict[str, str] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load average, start and end
    others_cpu_share: float = 0.0  # of one core, used by other processes during the walks
    people: list[str] = field(default_factory=list)  # the "People in bulk" section


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def attempt(results: Results, section: str, fn: Callable[[], None]) -> None:
    """Run one section; a failure is recorded (and shown in the report), not raised."""
    clock = Stopwatch()
    try:
        fn()
    except Exception as exc:  # a failed section must not lose the others' figures
        results.errors[section] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    progress(f"{section}: {clock.seconds:.0f} s")


# ------------------------------------------------------------------------------- measuring


def measure(config: Config, only: set[str]) -> Results:
    results = Results(load=[os.getloadavg()[0]])
    with isolated() as tmp:
        db_path = tmp / "bench.sqlite3"
        if only & {"client", "parsing", "sandbox"}:
            attempt(results, "setup", lambda: _served_sections(results, config, only, db_path))
        if "mcp" in only:
            attempt(results, "mcp", lambda: _mcp(results, config, tmp))
    if "tui" in only:
        attempt(results, "tui", lambda: _tui(results, config))
    if "people" in only:
        attempt(
            results, "people", lambda: results.people.extend(people_bench.section(config.quick))
        )
    results.load.append(os.getloadavg()[0])
    return results


def _served_sections(results: Results, config: Config, only: set[str], db_path: Path) -> None:
    """Seed one sandbox file, serve it, and run the sections that use it."""
    progress("seeding…")
    results.seeded = asyncio.run(
        sandbox_bench.seed(db_path, config.identity_sizes, config.acs_sizes)
    )
    with served_sandbox(db_path) as served:
        if "client" in only:
            clock, busy = Stopwatch(), system_busy_s()
            ours, server = time.process_time(), process_cpu_s(served.pid)
            attempt(results, "client", lambda: _client(results, config, served))
            mine = time.process_time() - ours + process_cpu_s(served.pid) - server
            others = system_busy_s() - busy - mine
            results.others_cpu_share = max(0.0, others) / clock.seconds
        if "parsing" in only:
            attempt(results, "parsing", lambda: _parsing(results, config, served))
        if "sandbox" in only:
            attempt(results, "sandbox", lambda: _pages(results, config, served))


def _workloads(seeded: sandbox_bench.Seeded, served: Any) -> list[client_bench.Workload]:
    work = [
        client_bench.Workload("identities", n, served.workspaces[name])
        for n, name in seeded.identity_workspaces.items()
    ]
    key = served.workspaces[seeded.acs_workspace]
    work += [
        client_bench.Workload("ACS users, filtered by system", total, key, system_id)
        for system_id, total in seeded.acs_systems.values()
    ]
    return work


def _client(results: Results, config: Config, served: Any) -> None:
    assert results.seeded is not None
    for work in _workloads(results.seeded, served):
        progress(f"  walking {work.count:,} {work.label}…")
        results.throughput.append(
            asyncio.run(
                client_bench.throughput(served.url, served.pid, work, config.runs_for(work.count))
            )
        )


def _parsing(results: Results, config: Config, served: Any) -> None:
    assert results.seeded is not None
    seeded = results.seeded
    page = {"limit": client_bench.PAGE_SIZE}
    largest = max(seeded.identity_workspaces)
    identities = asyncio.run(
        client_bench.fetch_page(
            served.url,
            served.workspaces[seeded.identity_workspaces[largest]],
            "/user_identities/list",
            page,
        )
    )
    system_id, _ = seeded.acs_systems[max(seeded.acs_systems)]
    acs_users = asyncio.run(
        client_bench.fetch_page(
            served.url,
            served.workspaces[seeded.acs_workspace],
            "/acs/users/list",
            {**page, "acs_system_id": system_id},
        )
    )
    results.parsing = asyncio.run(client_bench.parsing(identities, acs_users, config.parse_repeats))


def _pages(results: Results, config: Config, served: Any) -> None:
    assert results.seeded is not None
    largest = max(results.seeded.identity_workspaces)
    results.page_count = largest
    results.pages = asyncio.run(
        sandbox_bench.page_timings(
            results.seeded.db_path,
            served.url,
            served.workspaces[results.seeded.identity_workspaces[largest]],
            largest,
            config.page_repeats,
        )
    )


def _mcp(results: Results, config: Config, tmp: Path) -> None:
    results.listing = asyncio.run(mcp_section.tools_list())
    results.mcp = mcp_section.mcp_bench(config.mcp_runs, tmp)


def _tui(results: Results, config: Config) -> None:
    results.tui, results.tui_report = tui_section.measure(
        config.tui_sizes, config.searches, config.scroll, config.launches
    )


# ------------------------------------------------------------------------------- reporting


def report(results: Results, config: Config, took_s: float) -> str:
    host = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    kind = "quick run (`--quick`: smaller sizes, fewer runs)" if config.quick else "full run"
    out = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m benchmarks.run`): {kind}, {when}, "
        f"{took_s / 60:.1f} minutes in all. Each run seeds a fresh sandbox in a temporary "
        "directory; where a client needs a server, the sandbox is served on 127.0.0.1 by "
        "`seam-tui sandbox serve` in a separate process (Python, uvicorn with h11, SQLite).",
        "",
        f"**Machine:** {host['cpu']}; {host['os']}; {host['python']}. Load average (1 min) "
        f"at the start and the end of the run: "
        f"{' / '.join(f'{load:.2f}' for load in results.load)}.",
        "",
        f"**Versions:** {host['packages']}.",
        "",
    ]
    out += _summary(results)
    out += _section_client(results, config)
    out += _section_parsing(results, config)
    out += _section_tui(results, config)
    out += _section_sandbox(results, config)
    out += _section_mcp(results)
    out += results.people or _failed(results, "people")
    out += [
        "## Running it",
        "",
        "```sh",
        "make bench                        # the full run, about 5 minutes on 2 cores, "
        "into build/BENCHMARKS.md",
        "make bench UPDATE=1               # the same, replacing this file",
        "make bench BENCH_ARGS=--quick     # smaller sizes and fewer runs, about 1 minute "
        "(build/ only)",
        ".venv/bin/python -m benchmarks.run --only client,parsing --output -   # print only",
        "```",
        "",
        "`benchmarks/client_bench.py` (throughput, parsing), `sandbox_bench.py` (seeding, pages), "
        "`tui_bench.py` (the TUI, also runnable alone), `mcp_bench.py` and `mcp_section.py` (the "
        "MCP server), `run.py` (this report). Figures vary between runs by roughly ±10–20 % on a "
        "shared 2-core machine; the medians and the ratios measured side by side in the same "
        "run are what to compare.",
        "",
    ]
    return "\n".join(out)


def _failed(results: Results, section: str) -> list[str]:
    errors = [results.errors[name] for name in ("setup", section) if name in results.errors]
    return [f"**Not measured: the section failed** (`{error}`)." for error in errors] + (
        [""] if errors else []
    )


def _summary(results: Results) -> list[str]:
    rows = ["## Targets", "", "| Measure | Target | Figure | |", "|---|---|---|---|"]
    for t in results.throughput:
        ratio = t.ratio()
        status = "met, and the 1.5× aim" if ratio >= 1.5 else "met; 1.5× aim missed"
        rows.append(
            f"| 1. Client: {t.workload.count:,} {t.workload.label} | at least the SDK's speed "
            f"(aim 1.5×) | {ratio:.2f}× ({t.rate(client_bench.OURS):,.0f} vs "
            f"{t.rate(client_bench.SDK):,.0f} items/s); {t.ratio(client_bench.FROZEN):.2f}× "
            "on a frozen heap, as the TUI and seam-mcp run it "
            f"| {status if ratio >= 1 else mark(False)} |"
        )
    if results.tui:
        big = results.tui[-1]
        rows.append(
            f"| 3. TUI launch → first rows on screen, {big.count:,} identities | < 1 s "
            f"| {big.painted_s:.2f} s (rows in the table at {big.first_rows_s:.2f} s) "
            f"| {mark(big.painted_s < tui_section.TARGET_FIRST_ROWS_S)} |"
        )
        search_ok = big.search_p95_ms < tui_section.TARGET_SEARCH_MS
        status = mark(True) if search_ok else "median met, p95 **missed**"
        if big.search_median_ms >= tui_section.TARGET_SEARCH_MS:
            status = mark(False)
        rows.append(
            f"| 3. TUI search sent → table updated, {big.count:,} identities | < 150 ms "
            f"| median {big.search_median_ms:.0f} ms, p95 {big.search_p95_ms:.0f} ms | {status} |"
        )
        flat, text = _memory_flat(results.tui)
        rows.append(
            "| 3. TUI memory after scrolling, by workspace size | does not grow with the "
            f"workspace | {text} | {mark(flat)} |"
        )
    if results.listing:
        full = json_size(results.listing.wire)
        view = json_size(mcp_section.model_view(results.listing.wire))
        rows.append(
            f"| 5. MCP tools/list | < 12 KB | {full / 1000:.1f} KB as served; {view / 1000:.1f}"
            f" KB of name + description + input schema | "
            f"{mark(full < mcp_section.TARGET_BYTES)} |"
        )
    if any(mark(False) in row or "missed" in row for row in rows[4:]):
        rows += ["", "Why each miss happens and what would fix it is under its section."]
    return [*rows, ""]


def _memory_flat(sizes: list[tui_section.TuiSize]) -> tuple[bool, str]:
    """RSS after scrolling at each size; flat if the largest is within 10 % of the smallest
    size that scrolled as far (a smaller list ends before the scroll does)."""
    text = ", ".join(
        f"{s.rss_scrolled_mib:.0f} MiB at {s.count:,} ({s.scrolled:,} rows scrolled)" for s in sizes
    )
    full = [s for s in sizes if s.scrolled == sizes[-1].scrolled]
    flat = full[-1].rss_scrolled_mib <= full[0].rss_scrolled_mib * 1.10
    return flat, text


def _section_client(results: Results, config: Config) -> list[str]:
    out = ["## 1. Client throughput", ""]
    out += _failed(results, "client")
    if not results.throughput:
        return out
    ours, sdk, frozen = client_bench.OURS, client_bench.SDK, client_bench.FROZEN
    out += [
        f"The clients walk the same list of the same served sandbox in pages of "
        f"{client_bench.PAGE_SIZE} (`limit={client_bench.PAGE_SIZE}` for every client), each "
        "with its own async paginator: seam-tui's `SeamClient.user_identities.iterate()` / "
        "`acs.users.iterate(acs_system_id=...)`, the SDK's `AsyncSeam.create_paginator("
        "seam.user_identities.list).flatten()` / `(seam.acs.users.list, {acs_system_id})`. "
        f"One warm-up walk each, then {config.runs} walks each of a list of up to 10,000 and "
        f"{config.runs_large} of a longer one, the order rotating; a new client for every walk. "
        "Items/s from the median wall time; the ratio is seam-tui's over the SDK's (above 1: "
        "seam-tui is faster), with the range of the per-run ratios. A third walker, in the same "
        "rotation (items/s and the ratio to the SDK): *frozen heap* is seam-tui's client after "
        "`gc.freeze()`, as the TUI and `seam-mcp` run it (both freeze their start-up heap once "
        "started; the plain seam-tui column is a script that does not). The identities are "
        "workspaces of exactly that many; the ACS users are seeded into two systems of one "
        "workspace (plus the demo users each system already had), so the system filter "
        "leaves the other system's users out.",
        "",
        "| List | Items | seam-tui items/s | seam SDK items/s | seam-tui / SDK (per run) "
        "| frozen heap (TUI, seam-mcp) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in results.throughput:
        pairs = t.pair_ratios()
        out.append(
            f"| {t.workload.label} | {t.workload.count:,} | {t.rate(ours):,.0f} "
            f"| {t.rate(sdk):,.0f} | **{t.ratio():.2f}×** ({min(pairs):.2f}–{max(pairs):.2f}) "
            f"| {t.rate(frozen):,.0f} ({t.ratio(frozen):.2f}×) |"
        )
    out += [
        "",
        "Where the time goes, in µs per item (medians), each cell seam-tui / SDK / frozen heap: "
        "the wall time, the client process's CPU time and the part of it spent in "
        "Python's cyclic garbage collector; then the CPU time of the server process (the same "
        "work whichever client asks; the SDK's walks shown). Other processes on the machine "
        f"used {results.others_cpu_share:.0%} of one core meanwhile.",
        "",
        "| List | wall | client CPU | of which GC | server CPU |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in results.throughput:

        def cells(field: str, t: client_bench.Throughput = t) -> str:
            return " / ".join(f"{t.per_item_us(c, field):.1f}" for c in (ours, sdk, frozen))

        out.append(
            f"| {t.workload.count:,} {t.workload.label} | {cells('wall_s')} "
            f"| {cells('client_cpu_s')} | {cells('gc_s')} "
            f"| {t.per_item_us(sdk, 'server_cpu_s'):.1f} |"
        )
    out += [
        "",
        "How the two differ on the wire and inside: the SDK sends `GET` with the parameters "
        "(and the cursor) in the query string, seam-tui a `POST` with a JSON body (the sandbox "
        "accepts both, as the API does). The SDK wraps its transport in `httpx-retries` "
        "(retries GETs on 429 and 5xx, 2 at most); seam-tui retries reads itself. No faults are "
        "injected, so neither retries here. The SDK decodes the body with `json.loads` and "
        "turns each item into a dataclass by copying the dict's values (`created_at` stays a "
        "string, nothing is checked, the decoded lists are reused); seam-tui parses the body "
        "in one pass into pydantic models (`model_validate_json` of a page model: types "
        "checked, timestamps parsed into `datetime`, unknown fields kept).",
        "",
    ]
    out += _client_analysis(results)
    return out


def _client_analysis(results: Results) -> list[str]:
    ours, sdk = client_bench.OURS, client_bench.SDK
    throughput = results.throughput
    worst = min(throughput, key=lambda t: t.ratio())

    def spread(values: list[float], digits: int = 0) -> str:
        low, high = min(values), max(values)
        text = f"{low:.{digits}f}"
        return text if text == f"{high:.{digits}f}" else f"{text}–{high:.{digits}f}"

    def per_item(client: str, field: str, rows: list[client_bench.Throughput]) -> str:
        return spread([t.per_item_us(client, field) for t in rows], 1)

    def ceiling(t: client_bench.Throughput) -> float:
        return t.per_item_us(sdk, "wall_s") / t.per_item_us(sdk, "server_cpu_s")

    lines = [
        "### What makes the difference, and what limits it",
        "",
        "The SDK requests a page, waits, parses it, and only then asks for the next. "
        "seam-tui's `iterate()` reads the page's cursor first (a tenth of the parse), sends the "
        "request for the next page and waits until it is on the wire, then parses and yields "
        "the page while the server works on the next one: a page costs about max(server, "
        "client) instead of their sum. Each page is parsed in one pass from the bytes "
        "(section 2), arrays are tuples (an empty one costs the garbage collector nothing), "
        "and a client builds no TLS context or generic class that an earlier one already "
        "built. So seam-tui's wall time per item comes down to about the server's CPU time per "
        f"item ({per_item(ours, 'wall_s', throughput)} against "
        f"{per_item(sdk, 'server_cpu_s', throughput)} µs), and that is the ceiling: a client "
        "that overlaps perfectly can be at most the SDK's wall time over the server's CPU time "
        f"faster, {spread([ceiling(t) for t in throughput], 2)}× on these rows.",
        "",
        "The garbage collector: a full collection walks every object the process tracks "
        f"(about {max(t.live_objects for t in throughput):,} here, most of them from imports; "
        f"{min(t.full_gc_ms for t in throughput):.0f}–{max(t.full_gc_ms for t in throughput):.0f}"
        " ms each). The TUI and `seam-mcp` freeze their start-up heap once started, so it is "
        f"walked no more (GC {per_item(ours, 'gc_s', throughput)} → "
        f"{per_item(client_bench.FROZEN, 'gc_s', throughput)} µs per item); a script that "
        "walks large lists can call `gc.freeze()` too.",
        "",
    ]
    short = [t for t in throughput if t.ratio() < 1.5]
    if not short:
        return [*lines, f"Every row meets the 1.5× aim ({worst.ratio():.2f}× at worst).", ""]
    names = "; ".join(f"{t.workload.count:,} {t.workload.label} ({t.ratio():.2f}×)" for t in short)
    handover = spread(
        [t.per_item_us(ours, "wall_s") - t.per_item_us(sdk, "server_cpu_s") for t in short], 1
    )
    lines += [
        f"Under the 1.5× aim: {names}. There seam-tui's wall time per item "
        f"({per_item(ours, 'wall_s', short)} µs) is the server's CPU time "
        f"({per_item(sdk, 'server_cpu_s', short)} µs) plus the hand-over between pages "
        f"({handover} µs per item), which cannot overlap: the next cursor is in the response, "
        "so the server idles while a page travels, is received and its cursor read, and the "
        "next request arrives. The client's own CPU time "
        f"({per_item(ours, 'client_cpu_s', short)} µs) already runs meanwhile. The ceiling "
        f"there is {spread([ceiling(t) for t in short], 2)}×; what would close the rest is a "
        "cheaper server per item (the sandbox's own cost; an ACS user is a three-table join "
        "and a larger object than an identity) and larger pages, which halve the hand-overs "
        "for both clients alike. The first page of each walk is never overlapped. Against "
        "the real API a page's wait is mostly network latency, which the same overlap hides "
        "just as well.",
        "",
    ]
    if results.others_cpu_share >= 0.1:
        lines += [
            f"Other processes used {results.others_cpu_share:.0%} of a core while the clients "
            "walked (this machine is shared and has two cores): the server and the client then "
            "compete with them, and the overlap has less to run on.",
            "",
        ]
    return lines


def _one_pass_figures(results: Results) -> str:
    rows = {row.key: row for row in results.parsing}
    if not {"bytes_today", "one_pass"} <= rows.keys():
        return ""
    return (
        f"a page of 500 at {rows['one_pass'].ours_ms:.2f} ms, against "
        f"{rows['bytes_today'].ours_ms:.2f} ms for `json.loads` then `model_validate` per item "
        f"and {rows['one_pass'].sdk_ms:.2f} ms for the SDK's bytes → objects (all three taking "
        "turns in one loop)"
    )


def _section_parsing(results: Results, config: Config) -> list[str]:
    out = ["## 2. Parsing", ""]
    out += _failed(results, "parsing")
    if not results.parsing:
        return out
    out += [
        f"One page of {client_bench.PAGE_SIZE} items as the sandbox serves it (the same bytes "
        "for both clients), CPU time (`time.process_time`), median of "
        f"{config.parse_repeats} runs each, the clients taking turns. seam-tui's models are "
        "`UserIdentity` / `AcsUser` (pydantic), the SDK's its `UserIdentity.from_dict` / "
        "`AcsUser.from_dict` dataclasses in its `PaginatedList`, as its `list()` builds them. "
        "seam-tui's client parses a list page in one pass (`model_validate_json` of a page "
        "model, the fourth row); the per-item rows show the path it replaced. The whole "
        "`list()` call runs each client on a canned response (`httpx.MockTransport`: no "
        "socket, no server), so it adds building the request and handling the response.",
        "",
        "| Page of 500 | seam-tui | seam SDK | SDK / ours |",
        "|---|---:|---:|---:|",
    ]
    for row in results.parsing:
        out.append(
            f"| {row.label} | {row.ours_ms:.2f} ms | {row.sdk_ms:.2f} ms "
            f"| {row.sdk_ms / row.ours_ms:.2f}× |"
        )
    one_pass = next((row for row in results.parsing if row.key == "one_pass"), None)
    verdict = ""
    if one_pass is not None:
        verdict = (
            ", so the checks cost no more than the SDK's copy"
            if one_pass.ours_ms <= one_pass.sdk_ms
            else f", {one_pass.ours_ms / one_pass.sdk_ms:.2f}× the SDK's copy"
        )
    out += [
        "",
        "seam-tui does more per item than the SDK (types checked, timestamps parsed into "
        "`datetime`, errors and warnings into models), which is what turns a bad response into "
        "a clear error instead of a surprise later. Per item, from decoded dicts, that costs "
        "more than the SDK's copy; in one pass from the bytes (pydantic-core reads the JSON "
        "straight into the same models and never builds the intermediate dicts), "
        + (_one_pass_figures(results) or "it costs less")
        + verdict
        + ".",
        "",
    ]
    return out


def _section_tui(results: Results, config: Config) -> list[str]:
    out = ["## 3. TUI", ""]
    out += _failed(results, "tui")
    if not results.tui:
        return out
    out += [
        "Measured by `benchmarks/tui_bench.py`: the real app (`SeamApp(resolve_workspace())`) "
        "headless at 120×36 on a fresh sandbox seeded with that many identities, each "
        "measurement in a new process. First rows: from spawning the process to the first "
        f"page in the identities table, and to the next frame composed (median of "
        f"{config.launches} launches). Search: from the search being sent (what the debounce "
        f"timer calls) to the table updated, over {config.searches} varied terms. Memory: RSS "
        f"after pressing Down through {config.scroll:,} rows (or to the end of a shorter list).",
        "",
        "| Identities | first rows in the table / on screen | search → table updated, "
        "median / p95 | RSS at first page → after scrolling | rows held after scrolling |",
        "|---:|---:|---:|---:|---:|",
    ]
    for s in results.tui:
        out.append(
            f"| {s.count:,} | {s.first_rows_s:.2f} s / {s.painted_s:.2f} s "
            f"| {s.search_median_ms:.0f} / {s.search_p95_ms:.0f} ms "
            f"| {s.rss_start_mib:.0f} → {s.rss_scrolled_mib:.0f} MiB ({s.scrolled:,} rows) "
            f"| {s.rows_held:,} |"
        )
    out += ["", *_tui_analysis(results.tui), "### Details (from `tui_bench.py`)", ""]
    details = [line for line in results.tui_report.splitlines() if not line.startswith("Machine:")]
    while details and not details[0].strip():
        details.pop(0)
    return [*out, *details, ""]


def _tui_analysis(sizes: list[tui_section.TuiSize]) -> list[str]:
    big = sizes[-1]
    lines = []
    if big.painted_s >= tui_section.TARGET_FIRST_ROWS_S:
        lines.append(
            f"First rows miss 1 s at {big.count:,} identities ({big.painted_s:.2f} s): the "
            "launch breakdown below shows where it goes (mostly interpreter start and imports, "
            "which do not depend on the workspace); importing less before the first frame "
            "(the MCP SDK, phonenumbers, the screens not shown yet) would fix it."
        )
    if big.search_p95_ms >= tui_section.TARGET_SEARCH_MS:
        lines.append(
            f"Search p95 is {big.search_p95_ms:.0f} ms at {big.count:,} identities: the slowest "
            "terms are listed below; compare the service call alone to see whether the time is "
            "the sandbox's search or the table's update."
        )
    flat, _ = _memory_flat(sizes)
    if flat:
        lines.append(
            "Memory does not grow with the workspace: the table holds a bounded window of pages "
            "(“rows held”) and drops the ones scrolled past, so RSS after scrolling is the same "
            "at every size that scrolled as far."
        )
        growth = big.rss_scrolled_mib - big.rss_first_mark_mib
        if growth > 5:
            lines.append(
                f"It still rises by {growth:.0f} MiB between the first mark and the end of the "
                "scroll (see the details) while the rows held stay the same, alike at every "
                "size, so it comes from scrolling itself, not from the workspace; whether "
                f"it levels off beyond {big.scrolled:,} rows is not measured here."
            )
    else:
        lines.append(
            "Memory after scrolling grows with the workspace (see the RSS column): the table "
            "should hold a bounded window of pages and drop the ones scrolled past."
        )
    return [" ".join(lines), ""]


def _section_sandbox(results: Results, config: Config) -> list[str]:
    out = ["## 4. Sandbox", ""]
    out += _failed(results, "sandbox")
    seeded = results.seeded
    if seeded is None:
        return out
    out += [
        "Seeding (bulk inserts in one transaction; identities also fill the trigram search index):",
        "",
        "| Seeded | Time | per second |",
        "|---|---:|---:|",
    ]
    for n, took in seeded.seed_identities_s.items():
        out.append(f"| {n:,} identities (a new workspace) | {took:.2f} s | {n / took:,.0f} |")
    for n, took in seeded.seed_acs_users_s.items():
        out.append(f"| {n:,} ACS users (one system) | {took:.2f} s | {n / took:,.0f} |")
    if results.pages:
        out += [
            "",
            f"A page of identities from the workspace of {results.page_count:,}: in-process "
            "(ASGI transport: the sandbox alone) and over loopback HTTP (uvicorn, what a client "
            f"waits for; body read, not decoded). {config.page_repeats} requests each after a "
            "warm-up; the search terms run from one letter and common names to exact emails, "
            "phone fragments, id prefixes and a term that matches nobody.",
            "",
            "| Request | in-process, median / p95 | loopback, median / p95 "
            "| slowest search terms (in-process median) |",
            "|---|---:|---:|---|",
        ]
        for timing in results.pages:
            slowest = ", ".join(f"“{term}” {ms:.1f} ms" for term, ms in timing.slowest())
            out.append(
                f"| {timing.label} | {sandbox_bench.summary(timing.inproc_ms)} "
                f"| {sandbox_bench.summary(timing.loopback_ms)} | {slowest} |"
            )
        out += _search_analysis(results.pages)
    return [*out, ""]


def _search_analysis(pages: list[sandbox_bench.Timing]) -> list[str]:
    """How the sandbox answers a search, and whether every term stays within 10 ms."""
    searched = [t for t in pages if t.by_term]
    if not searched:
        return []
    by_term = searched[0].by_term
    slow = sorted((ms, term) for term, ms in by_term.items() if ms > 10)
    verdict = (
        f"Every term's median is within 10 ms (at most {max(by_term.values()):.1f} ms)."
        if not slow
        else "Over 10 ms: " + ", ".join(f"“{term}” {ms:.1f} ms" for ms, term in slow) + "."
    )
    return [
        "",
        "How a search is answered (`seam_tui/sandbox/search.py`): a term of 3 characters or "
        "more that few rows contain comes from the trigram index and only those rows are "
        "sorted; a term that many rows contain (or one of 1–2 characters) walks the list "
        "order and fills the page from the first rows that match; a long term (a whole email, "
        "phone or id) is looked up by a few of its rarest trigrams, and the candidates are "
        f"checked for the whole term. {verdict}",
    ]


def _section_mcp(results: Results) -> list[str]:
    out = ["## 5. MCP server", ""]
    out += _failed(results, "mcp")
    f = results.mcp
    if f:
        raw, lean = f["raw_bytes_per_identity"], f["tool_bytes_per_identity"]
        out += [
            f"From `benchmarks/mcp_bench.py` (a fresh demo sandbox in-process; times are medians "
            f"of {f['runs']} calls of `search_user_identities` for a page of {f['page']}):",
            "",
            "| Measure | Figure |",
            "|---|---:|",
            f"| tools/list result, {f['tools']} tools (as `seam-mcp` serves it) "
            f"| {f['tools_list_bytes']:,} B, {tokens(f['tools_list_bytes'])} |",
            f"| what the model reads of it (name, description, input schema) "
            f"| {f['model_view_bytes']:,} B, {tokens(f['model_view_bytes'])} |",
            f"| Anthropic / OpenAI tool definitions | {f['anthropic_bytes']:,} B / "
            f"{f['openai_bytes']:,} B |",
            f"| one identity in a search result vs the raw API JSON | {lean:.0f} B vs {raw:.0f} B "
            f"({1 - lean / raw:.0%} smaller) |",
            f"| a page of {f['page']} identities, the text the model reads "
            f"| {f['result_text_bytes']:,} B, {tokens(f['result_text_bytes'])} |",
            f"| direct `SeamService.search_identities` call | {f['direct_ms']:.2f} ms |",
            f"| the same through an in-memory MCP `tools/call` | {f['mcp_ms']:.2f} ms "
            f"(+{f['mcp_ms'] - f['direct_ms']:.2f} ms) |",
            f"| the same through the chat `call_tool` | {f['chat_ms']:.2f} ms "
            f"(+{f['chat_ms'] - f['direct_ms']:.2f} ms) |",
        ]
        if "person_text_bytes" in f:
            counts = ", ".join(f"{n} {part}" for part, n in f["person_counts"].items())
            out.append(
                f"| `get_user_identity` of the seeded {f['person']} ({counts}), the text the "
                f"model reads | {f['person_text_bytes']:,} B, {tokens(f['person_text_bytes'])} |"
            )
        out.append("")
    if results.listing:
        out += _tools_list_analysis(results.listing)
    return out


def _tools_list_analysis(listing: mcp_section.Listing) -> list[str]:
    wire = listing.wire
    rows = mcp_section.breakdown(wire)
    total = json_size(wire)
    parts = mcp_section.PARTS
    sums = {part: sum(int(r[part]) for r in rows) for part in parts}
    tools_bytes = sum(int(r["total"]) for r in rows)
    keys = tools_bytes - sum(sums.values())
    out = [
        "### Where the bytes of tools/list go",
        "",
        f"{total:,} B in all: {tools_bytes:,} B of tools and {total - tools_bytes:,} B of "
        "envelope. Per tool, each part as compact JSON (the keys and separators, "
        f"{keys:,} B in all, are left out of the parts):",
        "",
        "| Tool | description | input schema | annotations | name + title | total |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: -int(r["total"])):
        out.append(
            f"| `{r['tool']}` | {r['description']:,} | {r['inputSchema']:,} "
            f"| {r['annotations']:,} | {int(r['name']) + int(r['title']):,} | {r['total']:,} |"
        )
    share = {part: sums[part] / total for part in parts}
    out += [
        f"| **all {len(rows)}** | **{sums['description']:,}** ({share['description']:.0%}) "
        f"| **{sums['inputSchema']:,}** ({share['inputSchema']:.0%}) "
        f"| **{sums['annotations']:,}** ({share['annotations']:.0%}) "
        f"| **{sums['name'] + sums['title']:,}** | **{tools_bytes:,}** |",
        "",
        "How it stays under 12 KB (it was 31.1 KB before these changes): each tool's "
        "`outputSchema` is listed only on request (`seam-mcp --output-schemas`: "
        f"{listing.output_schemas_bytes:,} B; results are structured content either way, and "
        "each description's “Returns …” sentence says what comes back); the hints are given "
        "only where they differ from MCP's defaults, without a copy of the title; and what "
        "many tools share (`workspace`, `dry_run`, `cursor`, naming an ACS user by "
        "user_identity_id + acs_system_id) is said once, in the server's instructions "
        f"({listing.instructions_bytes:,} B, sent once at initialize; chat agents put the "
        "same text, `agent_tools.instructions()`, in their system prompt), not in every "
        f"schema. `seam-mcp --read-only` lists {listing.read_only_tools} tools in "
        f"{listing.read_only_bytes:,} B, and `--tools` picks exactly the ones an assistant needs.",
        "",
        "How the access powers (issue 12) fit: what a person can open (each entrance and device "
        "with `opens_now` and its paths, credentials, instant keys) is part of "
        "`get_user_identity`, the person the model reads anyway; `list_acs_systems` with an "
        "`acs_system_id` lists that system's access groups with members and entrances; "
        "`update_acs_user` takes `is_suspended` (was `set_acs_user_suspended`) and "
        "`add_access_group_ids` / `remove_access_group_ids`; `link_acs_user` takes `unlink` "
        "(was `unlink_acs_user`); only `search_devices`, `set_device_access` (grant or revoke) "
        "and `generate_instant_key` are new tools.",
        "",
    ]
    return out


# ------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--output", default=str(BUILD_OUTPUT), help="markdown file (build/...); - to print"
    )
    where.add_argument(
        "--update",
        action="store_true",
        help=f"replace the tracked {TRACKED.name} (a full run of every section only)",
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated, from {','.join(SECTIONS)}"
    )
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    if args.update and (args.quick or only != set(SECTIONS)):
        parser.error(
            f"--update replaces {TRACKED.name}, so it needs the full run of every section: "
            "drop --quick and --only (a quick or partial run goes to build/)"
        )
    output = str(TRACKED) if args.update else args.output
    config = Config.make(args.quick)
    clock = Stopwatch()
    results = measure(config, only)
    markdown = report(results, config, clock.seconds)
    print(markdown)
    if output != "-":
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(markdown)
        progress(f"wrote {output}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
