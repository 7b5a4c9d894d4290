"""The client against the sandbox served on loopback by `seam-tui sandbox serve`: real sockets."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from seam_tui.core import RetryPolicy, SeamClient
from tests.contract.scenarios import SCENARIOS


@contextmanager
def serve(db: Path, *options: str) -> Iterator[dict[str, Any]]:
    """Run `seam-tui sandbox serve` on a free port; yield its start-up JSON line; SIGTERM it."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "seam_tui.cli",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            *list(options),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    try:
        yield json.loads(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with serve(tmp_path / "served.sqlite3") as info:
        yield info


async def test_scenarios_over_loopback(served: dict[str, Any]) -> None:
    assert served["url"].startswith("http://127.0.0.1:")
    key = served["workspaces"][0]["api_key"]
    async with SeamClient(api_key=key, endpoint=served["url"]) as seam:
        for scenario in SCENARIOS:
            await scenario(seam)
        page = await seam.user_identities.list(limit=3)
        assert len(page.items) == 3


async def test_reads_retry_over_a_real_dropped_connection(tmp_path: Path) -> None:
    """A drop over a socket looks like a broken connection; reads recover from it."""
    with serve(
        tmp_path / "faulty.sqlite3",
        "--fault-rate",
        "0.5",
        "--fault-kinds",
        "drop,500",
        "--fault-seed",
        "3",
    ) as info:
        async with SeamClient(
            api_key=info["workspaces"][0]["api_key"],
            endpoint=info["url"],
            retry=RetryPolicy(max_retries=12, backoff_factor=0.001),
        ) as seam:
            for _ in range(10):
                assert (await seam.workspaces.get()).name


async def test_iterate_prefetches_over_a_socket(served: dict[str, Any]) -> None:
    """A page request reports when its body is on the wire, and a prefetching walk over real
    sockets yields every identity once, in the order of the pages."""
    key = served["workspaces"][0]["api_key"]
    async with SeamClient(api_key=key, endpoint=served["url"]) as seam:
        sent = asyncio.Event()
        raw = await seam.request_content("/user_identities/list", {"limit": 2}, sent=sent)
        assert sent.is_set()
        assert json.loads(raw)["user_identities"]
        paged: list[str] = []
        cursor: str | None = None
        while True:
            page = await seam.user_identities.list(limit=3, page_cursor=cursor)
            paged += [i.user_identity_id for i in page.items]
            if not page.has_next_page:
                break
            cursor = page.next_page_cursor
        walked = [i.user_identity_id async for i in seam.user_identities.iterate(limit=3)]
        assert len(paged) > 6
        assert walked == paged
