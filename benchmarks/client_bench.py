"""Client throughput (seam-tui's `SeamClient` against the official `seam` SDK, over loopback)
and the CPU time to parse one page into each one's models.

Throughput: the clients walk the same list of the same served sandbox, with the same page
size, each through its own async paginator (`SeamClient...iterate()`; the SDK's
`AsyncSeam.create_paginator(...).flatten()`). One warm-up walk each, then `runs` walks each,
the order rotating; each walk has a new client (and connection pool). The client's CPU time
(`time.process_time`), the part of it spent in the cyclic garbage collector (`gc.callbacks`)
and the server process's CPU time (from /proc) are recorded with the wall time.

A third walker, `frozen`, is seam-tui's client after `gc.freeze()`, as the TUI and seam-mcp
run it (the collector stops re-walking the start-up heap).
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, Field
from seam.pagination import PaginatedList
from seam.resources.acs_user import AcsUser as SdkAcsUser
from seam.resources.user_identity import UserIdentity as SdkUserIdentity
from seam.seam import AsyncSeam

from benchmarks.common import median, process_cpu_s
from seam_tui.core import AcsUser, Pagination, SeamClient, UserIdentity

PAGE_SIZE = 500  # for every client; the sandbox's default page (its maximum is 1,000)
OURS, SDK, FROZEN = "seam-tui", "seam SDK", "seam-tui, frozen heap"


@dataclass(frozen=True)
class Workload:
    """One list to walk: identities of a workspace, or ACS users filtered by one system."""

    label: str
    count: int
    api_key: str
    acs_system_id: str | None = None


@dataclass(frozen=True)
class Walk:
    """One walk of a list by one client."""

    items: int
    wall_s: float
    client_cpu_s: float
    gc_s: float
    server_cpu_s: float


@dataclass(frozen=True)
class Throughput:
    """Every measured walk of one workload, per client."""

    workload: Workload
    walks: dict[str, list[Walk]]
    live_objects: int  # objects the garbage collector tracks in this process, before a walk
    full_gc_ms: float  # what one full collection of them costs

    def rate(self, client: str) -> float:
        """Items per second, from the median wall time."""
        walks = self.walks[client]
        return walks[0].items / median([w.wall_s for w in walks])

    def per_item_us(self, client: str, field: str) -> float:
        """Median microseconds per item of one `Walk` field (`wall_s`, `client_cpu_s`, ...)."""
        walks = self.walks[client]
        return median([getattr(w, field) for w in walks]) / walks[0].items * 1e6

    def ratio(self, client: str = OURS) -> float:
        """How many times faster than the SDK `client` is (above 1: faster)."""
        return self.rate(client) / self.rate(SDK)

    def pair_ratios(self, client: str = OURS) -> list[float]:
        """The ratio of each run, where both walked one after the other."""
        return [
            sdk.wall_s / ours.wall_s
            for ours, sdk in zip(self.walks[client], self.walks[SDK], strict=True)
        ]


class GcTimer:
    """Wall time spent in the cyclic garbage collector while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


# ------------------------------------------------------------------------------ throughput


async def _count(items: AsyncIterator[Any]) -> int:
    n = 0
    async for _ in items:
        n += 1
    return n


async def _walk_ours(url: str, work: Workload) -> tuple[int, float, float]:
    async with SeamClient(api_key=work.api_key, endpoint=url) as seam:
        wall, cpu = time.perf_counter(), time.process_time()
        if work.acs_system_id is None:
            n = await _count(seam.user_identities.iterate(limit=PAGE_SIZE))
        else:
            items = seam.acs.users.iterate(acs_system_id=work.acs_system_id, limit=PAGE_SIZE)
            n = await _count(items)
        return n, time.perf_counter() - wall, time.process_time() - cpu


async def _walk_sdk(url: str, work: Workload) -> tuple[int, float, float]:
    async with AsyncSeam(api_key=work.api_key, endpoint=url) as seam:
        wall, cpu = time.perf_counter(), time.process_time()
        if work.acs_system_id is None:
            pages = seam.create_paginator(seam.user_identities.list, {"limit": PAGE_SIZE})
        else:
            params = {"acs_system_id": work.acs_system_id, "limit": PAGE_SIZE}
            pages = seam.create_paginator(seam.acs.users.list, params)
        n = await _count(pages.flatten())
        return n, time.perf_counter() - wall, time.process_time() - cpu


class IdentityPage(BaseModel):
    """A whole identities list response as one model, as the client parses a page."""

    user_identities: list[UserIdentity]
    pagination: Pagination = Field(default_factory=Pagination)


async def _walk_frozen(url: str, work: Workload) -> tuple[int, float, float]:
    """seam-tui's client after `gc.freeze()`, as the TUI and seam-mcp call it once started."""
    gc.freeze()
    try:
        return await _walk_ours(url, work)
    finally:
        gc.unfreeze()


WALKERS: dict[str, Callable[[str, Workload], Awaitable[tuple[int, float, float]]]] = {
    OURS: _walk_ours,
    SDK: _walk_sdk,
    FROZEN: _walk_frozen,
}


async def _walk(client: str, url: str, server_pid: int, work: Workload) -> Walk:
    gc.collect()
    timer = GcTimer()
    server = process_cpu_s(server_pid)
    gc.callbacks.append(timer)
    try:
        n, wall_s, cpu_s = await WALKERS[client](url, work)
    finally:
        gc.callbacks.remove(timer)
    if n != work.count:
        raise RuntimeError(f"{client} walked {n} {work.label}, expected {work.count}")
    return Walk(n, wall_s, cpu_s, timer.seconds, process_cpu_s(server_pid) - server)


async def throughput(url: str, server_pid: int, work: Workload, runs: int) -> Throughput:
    """A warm-up walk per client, then `runs` each, the order rotating from run to run."""
    clients = list(WALKERS)
    for client in clients:
        await _walk(client, url, server_pid, work)
    gc.collect()
    live = len(gc.get_objects())
    full_gc_ms = median([_cpu_ms(gc.collect) for _ in range(3)])
    walks: dict[str, list[Walk]] = {client: [] for client in clients}
    for run in range(runs):
        for client in clients[run % len(clients) :] + clients[: run % len(clients)]:
            walks[client].append(await _walk(client, url, server_pid, work))
    return Throughput(work, walks, live, full_gc_ms)


# --------------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class ParseRow:
    """CPU milliseconds (median) for one page, per client."""

    key: str  # decode, models, bytes_today, one_pass, call, acs_models, acs_call
    label: str
    ours_ms: float
    sdk_ms: float


def _cpu_ms(fn: Callable[[], object]) -> float:
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


async def _cpu_ms_async(fn: Callable[[], Awaitable[object]]) -> float:
    started = time.process_time()
    await fn()
    return (time.process_time() - started) * 1000


def _alternate(*fns: Callable[[], object], repeats: int) -> list[float]:
    """Median CPU ms of each, run in turn (after a few warm-up calls) so that whatever else the
    machine does at the time weighs on each alike."""
    for _ in range(5):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for index, fn in enumerate(fns):
            times[index].append(_cpu_ms(fn))
    return [median(t) for t in times]


def _canned(raw: bytes) -> httpx.MockTransport:
    """A transport that answers every request with `raw` (no socket, no server)."""
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda _: httpx.Response(200, content=raw, headers=headers))


async def _whole_call(raw: bytes, acs: bool, repeats: int) -> list[float]:
    """CPU ms of a whole `list(limit=500)` call of each client on the canned response."""
    ours = SeamClient(api_key="seam_test_bench", endpoint="http://canned", transport=_canned(raw))
    sdk = AsyncSeam(
        api_key="seam_test_bench",
        endpoint="http://canned",
        httpx_options={"transport": _canned(raw)},
    )
    calls: list[Callable[[], Awaitable[object]]]
    if acs:
        calls = [
            lambda: ours.acs.users.list(acs_system_id="x", limit=PAGE_SIZE),
            lambda: sdk.acs.users.list(acs_system_id="x", limit=PAGE_SIZE),
        ]
    else:
        calls = [
            lambda: ours.user_identities.list(limit=PAGE_SIZE),
            lambda: sdk.user_identities.list(limit=PAGE_SIZE),
        ]
    try:
        for _ in range(5):
            for call in calls:
                await call()
        times: list[list[float]] = [[], []]
        for _ in range(repeats):
            for index, call in enumerate(calls):
                times[index].append(await _cpu_ms_async(call))
    finally:
        await ours.aclose()
        await sdk.close()
    return [median(times[0]), median(times[1])]


async def parsing(identities_raw: bytes, acs_users_raw: bytes, repeats: int) -> list[ParseRow]:
    """CPU time for one page of 500 identities (and of 500 ACS users) into each one's models."""
    rows: list[ParseRow] = []
    decoded = json.loads(identities_raw)
    items = decoded["user_identities"]

    def sdk_page() -> object:
        data = json.loads(identities_raw)
        return PaginatedList(
            [SdkUserIdentity.from_dict(item) for item in data["user_identities"]],
            pagination=data.get("pagination"),
        )

    decode = _alternate(
        lambda: json.loads(identities_raw), lambda: json.loads(identities_raw), repeats=repeats
    )
    rows.append(
        ParseRow("decode", "identities: JSON bytes → dicts (`json.loads`, both clients)", *decode)
    )
    models = _alternate(
        lambda: [UserIdentity.model_validate(item) for item in items],
        lambda: PaginatedList(
            [SdkUserIdentity.from_dict(item) for item in items],
            pagination=decoded.get("pagination"),
        ),
        repeats=repeats,
    )
    rows.append(ParseRow("models", "identities: dicts → models", *models))
    today, one_pass, sdk = _alternate(
        lambda: [
            UserIdentity.model_validate(item)
            for item in json.loads(identities_raw)["user_identities"]
        ],
        lambda: IdentityPage.model_validate_json(identities_raw),
        sdk_page,
        repeats=repeats,
    )
    rows.append(
        ParseRow(
            "bytes_today",
            "identities: bytes → models per item (`json.loads`, then `model_validate` each)",
            today,
            sdk,
        )
    )
    rows.append(
        ParseRow(
            "one_pass",
            "identities: bytes → models in one pass (`model_validate_json` of a page model, "
            "as the client parses list pages)",
            one_pass,
            sdk,
        )
    )
    rows.append(
        ParseRow(
            "call",
            "identities: whole `list()` call on the canned response",
            *await _whole_call(identities_raw, acs=False, repeats=repeats),
        )
    )
    acs_decoded = json.loads(acs_users_raw)
    acs_models = _alternate(
        lambda: [AcsUser.model_validate(item) for item in acs_decoded["acs_users"]],
        lambda: PaginatedList(
            [SdkAcsUser.from_dict(item) for item in acs_decoded["acs_users"]],
            pagination=acs_decoded.get("pagination"),
        ),
        repeats=repeats,
    )
    rows.append(ParseRow("acs_models", "ACS users: dicts → models", *acs_models))
    rows.append(
        ParseRow(
            "acs_call",
            "ACS users: whole `list()` call on the canned response",
            *await _whole_call(acs_users_raw, acs=True, repeats=repeats),
        )
    )
    return rows


async def fetch_page(url: str, api_key: str, path: str, params: dict[str, Any]) -> bytes:
    """The raw body of one list page, as the sandbox serves it."""
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post(
            path, json=params, headers={"Authorization": f"Bearer {api_key}"}
        )
        response.raise_for_status()
        return response.content
