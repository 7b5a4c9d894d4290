"""Load: 50 concurrent clients against the served sandbox on 127.0.0.1, for 5 s in CI and
30 s with SEAM_TUI_RELIABILITY_FULL=1.

Each client is its own `SeamClient` (its own connection pool) in one asyncio loop, sending
requests back to back: 70% reads of four kinds, 20% creates, 10% updates of its own identities.
Retries are off, so every failure counts as an error. Asserted: no errors, and every created
identity is in the database afterwards. Reported, never asserted: requests, throughput and the
latency percentiles, as measured by the clients (which share one Python process with each
other, and the machine with the server).
"""

from __future__ import annotations

import asyncio
import random
import socket
import sqlite3
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from seam_tui.core import RetryPolicy, SeamClient, SeamError
from seam_tui.sandbox.serve import bind
from tests.reliability.conftest import FULL, ServedSandbox, record

CLIENTS = 50
SECONDS = 30.0 if FULL else 5.0
NO_RETRY = RetryPolicy(max_retries=0)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


async def client(url: str, key: str, n: int, deadline: float, stats: Stats) -> None:
    rng = random.Random(n)
    mine: list[str] = []
    async with SeamClient(api_key=key, endpoint=url, retry=NO_RETRY, timeout=30) as seam:
        count = 0
        while time.monotonic() < deadline:
            roll = rng.random()
            started = time.monotonic()
            try:
                if roll < 0.2:
                    kind = "create"
                    identity = await seam.user_identities.create(full_name=f"Load {n}-{count}")
                    mine.append(identity.user_identity_id)
                    stats.created.append(identity.user_identity_id)
                elif roll < 0.3 and mine:
                    kind = "update"
                    await seam.user_identities.update(
                        user_identity_id=rng.choice(mine), full_name=f"Load {n}-{count} (renamed)"
                    )
                elif roll < 0.5:
                    kind = "search"
                    await seam.user_identities.list(limit=20, search=rng.choice("aeiou"))
                elif roll < 0.7:
                    kind = "list"
                    await seam.acs.users.list(limit=20)
                elif roll < 0.85 and mine:
                    kind = "get"
                    await seam.user_identities.get(user_identity_id=rng.choice(mine))
                else:
                    kind = "systems"
                    await seam.acs.systems.list()
            except SeamError as exc:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            finally:
                count += 1
            stats.add(kind, time.monotonic() - started)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def test_fifty_concurrent_clients(tmp_path: Path) -> None:
    db = tmp_path / "load.sqlite3"
    stats = Stats()
    with ServedSandbox(db) as served:
        assert served.url.startswith("http://127.0.0.1:")
        deadline = time.monotonic() + SECONDS
        started = time.monotonic()
        await asyncio.wait_for(
            asyncio.gather(
                *(client(served.url, served.api_key, n, deadline, stats) for n in range(CLIENTS))
            ),
            timeout=SECONDS + 60,
        )
        took = time.monotonic() - started
    assert not stats.errors, stats.errors[:5]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = {row[0] for row in conn.execute("SELECT user_identity_id FROM user_identities")}
    finally:
        conn.close()
    assert set(stats.created) <= ids  # every acknowledged create is there
    everything = [s for values in stats.latencies.values() for s in values]
    assert everything
    record(
        "load: 50 concurrent clients on loopback",
        clients=CLIENTS,
        seconds=round(took, 1),
        requests=len(everything),
        errors=len(stats.errors),
        requests_per_s=round(len(everything) / took),
        creates=len(stats.created),
        creates_lost=len(set(stats.created) - ids),
        p50_ms=ms(statistics.median(everything)),
        p95_ms=ms(percentile(everything, 95)),
        p99_ms=ms(percentile(everything, 99)),
        max_ms=ms(max(everything)),
        p99_by_kind_ms={k: ms(percentile(v, 99)) for k, v in sorted(stats.latencies.items())},
    )


async def test_served_sockets_answer_without_nagle_delay() -> None:
    """Found by this suite: the served sandbox created its socket with protocol 0, so asyncio
    left Nagle on for every connection, and each answer waited ~40 ms for a delayed ACK (a
    request took 45 ms on loopback instead of 3). Checked on the server's side of a real
    connection, not by timing."""
    sock = bind("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_side = writer.get_extra_info("socket")
        accepted.set_result(server_side.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=sock)
    try:
        host, port = sock.getsockname()[:2]
        _, writer = await asyncio.open_connection(host, port)
        assert await asyncio.wait_for(accepted, 10) == 1
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
