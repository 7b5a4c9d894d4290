"""The identities table holds a bounded window while scrolling far, and finds its way back."""

from __future__ import annotations

from seam_tui.core.models import UserIdentity
from seam_tui.sandbox import Sandbox, default_db_path
from seam_tui.tui.app import SeamApp
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces import resolve_workspace
from tests.tui.conftest import SIZE, wait_until

EXTRA = 2_500


async def test_scrolling_far_keeps_a_window_and_comes_back() -> None:
    sandbox = Sandbox(default_db_path())
    workspace = sandbox.workspaces()[0]
    sandbox.seed_identities(workspace.workspace_id, EXTRA)
    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        everyone = [i async for i in app.service.client.user_identities.iterate(limit=500)]
        total = len(everyone)
        assert total > EXTRA
        table: PagedTable[UserIdentity] = app.screen.query_one("#identities", PagedTable)
        await wait_until(pilot, lambda: table.row_count > 0)
        first_id = table.items[0].user_identity_id
        limit = table.max_pages * 100
        seen: set[str] = set()

        while table.has_more or table.cursor_row < table.row_count - 1:
            seen.update(i.user_identity_id for i in table.items)
            assert table.row_count <= limit + 100
            table.move_cursor(row=min(table.cursor_row + 50, table.row_count - 1))
            await wait_until(pilot, lambda: not table.is_loading)
            await pilot.pause()
        seen.update(i.user_identity_id for i in table.items)
        assert len(seen) == total  # every identity was in the window at some point
        assert first_id not in {i.user_identity_id for i in table.items}  # dropped on the way

        for _ in range(200):
            if table.items[0].user_identity_id == first_id and table.cursor_row == 0:
                break
            table.move_cursor(row=max(table.cursor_row - 50, 0))
            await wait_until(pilot, lambda: not table.is_loading)
            await pilot.pause()
        assert table.items[0].user_identity_id == first_id
        assert table.row_count <= limit + 100
