"""People in bulk: importing 1,000 people (an ACS user each in two systems) into the served
sandbox with 10 % of requests answered 429, by `people apply` (the core's plan and apply) and by
a plain sequential script on the official `seam` SDK, side by side; then exporting 100,000
identities (time and peak memory, in a child process).

Run alone: `python -m benchmarks.people_bench [--quick]` prints its markdown section.
"""

from __future__ import annotations

import asyncio
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from benchmarks.common import ROOT, SERVE_TIMEOUT_S, private_env
from seam_tui.core import RetryPolicy, SeamClient
from seam_tui.core.audit import AuditLog
from seam_tui.core.people import apply_import, plan_import, read_people_file
from seam_tui.core.people.export import export_people
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox

FAULTS = ("--fault-rate", "0.1", "--fault-kinds", "429", "--fault-retry-after", "0.2")
PATIENT = RetryPolicy(max_retries=10, backoff_factor=0.05)


@dataclass
class Race:
    """One importer's run: wall time, and what exists afterwards."""

    name: str
    seconds: float
    people: int
    duplicates: int
    lost: int
    acs_users: int
    failed_rows: int


@contextmanager
def _served(db: Path, *options: str) -> Iterator[tuple[str, str]]:
    """The sandbox file served on loopback; yields (url, first workspace's key)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "seam_tui.sandbox", "serve", "--port", "0", "--db", str(db),
         *options],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        started = time.monotonic()
        line = process.stdout.readline()
        if not line or time.monotonic() - started > SERVE_TIMEOUT_S:
            raise RuntimeError("the sandbox did not start")
        info = json.loads(line)
        yield info["url"], info["workspaces"][0]["api_key"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def _fresh(db: Path) -> tuple[str, list[str]]:
    """A new sandbox file: its first workspace's id and two of its ACS systems."""
    sandbox = Sandbox(db)
    try:
        workspace = sandbox.workspaces()[0]

        async def systems() -> list[str]:
            async with SeamClient(
                api_key=workspace.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
            ) as client:
                return [s.acs_system_id for s in await client.acs.systems.list()][:2]

        return workspace.workspace_id, asyncio.run(systems())
    finally:
        sandbox.close()


def _write_people(path: Path, count: int, systems: list[str]) -> None:
    with path.open("w") as out:
        out.write("full_name,email_address,user_identity_key,acs_system_ids\n")
        for i in range(count):
            out.write(f"Bench Person {i},bench{i}@example.com,bench-{i},{' '.join(systems)}\n")


async def _ours(url: str, key: str, source: Path, audit: Path) -> tuple[float, int]:
    async with SeamClient(api_key=key, endpoint=url, retry=PATIENT) as client:
        service = SeamService(client, workspace="bench", front_end="cli", audit=AuditLog(audit))
        started = time.perf_counter()
        plan = await plan_import(service, read_people_file(source), source.name)
        report = await apply_import(service, plan, concurrency=16)
        return time.perf_counter() - started, len(report.failed)


def _sdk_script(url: str, key: str, count: int, systems: list[str]) -> tuple[float, int]:
    """What admins run today: one row after another; a 429 is slept off and sent again."""
    from seam import Seam
    from seam.exceptions import SeamHttpApiError

    def retried(call: object, **params: object) -> object:
        for _ in range(20):
            try:
                return call(**params)  # type: ignore[operator]
            except SeamHttpApiError as exc:
                if exc.status_code != 429:
                    raise
                time.sleep(0.2)  # the Retry-After the sandbox sends
        raise RuntimeError("still rate limited")

    failed = 0
    started = time.perf_counter()
    with Seam(api_key=key, endpoint=url) as seam:
        for i in range(count):
            try:
                identity = retried(
                    seam.user_identities.create,
                    full_name=f"Bench Person {i}",
                    email_address=f"bench{i}@example.com",
                    user_identity_key=f"bench-{i}",
                )
                for system in systems:
                    retried(
                        seam.acs.users.create,
                        acs_system_id=system,
                        full_name=f"Bench Person {i}",
                        email_address=f"bench{i}@example.com",
                        user_identity_id=identity.user_identity_id,  # type: ignore[attr-defined]
                    )
            except Exception:  # a script like this logs and goes on
                failed += 1
    return time.perf_counter() - started, failed


async def _census(url: str, key: str, count: int) -> tuple[int, int, int, int]:
    """(people, duplicates, lost, ACS users) of the benchmark's rows as they exist now."""
    async with SeamClient(api_key=key, endpoint=url, retry=PATIENT) as client:
        emails = Counter(
            [
                i.email_address
                async for i in client.user_identities.iterate(limit=500)
                if (i.email_address or "").startswith("bench")
            ]
        )
        users = 0
        async for user in client.acs.users.iterate(limit=500):
            users += (user.email_address or "").startswith("bench")
    duplicates = sum(n - 1 for n in emails.values())
    return len(emails), duplicates, count - len(emails), users


def race(count: int, tmp: Path) -> list[Race]:
    """Both importers, each into its own fresh served sandbox with 10 % 429s."""
    results = []
    for name in ("seam-tui people apply", "sequential script, official SDK"):
        db = tmp / f"{len(results)}.sqlite3"
        _, systems = _fresh(db)
        source = tmp / "people.csv"
        _write_people(source, count, systems)
        with _served(db, *FAULTS) as (url, key):
            if name.startswith("seam-tui"):
                seconds, failed = asyncio.run(_ours(url, key, source, tmp / "audit.jsonl"))
            else:
                seconds, failed = _sdk_script(url, key, count, systems)
            people, dups, lost, users = asyncio.run(_census(url, key, count))
        results.append(Race(name, seconds, people, dups, lost, users, failed))
    return results


def export_figures(count: int, tmp: Path) -> dict[str, float]:
    """Export `count` identities from a served sandbox in a child process: time and memory."""
    db = tmp / "export.sqlite3"
    sandbox = Sandbox(db, seed=False)
    workspace = sandbox.create_workspace("export")
    sandbox.seed_identities(workspace.workspace_id, count)
    sandbox.close()
    with _served(db) as (url, _):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.people_bench", "--export-child", url,
             workspace.api_key, str(tmp / "export.csv")],
            cwd=ROOT, capture_output=True, text=True, check=True, env=private_env(tmp),
        )  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _export_child(url: str, key: str, out_path: str) -> None:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    async def run(out: TextIO) -> int:
        async with SeamClient(api_key=key, endpoint=url) as client:
            service = SeamService(client, workspace="bench", front_end="cli")
            return await export_people(service, out, "csv")

    started = time.perf_counter()
    with Path(out_path).open("w", encoding="utf-8", newline="") as out:
        count = asyncio.run(run(out))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "count": count,
        "seconds": seconds,
        "peak_mib": peak / 1024,
        "base_mib": base / 1024,
        "bytes": Path(out_path).stat().st_size,
    }
    sys.stdout.write(json.dumps(figures))


def section(quick: bool) -> list[str]:
    """The "People in bulk" section of BENCHMARKS.md."""
    people, exported = (200, 10_000) if quick else (1_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="seam-people-bench-") as name:
        tmp = Path(name)
        runs = race(people, tmp)
        export = export_figures(exported, tmp)
    ours, sdk = runs
    out = [
        "## People in bulk",
        "",
        f"Importing {people:,} people, each with an ACS user in two systems, into the served "
        "sandbox with 10 % of requests answered 429 (`Retry-After: 0.2`): `people apply` "
        "(plan, then apply with 16 rows at once; a write answered 429 is sent again by the "
        "worker that got it after its `Retry-After`, the others carry on; a new person's ACS "
        "users are created with the identity, one request per person) against a plain "
        "sequential script on the official `seam` SDK (one request for the identity and one per "
        "ACS user; the SDK does not retry a POST, so the script sleeps off each 429 and sends "
        "again). Each into its own fresh sandbox, in the same run.",
        "",
        "| Importer | Wall time | People | Duplicates | Rows lost | ACS users | Rows failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        out.append(
            f"| {r.name} | {r.seconds:.1f} s | {r.people:,} | {r.duplicates} | {r.lost} | "
            f"{r.acs_users:,} | {r.failed_rows} |"
        )
    ratio = sdk.seconds / ours.seconds if ours.seconds else 0.0
    target = "met" if ratio >= 5 and ours.duplicates == ours.lost == 0 else "NOT met"
    out += [
        "",
        f"`people apply` is **{ratio:.1f}×** as fast as the script (target: 5×, 0 duplicates, "
        f"0 lost: {target}).",
        "",
        f"Export of {export['count']:,.0f} identities to CSV (`people export`, pages of 500, "
        f"in a child process): {export['seconds']:.1f} s, peak RSS {export['peak_mib']:.0f} MiB "
        f"({export['base_mib']:.0f} MiB after imports, before the first page), "
        f"{export['bytes'] / 1e6:.1f} MB written.",
        "",
        "`benchmarks/people_bench.py` (`python -m benchmarks.people_bench [--quick]`).",
        "",
    ]
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--export-child"]:
        _export_child(*argv[1:4])
        return 0
    sys.stdout.write("\n".join(section("--quick" in argv)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
