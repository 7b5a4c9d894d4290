"""`/user_identities/generate_instant_key` and `/instant_keys/*`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for
from tests.sandbox.test_access_devices import error_of, identity_named
from tests.sandbox.test_identities import MISSING_ID, call

KEY_FIELDS = {
    "instant_key_id", "instant_key_url", "client_session_id", "user_identity_id",
    "workspace_id", "created_at", "expires_at",
}  # fmt: skip
URL = re.compile(r"^https://ik\.seam\.co/[A-Za-z0-9]{10}$")


def lifetime(key: dict[str, str]) -> timedelta:
    return datetime.fromisoformat(key["expires_at"]) - datetime.fromisoformat(key["created_at"])


async def test_demo_key_and_generate(
    client: httpx.AsyncClient, sandbox: Sandbox, acme: SandboxWorkspace
) -> None:
    marcus = await identity_named(client, "Marcus Chen")
    demo_keys = (await call(client, "/instant_keys/list"))["instant_keys"]
    assert [k["user_identity_id"] for k in demo_keys] == [marcus["user_identity_id"]]
    zara = (await identity_named(client, "Zara Ahmed"))["user_identity_id"]
    key = (
        await call(
            client, "/user_identities/generate_instant_key", user_identity_id=zara, max_use_count=3
        )
    )["instant_key"]
    assert set(key) == KEY_FIELDS  # max_use_count is kept, not returned
    assert URL.match(key["instant_key_url"])
    assert key["workspace_id"] == acme.workspace_id
    assert lifetime(key) == timedelta(hours=48)
    with sandbox.write() as db:
        stored = db.execute(
            "SELECT max_use_count FROM instant_keys WHERE instant_key_id = ?",
            (key["instant_key_id"],),
        ).fetchone()[0]
    assert stored == 3
    default = (await call(client, "/user_identities/generate_instant_key", user_identity_id=zara))[
        "instant_key"
    ]
    assert default["instant_key_url"] != key["instant_key_url"]
    assert default["client_session_id"] != key["client_session_id"]
    mine = (await call(client, "/instant_keys/list", user_identity_id=zara))["instant_keys"]
    assert mine == [key, default]
    assert (
        await client.get("/user_identities/generate_instant_key", params={"user_identity_id": zara})
    ).status_code == 405


async def test_generate_errors(client: httpx.AsyncClient) -> None:
    zara = (await identity_named(client, "Zara Ahmed"))["user_identity_id"]
    for count in (0, 0.5, -2, "two"):
        response = await client.post(
            "/user_identities/generate_instant_key",
            json={"user_identity_id": zara, "max_use_count": count},
        )
        error = await error_of(response, 400)
        assert error["type"] == "invalid_input"
        assert "max_use_count" in error["validation_errors"]
    unknown = await client.post(
        "/user_identities/generate_instant_key", json={"user_identity_id": MISSING_ID}
    )
    assert (await error_of(unknown, 404))["type"] == "user_identity_not_found"


async def test_get_by_id_or_url_and_delete(client: httpx.AsyncClient) -> None:
    key = (await call(client, "/instant_keys/list"))["instant_keys"][0]
    by_id = await client.get("/instant_keys/get", params={"instant_key_id": key["instant_key_id"]})
    assert by_id.json()["instant_key"] == key
    by_url = await call(client, "/instant_keys/get", instant_key_url=key["instant_key_url"])
    assert by_url["instant_key"] == key
    both = await client.post(
        "/instant_keys/get",
        json={"instant_key_id": key["instant_key_id"], "instant_key_url": key["instant_key_url"]},
    )
    assert (await error_of(both, 400))["type"] == "invalid_input"
    target = {"instant_key_id": key["instant_key_id"]}
    assert (await client.delete("/instant_keys/delete", params=target)).json() == {"ok": True}
    for response in (
        await client.get("/instant_keys/get", params=target),
        await client.delete("/instant_keys/delete", params=target),
        await client.get("/instant_keys/get", params={"instant_key_url": "https://ik.seam.co/x"}),
    ):
        assert (await error_of(response, 404))["type"] == "instant_key_not_found"
    assert (await call(client, "/instant_keys/list"))["instant_keys"] == []


async def test_keys_are_per_workspace(
    client: httpx.AsyncClient, sandbox: Sandbox, globex: SandboxWorkspace
) -> None:
    key = (await call(client, "/instant_keys/list"))["instant_keys"][0]
    async with client_for(sandbox, authorization=f"Bearer {globex.api_key}") as other:
        assert (await call(other, "/instant_keys/list"))["instant_keys"] == []
        for response in (
            await other.post("/instant_keys/get", json={"instant_key_url": key["instant_key_url"]}),
            await other.post(
                "/instant_keys/delete", json={"instant_key_id": key["instant_key_id"]}
            ),
        ):
            assert (await error_of(response, 404))["type"] == "instant_key_not_found"
        hidden = await other.post(
            "/user_identities/generate_instant_key",
            json={"user_identity_id": key["user_identity_id"]},
        )
        assert (await error_of(hidden, 404))["type"] == "user_identity_not_found"
    assert (await call(client, "/instant_keys/list"))["instant_keys"] == [key]


async def test_deleting_an_identity_deletes_its_keys(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    marcus = (await identity_named(client, "Marcus Chen"))["user_identity_id"]
    await call(client, "/user_identities/generate_instant_key", user_identity_id=marcus)
    assert sandbox.count("instant_keys") == 2
    await call(client, "/user_identities/delete", user_identity_id=marcus)
    sandbox.settle_all()  # with settling on, the delete is done once pushed
    assert sandbox.count("instant_keys") == 0
