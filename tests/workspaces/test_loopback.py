"""A profile for a sandbox served on loopback by `seam-tui sandbox serve`: real sockets."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seam_tui.workspaces import add_profile, resolve_workspace

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db = str(tmp_path / "served.sqlite3")
    proc = subprocess.Popen(
        [sys.executable, "-m", "seam_tui.cli", "sandbox", "serve", "--port", "0", "--db", db],
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


async def test_add_and_use_a_served_sandbox(served: dict[str, Any]) -> None:
    first, second = served["workspaces"][:2]
    await add_profile("served-a", first["api_key"], endpoint=served["url"])
    await add_profile("served-b", second["api_key"], endpoint=served["url"], read_only=True)
    for name, ws in (("served-a", first), ("served-b", second)):
        resolved = resolve_workspace(name)
        assert resolved.endpoint == served["url"]
        async with resolved.open_client() as client:
            assert (await client.workspaces.get()).workspace_id == ws["workspace_id"]
    assert resolve_workspace("served-b").read_only
