"""The real `serve` command in a subprocess, over loopback HTTP, and the official SDK."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from seam.exceptions import SeamHttpInvalidInputError
from seam.pagination import PaginatedList
from seam.seam import AsyncSeam, Seam
from seam.seam_without_workspace import SeamWithoutWorkspace

from seam_tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving(db: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    """`python -m seam_tui.sandbox serve --port 0 ...` and the JSON line it printed."""
    command = [sys.executable, "-m", "seam_tui.sandbox", "serve", "--port", "0", "--db", str(db)]
    process = subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        yield process, json.loads(line)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    with serving(tmp_path / "served.sqlite3") as result:
        yield result


def test_serve_answers_and_stops_cleanly(
    served: tuple[subprocess.Popen[str], dict[str, Any]],
) -> None:
    process, info = served
    assert info["url"].startswith("http://127.0.0.1:")
    assert [w["name"] for w in info["workspaces"]] == [
        "Acme Property Sandbox",
        "Globex Offices Sandbox",
    ]
    assert info["personal_access_token"].startswith("seam_at")
    key = info["workspaces"][0]["api_key"]
    response = httpx.get(
        f"{info['url']}/user_identities/list",
        params={"limit": 2},
        headers={"authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    assert len(response.json()["user_identities"]) == 2
    assert response.headers["seam-request-id"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None
    assert process.stdout.read() == ""


def test_official_sdk_against_served_sandbox(
    served: tuple[subprocess.Popen[str], dict[str, Any]],
) -> None:
    _, info = served
    acme = info["workspaces"][0]
    with Seam(api_key=acme["api_key"], endpoint=info["url"]) as seam:
        identities = seam.user_identities.list(limit=5)
        assert len(identities) == 5
        assert isinstance(identities, PaginatedList)
        assert identities.pagination is not None
        assert identities.pagination["has_next_page"] is True
        system = seam.acs.systems.list()[0]
        created = seam.user_identities.create(
            full_name="SDK Person",
            email_address="sdk.person@example.com",
            acs_system_ids=[system.acs_system_id],
        )
        assert created.display_name == "SDK Person"
        assert len(created.acs_user_ids) == 1
        seam.user_identities.update(user_identity_id=created.user_identity_id, full_name="SDK 2")
        user = seam.acs.users.get(acs_user_id=created.acs_user_ids[0])
        assert user.user_identity_full_name == "SDK 2"
        seam.acs.users.suspend(acs_user_id=user.acs_user_id)
        assert seam.acs.users.get(acs_user_id=user.acs_user_id).is_suspended is True
        everyone = seam.create_paginator(seam.user_identities.list, {"limit": 10}).flatten_to_list()
        assert len(everyone) == 26
        with pytest.raises(SeamHttpInvalidInputError) as caught:
            seam.user_identities.create(email_address="not-an-email")
        assert caught.value.validation_errors[0].parameter_name == "email_address"
        seam.user_identities.delete(user_identity_id=created.user_identity_id)
    without = SeamWithoutWorkspace(
        personal_access_token=info["personal_access_token"], endpoint=info["url"]
    )
    listed = without.workspaces.list()  # type: ignore[no-untyped-call]
    assert [w.name for w in listed] == [w["name"] for w in info["workspaces"]]


async def test_official_async_sdk_in_process(tmp_path: Path) -> None:
    sb = Sandbox(tmp_path / "sdk.sqlite3")
    try:
        globex = sb.workspaces()[1]
        async with AsyncSeam(
            personal_access_token=sb.personal_access_token(),
            workspace_id=globex.workspace_id,
            endpoint=sb.base_url,
            httpx_options={"transport": sb.transport()},
        ) as seam:
            names = [i.full_name for i in await seam.user_identities.list()]
            assert "Hank Scorpio" in names
            users = await seam.acs.users.list(search="Reception")
            assert [u.display_name for u in users] == ["Reception Kiosk"]
    finally:
        sb.close()


def test_served_drop_is_a_dropped_connection(tmp_path: Path) -> None:
    options = ("--fault-rate", "1", "--fault-kinds", "drop", "--fault-seed", "3")
    with serving(tmp_path / "drop.sqlite3", *options) as (process, info):
        key = info["workspaces"][0]["api_key"]
        for _ in range(4):
            with pytest.raises(httpx.RemoteProtocolError):
                httpx.post(
                    f"{info['url']}/user_identities/create",
                    json={"full_name": "Dropped"},
                    headers={"authorization": f"Bearer {key}"},
                )
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()  # injected drops are not logged as crashes
