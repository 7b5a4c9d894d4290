"""The header and footer at 80x24, and a switch to a workspace that cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from textual.pilot import Pilot

from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.profiles import Profile, ProfileFile
from tests.tui.conftest import wait_until
from tests.tui.screen_output import screen_text
from tests.workspaces.memory_keyring import MemoryKeyring

SMALL = (80, 24)
ALWAYS = ("q Quit", "? Keys", "w Workspaces")

pytestmark = pytest.mark.usefixtures("no_keyring")


def header_and_footer(app: SeamApp) -> tuple[str, str]:
    rows = screen_text(app).splitlines()
    return rows[0], rows[-1]


async def settled(pilot: Pilot[None], app: SeamApp) -> None:
    """The workspace has answered and the screen's first rows are in."""
    await wait_until(pilot, lambda: app.workspace_state == "ready")
    table = app.screen.query(PagedTable)
    if table:
        await wait_until(pilot, lambda: table.first().row_count > 0)
    await pilot.pause()


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "w"])
async def test_read_only_header_and_footer_fit_80_columns(key: str) -> None:
    app = SeamApp(resolve_workspace(read_only=True))
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await pilot.press(key)
        await pilot.pause()
        await settled(pilot, app)
        header, footer = header_and_footer(app)
        assert "SANDBOX" in header
        assert "READ-ONLY" in header
        for shown in ALWAYS:
            assert shown in footer
        assert footer.rstrip().endswith("w Workspaces")


async def test_footer_shows_the_views_keys_first_then_the_pinned_ones(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SMALL) as pilot:
        await settled(pilot, tui_app)
        header, footer = header_and_footer(tui_app)
        assert "SANDBOX" in header
        assert "READ-ONLY" not in header
        assert footer.index("/ Search") < footer.index("n New") < footer.index("q Quit")
        for shown in ALWAYS:
            assert shown in footer


async def test_long_workspace_name_is_cut_not_the_badges() -> None:
    app = SeamApp(resolve_workspace(read_only=True))
    async with app.run_test(size=(60, 20)) as pilot:
        await settled(pilot, app)
        app.workspace_caption = "sandbox · " + "A very long workspace name " * 4
        await pilot.pause()
        header, _ = header_and_footer(app)
        assert "SANDBOX" in header
        assert "READ-ONLY" in header
        assert "…" in header


@pytest.fixture
def memory_keyring(no_keyring: None) -> Iterator[None]:
    MemoryKeyring.passwords = {}
    keyring.set_keyring(MemoryKeyring())
    yield
    MemoryKeyring.passwords = {}


@pytest.mark.usefixtures("memory_keyring")
async def test_switching_to_an_unreachable_workspace_clears_rows_and_write_keys(
    tui_app: SeamApp,
) -> None:
    profiles = ProfileFile.load()
    profiles.profiles["down"] = Profile("down", "http://127.0.0.1:9", "api_key", label="Down")
    profiles.save()
    keyring.set_password("seam-tui", "down", "seam_test_down_key")
    async with tui_app.run_test(size=SMALL) as pilot:
        await settled(pilot, tui_app)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, WorkspacesScreen))
        workspaces = tui_app.screen
        assert isinstance(workspaces, WorkspacesScreen)
        await wait_until(pilot, lambda: "down" in workspaces.table.rows)
        workspaces.table.move_cursor(row=workspaces.table.get_row_index("down"), animate=False)
        await pilot.press("enter")

        await wait_until(pilot, lambda: tui_app.workspace.name == "down")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        home = tui_app.screen
        table = home.query_one("#identities", PagedTable)
        assert table.row_count == 0  # nothing of the sandbox's identities stays on show
        keys = {b.binding.key for b in home.active_bindings.values()}
        assert not keys & {"n", "d"}
        await wait_until(pilot, lambda: tui_app.workspace_state == "unreachable")
        await pilot.pause()
        assert table.row_count == 0
        assert not {b.binding.key for b in home.active_bindings.values()} & {"n", "d"}
        header, footer = header_and_footer(tui_app)
        assert "NOT REACHED" in header
        assert "n New" not in footer
        for shown in ALWAYS:
            assert shown in footer
