"""Settling: writes answer at once with the object pending, and settle `settle_after` later.

In-process over httpx, with settle_after = 0.3 s. Every wait is a bounded poll for a condition
(`settled`), never a timed assert: only the order of states is checked.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from seam_tui.sandbox import FaultConfig, Sandbox
from seam_tui.sandbox.cli import main
from seam_tui.sandbox.repo import now
from tests.sandbox.conftest import client_for
from tests.sandbox.test_identities import call, systems
from tests.sandbox.test_serve import serving

SETTLE = 0.3
WAIT_S = 15.0
MISMATCH = "acs_user_profile_does_not_match_user_identity"


@pytest.fixture
def settling(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(tmp_path / "settling.sqlite3", settle_after=SETTLE)
    yield sb
    sb.close()


@pytest.fixture
async def http(settling: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    key = settling.workspaces()[0].api_key
    async with client_for(settling, authorization=f"Bearer {key}") as client:
        yield client


async def settled(
    probe: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], what: str
) -> Any:
    """Poll `probe` until `done(result)`; fail (naming `what`) after a generous bound."""
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while True:
        result = await probe()
        if done(result):
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not settle within {WAIT_S}s: {result!r}")
        await asyncio.sleep(0.05)


async def get_user(client: httpx.AsyncClient, acs_user_id: str) -> httpx.Response:
    return await client.post("/acs/users/get", json={"acs_user_id": acs_user_id})


async def user_json(client: httpx.AsyncClient, acs_user_id: str) -> dict[str, Any]:
    response = await get_user(client, acs_user_id)
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()["acs_user"]
    return user


async def identity_json(client: httpx.AsyncClient, identity_id: str) -> dict[str, Any]:
    body = await call(client, "/user_identities/get", user_identity_id=identity_id)
    identity: dict[str, Any] = body["user_identity"]
    return identity


def codes(obj: dict[str, Any], field: str = "pending_mutations") -> list[str]:
    key = {"pending_mutations": "mutation_code", "warnings": "warning_code"}.get(
        field, "error_code"
    )
    return [item[key] for item in obj[field]]


async def wait_no_mutations(client: httpx.AsyncClient, acs_user_id: str) -> dict[str, Any]:
    user: dict[str, Any] = await settled(
        lambda: user_json(client, acs_user_id),
        lambda user: not user["pending_mutations"],
        f"ACS user {acs_user_id}",
    )
    return user


async def new_user(client: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    brivo = (await systems(client))["Acme HQ Offices"]
    body = await call(
        client,
        "/acs/users/create",
        acs_system_id=brivo["acs_system_id"],
        full_name="Pat Pending",
        **extra,
    )
    user: dict[str, Any] = body["acs_user"]
    return user


async def test_create_answers_creating_then_settles(http: httpx.AsyncClient) -> None:
    before = now()
    user = await new_user(http)
    after = now()
    assert codes(user) == ["creating"]
    mutation = user["pending_mutations"][0]
    assert set(mutation) == {"mutation_code", "message", "created_at"}  # no internal field
    assert before <= mutation["created_at"] <= after
    assert user["full_name"] == "Pat Pending"
    settled_user = await wait_no_mutations(http, user["acs_user_id"])
    assert settled_user["errors"] == []
    assert settled_user["full_name"] == "Pat Pending"


async def test_update_profile_and_schedule_are_pending(http: httpx.AsyncClient) -> None:
    user = await new_user(http, email_address="pat@example.net")
    await wait_no_mutations(http, user["acs_user_id"])
    schedule = {"starts_at": "2030-01-01T00:00:00.000Z", "ends_at": "2031-01-01T00:00:00.000Z"}
    await call(
        http,
        "/acs/users/update",
        acs_user_id=user["acs_user_id"],
        full_name="Pat Renamed",
        access_schedule=schedule,
    )
    pending = await user_json(http, user["acs_user_id"])
    assert pending["full_name"] == "Pat Renamed"  # the new state at once
    by_code = {m["mutation_code"]: m for m in pending["pending_mutations"]}
    assert set(by_code) == {"updating_user_information", "updating_access_schedule"}
    info = by_code["updating_user_information"]
    assert info["from"] == {"full_name": "Pat Pending"}
    assert info["to"] == {"full_name": "Pat Renamed"}
    assert by_code["updating_access_schedule"]["to"] == schedule
    assert by_code["updating_access_schedule"]["from"]["starts_at"] is None
    settled_user = await wait_no_mutations(http, user["acs_user_id"])
    assert settled_user["full_name"] == "Pat Renamed"
    assert settled_user["access_schedule"] == schedule


async def test_suspension_pending_then_settled_and_undo_in_flight(
    http: httpx.AsyncClient,
) -> None:
    user = await new_user(http)
    await wait_no_mutations(http, user["acs_user_id"])
    await call(http, "/acs/users/suspend", acs_user_id=user["acs_user_id"])
    pending = await user_json(http, user["acs_user_id"])
    assert pending["is_suspended"] is True
    [mutation] = pending["pending_mutations"]
    assert mutation["mutation_code"] == "updating_suspension_state"
    assert (mutation["from"], mutation["to"]) == ({"is_suspended": False}, {"is_suspended": True})
    settled_user = await wait_no_mutations(http, user["acs_user_id"])
    assert settled_user["is_suspended"] is True
    # Suspend then unsuspend before it settles: nothing left to push.
    await call(http, "/acs/users/unsuspend", acs_user_id=user["acs_user_id"])
    assert codes(await user_json(http, user["acs_user_id"])) == ["updating_suspension_state"]
    await call(http, "/acs/users/suspend", acs_user_id=user["acs_user_id"])
    assert codes(await user_json(http, user["acs_user_id"])) == []


async def test_group_membership_is_pending(http: httpx.AsyncClient) -> None:
    user = await new_user(http)
    brivo = user["acs_system_id"]
    groups = (await call(http, "/acs/access_groups/list", acs_system_id=brivo))["acs_access_groups"]
    group_id = groups[0]["acs_access_group_id"]
    await wait_no_mutations(http, user["acs_user_id"])
    ids = {"acs_user_id": user["acs_user_id"], "acs_access_group_id": group_id}
    await call(http, "/acs/users/add_to_access_group", **ids)
    [added] = (await user_json(http, user["acs_user_id"]))["pending_mutations"]
    assert added["mutation_code"] == "updating_group_membership"
    assert (added["from"], added["to"]) == (
        {"acs_access_group_id": None},
        {"acs_access_group_id": group_id},
    )
    await wait_no_mutations(http, user["acs_user_id"])
    await call(http, "/acs/users/remove_from_access_group", **ids)
    [removed] = (await user_json(http, user["acs_user_id"]))["pending_mutations"]
    assert removed["to"] == {"acs_access_group_id": None}
    await wait_no_mutations(http, user["acs_user_id"])


async def test_deleted_acs_user_lingers_then_404(http: httpx.AsyncClient) -> None:
    user = await new_user(http)
    await call(http, "/acs/users/delete", acs_user_id=user["acs_user_id"])
    lingering = await user_json(http, user["acs_user_id"])
    assert "deleting" in codes(lingering)
    assert "being_deleted" in codes(lingering, "warnings")
    listed = await call(http, "/acs/users/list", acs_system_id=user["acs_system_id"])
    assert user["acs_user_id"] in [u["acs_user_id"] for u in listed["acs_users"]]
    await call(http, "/acs/users/delete", acs_user_id=user["acs_user_id"])  # again: no-op
    assert codes(await user_json(http, user["acs_user_id"])).count("deleting") == 1
    gone = await settled(
        lambda: get_user(http, user["acs_user_id"]),
        lambda response: response.status_code != 200,
        "the deleted ACS user",
    )
    assert gone.status_code == 404
    assert gone.json()["error"]["type"] == "acs_user_not_found"


async def test_deleted_identity_lingers_with_its_acs_users_then_404(
    http: httpx.AsyncClient,
) -> None:
    salto = (await systems(http))["Acme Tower"]
    identity = (
        await call(
            http,
            "/user_identities/create",
            full_name="Lee Leaving",
            acs_system_ids=[salto["acs_system_id"]],
        )
    )["user_identity"]
    identity_id = identity["user_identity_id"]
    [acs_user_id] = identity["acs_user_ids"]
    assert codes(await user_json(http, acs_user_id)) == ["creating"]
    await call(http, "/user_identities/delete", user_identity_id=identity_id)
    lingering = await identity_json(http, identity_id)
    assert codes(lingering, "warnings") == ["being_deleted"]
    assert "deleting" in codes(await user_json(http, acs_user_id))

    async def identity_status() -> int:
        response = await http.post("/user_identities/get", json={"user_identity_id": identity_id})
        return response.status_code

    assert await settled(identity_status, lambda status: status != 200, "identity") == 404
    assert (await get_user(http, acs_user_id)).status_code == 404


async def test_profile_mismatch_appears_and_clears(http: httpx.AsyncClient) -> None:
    salto = (await systems(http))["Acme Tower"]
    identity = (
        await call(
            http,
            "/user_identities/create",
            full_name="Morgan Match",
            email_address="morgan@example.net",
            acs_system_ids=[salto["acs_system_id"]],
        )
    )["user_identity"]
    identity_id = identity["user_identity_id"]
    [acs_user_id] = identity["acs_user_ids"]
    await wait_no_mutations(http, acs_user_id)
    assert MISMATCH not in codes(await identity_json(http, identity_id), "warnings")
    # The identity's new name is pushed to its ACS user: pending, and a mismatch meanwhile.
    await call(http, "/user_identities/update", user_identity_id=identity_id, full_name="Morgan M")
    assert MISMATCH in codes(await identity_json(http, identity_id), "warnings")
    [mutation] = (await user_json(http, acs_user_id))["pending_mutations"]
    assert mutation["mutation_code"] == "updating_user_information"
    assert (mutation["from"], mutation["to"]) == (
        {"full_name": "Morgan Match"},
        {"full_name": "Morgan M"},
    )
    settled_user = await wait_no_mutations(http, acs_user_id)
    assert settled_user["full_name"] == "Morgan M"
    assert MISMATCH not in codes(await identity_json(http, identity_id), "warnings")
    # An ACS user changed on its own stays different from its identity: the warning stays.
    await call(http, "/acs/users/update", acs_user_id=acs_user_id, full_name="Someone Else")
    await wait_no_mutations(http, acs_user_id)
    assert MISMATCH in codes(await identity_json(http, identity_id), "warnings")


async def test_failed_pushes_become_errors(settling: Sandbox, http: httpx.AsyncClient) -> None:
    settling.faults = FaultConfig(push_failure_rate=1.0, seed=14)
    created = await new_user(http)
    user = await wait_no_mutations(http, created["acs_user_id"])
    assert codes(user, "errors") == ["failed_to_create_on_acs_system"]
    await call(http, "/acs/users/suspend", acs_user_id=user["acs_user_id"])
    user = await wait_no_mutations(http, user["acs_user_id"])
    assert "failed_to_update_on_acs_system" in codes(user, "errors")
    await call(http, "/acs/users/delete", acs_user_id=user["acs_user_id"])
    user = await wait_no_mutations(http, user["acs_user_id"])  # still there: the delete failed
    assert "failed_to_delete_on_acs_system" in codes(user, "errors")
    assert "being_deleted" not in codes(user, "warnings")
    for error in user["errors"]:
        assert set(error) == {"error_code", "message", "created_at"}


async def test_failed_identity_delete_leaves_it_with_the_error(
    settling: Sandbox, http: httpx.AsyncClient
) -> None:
    salto = (await systems(http))["Acme Tower"]
    identity = (
        await call(
            http,
            "/user_identities/create",
            full_name="Stu Stuck",
            acs_system_ids=[salto["acs_system_id"]],
        )
    )["user_identity"]
    identity_id = identity["user_identity_id"]
    await wait_no_mutations(http, identity["acs_user_ids"][0])
    settling.faults = FaultConfig(push_failure_rate=1.0, seed=14)
    await call(http, "/user_identities/delete", user_identity_id=identity_id)
    stuck = await settled(
        lambda: identity_json(http, identity_id),
        lambda identity: "being_deleted" not in codes(identity, "warnings"),
        "the identity's failed delete",
    )
    assert codes(stuck, "errors") == ["issue_with_acs_user"]


async def test_push_failures_repeat_with_the_same_seed(tmp_path: Path) -> None:
    async def outcomes(name: str) -> list[bool]:
        sb = Sandbox(tmp_path / name, settle_after=0.05)
        sb.faults = FaultConfig(push_failure_rate=0.5, seed=99)
        try:
            async with client_for(sb, authorization=f"Bearer {sb.workspaces()[0].api_key}") as c:
                brivo = (await systems(c))["Acme HQ Offices"]["acs_system_id"]
                results = []
                for index in range(8):
                    body = await call(
                        c, "/acs/users/create", acs_system_id=brivo, full_name=f"Seeded {index}"
                    )
                    user = await wait_no_mutations(c, body["acs_user"]["acs_user_id"])
                    results.append(bool(user["errors"]))
                return results
        finally:
            sb.close()

    first = await outcomes("a.sqlite3")
    assert first == await outcomes("b.sqlite3")
    assert True in first  # a rate of 0.5 over 8 draws, with this seed: some fail,
    assert False in first  # and some do not


async def test_settle_after_zero_applies_at_once(
    settling: Sandbox, http: httpx.AsyncClient
) -> None:
    settling.settle_after = 0.0  # changed at runtime
    user = await new_user(http)
    assert user["pending_mutations"] == []
    await call(http, "/acs/users/suspend", acs_user_id=user["acs_user_id"])
    assert (await user_json(http, user["acs_user_id"]))["pending_mutations"] == []
    await call(http, "/acs/users/delete", acs_user_id=user["acs_user_id"])
    assert (await get_user(http, user["acs_user_id"])).status_code == 404


async def test_demo_states_stay_pending(http: httpx.AsyncClient) -> None:
    """Every pending state is in the demo, and none of them settles."""
    await new_user(http)  # a request later, so a purge has run
    users = (await call(http, "/acs/users/list", limit=500))["acs_users"]
    names = {u["full_name"]: u for u in users}
    mutations = {code for u in users for code in codes(u)}
    assert {
        "creating",
        "deleting",
        "updating_user_information",
        "updating_access_schedule",
        "updating_suspension_state",
        "updating_group_membership",
    } <= mutations
    assert "being_deleted" in codes(names["Former Tenant - Dana Wu"], "warnings")
    identities = (await call(http, "/user_identities/list", limit=500))["user_identities"]
    by_identity = {i["full_name"]: codes(i, "warnings") for i in identities}
    assert by_identity["Isabella Costa"] == ["being_deleted"]
    assert by_identity["Hannah Schmidt"] == [MISMATCH]
    assert sum(1 for warnings in by_identity.values() if warnings) == 2
    for user in users:
        for mutation in user["pending_mutations"]:
            assert "settle_at" not in mutation


async def test_an_older_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Sandbox(path).close()
    with sqlite3.connect(path) as db:  # as a database from before settling
        db.execute("DROP INDEX acs_users_settle")
        db.execute("DROP INDEX user_identities_settle")
        db.execute("ALTER TABLE acs_users DROP COLUMN settle_at")
        db.execute("ALTER TABLE user_identities DROP COLUMN settle_at")
        db.execute("ALTER TABLE user_identities DROP COLUMN warnings")
    sb = Sandbox(path, settle_after=0.05)
    try:
        async with client_for(sb, authorization=f"Bearer {sb.workspaces()[0].api_key}") as c:
            user = await new_user(c)
            assert codes(user) == ["creating"]
            await wait_no_mutations(c, user["acs_user_id"])
            identities = (await call(c, "/user_identities/list"))["user_identities"]
            assert identities
    finally:
        sb.close()


def test_serve_settle_after_option(tmp_path: Path) -> None:
    with serving(tmp_path / "served.sqlite3", "--settle-after", "0.3") as (_, info):
        assert info["settle_after"] == 0.3
        key = info["workspaces"][0]["api_key"]
        with httpx.Client(base_url=info["url"], headers={"authorization": f"Bearer {key}"}) as c:
            brivo = next(
                s
                for s in c.post("/acs/systems/list", json={}).json()["acs_systems"]
                if s["name"] == "Acme HQ Offices"
            )
            created = c.post(
                "/acs/users/create",
                json={"acs_system_id": brivo["acs_system_id"], "full_name": "Served Pending"},
            ).json()["acs_user"]
            assert codes(created) == ["creating"]
            ids = {"acs_user_id": created["acs_user_id"]}
            assert c.post("/acs/users/delete", json=ids).status_code == 200
            assert "being_deleted" in codes(
                c.post("/acs/users/get", json=ids).json()["acs_user"], "warnings"
            )
            for _ in range(int(WAIT_S / 0.05)):
                if c.post("/acs/users/get", json=ids).status_code == 404:
                    break
                time.sleep(0.05)
            assert c.post("/acs/users/get", json=ids).status_code == 404


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--settle-after", "-1", "from 0 to 86400"),
        ("--settle-after", "soon", "from 0 to 86400"),
        ("--push-failure-rate", "1.5", "from 0 to 1"),
    ],
)
def test_serve_refuses_bad_settling_options(
    option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", option, value])
    err = capsys.readouterr().err
    assert option in err
    assert said in err


async def test_identity_update_pushed_at_once_with_settle_zero(
    settling: Sandbox, http: httpx.AsyncClient
) -> None:
    """With settling off an identity's new name reaches its ACS user at once: no mutation, no
    mismatch warning; a removed email is not pushed (the ACS user keeps its own)."""
    settling.settle_after = 0.0
    salto = (await systems(http))["Acme Tower"]
    identity = (
        await call(
            http,
            "/user_identities/create",
            full_name="Ora Once",
            email_address="ora@example.net",
            acs_system_ids=[salto["acs_system_id"]],
        )
    )["user_identity"]
    identity_id, [acs_user_id] = identity["user_identity_id"], identity["acs_user_ids"]
    await call(
        http,
        "/user_identities/update",
        user_identity_id=identity_id,
        full_name="Ora Now",
        email_address=None,
    )
    user = await user_json(http, acs_user_id)
    assert (user["full_name"], user["email_address"]) == ("Ora Now", "ora@example.net")
    assert user["pending_mutations"] == []
    assert (await identity_json(http, identity_id))["warnings"] == []


async def test_deleting_a_demo_object_being_deleted_settles(http: httpx.AsyncClient) -> None:
    """The demo's never-settling delete is replaced when it is deleted again."""
    identities = (await call(http, "/user_identities/list", limit=500))["user_identities"]
    isabella = next(i for i in identities if i["full_name"] == "Isabella Costa")
    await call(http, "/user_identities/delete", user_identity_id=isabella["user_identity_id"])

    async def status() -> int:
        response = await http.post(
            "/user_identities/get", json={"user_identity_id": isabella["user_identity_id"]}
        )
        return response.status_code

    assert await settled(status, lambda code: code != 200, "Isabella's delete") == 404
    for acs_user_id in isabella["acs_user_ids"]:
        assert (await get_user(http, acs_user_id)).status_code == 404
