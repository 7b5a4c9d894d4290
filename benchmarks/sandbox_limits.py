"""The served sandbox against greedy and slow clients: the figures RELIABILITY.md quotes in
"The sandbox against greedy and slow clients".

    .venv/bin/python benchmarks/sandbox_limits.py [SOURCE_TREE]

`SOURCE_TREE` is the checkout whose `seam_tui` is served (default: this repository). To measure
an older version, export it and point the script at it, e.g.

    mkdir /tmp/before && git archive deb23aa | tar -x -C /tmp/before
    .venv/bin/python benchmarks/sandbox_limits.py /tmp/before

`seam_tui.sandbox serve --port 0` runs from that tree (it is first on `PYTHONPATH`; the line
"served from" says which `seam_tui` the child imported) with this venv's Python and packages,
on 127.0.0.1, on a fresh database. Then:

1. 5 posts of a 50,000,000-character `full_name` to `/user_identities/create`, one after the
   other, while a second client lists 10 identities back to back (its latencies are reported);
   the server's peak memory (VmHWM) before and after, and the size of a list of 100 identities
   afterwards (what a stored 50 MB name costs every reader);
2. a search containing NUL;
3. 50 connections that send a head and 7 bytes of a 100-byte body, and 50 that send half a
   head, all left open; then a third client sends 20 lists; then each of the 100 is waited on
   (up to 60 s) for what the server does with it. Times are from the end of the 20 lists (as
   in RELIABILITY.md), and in brackets from when the connection was sent its bytes.

Everything lives in a temporary directory (database, server log, data and config dirs; every
`SEAM_*` variable is dropped for the child); the server is stopped (SIGTERM, then SIGKILL after
10 s) and every socket closed whatever happens. About 20 s on 2 CPUs for the current tree;
about 2 minutes for one without the limits (slow 50 MB posts, and 60 s waits on open sockets).
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
HUGE_NAME_CHARS = 50_000_000
HUGE_POSTS = 5
STALLED_BODIES = 50
STALLED_HEADS = 50
OTHER_REQUESTS = 20
WAIT_FOR_CLOSE_S = 60.0
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
CLIENT_TIMEOUT_S = 120.0


# --------------------------------------------------------------------------- served sandbox


@dataclass(frozen=True)
class Server:
    """A sandbox served on loopback by a child process."""

    url: str
    api_key: str
    pid: int
    seam_tui_file: str  # which seam_tui/__init__.py the child imports

    @property
    def host_port(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        if parts.hostname is None or parts.port is None:
            raise RuntimeError(f"no host and port in {self.url!r}")
        return parts.hostname, parts.port

    def peak_rss_mb(self) -> int:
        """The child's peak resident memory so far (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
        raise RuntimeError("no VmHWM in /proc/<pid>/status")


def _child_env(tree: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAM_")}
    env["SEAM_TUI_DATA_DIR"] = str(tmp / "data")
    env["SEAM_TUI_CONFIG_DIR"] = str(tmp / "config")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    return env


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


@contextmanager
def served(tree: Path, tmp: Path) -> Iterator[Server]:
    """`python -m seam_tui.sandbox serve --port 0` from `tree` on a new database in `tmp`,
    stopped on exit whatever happens; its stderr goes to `tmp/serve.log`."""
    env = _child_env(tree, tmp)
    which = subprocess.run(
        [sys.executable, "-c", "import seam_tui; print(seam_tui.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=START_TIMEOUT_S,
    ).stdout.strip()
    log_path = tmp / "serve.log"
    command = [sys.executable, "-m", "seam_tui.sandbox", "serve", "--port", "0"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--db", str(tmp / "sandbox.db")],
            cwd=tree,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_S)
        line = process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"the sandbox did not start: {log_path.read_text()[-2000:]}")
        announced = json.loads(line)
        yield Server(
            url=announced["url"],
            api_key=announced["workspaces"][0]["api_key"],
            pid=process.pid,
            seam_tui_file=which,
        )
    finally:
        _stop(process)


# ------------------------------------------------------------------------------ measurements


@dataclass
class Outcome:
    """What happened to one request or connection, and after how many seconds."""

    what: str  # a status code, or "closed", "reset", "still open", an exception's name
    seconds: float
    since_sent_s: float = 0.0


@dataclass
class Figures:
    rss_start_mb: int = 0
    rss_after_mb: int = 0
    huge_posts: list[Outcome] = field(default_factory=list)
    other_latencies_s: list[float] = field(default_factory=list)
    other_failures: int = 0
    listing_bytes: int = 0
    nul_status: int = 0
    nul_names_search: bool = False
    others_while_stalled: list[int] = field(default_factory=list)
    others_while_stalled_s: float = 0.0
    stalled: dict[str, list[Outcome]] = field(default_factory=dict)


def _list_back_to_back(server: Server, stop: threading.Event, figures: Figures) -> None:
    headers = {"authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=CLIENT_TIMEOUT_S) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = client.post("/user_identities/list", json={"limit": 10})
            except httpx.HTTPError:
                figures.other_failures += 1
                continue
            figures.other_latencies_s.append(time.perf_counter() - started)
            if response.status_code != 200:
                figures.other_failures += 1


def measure_huge_names(server: Server, figures: Figures) -> None:
    headers = {"authorization": f"Bearer {server.api_key}"}
    body = {"full_name": "x" * HUGE_NAME_CHARS}
    stop = threading.Event()
    lister = threading.Thread(target=_list_back_to_back, args=(server, stop, figures))
    lister.start()
    try:
        for _ in range(HUGE_POSTS):
            started = time.perf_counter()
            try:
                response = httpx.post(
                    server.url + "/user_identities/create",
                    json=body,
                    headers=headers,
                    timeout=CLIENT_TIMEOUT_S,
                )
                what = str(response.status_code)
            except httpx.HTTPError as exc:
                what = type(exc).__name__
            figures.huge_posts.append(Outcome(what, time.perf_counter() - started))
    finally:
        stop.set()
        lister.join()


def measure_reads(server: Server, figures: Figures) -> None:
    headers = {"authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=CLIENT_TIMEOUT_S) as client:
        listing = client.post("/user_identities/list", json={"limit": 100})
        figures.listing_bytes = len(listing.content)
        nul = client.post("/user_identities/list", json={"search": "a\x00b"})
    figures.nul_status = nul.status_code
    try:
        errors = nul.json()["error"].get("validation_errors") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        errors = {}
    figures.nul_names_search = isinstance(errors, dict) and "search" in errors


@dataclass
class Stalled:
    kind: str  # "body" or "head"
    sock: socket.socket
    sent_at: float


def _open_stalled(server: Server) -> list[Stalled]:
    body_head = (
        "POST /user_identities/create HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {server.api_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        '{"full_'  # 7 of the 100 bytes promised
    ).encode()
    half_head = b"POST /user_identities/list HTTP/1.1\r\nHost: x\r\nX-Slow: "
    stalled: list[Stalled] = []
    plan = (("body", body_head, STALLED_BODIES), ("head", half_head, STALLED_HEADS))
    for kind, data, count in plan:
        for _ in range(count):
            sock = socket.create_connection(server.host_port, timeout=WAIT_FOR_CLOSE_S)
            stalled.append(Stalled(kind, sock, time.perf_counter()))
            sock.sendall(data)
    return stalled


def _wait_for_close(conn: Stalled, clock: float, out: list[Outcome]) -> None:
    """Read until the server closes `conn` (or resets it, or WAIT_FOR_CLOSE_S pass)."""
    deadline = clock + WAIT_FOR_CLOSE_S
    data = b""
    what = ""
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError
            conn.sock.settimeout(left)
            chunk = conn.sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        what = "still open"
    except ConnectionResetError:
        what = "reset"
    if not what:
        status = data.split(b" ", 2)[1:2]
        what = status[0].decode("ascii", "replace") if status else "closed"
    now = time.perf_counter()
    out.append(Outcome(what, now - clock, now - conn.sent_at))


def measure_stalled(server: Server, figures: Figures) -> None:
    stalled: list[Stalled] = []
    try:
        stalled = _open_stalled(server)
        headers = {"authorization": f"Bearer {server.api_key}"}
        started = time.perf_counter()
        with httpx.Client(base_url=server.url, headers=headers, timeout=CLIENT_TIMEOUT_S) as c:
            for _ in range(OTHER_REQUESTS):
                figures.others_while_stalled.append(
                    c.post("/user_identities/list", json={"limit": 10}).status_code
                )
        clock = time.perf_counter()
        figures.others_while_stalled_s = clock - started
        figures.stalled = {"body": [], "head": []}
        waiters = [
            threading.Thread(target=_wait_for_close, args=(conn, clock, figures.stalled[conn.kind]))
            for conn in stalled
        ]
        for waiter in waiters:
            waiter.start()
        for waiter in waiters:
            waiter.join()
    finally:
        for conn in stalled:
            conn.sock.close()


# ----------------------------------------------------------------------------------- report


def _seconds_range(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.1f} s" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f}–{high:.1f} s"


def _by_outcome(outcomes: list[Outcome]) -> str:
    """E.g. "5 × 413 in 0.6–0.8 s" or "50 × still open after 60 s"."""
    parts = []
    for what in sorted({o.what for o in outcomes}):
        group = [o for o in outcomes if o.what == what]
        if what == "still open":
            parts.append(f"{len(group)} × still open after {WAIT_FOR_CLOSE_S:.0f} s")
        else:
            parts.append(f"{len(group)} × {what} in {_seconds_range([o.seconds for o in group])}")
    return "; ".join(parts)


def _stalled_cell(outcomes: list[Outcome]) -> str:
    """E.g. "50 × 408 in 9.9 s (≤ 10.0 s after sending)"."""
    closed = [o.since_sent_s for o in outcomes if o.what != "still open"]
    after_sending = f" (≤ {max(closed):.1f} s after sending)" if closed else ""
    return _by_outcome(outcomes) + after_sending


def table(figures: Figures) -> list[tuple[str, str]]:
    latencies = sorted(figures.other_latencies_s)
    if latencies:
        other = (
            f"{statistics.median(latencies) * 1000:,.0f} ms / {latencies[-1] * 1000:,.0f} ms"
            f" ({len(latencies)} answered, {figures.other_failures} not 200)"
        )
    else:
        other = f"none answered ({figures.other_failures} failed)"
    statuses = sorted(set(figures.others_while_stalled))
    return [
        (f"50 MB name (×{HUGE_POSTS})", _by_outcome(figures.huge_posts)),
        ("other client during it: p50 / max latency", other),
        (
            "server peak memory (VmHWM)",
            f"{figures.rss_after_mb} MB ({figures.rss_start_mb} at start)",
        ),
        ("a list of 100 identities afterwards", f"{figures.listing_bytes:,} bytes"),
        (
            "NUL in a search",
            f"{figures.nul_status}" + (" naming `search`" if figures.nul_names_search else ""),
        ),
        (
            f"{STALLED_BODIES} bodies that stall after 7 bytes",
            _stalled_cell(figures.stalled.get("body", [])),
        ),
        (
            f"{STALLED_HEADS} heads that stop halfway",
            _stalled_cell(figures.stalled.get("head", [])),
        ),
        (
            f"{OTHER_REQUESTS} other requests while the "
            f"{STALLED_BODIES + STALLED_HEADS} are stalled",
            f"{'/'.join(map(str, statuses))} in {figures.others_while_stalled_s:.2f} s",
        ),
    ]


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"| {'attack':<{width}} | result")
    print(f"|{'-' * (width + 2)}|{'-' * 8}")
    for name, value in rows:
        print(f"| {name:<{width}} | {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "source_tree",
        nargs="?",
        type=Path,
        default=ROOT,
        metavar="SOURCE_TREE",
        help="checkout whose seam_tui is served (default: this repository)",
    )
    tree = parser.parse_args(argv).source_tree.resolve()
    if not (tree / "seam_tui" / "sandbox").is_dir():
        parser.error(f"{tree} has no seam_tui/sandbox")
    figures = Figures()
    with (
        tempfile.TemporaryDirectory(prefix="sandbox-limits-") as name,
        served(tree, Path(name)) as server,
    ):
        print(f"served from: {server.seam_tui_file}")
        figures.rss_start_mb = server.peak_rss_mb()
        measure_huge_names(server, figures)
        figures.rss_after_mb = server.peak_rss_mb()
        measure_reads(server, figures)
        measure_stalled(server, figures)
    print_table(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
