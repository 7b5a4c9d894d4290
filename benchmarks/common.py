"""What every benchmark section shares: a private environment, the served sandbox, statistics,
CPU accounting and the machine line."""

from __future__ import annotations

import json
import os
import platform
import select
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHARS_PER_TOKEN = 4
SERVE_TIMEOUT_S = 30.0

# The versions printed on the machine line: seam-tui, its runtime deps and the SDK.
PACKAGES = (
    "seam-tui",
    "textual",
    "httpx",
    "pydantic",
    "pydantic-core",
    "starlette",
    "uvicorn",
    "mcp",
    "seam",
    "httpx-retries",
)


# ------------------------------------------------------------------------------ environment


def private_env(tmp: Path) -> dict[str, str]:
    """The environment with data and config dirs under `tmp` and no Seam credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAM_")}
    env["SEAM_TUI_DATA_DIR"] = str(tmp / "data")
    env["SEAM_TUI_CONFIG_DIR"] = str(tmp / "config")
    return env


@contextmanager
def isolated(prefix: str = "seam-bench-") -> Iterator[Path]:
    """A temporary directory that this process's `SEAM_TUI_*` dirs point into for the
    duration (every `SEAM_*` credential variable dropped); the environment is restored after."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        tmp = Path(name)
        env = private_env(tmp)
        os.environ.clear()
        os.environ.update(env)
        try:
            yield tmp
        finally:
            os.environ.clear()
            os.environ.update(saved)


# --------------------------------------------------------------------------- served sandbox


@dataclass(frozen=True)
class Served:
    """A sandbox served on loopback by a child process."""

    url: str
    workspaces: dict[str, str]  # name -> api key
    pid: int


@contextmanager
def served_sandbox(db_path: Path) -> Iterator[Served]:
    """`seam-tui sandbox serve --port 0 --db db_path` on 127.0.0.1, stopped on exit whatever
    happens (SIGTERM, then SIGKILL after 10 s); its stderr goes to `<db_path>.serve.log`."""
    command = [sys.executable, "-m", "seam_tui.sandbox", "serve", "--host", "127.0.0.1"]
    log_path = db_path.with_name(db_path.name + ".serve.log")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--port", "0", "--db", str(db_path)],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], SERVE_TIMEOUT_S)
        line = process.stdout.readline() if ready else ""
        if not line:
            process.kill()
            process.wait()
            raise RuntimeError(f"the sandbox did not start: {log_path.read_text()[-2000:]}")
        announced = json.loads(line)
        yield Served(
            url=announced["url"],
            workspaces={ws["name"]: ws["api_key"] for ws in announced["workspaces"]},
            pid=process.pid,
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def process_cpu_s(pid: int) -> float:
    """CPU time (user + system) used so far by another process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime and stime fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def system_busy_s() -> float:
    """CPU seconds all processes have used since boot (user, nice, system, irq, softirq)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method: never beyond the largest value)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def tokens(n: float) -> str:
    return f"~{n / CHARS_PER_TOKEN:,.0f} tokens"


def json_size(value: Any) -> int:
    """Bytes of compact JSON, as a client would send it to a model."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


class Stopwatch:
    """Wall-clock seconds since it was made."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


# ---------------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python, SQLite and package versions."""
    cpu = platform.processor() or "unknown CPU"
    memory = "unknown RAM"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return {
        "cpu": f"{cpu}, {usable} cores usable ({os.cpu_count()} online), {memory}",
        "os": platform.platform(),
        "python": f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"SQLite {sqlite3.sqlite_version}",
        "packages": ", ".join(versions),
    }
