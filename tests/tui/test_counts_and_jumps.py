"""`G`/`g` go to the real end and start of a long list (Esc stops the reading), counts say what is
known, a new identity gets the cursor wherever it lands, and a settled delete drops the row and
the count, all through Pilot on a sandbox with a few thousand extra identities."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from seam_tui.core.models import UserIdentity
from seam_tui.sandbox import Sandbox, default_db_path
from seam_tui.sandbox.faults import FaultConfig
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, wait_until

EXTRA = 2_500


def status(app: SeamApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


@pytest.fixture
def big_app() -> SeamApp:
    sandbox = Sandbox(default_db_path())
    sandbox.seed_identities(sandbox.workspaces()[0].workspace_id, EXTRA)
    return SeamApp(resolve_workspace())


async def home_table(pilot: Pilot[None], app: SeamApp) -> PagedTable[UserIdentity]:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    screen = app.screen
    assert isinstance(screen, IdentitiesScreen)
    table = screen.table
    await wait_until(
        pilot,
        lambda: table.row_count > 0 and not table.is_loading and "identit" in status(app),
    )
    return table


async def test_g_and_shift_g_reach_the_real_end_and_start_with_an_exact_count(
    big_app: SeamApp,
) -> None:
    async with big_app.run_test(size=SIZE) as pilot:
        table = await home_table(pilot, big_app)
        everyone = [i async for i in big_app.service.client.user_identities.iterate(limit=500)]
        assert "loaded · more on scroll" in status(big_app)
        assert table.known_total is None

        await pilot.press("G")
        await wait_until(pilot, lambda: not table.is_loading and not table.has_more)
        current = table.current_item()
        assert current is not None
        assert current.user_identity_id == everyone[-1].user_identity_id
        assert table.known_total == len(everyone)
        assert status(big_app) == f"{len(everyone):,} identities"
        assert table.row_count <= table.max_pages * 100  # still a bounded window

        await pilot.press("g")
        await wait_until(pilot, lambda: not table.is_loading and table.rows_before == 0)
        current = table.current_item()
        assert current is not None
        assert current.user_identity_id == everyone[0].user_identity_id
        assert table.cursor_row == 0


async def test_esc_stops_reading_to_the_end(big_app: SeamApp) -> None:
    async with big_app.run_test(size=SIZE) as pilot:
        table = await home_table(pilot, big_app)
        # Every request now takes a while, so Esc comes while pages are still being read.
        local_sandbox().faults = FaultConfig(rate=1.0, kinds=frozenset({"latency"}), latency_s=0.2)
        await pilot.press("G")
        await wait_until(pilot, lambda: status(big_app).startswith("reading…"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not table.is_loading)
        local_sandbox().faults = FaultConfig()
        assert table.has_more  # stopped before the end
        # The status follows once the stopped read's last message is handled.
        await wait_until(pilot, lambda: "loaded · more on scroll" in status(big_app))
        assert isinstance(big_app.screen, IdentitiesScreen)  # Esc did not go anywhere else


async def test_the_cursor_lands_on_a_new_identity_far_down_the_list(big_app: SeamApp) -> None:
    async with big_app.run_test(size=SIZE) as pilot:
        table = await home_table(pilot, big_app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(big_app.screen, IdentityFormScreen))
        form = big_app.screen
        form.query_one("#full_name", Input).value = "Zed Cursor"
        form.query_one("#email_address", Input).value = "zed.cursor@example.com"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(big_app.screen, IdentitiesScreen))
        await wait_until(
            pilot,
            lambda: (
                (item := table.current_item()) is not None
                and item.email_address == "zed.cursor@example.com"
            ),
        )
        assert table.rows_before > 0  # it was beyond the first pages


async def test_a_settled_delete_drops_the_row_and_the_count() -> None:
    sandbox = local_sandbox()
    sandbox.settle_after = 0.4
    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        table = await home_table(pilot, app)
        total = table.known_total
        assert total is not None
        person = next(i for i in table.items if i.acs_user_ids)
        key = person.user_identity_id
        table.move_cursor(row=table.get_row_index(key), animate=False)
        await pilot.pause()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "being deleted" in str(table.get_row(key)[1]))
        assert status(app) == f"{total} identities"  # still listed while Seam removes it
        await wait_until(pilot, lambda: key not in table.rows)
        await wait_until(pilot, lambda: status(app) == f"{total - 1} identities")
