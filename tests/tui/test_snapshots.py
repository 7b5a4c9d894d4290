"""SVG snapshots of the main screens, driven through the real app on the built-in sandbox.

Each test drives `SeamApp` (fresh demo sandbox in tmp dirs, 120x36) to one screen with
pytest-textual-snapshot's `snap_compare(app, press=..., terminal_size=..., run_before=...)`:
`run_before(pilot)` runs once the app is up (here: the keys, then waiting until the data is on
screen), then the plugin pauses, waits for animations and compares `app.export_screenshot()`
with `tests/tui/__snapshots__/test_snapshots/<test name>.svg` (syrupy, one SVG per test).

After an intended UI change, look at the failure report (`snapshot_report.html`, linked at the
end of the run), then rewrite the SVGs and review the diff before committing:

    .venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update

Stability (the suite must pass on any machine, any day, in any directory):

- The demo data is deterministic (fixed ids, names, timestamps); API keys are random but no
  screen shows one (`test_no_secret_in_any_snapshot` checks every stored SVG).
- "now": the ACS users table shows schedules relative to now ("until", "ended", "from"), and
  the identity's instant keys how long ago they expired; `datetime` in those modules is frozen
  at `FROZEN_NOW`. The instant-key dialog (a random link, expiring 48 h from the real now) is
  left to `make screenshots` and to test_access_flows, which decodes its QR code.
- Paths: the Workspaces status line names the profiles file, which lives in the per-test tmp
  dir; it is shown as `$SEAM_TUI_CONFIG_DIR/<file>` instead.
- Left out: the Activity screen. Its rows are audit entries stamped with the real time of the
  change, in the local time zone, and its status line shows the tmp audit-log path; it is
  covered by `make screenshots` (scripts/screenshots.py), which is looked at, not compared.
- Toasts (timed notifications) are cleared before each snapshot, and every Input's cursor
  blink is switched off (the cursor then stays visible), so the timing of the screenshot
  cannot change what it shows.
- Every wait is on a condition (rows loaded, status text), never on a fixed delay; the
  workspace bar is waited on until it says SANDBOX (it says "connecting…" before), and tables
  until they have sized their columns (`drawn`) before a modal opens over them.
- No keyring is touched: the fail backend is installed for every test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath

import keyring
import keyring.core
import pytest
from keyring.backends import fail
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, SelectionList, Static

from seam_tui.tui import formatting as formatting_module
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens import identity_credentials as identity_credentials_module
from seam_tui.tui.screens import workspaces as workspaces_module
from seam_tui.tui.screens.access_groups import AccessGroupsScreen
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.device_picker import DevicePicker
from seam_tui.tui.screens.help import HelpScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.instant_key import InstantKeyFormScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.workspaces import close_local_sandboxes, profiles_path, resolve_workspace
from tests.tui.conftest import SIZE, wait_until

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]

SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__" / Path(__file__).stem
# Between the demo's past schedules (ended mid-2025) and its current ones (end 2030).
FROZEN_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


class FrozenDatetime(datetime):
    """`datetime` whose `now()` is always FROZEN_NOW."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FrozenDatetime:
        return cls.fromtimestamp(FROZEN_NOW.timestamp(), tz)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Freeze what depends on the clock, the tmp dir or the machine (see the module doc)."""
    monkeypatch.setattr(formatting_module, "datetime", FrozenDatetime)
    monkeypatch.setattr(identity_credentials_module, "datetime", FrozenDatetime)

    def shown_profiles_path() -> PurePosixPath:
        return PurePosixPath("$SEAM_TUI_CONFIG_DIR") / profiles_path().name

    monkeypatch.setattr(workspaces_module, "profiles_path", shown_profiles_path)
    previous = keyring.core._keyring_backend
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.core._keyring_backend = previous
    close_local_sandboxes()


# ------------------------------------------------------------------ helpers


def status_text(app: SeamApp, selector: str = "#status") -> str:
    return str(app.screen.query_one(selector, Static).render())


def tables_sized(screen: Screen[object]) -> bool:
    """Whether every table has sized its columns to its rows (Textual does it when idle)."""
    return not any(
        getattr(table, "_require_update_dimensions", False) or getattr(table, "_updated_cells", 0)
        for table in screen.query(DataTable).results(DataTable)
    )


async def drawn(pilot: Pilot[None]) -> None:
    """Wait until the tables are sized and the screen repainted.

    A modal opened before that would sit over a half-updated table: rows drawn with their new
    column widths, the header still with the old ones (seen about one run in five).
    """
    await wait_until(pilot, lambda: tables_sized(pilot.app.screen))
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Let pending work finish, then drop toasts and stop every cursor blinking."""
    app = pilot.app
    await wait_until(pilot, lambda: app.workspace_kind != "")  # type: ignore[attr-defined]
    await drawn(pilot)
    app.clear_notifications()
    for screen in app.screen_stack:
        for field in screen.query(Input).results(Input):
            field.cursor_blink = False  # pauses the blink timer and leaves the cursor visible
    await pilot.pause()


async def home_loaded(pilot: Pilot[None]) -> IdentitiesScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    screen = app.screen
    assert isinstance(screen, IdentitiesScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and not screen.table.is_loading)
    await wait_until(pilot, lambda: "identities" in status_text(app))  # type: ignore[arg-type]
    await drawn(pilot)
    return screen


async def acs_users_loaded(pilot: Pilot[None], filter_name: str = "all") -> AcsUsersScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, AcsUsersScreen))
    screen = app.screen
    assert isinstance(screen, AcsUsersScreen)

    def loaded() -> bool:
        text = status_text(app)  # type: ignore[arg-type]
        return f"filter {filter_name} " in text and "ACS users" in text

    await wait_until(pilot, loaded)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and not screen.table.is_loading)
    await drawn(pilot)
    return screen


def snap(snap_compare: SnapCompare, app: SeamApp, run_before: RunBefore) -> None:
    """Compare one screen; `run_before` gets there and waits until it is drawn."""

    async def drive(pilot: Pilot[None]) -> None:
        await run_before(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=drive)


# ------------------------------------------------------------------ identities


def test_identities_home(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)

    snap(snap_compare, tui_app, run_before)


def test_identities_search(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("slash", "a", "n")  # 5 of the 25 demo identities
        await wait_until(pilot, lambda: "5 identities matching “an”" in status_text(tui_app))
        screen = tui_app.screen
        assert isinstance(screen, IdentitiesScreen)
        await wait_until(pilot, lambda: not screen.table.is_loading)

    snap(snap_compare, tui_app, run_before)


def test_identity_detail_with_acs_users_and_a_suggested_match(
    snap_compare: SnapCompare, tui_app: SeamApp
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        home = await home_loaded(pilot)
        await pilot.press("down")
        picked = home.table.current_item()
        assert picked is not None
        assert picked.full_name == "Marcus Chen"  # 1 ACS user and 1 suggested match
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityDetailScreen))
        await wait_until(pilot, lambda: "1 suggested match" in status_text(tui_app))
        await wait_until(pilot, lambda: "granted directly" in status_text(tui_app))

    snap(snap_compare, tui_app, run_before)


async def identity_tab(pilot: Pilot[None], name: str, tabs: int) -> IdentityDetailScreen:
    """Open the person from home, wait until what they can open is loaded, go `tabs` right."""
    app = pilot.app
    home = await home_loaded(pilot)
    person = next(i for i in home.table.items if i.full_name == name)
    app.open_identity(person.user_identity_id)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, IdentityDetailScreen))
    screen = app.screen
    assert isinstance(screen, IdentityDetailScreen)
    await wait_until(
        pilot,
        lambda: any(
            "suggested match" in str(s.render()) and "granted directly" in str(s.render())
            for s in screen.query("#status").results(Static)
        ),
    )
    for _ in range(tabs):
        await pilot.press("right_square_bracket")
    return screen


def test_identity_access_tab(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await identity_tab(pilot, "Marcus Chen", 1)  # groups, mobile keys, 3 devices

    snap(snap_compare, tui_app, run_before)


def test_identity_access_tab_at_80x24(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await identity_tab(pilot, "Marcus Chen", 1)
        await settle(pilot)

    assert snap_compare(tui_app, terminal_size=(80, 24), run_before=run_before)


def test_identity_credentials_tab(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await identity_tab(pilot, "Jane Doe", 2)  # a card and a masked PIN code

    snap(snap_compare, tui_app, run_before)


def test_device_picker(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await identity_tab(pilot, "Marcus Chen", 1)
        await drawn(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, DevicePicker))
        picker = tui_app.screen
        assert isinstance(picker, DevicePicker)
        await wait_until(pilot, lambda: "device(s) shown" in status_text(tui_app, "#picker-status"))

    snap(snap_compare, tui_app, run_before)


def test_instant_key_form_with_a_bad_count(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await identity_tab(pilot, "Marcus Chen", 2)
        await drawn(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, InstantKeyFormScreen))
        await pilot.press("backspace", "0", "enter")
        error = tui_app.screen.query_one("#max_use_count-error", Static)
        await wait_until(pilot, lambda: "whole number" in str(error.render()))

    snap(snap_compare, tui_app, run_before)


def test_access_groups(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, SystemsScreen))
        await wait_until(pilot, lambda: "systems ·" in status_text(tui_app))
        await drawn(pilot)
        await pilot.press("a")  # the first system, Acme Tower
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AccessGroupsScreen))
        await wait_until(pilot, lambda: "access group(s)" in status_text(tui_app))

    snap(snap_compare, tui_app, run_before)


def test_identity_create_form_with_a_validation_error(
    snap_compare: SnapCompare, tui_app: SeamApp
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityFormScreen))
        systems = tui_app.screen.query_one("#acs_system_ids", SelectionList)
        await wait_until(pilot, lambda: systems.option_count > 0 and not systems.loading)
        await pilot.press(*"Val Idation", "tab", *"val.at.example.com")
        await pilot.press("ctrl+s")
        error = tui_app.screen.query_one("#email_address-error", Static)
        await wait_until(pilot, lambda: "not valid" in str(error.render()))

    snap(snap_compare, tui_app, run_before)


def test_confirm_delete_identity(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        home = await home_loaded(pilot)
        await pilot.press("down", "down")
        picked = home.table.current_item()
        assert picked is not None
        assert picked.full_name == "Priya Patel"
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))

    snap(snap_compare, tui_app, run_before)


def test_help(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, HelpScreen))
        table = tui_app.screen.query_one("#help-keys", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0)

    snap(snap_compare, tui_app, run_before)


def test_read_only_header(snap_compare: SnapCompare) -> None:
    app = SeamApp(resolve_workspace(read_only=True))
    assert app.read_only

    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)

    snap(snap_compare, app, run_before)


# ------------------------------------------------------------ systems, ACS users


def test_systems(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, SystemsScreen))
        await wait_until(pilot, lambda: "systems ·" in status_text(tui_app))

    snap(snap_compare, tui_app, run_before)


def test_acs_users_all(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("3")
        await acs_users_loaded(pilot)

    snap(snap_compare, tui_app, run_before)


def test_acs_users_unlinked_filter(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("3")
        await acs_users_loaded(pilot)
        await pilot.press("f", "f")  # all → linked → unlinked
        await acs_users_loaded(pilot, "unlinked")

    snap(snap_compare, tui_app, run_before)


def test_acs_user_edit_form(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("3")
        await acs_users_loaded(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUserFormScreen))
        groups = tui_app.screen.query_one("#access_groups", SelectionList)
        await wait_until(pilot, lambda: groups.option_count > 0 and not groups.loading)

    snap(snap_compare, tui_app, run_before)


# ------------------------------------------------------------------ workspaces


def test_workspaces(snap_compare: SnapCompare, tui_app: SeamApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, WorkspacesScreen))
        await wait_until(pilot, lambda: "profiles in" in status_text(tui_app))

    snap(snap_compare, tui_app, run_before)


# ------------------------------------------------------------------ the stored SVGs


def test_no_secret_in_any_snapshot() -> None:
    """No stored snapshot shows an API key or a personal access token."""
    svgs = sorted(SNAPSHOT_DIR.glob("*.svg"))
    if not svgs:
        pytest.skip("no snapshots written yet (run with --snapshot-update)")
    leaks = [p.name for p in svgs if "seam_test" in p.read_text() or "seam_at" in p.read_text()]
    assert leaks == []
