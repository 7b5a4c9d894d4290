"""Identity search: case-insensitive substring of any searched field, in list order, the same
whether a term is found from the index (rare or long terms) or by walking the list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.sandbox.conftest import client_for

FIELDS = ("full_name", "email_address", "phone_number", "user_identity_id")
# Enough rows that the trigrams every bulk identity has ("@ex", "net", its tag) are common.
SEEDED = 6_000


@pytest.fixture
def bulk(sandbox: Sandbox) -> SandboxWorkspace:
    workspace = sandbox.create_workspace("Bulk")
    sandbox.seed_identities(workspace.workspace_id, SEEDED)
    return workspace


@pytest.fixture
async def client(sandbox: Sandbox, bulk: SandboxWorkspace) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the bulk workspace."""
    async with client_for(sandbox, authorization=f"Bearer {bulk.api_key}") as http:
        yield http


async def pages(client: httpx.AsyncClient, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of `/user_identities/list`, following the cursor."""
    result: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        sent = params if cursor is None else {**params, "page_cursor": cursor}
        response = await client.get("/user_identities/list", params=sent)
        assert response.status_code == 200, response.text
        body = response.json()
        result.append(body["user_identities"])
        cursor = body["pagination"]["next_page_cursor"]
        if cursor is None:
            return result


async def search(client: httpx.AsyncClient, term: str, limit: int = 1000) -> list[str]:
    """Ids of every identity found for `term`, in list order."""
    found = await pages(client, search=term, limit=limit)
    return [identity["user_identity_id"] for page in found for identity in page]


def containing(everyone: list[dict[str, Any]], term: str) -> list[str]:
    """Ids of the identities with a field that contains `term`, ignoring (ASCII) case."""
    return [
        identity["user_identity_id"]
        for identity in everyone
        if any(term.lower() in (identity[field] or "").lower() for field in FIELDS)
    ]


async def test_search_finds_what_a_scan_finds(client: httpx.AsyncClient) -> None:
    everyone = [identity for page in await pages(client, limit=1000) for identity in page]
    assert len(everyone) == SEEDED
    first, middle, last = everyone[0], everyone[SEEDED // 2], everyone[-1]
    terms = [
        *(person["email_address"] for person in (first, middle, last)),
        middle["email_address"].upper(),
        middle["email_address"].split("@")[0],  # the local part
        middle["email_address"][3:-3],
        middle["phone_number"],
        middle["phone_number"][-7:],
        middle["user_identity_id"],
        middle["user_identity_id"][:8].upper(),
        middle["full_name"],
        "lex Bak",
        "alex.anders",
        "example.net",
        "nobody.here@example.net",  # common trigrams only, matches nothing
        "example_net",  # `_` is a character, not a wildcard
        '"alex.anders',  # a quote is a character too
        f"{middle['full_name']} {middle['email_address']}",  # spans two fields
        "jo",
    ]
    for term in terms:
        assert await search(client, term) == containing(everyone, term), term


async def test_whole_email_finds_that_identity(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/user_identities/list", params={"limit": 1000})).json()
    middle = listed["user_identities"][500]
    email = middle["email_address"]
    for term in (email, email.upper(), email.title()):
        assert await search(client, term) == [middle["user_identity_id"]], term


async def test_email_within_another_email_finds_both(client: httpx.AsyncClient) -> None:
    emails = ["ann.lee@example.net", "joann.lee@example.net", "ann.leeds@example.net"]
    ids = []
    for email in emails:
        response = await client.post("/user_identities/create", json={"email_address": email})
        ids.append(response.json()["user_identity"]["user_identity_id"])
    assert await search(client, "ann.lee@example.net") == ids[:2]
    assert await search(client, "ANN.LEE@Example.NET") == ids[:2]
    assert await search(client, "joann.lee@example.net") == ids[1:2]


async def test_search_pages_are_one_page_cut_up(client: httpx.AsyncClient) -> None:
    for term, limit in (("alex.anders", 4), ("lex Baker", 4), ("baker", 40)):
        (whole,) = await pages(client, search=term, limit=1000)
        cut = await pages(client, search=term, limit=limit)
        assert [identity for page in cut for identity in page] == whole, term
        assert len(cut) > 1
        assert all(len(page) == limit for page in cut[:-1])


async def test_non_ascii_term_ignores_case(sandbox: Sandbox, acme: SandboxWorkspace) -> None:
    async with client_for(sandbox, authorization=f"Bearer {acme.api_key}") as http:
        found = await search(http, "TOMÁS GARCÍA")
        names = [
            (await http.get("/user_identities/get", params={"user_identity_id": found_id})).json()[
                "user_identity"
            ]["full_name"]
            for found_id in found
        ]
    assert names == ["Tomás García"]
