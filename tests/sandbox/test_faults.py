"""Fault injection: each kind at rate 1.0, and the two moments of a dropped connection."""

from __future__ import annotations

import time

import httpx
import pytest

from seam_tui.sandbox import FaultConfig, Sandbox
from tests.sandbox.conftest import client_for

CREATE = {"full_name": "Faulty"}


async def test_500_applies_nothing(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"500"}))
    before = sandbox.count("user_identities")
    response = await client.post("/user_identities/create", json=CREATE)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["type"] == "internal_server_error"
    assert error["request_id"] == response.headers["seam-request-id"]
    assert sandbox.count("user_identities") == before


async def test_429_has_retry_after(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.rate = 1.0
    sandbox.faults.kinds = frozenset({"429"})
    sandbox.faults.retry_after_s = 3
    before = sandbox.count("user_identities")
    response = await client.post("/user_identities/create", json=CREATE)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["type"] == "rate_limited"
    assert sandbox.count("user_identities") == before


async def test_latency_then_normal_answer(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"latency"}), latency_s=0.2)
    started = time.perf_counter()
    response = await client.post("/user_identities/create", json=CREATE)
    assert time.perf_counter() - started >= 0.2
    assert response.status_code == 200


async def test_drop_before_and_after(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"drop"}), seed=7)
    before = sandbox.count("user_identities")
    applied = []
    for index in range(12):
        count = sandbox.count("user_identities")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/user_identities/create", json={"full_name": f"Drop {index}"})
        applied.append(sandbox.count("user_identities") - count)
    # Every drop applied the write once or not at all, and both cases happened.
    assert set(applied) == {0, 1}
    assert sandbox.count("user_identities") == before + sum(applied)


async def test_faults_are_deterministic_with_a_seed(sandbox: Sandbox) -> None:
    outcomes = []
    for _ in range(2):
        sandbox.faults = FaultConfig(rate=0.5, kinds=frozenset({"500", "429"}), seed=42)
        key = sandbox.workspaces()[0].api_key
        async with client_for(sandbox, authorization=f"Bearer {key}") as http:
            outcomes.append([(await http.get("/workspaces/get")).status_code for _ in range(20)])
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {200, 429, 500}


async def test_rate_zero_never_faults(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=0.0)
    for _ in range(20):
        assert (await client.get("/workspaces/get")).status_code == 200
