"""`seam-tui people ...` on the built-in (file-backed) sandbox: exit codes, stdout as data, and
an apply killed with SIGKILL halfway that a second apply finishes with no one twice."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seam_tui.cli import main
from seam_tui.core import SeamClient
from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.dbfile import default_db_path

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 120


async def _people_and_system() -> tuple[list[tuple[str, str]], str]:
    """Every (key, email) in the built-in sandbox, and its first ACS system's id."""
    sandbox = Sandbox(default_db_path())
    try:
        workspace = sandbox.workspaces()[0]
        async with SeamClient(
            api_key=workspace.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
        ) as client:
            system = (await client.acs.systems.list())[0].acs_system_id
            people = [
                (i.user_identity_key or "", i.email_address or "")
                async for i in client.user_identities.iterate(limit=500)
            ]
            for key in ("k-0", f"k-{PEOPLE - 1}"):
                found = await client.user_identities.list(search=f"{key}@", limit=5)
                for identity in found.items:
                    users = await client.user_identities.list_acs_users(
                        user_identity_id=identity.user_identity_id
                    )
                    assert [u.acs_system_id for u in users] == [system], "one ACS user each"
    finally:
        sandbox.close()
    return people, system


def test_plan_and_apply_exit_codes_and_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("full_name,email_address\nAda,ada@example.com\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("full_name,email_address\nAda,nope\n")
    assert main(["people", "plan", str(good), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["action"] == "create"
    assert "1 row(s): 1 create" in err
    assert main(["people", "plan", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "invalid" in out
    assert "email address is not valid" in out
    assert main(["people", "apply", str(bad), "--yes"]) == 1
    assert "1 row(s) have problems" in capsys.readouterr().err
    assert main(["people", "apply", str(good), "--concurrency", "0", "--yes"]) == 2
    assert main(["people", "apply", str(good), "--yes"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["status"] == "created"
    assert (tmp_path / "good.csv.result.jsonl").exists()
    assert main(["people", "apply", str(good), "--yes"]) == 0
    assert "nothing new to do: all 1 row(s) already match" in capsys.readouterr().err


def test_apply_without_yes_off_a_terminal_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("full_name,email_address\nAda,ada@example.com\n")
    assert main(["people", "apply", str(good)]) == 2
    assert "add --yes" in capsys.readouterr().err


def test_an_apply_killed_halfway_is_finished_by_the_next_with_no_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, system = asyncio.run(_people_and_system())
    source = tmp_path / "people.csv"
    source.write_text(
        "full_name,email_address,user_identity_key,acs_system_ids\n"
        + "".join(f"P {i},k-{i}@example.com,k-{i},{system}\n" for i in range(PEOPLE))
    )
    result = tmp_path / "people.csv.result.jsonl"
    command = [sys.executable, "-m", "seam_tui.cli", "people", "apply", str(source), "--yes"]
    child = subprocess.Popen(
        [*command, "--concurrency", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            if result.exists() and len(result.read_text().splitlines()) >= 20:
                break
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        assert child.wait(timeout=30) == -signal.SIGKILL
    finished = len(result.read_text().splitlines())
    assert 20 <= finished < PEOPLE, "killed halfway"

    assert main(["people", "apply", str(source), "--yes"]) == 0
    out, _err = capsys.readouterr()
    statuses = [json.loads(line)["status"] for line in out.splitlines()]
    assert statuses.count("unchanged") >= finished
    assert len(statuses) == PEOPLE

    after, _ = asyncio.run(_people_and_system())
    added = [p for p in after if p not in before]
    assert len(added) == PEOPLE
    assert len({email for _, email in added}) == PEOPLE

    assert main(["people", "apply", str(source), "--yes"]) == 0
    expected = f"nothing new to do: all {PEOPLE} row(s) already match"
    assert expected in capsys.readouterr().err
