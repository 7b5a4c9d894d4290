"""Retries under the sandbox's injected faults: reads recover, writes are never applied twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from seam_tui.core import (
    RetryPolicy,
    SeamClient,
    SeamConnectError,
    SeamInvalidResponseError,
    SeamRateLimitedError,
    SeamServerError,
)
from seam_tui.sandbox import FaultConfig, Sandbox, SandboxWorkspace

PATIENT = RetryPolicy(max_retries=12, backoff_factor=0.001, max_retry_after=1.0)


class Attempts:
    """Counts the HTTP requests a client sends (an httpx event hook, not a mock)."""

    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, request: httpx.Request) -> None:
        self.count += 1


@pytest.fixture
async def counted(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> AsyncIterator[tuple[SeamClient, Attempts]]:
    attempts = Attempts()
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=PATIENT,
    ) as seam:
        seam._http.event_hooks["request"].append(attempts)
        yield seam, attempts


def faults(kinds: set[str], rate: float, seed: int = 7) -> FaultConfig:
    return FaultConfig(
        rate=rate, kinds=frozenset(kinds), latency_s=0.01, retry_after_s=0.01, seed=seed
    )


async def test_reads_complete_through_mixed_faults(
    sandbox: Sandbox, counted: tuple[SeamClient, Attempts]
) -> None:
    seam, attempts = counted
    sandbox.faults = faults({"500", "429", "drop", "latency"}, rate=0.4)
    names = set()
    for _ in range(25):
        page = await seam.user_identities.list(limit=5)
        names.add(len(page.items))
    assert names == {5}
    assert attempts.count > 25  # some requests failed and were retried


async def test_reads_give_up_after_max_retries(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> None:
    sandbox.faults = faults({"500"}, rate=1.0)
    attempts = Attempts()
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=RetryPolicy(max_retries=2, backoff_factor=0.001),
    ) as seam:
        seam._http.event_hooks["request"].append(attempts)
        with pytest.raises(SeamServerError) as info:
            await seam.acs.systems.list()
    assert attempts.count == 3
    assert info.value.status == 500
    assert info.value.request_id


async def test_write_is_not_retried_after_a_server_error(
    sandbox: Sandbox, counted: tuple[SeamClient, Attempts]
) -> None:
    seam, attempts = counted
    before = sandbox.count("user_identities")
    sandbox.faults = faults({"500"}, rate=1.0)
    with pytest.raises(SeamServerError):
        await seam.user_identities.create(full_name="Once Only")
    assert attempts.count == 1
    sandbox.faults = FaultConfig()
    assert sandbox.count("user_identities") == before


async def test_dropped_write_is_reported_not_repeated(
    sandbox: Sandbox, counted: tuple[SeamClient, Attempts]
) -> None:
    seam, attempts = counted
    before = sandbox.count("user_identities")
    sandbox.faults = faults({"drop"}, rate=1.0)
    for n in range(10):
        with pytest.raises(SeamConnectError, match="may or may not have been applied"):
            await seam.user_identities.create(full_name=f"Dropped {n}")
    assert attempts.count == 10
    sandbox.faults = FaultConfig()
    applied = sandbox.count("user_identities") - before
    assert 0 <= applied <= 10  # a drop after the handler ran leaves the write applied, once


async def test_writes_retried_on_429_are_applied_exactly_once(
    sandbox: Sandbox, counted: tuple[SeamClient, Attempts]
) -> None:
    seam, attempts = counted
    before = sandbox.count("user_identities")
    sandbox.faults = faults({"429"}, rate=0.5)
    for n in range(20):
        await seam.user_identities.create(full_name=f"Rate Limited {n}")
    sandbox.faults = FaultConfig()
    assert sandbox.count("user_identities") == before + 20
    assert attempts.count > 20


async def test_rate_limit_surfaces_retry_after_when_retries_run_out(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"429"}), retry_after_s=0.01)
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=RetryPolicy(max_retries=1),
    ) as seam:
        with pytest.raises(SeamRateLimitedError) as info:
            await seam.user_identities.list()
    assert info.value.status == 429
    assert info.value.retry_after == pytest.approx(0.01)


def test_backoff_honours_retry_after() -> None:
    policy = RetryPolicy(max_retries=3, backoff_factor=0.5, max_retry_after=10)
    advised = httpx.Response(429, headers={"Retry-After": "2.5"})
    assert policy.delay(0, advised) == 2.5
    too_long = httpx.Response(429, headers={"Retry-After": "60"})
    assert policy.delay(0, too_long) is None
    assert policy.delay(3) is None
    first, third = policy.delay(0), policy.delay(2)
    assert first is not None
    assert third is not None
    assert 0.375 <= first <= 0.625
    assert 1.5 <= third <= 2.5


async def test_non_api_error_body_is_still_typed() -> None:
    """A proxy's HTML 502 page (not something the sandbox makes) becomes a SeamServerError."""

    def proxy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad Gateway</html>")

    async with SeamClient(
        api_key="seam_test_proxy",
        endpoint="http://proxy.invalid",
        transport=httpx.MockTransport(proxy),
        retry=RetryPolicy(max_retries=0),
    ) as seam:
        with pytest.raises(SeamServerError) as info:
            await seam.workspaces.get()
    assert info.value.status == 502
    assert info.value.type == "http_502"
    assert "seam_test_proxy" not in str(info.value)


async def test_a_list_of_the_wrong_shape_is_an_invalid_response() -> None:
    """A 200 whose items are not identities (a broken proxy, a changed API) is a clear error."""

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "user_identities": [{"user_identity_id": 1}]})

    async with SeamClient(
        api_key="seam_test_shape",
        endpoint="http://broken.invalid",
        transport=httpx.MockTransport(broken),
    ) as seam:
        with pytest.raises(SeamInvalidResponseError, match="user_identities"):
            await seam.user_identities.list()
