"""Fill a real tmpfs to the last byte under seam-mcp and check that nothing acknowledged is lost.

Run as root (it mounts a tmpfs): `.venv/bin/python scripts/disk_full.py`. A sandbox is served
from a normal disk; `seam-mcp` (stdio, a real MCP client session) keeps its data dir, and so its
audit log, on a small tmpfs that a filler file has filled up. Identities are created over and
over while the filler shrinks by a few hundred bytes at a time, so writes land on a disk with
0, a few, and a few hundred bytes free. Prints the figures RELIABILITY.md quotes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from seam_tui.core.audit import AuditEntry
from seam_tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROUNDS = 40
FREED_PER_ROUND = 173  # bytes given back to the disk between calls: odd, so lines tear


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fill(path: Path) -> None:
    """Write until the disk refuses a single byte more."""
    with path.open("wb", buffering=0) as fh:
        for chunk in (65536, 4096, 512, 64, 8, 1):
            try:
                while True:
                    fh.write(b"\0" * chunk)
            except OSError:
                continue


async def _run(mount: Path, db: Path, port: int, api_key: str) -> dict[str, int]:
    data = mount / "data"
    data.mkdir()
    filler = mount / "filler"
    _fill(filler)
    env = {
        **os.environ,
        "SEAM_TUI_DATA_DIR": str(data),
        "SEAM_TUI_CONFIG_DIR": str(mount.parent / "config"),
        "SEAM_API_KEY": api_key,
        "SEAM_ENDPOINT": f"http://127.0.0.1:{port}",
    }
    params = StdioServerParameters(command=str(BIN / "seam-mcp"), args=[], env=env)
    said: dict[str, str] = {}
    async with Client(stdio_client(params, errlog=subprocess.DEVNULL)) as client:  # type: ignore[arg-type]
        for n in range(ROUNDS):
            name = f"Full Disk {n:03d}"
            result = await client.call_tool("create_user_identity", {"full_name": name})
            text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
            if not result.is_error:
                said[name] = "ok"
            elif "was done" in text:
                said[name] = "unrecorded"
            elif "was not done" in text:
                said[name] = "refused"
            else:
                said[name] = "other: " + text[:120]
            size = filler.stat().st_size
            os.truncate(filler, max(0, size - FREED_PER_ROUND))
    raw = (data / "audit.jsonl").read_bytes() if (data / "audit.jsonl").exists() else b""
    lines = raw.splitlines()
    parsed = []
    for line in lines:
        with contextlib.suppress(ValueError):
            parsed.append(AuditEntry.model_validate_json(line))
    logged_ok = {e.ids.get("user_identity_id") for e in parsed if e.outcome == "ok" and e.ids}
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT full_name FROM user_identities")}
        by_name = dict(conn.execute("SELECT full_name, user_identity_id FROM user_identities"))
    ok = [n for n, s in said.items() if s == "ok"]
    return {
        "calls": len(said),
        "acknowledged": len(ok),
        "acknowledged and in the audit log": sum(by_name.get(n) in logged_ok for n in ok),
        "acknowledged and in the sandbox": sum(n in names for n in ok),
        "refused before sending": sum(s == "refused" for s in said.values()),
        "refused yet sent": sum(s == "refused" and n in names for n, s in said.items()),
        "done, said unrecorded": sum(s == "unrecorded" for s in said.values()),
        "other answers": sum(s.startswith("other") for s in said.values()),
        "torn or unreadable audit lines": len(lines) - len(parsed),
        "audit file ends mid-line": int(bool(raw) and not raw.endswith(b"\n")),
    }


def main() -> int:
    if os.geteuid() != 0:
        print("disk_full.py mounts a tmpfs: run it as root", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        mount, db = base / "full", base / "sandbox.sqlite3"
        mount.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], check=True)
        sandbox = Sandbox(db)
        api_key = sandbox.workspaces()[0].api_key
        sandbox.close()
        port = _free_port()
        server = subprocess.Popen(
            [str(BIN / "seam-tui"), "sandbox", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(1.5)
            figures = asyncio.run(_run(mount, db, port, api_key))
        finally:
            server.terminate()
            server.wait(10)
            subprocess.run(["umount", str(mount)], check=False)
    print(
        f"seam-mcp over stdio, audit log on a 256 KiB tmpfs filled to the last byte, {ROUNDS} "
        f"create_user_identity calls, {FREED_PER_ROUND} B freed after each:"
    )
    for name, value in figures.items():
        print(f"  {name}: {value}")
    lost = figures["acknowledged"] - figures["acknowledged and in the audit log"]
    bad = lost + figures["refused yet sent"] + figures["torn or unreadable audit lines"]
    return 1 if bad or figures["audit file ends mid-line"] else 0


if __name__ == "__main__":
    sys.exit(main())
