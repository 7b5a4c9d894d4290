"""The sandbox: seeding the benchmark data, and the time to answer a page of 100 identities with
and without a search, in-process (the sandbox alone) and over loopback HTTP (what a client
sees, body read but not decoded)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import Stopwatch, median, p95
from seam_tui.core import SeamClient
from seam_tui.sandbox import Sandbox

PAGE = 100
DEEP_AFTER = 50_000  # rows skipped (by cursor) for the deep page


@dataclass
class Seeded:
    """The benchmark data in one sandbox file: what was seeded where, and how long it took."""

    db_path: Path
    identity_workspaces: dict[int, str] = field(default_factory=dict)  # size -> name
    acs_systems: dict[int, tuple[str, int]] = field(default_factory=dict)  # size -> (id, total)
    acs_workspace: str = ""
    seed_identities_s: dict[int, float] = field(default_factory=dict)
    seed_acs_users_s: dict[int, float] = field(default_factory=dict)


async def seed(db_path: Path, identity_sizes: list[int], acs_sizes: list[int]) -> Seeded:
    """A demo sandbox plus, per size, a new workspace with exactly that many identities, and
    that many ACS users added to one system each of the first demo workspace (whose other
    systems keep their own users, so the system filter has work to do)."""
    seeded = Seeded(db_path)
    sandbox = Sandbox(db_path)
    try:
        for n in identity_sizes:
            workspace = sandbox.create_workspace(f"Bench {n:,} identities")
            clock = Stopwatch()
            sandbox.seed_identities(workspace.workspace_id, n)
            seeded.seed_identities_s[n] = clock.seconds
            seeded.identity_workspaces[n] = workspace.name
        acme = sandbox.workspaces()[0]
        seeded.acs_workspace = acme.name
        async with SeamClient(
            api_key=acme.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
        ) as seam:
            systems = await seam.acs.systems.list()
            if len(systems) < len(acs_sizes):
                raise RuntimeError("the demo workspace has too few ACS systems")
            for n, system in zip(acs_sizes, systems, strict=False):
                clock = Stopwatch()
                sandbox.seed_acs_users(acme.workspace_id, system.acs_system_id, n)
                seeded.seed_acs_users_s[n] = clock.seconds
            counts = {s.acs_system_id: s.acs_user_count for s in await seam.acs.systems.list()}
        for n, system in zip(acs_sizes, systems, strict=False):
            seeded.acs_systems[n] = (system.acs_system_id, int(counts[system.acs_system_id] or 0))
    finally:
        sandbox.close()
    return seeded


# --------------------------------------------------------------------------- page timings


@dataclass(frozen=True)
class Timing:
    """Milliseconds per request for one kind of page, in-process and over loopback."""

    label: str
    inproc_ms: list[float]
    loopback_ms: list[float]
    by_term: dict[str, float] = field(default_factory=dict)  # in-process median per term

    def slowest(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.by_term.items(), key=lambda item: -item[1])[:n]


def search_terms(items: list[dict[str, Any]]) -> list[str]:
    """Common, short, whole-name and missing terms, plus exact ones taken from real rows."""
    terms = ["a", "jo", "alex", "baker", "example.net", "alex baker", "qqqq", "reyes.", "+1"]
    for item in items[:: max(1, len(items) // 3)][:3]:
        terms += [item["email_address"], item["phone_number"][-7:], item["user_identity_id"][:8]]
    return terms


async def _timed(http: httpx.AsyncClient, body: dict[str, Any], key: str) -> float:
    started = time.perf_counter()
    response = await http.post(
        "/user_identities/list", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


async def _deep_cursor(http: httpx.AsyncClient, key: str, after: int) -> str:
    """The cursor of the page that starts after `after` rows (walked in pages of PAGE)."""
    cursor = None
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(after // PAGE):
        body: dict[str, Any] = {"limit": PAGE}
        if cursor:
            body["page_cursor"] = cursor
        page = (await http.post("/user_identities/list", json=body, headers=headers)).json()
        cursor = page["pagination"]["next_page_cursor"]
    assert cursor is not None
    return str(cursor)


async def page_timings(
    db_path: Path, url: str, api_key: str, count: int, repeats: int
) -> list[Timing]:
    """A page of 100: the first, one deep in the list (by cursor), and searches; `repeats`
    requests of each (each search term `repeats // 10` times, at least 3)."""
    sandbox = Sandbox(db_path)
    inproc = httpx.AsyncClient(transport=sandbox.transport(), base_url=sandbox.base_url)
    loopback = httpx.AsyncClient(base_url=url)
    clients = {"inproc": inproc, "loopback": loopback}
    try:
        first = (
            await inproc.post(
                "/user_identities/list",
                json={"limit": PAGE},
                headers={"Authorization": f"Bearer {api_key}"},
            )
        ).json()
        deep_after = min(DEEP_AFTER, max(PAGE, (count // 2) // PAGE * PAGE))
        cursor = await _deep_cursor(inproc, api_key, deep_after)
        terms = search_terms(first["user_identities"])

        async def measure(bodies: list[dict[str, Any]]) -> dict[str, list[float]]:
            times: dict[str, list[float]] = {name: [] for name in clients}
            for name, http in clients.items():
                for body in bodies[:3]:  # warm-up
                    await _timed(http, body, api_key)
                for body in bodies:
                    times[name].append(await _timed(http, body, api_key))
            return times

        plain = await measure([{"limit": PAGE}] * repeats)
        deep = await measure([{"limit": PAGE, "page_cursor": cursor}] * repeats)
        per_term = max(3, repeats // 10)
        bodies = [{"limit": PAGE, "search": term} for term in terms for _ in range(per_term)]
        searched = await measure(bodies)
    finally:
        await inproc.aclose()
        await loopback.aclose()
        sandbox.close()

    by_term = {
        term: median(searched["inproc"][i * per_term : (i + 1) * per_term])
        for i, term in enumerate(terms)
    }
    return [
        Timing(f"first page of {PAGE}, no search", plain["inproc"], plain["loopback"]),
        Timing(
            f"page of {PAGE} after {deep_after:,} rows (cursor), no search",
            deep["inproc"],
            deep["loopback"],
        ),
        Timing(
            f"first page of {PAGE} with a search ({len(terms)} terms × {per_term})",
            searched["inproc"],
            searched["loopback"],
            by_term,
        ),
    ]


def summary(values: list[float]) -> str:
    """`median / p95 ms`."""
    return f"{median(values):.1f} / {p95(values):.1f} ms"
