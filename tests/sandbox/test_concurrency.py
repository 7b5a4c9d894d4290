"""Two Sandbox objects on one database file, writing at once from threads."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from seam_tui.sandbox import Sandbox
from tests.sandbox.conftest import client_for

WRITERS = 4
WRITES = 25


def write_identities(sb: Sandbox, api_key: str, prefix: str, errors: list[BaseException]) -> None:
    async def run() -> None:
        async with client_for(sb, authorization=f"Bearer {api_key}") as http:
            for index in range(WRITES):
                response = await http.post(
                    "/user_identities/create",
                    json={"user_identity_key": f"{prefix}-{index}", "full_name": prefix},
                )
                assert response.status_code == 200, response.text
                listed = await http.get("/user_identities/list", params={"limit": 5})
                assert listed.status_code == 200, listed.text

    try:
        asyncio.run(run())
    except BaseException as exc:
        errors.append(exc)


def test_two_sandboxes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first = Sandbox(path)
    second = Sandbox(path)
    try:
        assert first.workspaces() == second.workspaces()  # the second saw the seed, not re-seeded
        key = first.workspaces()[0].api_key
        before = first.count("user_identities")
        errors: list[BaseException] = []
        threads = [
            threading.Thread(
                target=write_identities,
                args=(sb, key, f"writer-{index}", errors),
            )
            for index, sb in enumerate([first, second] * (WRITERS // 2))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert second.count("user_identities") == before + WRITERS * WRITES
    finally:
        first.close()
        second.close()


def test_bulk_seed_while_another_sandbox_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first, second = Sandbox(path), Sandbox(path)
    try:
        acme = first.workspaces()[0]
        errors: list[BaseException] = []
        writer = threading.Thread(
            target=write_identities, args=(second, acme.api_key, "during-seed", errors)
        )
        writer.start()
        first.seed_identities(acme.workspace_id, 3_000)
        writer.join()
        assert errors == []
        assert first.count("user_identities") == 33 + 3_000 + WRITES
    finally:
        first.close()
        second.close()
