"""The contract scenarios against the sandbox always (settling off, and on as the real API
settles), and against a live endpoint when asked.

The live run is skipped unless SEAM_API_KEY is set (SEAM_ENDPOINT optional); use a sandbox
workspace's key: the scenarios create and delete their own data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from seam_tui.core import SeamClient
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from tests.conftest import FAST_RETRY, LIVE_ENV
from tests.contract.scenarios import SCENARIOS, Scenario

NAMES = [s.__name__ for s in SCENARIOS]
SETTLE_S = 0.3  # the sandbox's settle delay for the settling run


@pytest.fixture(params=[0.0, SETTLE_S], ids=["settle-0", "settle-on"])
async def sandbox_client(
    request: pytest.FixtureRequest, sandbox: Sandbox, workspace: SandboxWorkspace
) -> AsyncIterator[SeamClient]:
    sandbox.settle_after = request.param
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as seam:
        yield seam


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
async def test_scenario_on_sandbox(scenario: Scenario, sandbox_client: SeamClient) -> None:
    await scenario(sandbox_client)


async def test_settling_run_sees_pending_states(
    sandbox: Sandbox, workspace: SandboxWorkspace
) -> None:
    """The settle-on run really settles: a write there answers pending (so the scenarios'
    waits are exercised, not skipped)."""
    sandbox.settle_after = SETTLE_S
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as seam:
        system = (await seam.acs.systems.list())[0]
        user = await seam.acs.users.create(acs_system_id=system.acs_system_id, full_name="P")
        assert [m.mutation_code for m in user.pending_mutations] == ["creating"]


@pytest.mark.live
@pytest.mark.skipif("SEAM_API_KEY" not in LIVE_ENV, reason="set SEAM_API_KEY to run live")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
async def test_scenario_live(scenario: Scenario) -> None:
    async with SeamClient.from_env(LIVE_ENV) as seam:
        await scenario(seam)
