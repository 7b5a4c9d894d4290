"""The sandbox's input limits, in-process: NUL refused in every string param of every endpoint,
a per-string length cap, a body cap, and every other character stored and returned as sent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.app import ENDPOINTS
from seam_tui.sandbox.limits import MAX_BODY_BYTES
from seam_tui.sandbox.params import MAX_STRING_LENGTH, NUL_MESSAGE, Param

STRING_KINDS = {"string", "uuid", "email", "datetime", "enum"}
LONG_MESSAGE = f"String must contain at most {MAX_STRING_LENGTH} character(s)"


def string_leaves(
    fields: Mapping[str, Param], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Param]]:
    """Every string-valued place in a schema: params, nested fields and array items (item 0)."""
    for name, spec in fields.items():
        here = (*path, name)
        if spec.kind in STRING_KINDS:
            yield here, spec
        elif spec.kind == "object":
            yield from string_leaves(spec.fields, here)
        elif spec.kind == "array" and spec.items is not None:
            if spec.items.kind in STRING_KINDS:
                yield (*here, 0), spec.items
            elif spec.items.kind == "object":
                yield from string_leaves(spec.items.fields, (*here, 0))


def params_with(path: tuple[str | int, ...], value: str) -> dict[str, Any]:
    """A params object with `value` at `path` (lists for integer parts)."""
    root: dict[str, Any] = {}
    node: Any = root
    for part, after in zip(path, (*path[1:], None), strict=True):
        child: Any = value if after is None else ([] if isinstance(after, int) else {})
        if isinstance(node, list):
            node.append(child)
        else:
            node[part] = child
        node = child
    return root


def error_at(body: dict[str, Any], path: tuple[str | int, ...]) -> list[str]:
    node = body["error"]["validation_errors"]
    for part in path:
        node = node.get(str(part), {})
    errors: list[str] = node.get("_errors", [])
    return errors


CASES = [
    pytest.param(endpoint.path, leaf, id=f"{endpoint.path}:{'.'.join(map(str, leaf))}")
    for endpoint in ENDPOINTS.values()
    for leaf, _spec in string_leaves(endpoint.schema.fields)
]


@pytest.mark.parametrize(("path", "leaf"), CASES)
async def test_nul_in_any_string_param_is_a_400_naming_it(
    client: httpx.AsyncClient, sandbox: Sandbox, path: str, leaf: tuple[str | int, ...]
) -> None:
    before = sandbox.count("user_identities"), sandbox.count("acs_users")
    response = await client.post(path, json=params_with(leaf, "HOSTILE\x00nul"))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"]["type"] == "invalid_input"
    assert NUL_MESSAGE in error_at(body, leaf)
    assert (sandbox.count("user_identities"), sandbox.count("acs_users")) == before


@pytest.mark.parametrize(
    "path", [path for path, endpoint in ENDPOINTS.items() if "search" in endpoint.schema.fields]
)
async def test_nul_in_a_search_is_a_400_in_the_body_and_the_query(
    client: httpx.AsyncClient, path: str
) -> None:
    posted = await client.post(path, json={"search": "a\x00"})
    queried = await client.get(path, params={"search": "\x00"})
    for response in (posted, queried):
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["message"] == f'{NUL_MESSAGE} for "search"'
        assert error["validation_errors"] == {"_errors": [], "search": {"_errors": [NUL_MESSAGE]}}


async def test_a_string_at_the_cap_is_kept_and_one_more_is_a_400(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    at_cap = "長" * MAX_STRING_LENGTH
    created = await client.post("/user_identities/create", json={"full_name": at_cap})
    assert created.status_code == 200, created.text[:300]
    assert created.json()["user_identity"]["full_name"] == at_cap
    count = sandbox.count("user_identities")
    over = await client.post(
        "/user_identities/create",
        json={"full_name": "x" * (MAX_STRING_LENGTH + 1), "email_address": "a@example.com"},
    )
    assert over.status_code == 400
    body = over.json()
    assert body["error"]["message"] == f'{LONG_MESSAGE} for "full_name"'
    assert error_at(body, ("full_name",)) == [LONG_MESSAGE]
    assert sandbox.count("user_identities") == count


@pytest.mark.parametrize(
    ("path", "params", "leaf"),
    [
        ("/user_identities/list", {"search": "x" * (MAX_STRING_LENGTH + 1)}, ("search",)),
        (
            "/acs/users/create",
            {
                "acs_system_id": "00000000-0000-4000-8000-000000000000",
                "full_name": "X",
                "access_schedule": {"starts_at": "2" * (MAX_STRING_LENGTH + 1)},
            },
            ("access_schedule", "starts_at"),
        ),
        (
            "/user_identities/create",
            {"acs_system_ids": ["0" * (MAX_STRING_LENGTH + 1)]},
            ("acs_system_ids", 0),
        ),
        ("/acs/users/list", {"user_identity_id": "f" * 50_000}, ("user_identity_id",)),
    ],
)
async def test_the_length_cap_names_nested_and_listed_params(
    client: httpx.AsyncClient, path: str, params: dict[str, Any], leaf: tuple[str | int, ...]
) -> None:
    response = await client.post(path, json=params)
    assert response.status_code == 400
    assert error_at(response.json(), leaf) == [LONG_MESSAGE]


async def test_every_other_character_is_stored_and_returned_as_sent(
    client: httpx.AsyncClient,
) -> None:
    controls = "".join(chr(c) for c in range(1, 32)) + "\x7f" + "".join(map(chr, range(128, 160)))
    name = f"HOSTILE {controls} \u202e\u200b\ufeff \U000e0041 \ufffe\uffff"
    created = await client.post("/user_identities/create", json={"full_name": name})
    assert created.status_code == 200, created.text
    identity_id = created.json()["user_identity"]["user_identity_id"]
    fetched = await client.get("/user_identities/get", params={"user_identity_id": identity_id})
    assert fetched.json()["user_identity"]["full_name"] == name
    found = await client.post("/user_identities/list", json={"search": "\x01\x02\x03"})
    assert found.status_code == 200
    assert [i["full_name"] for i in found.json()["user_identities"]] == [name]


async def test_a_lone_surrogate_becomes_the_replacement_character(
    client: httpx.AsyncClient,
) -> None:
    raw = b'{"full_name": "HOSTILE \\ud800 lone \\udfff"}'
    response = await client.post(
        "/user_identities/create", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["user_identity"]["full_name"] == "HOSTILE \ufffd lone \ufffd"
    searched = await client.post(
        "/user_identities/list",
        content=b'{"search": "\\udfff"}',
        headers={"content-type": "application/json"},
    )
    assert searched.status_code == 200, searched.text


async def test_deeply_nested_json_is_a_400(client: httpx.AsyncClient) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = await client.post(
        "/user_identities/create", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The request body is nested too deeply"


async def test_a_body_over_the_cap_is_a_413_and_changes_nothing(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    count = sandbox.count("user_identities")
    json_type = {"content-type": "application/json"}

    def body(size: int) -> bytes:
        return b'{"full_name": "' + b"x" * (size - len(b'{"full_name": ""}')) + b'"}'

    exactly = await client.post(
        "/user_identities/create", content=body(MAX_BODY_BYTES), headers=json_type
    )
    assert exactly.status_code == 400  # read whole: the length cap answers, not the body cap
    over = await client.post(
        "/user_identities/create", content=body(MAX_BODY_BYTES + 1), headers=json_type
    )
    assert over.status_code == 413
    error = over.json()["error"]
    assert error["type"] == "request_too_large"
    assert str(MAX_BODY_BYTES) in error["message"]
    assert error["request_id"] == over.headers["seam-request-id"]
    assert sandbox.count("user_identities") == count


async def test_a_streamed_body_over_the_cap_is_a_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        yield b'{"full_name": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 1):
            yield b"x" * 65536

    response = await client.post(
        "/user_identities/create", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
