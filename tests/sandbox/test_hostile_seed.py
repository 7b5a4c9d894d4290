"""The hostile seed: its corpus, the workspace it builds, values read back literally, the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from seam.seam import Seam

from seam_tui.core import SeamClient
from seam_tui.core.errors import SeamError
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.sandbox import FaultConfig, Sandbox
from seam_tui.sandbox.cli import main
from seam_tui.sandbox.hostile import (
    CORPUS,
    EMAILS,
    GROUP_NAMES,
    HOSTILE_PROFILE,
    HOSTILE_WORKSPACE_ID,
    KEYS,
    LONG,
    MESSAGES,
    NAMES,
    PHONES,
    SYNCED_EMAILS,
    SYSTEM_NAMES,
    WORKSPACE_NAME,
    HostileSeed,
    HostileSeedExists,
    seed_hostile,
)
from seam_tui.sandbox.params import _EMAIL
from seam_tui.workspaces import close_local_sandboxes
from seam_tui.workspaces.profiles import slugify
from seam_tui.workspaces.sandbox_profiles import builtin_profiles
from tests.sandbox.test_serve import ROOT, serving


@pytest.fixture
async def hostile(sandbox: Sandbox) -> HostileSeed:
    return await seed_hostile(sandbox)


@pytest.fixture
async def seam(sandbox: Sandbox, hostile: HostileSeed) -> AsyncIterator[SeamClient]:
    async with SeamClient(
        api_key=hostile.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
    ) as client:
        yield client


async def everyone(seam: SeamClient) -> tuple[list[UserIdentity], list[AcsUser]]:
    identities = [i async for i in seam.user_identities.iterate(limit=7)]
    users = [u async for u in seam.acs.users.iterate(limit=7)]
    return identities, users


def test_corpus_markers_are_unique_and_inside_their_values() -> None:
    markers = [sample.marker for sample in CORPUS]
    assert len(set(markers)) == len(markers)
    assert len({sample.value for sample in CORPUS}) == len(CORPUS)
    for sample in CORPUS:
        assert sample.marker.isascii()
        assert sample.marker.isprintable()
        assert sample.value.count(sample.marker) == 1, sample.label
        assert re.findall(r"HOSTILE-\d\d", sample.value) in ([sample.marker], [])
    assert sum(len(sample.value) == LONG for sample in CORPUS) == 4
    assert all(_EMAIL.match(sample.value) for sample in EMAILS)
    assert not any(_EMAIL.match(sample.value) for sample in SYNCED_EMAILS)


def test_workspace_name_is_hostile_but_slugs_to_the_profile_name() -> None:
    name = WORKSPACE_NAME.value
    assert name.startswith("Hostile ")
    assert any(not c.isprintable() for c in name)
    assert "[/]" in name
    assert slugify(name) == "hostile"
    assert HOSTILE_PROFILE == "sandbox-hostile"


async def test_seed_builds_a_new_workspace(sandbox: Sandbox, hostile: HostileSeed) -> None:
    assert (hostile.identities, hostile.acs_users) == (41, 26)
    assert (hostile.acs_systems, hostile.access_groups) == (3, 4)
    assert hostile.workspace_id == HOSTILE_WORKSPACE_ID
    workspaces = sandbox.workspaces()
    assert [w.name for w in workspaces] == [
        "Acme Property Sandbox",
        "Globex Offices Sandbox",
        WORKSPACE_NAME.value,
    ]
    # The demo workspaces are untouched.
    assert sandbox.count("user_identities") == 33 + 41
    assert sandbox.count("acs_users") == 73 + 26


async def test_seed_twice_refuses_and_changes_nothing(
    sandbox: Sandbox, hostile: HostileSeed
) -> None:
    with pytest.raises(HostileSeedExists, match="already has the hostile workspace"):
        await seed_hostile(sandbox)
    assert sandbox.count("workspaces") == 3
    assert sandbox.count("user_identities") == 33 + 41


async def test_a_failed_seed_leaves_nothing_behind(sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"500"}), seed=1)
    with pytest.raises(SeamError):
        await seed_hostile(sandbox)
    assert sandbox.count("workspaces") == 2
    assert (sandbox.count("acs_systems"), sandbox.count("acs_users")) == (6, 73)
    sandbox.faults = FaultConfig()
    assert (await seed_hostile(sandbox)).identities == 41


async def test_every_value_reads_back_byte_identical(seam: SeamClient) -> None:
    identities, users = await everyone(seam)
    assert [i.full_name for i in identities] == [s.value for s in NAMES]
    keys = [i.user_identity_key for i in identities if i.user_identity_key is not None]
    assert keys == [s.value for s in KEYS]
    phones = [i.phone_number for i in identities if i.phone_number is not None]
    assert phones == [s.value for s in PHONES]
    emails = [i.email_address for i in identities if i.email_address is not None]
    assert emails == [s.value for s in EMAILS]
    systems = await seam.acs.systems.list()
    groups = await seam.acs.access_groups.list()
    assert [s.name for s in systems] == [s.value for s in SYSTEM_NAMES]
    assert [g.name for g in groups] == [s.value for s in GROUP_NAMES]
    assert (await seam.workspaces.get()).name == WORKSPACE_NAME.value

    seen: set[str | None] = {i.full_name for i in identities}
    for user in users:
        seen |= {user.full_name, user.email_address, user.phone_number}
        seen |= {issue.message for issue in (*user.errors, *user.warnings)}
        seen |= {mutation.message for mutation in user.pending_mutations}
    seen |= {w.message for s in systems for w in s.warnings}
    for sample in (*SYNCED_EMAILS, *MESSAGES):
        assert sample.value in seen, sample.label
    for identity in identities:  # the long values survive a get as well as a list
        got = await seam.user_identities.get(user_identity_id=identity.user_identity_id)
        assert got.full_name == identity.full_name
        assert got.user_identity_key == identity.user_identity_key


async def test_acs_users_cover_links_suspension_schedules_and_groups(seam: SeamClient) -> None:
    identities, users = await everyone(seam)
    linked = [u for u in users if u.user_identity_id is not None]
    assert (len(linked), len(users) - len(linked)) == (17, 9)
    assert sum(bool(u.is_suspended) for u in users) == 3
    assert sum(u.access_schedule is not None for u in users) == 3
    assert {NAMES[7].value, NAMES[8].value, NAMES[9].value} <= {u.full_name for u in users}
    # Identity 3 has its Salto user from creation and its Brivo user linked by its hostile key.
    by_key = await seam.acs.users.list(user_identity_id=identities[3].user_identity_id)
    assert [u.full_name for u in by_key.items] == [NAMES[3].value, NAMES[35].value]
    # A synced user's error reaches its identity.
    flagged = [i for i in identities if i.errors]
    assert [i.full_name for i in flagged] == [NAMES[20].value]
    assert flagged[0].errors[0].error_code == "issue_with_acs_user"
    sizes = []
    for group in await seam.acs.access_groups.list():
        members = await seam.acs.access_groups.list_users(
            acs_access_group_id=group.acs_access_group_id
        )
        sizes.append(len(members))
    assert sizes == [4, 3, 2, 2]


async def test_search_finds_each_name_by_its_marker(seam: SeamClient) -> None:
    for sample in NAMES:
        page = await seam.user_identities.list(search=sample.marker)
        assert [i.full_name for i in page.items] == [sample.value], sample.label


def test_official_sdk_lists_the_hostile_identities_over_loopback(tmp_path: Path) -> None:
    db = tmp_path / "hostile.sqlite3"
    assert main(["seed", "--hostile", "--db", str(db)]) == 0
    with serving(db) as (_, info):
        workspace = next(w for w in info["workspaces"] if w["workspace_id"] == HOSTILE_WORKSPACE_ID)
        assert workspace["name"] == WORKSPACE_NAME.value
        with Seam(api_key=workspace["api_key"], endpoint=info["url"]) as sdk:
            paginator = sdk.create_paginator(sdk.user_identities.list, {"limit": 10})
            identities = paginator.flatten_to_list()
            assert [i.full_name for i in identities] == [s.value for s in NAMES]
            assert [i.user_identity_key for i in identities][: len(KEYS)] == [s.value for s in KEYS]
            names = {u.full_name for u in sdk.acs.users.list()}
            assert NAMES[9].value in names
            assert [s.name for s in sdk.acs.systems.list()] == [s.value for s in SYSTEM_NAMES]


def test_cli_prints_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.sqlite3"
    command = [
        sys.executable,
        "-m",
        "seam_tui.cli",
        "sandbox",
        "seed",
        "--hostile",
        "--db",
        str(db),
    ]
    done = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.endswith(b"\n")
    assert all(0x20 <= byte < 0x7F for byte in out[:-1])
    assert HOSTILE_WORKSPACE_ID.encode() in out
    assert b"41 user identities, 26 ACS users" in out
    assert b"seam-tui --workspace sandbox-hostile" in out
    assert main(["seed", "--hostile", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "already has the hostile workspace" in captured.err


def test_cli_wants_exactly_one_of_identities_and_hostile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["seed", "--identities", "3", "--hostile"])
    assert "not allowed with argument" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["seed"])
    assert "one of the arguments --identities --hostile is required" in capsys.readouterr().err
    assert main(["seed", "--hostile", "--workspace", "Acme Property Sandbox"]) == 2


@pytest.fixture
def local_sandboxes() -> Iterator[None]:
    yield
    close_local_sandboxes()


@pytest.mark.usefixtures("local_sandboxes")
def test_builtin_profiles_then_include_sandbox_hostile() -> None:
    assert main(["seed", "--hostile"]) == 0  # the default database (in the test's data dir)
    profiles = {p.name: p for p in builtin_profiles()}
    assert profiles[HOSTILE_PROFILE].workspace_id == HOSTILE_WORKSPACE_ID
    assert profiles[HOSTILE_PROFILE].label == WORKSPACE_NAME.value
    assert profiles["sandbox"].label == "Acme Property Sandbox"
