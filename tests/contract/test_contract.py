"""The contract scenarios against the sandbox always, and against a live endpoint when asked.

The live run is skipped unless SEAM_API_KEY is set (SEAM_ENDPOINT optional); use a sandbox
workspace's key: the scenarios create and delete their own data.
"""

from __future__ import annotations

import pytest

from seam_tui.core import SeamClient
from tests.conftest import LIVE_ENV
from tests.contract.scenarios import SCENARIOS, Scenario

NAMES = [s.__name__ for s in SCENARIOS]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
async def test_scenario_on_sandbox(scenario: Scenario, client: SeamClient) -> None:
    await scenario(client)


@pytest.mark.live
@pytest.mark.skipif("SEAM_API_KEY" not in LIVE_ENV, reason="set SEAM_API_KEY to run live")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
async def test_scenario_live(scenario: Scenario) -> None:
    async with SeamClient.from_env(LIVE_ENV) as seam:
        await scenario(seam)
