"""Screenshots of every screen of the TUI: `make screenshots`.

    .venv/bin/python scripts/screenshots.py [--out build/screenshots | --update] [--no-png]

Writes to build/screenshots/ unless `--update` (`make screenshots UPDATE=1`) asks to replace
the tracked images in screenshots/ that the README shows.

Drives the real app headless (Textual's Pilot, 120x36) through every screen on a FRESH
built-in sandbox in a temporary data and config dir, and writes `<out>/<name>.svg` (Textual's
own export) and `<out>/<name>.png` (the SVG rendered by cairosvg with libcairo).

- Never the user's data: SEAM_TUI_DATA_DIR and SEAM_TUI_CONFIG_DIR point at a temp dir that is
  deleted afterwards, every other SEAM_* variable (a real key, a token) is dropped before the
  app is imported, the OS keyring is replaced by keyring's fail backend, and the run stops if
  the workspace is anything but the built-in sandbox in that temp dir.
- No secret in a picture: each SVG is checked for `seam_test`, `seam_at` and the sandbox's own
  API keys before it is written; a hit writes nothing more and exits with status 1.
- PNGs use the system's fonts: the SVG names Fira Code (a web font it would fetch from a CDN);
  that @font-face is removed so nothing is fetched, and the text is set in fontconfig's
  `monospace` (DejaVu Sans Mono on Debian; whatever the machine maps it to elsewhere), spaced
  to the SVG's cell width. Block glyphs (thick dialog borders) can show faint hairline seams in
  the PNG; the SVG, viewed in a browser, is the reference.
- Toasts are turned off (Pilot's default) and every cursor blink is stopped, so a picture shows
  the screen, not the moment it was taken. The Activity screen shows real times (the changes
  made here) and the temp audit-log path, and the instant key a random link and its QR code;
  that is why they are screenshots and not snapshots.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from seam_tui.tui.app import SeamApp

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)
WAIT_LIMIT_S = 15.0
SECRET_MARKERS = ("seam_test", "seam_at")
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
SVG_FONT = "font-family: Fira Code, monospace"
# cairo asks fontconfig for this name: the system's default monospace font (DejaVu Sans Mono
# on Debian). cairosvg uses only the first name of a list, so the list has one.
PNG_FONT = "monospace"
FONT_SIZE = re.compile(r"-matrix \{[^}]*font-size: ([0-9.]+)px")
# A run of plain ASCII text (no entities) and the width the SVG gives it.
TEXT_RUN = re.compile(
    r'<text [^>]*textLength="(?P<length>[0-9.]+)"[^>]*>(?P<text>[ -%\'-;=?-~]+)</text>'
)


class Failure(Exception):
    """The run cannot go on; the message says why."""


# ------------------------------------------------------------------ isolation


def isolate(temp: Path) -> None:
    """Fresh data and config dirs, no Seam credentials from the environment, no keyring."""
    for name in list(os.environ):
        if name.startswith("SEAM_"):
            del os.environ[name]
    os.environ["SEAM_TUI_DATA_DIR"] = str(temp / "data")
    os.environ["SEAM_TUI_CONFIG_DIR"] = str(temp / "config")

    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def sandbox_secrets(temp: Path) -> list[str]:
    """The sandbox's API keys, after checking it is the fresh one in `temp`."""
    from seam_tui.sandbox import default_db_path
    from seam_tui.workspaces import resolve_workspace
    from seam_tui.workspaces.sandbox_profiles import local_sandbox

    db = default_db_path()
    if temp.resolve() not in db.resolve().parents:
        raise Failure(f"the sandbox would not be in the temp dir: {db}")
    workspace = resolve_workspace()
    if not (workspace.is_builtin_sandbox and workspace.source == "sandbox"):
        raise Failure(f"not the built-in sandbox: {workspace.name} ({workspace.source})")
    return [ws.api_key for ws in local_sandbox().workspaces()]


# ------------------------------------------------------------------ output


class Shooter:
    """Writes `<name>.svg` (and `.png`) for the current screen, refusing any secret."""

    def __init__(self, out: Path, secrets: list[str], *, png: bool) -> None:
        self.out = out
        self.secrets = [s for s in secrets if s]
        self.png = png
        self.names: list[str] = []

    async def shoot(self, pilot: Pilot[None], name: str) -> None:
        await settle(pilot)
        svg = pilot.app.export_screenshot(title="seam-tui")
        found = [m for m in SECRET_MARKERS if m in svg]
        found += ["a sandbox API key" for s in self.secrets if s in svg]
        if found:
            raise Failure(f"{name}: the screenshot shows a secret ({', '.join(found)})")
        (self.out / f"{name}.svg").write_text(svg, encoding="utf-8")
        if self.png:
            render_png(svg, self.out / f"{name}.png")
        self.names.append(name)
        print(f"  {name}")


def letter_spacing(svg: str) -> float:
    """What to add to each glyph of the PNG font so it fills a terminal cell of the SVG.

    The SVG stretches each run of text to its cells with `textLength`, which cairosvg ignores;
    without this, long runs (a dialog's top border) end short of where the next cell starts.
    """
    import cairocffi  # type: ignore[import-untyped]

    size = FONT_SIZE.search(svg)
    run = TEXT_RUN.search(svg)
    if size is None or run is None:
        return 0.0
    cell = float(run["length"]) / len(run["text"])
    surface = cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 1, 1)
    context = cairocffi.Context(surface)
    context.select_font_face(PNG_FONT)
    context.set_font_size(float(size[1]))
    advance: float = context.text_extents("M")[4]
    return cell - advance


def render_png(svg: str, target: Path) -> None:
    """The SVG as a PNG, in system fonts and without fetching anything."""
    import cairosvg  # type: ignore[import-untyped]

    if SVG_FONT not in svg:
        raise Failure("the SVG's font rule changed; update SVG_FONT in scripts/screenshots.py")
    font = f"font-family: {PNG_FONT};\n        letter-spacing: {letter_spacing(svg):.3f}px"
    local = FONT_FACE.sub("", svg).replace(SVG_FONT, font)
    cairosvg.svg2png(bytestring=local.encode("utf-8"), write_to=str(target), unsafe=False)


# ------------------------------------------------------------------ driving


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    waited = 0.0
    while not condition():
        if waited >= WAIT_LIMIT_S:
            raise Failure(f"timed out waiting for {what}")
        await pilot.pause(0.05)
        waited += 0.05


async def workers_done(pilot: Pilot[None], node: object) -> None:
    """Wait (bounded) until the workers `node` started have ended (done, failed or cancelled),
    e.g. a form loading its choices."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: all(w.is_finished for w in app.workers if w.node is node),
        "the form's workers",
    )


async def drawn(pilot: Pilot[None]) -> None:
    """Tables sized to their rows (Textual does it when idle) and the screen repainted, so a
    modal opened next does not freeze a half-updated table (new rows, old header) under it."""
    from textual.widgets import DataTable

    def sized() -> bool:
        tables = pilot.app.screen.query(DataTable).results(DataTable)
        return not any(
            getattr(t, "_require_update_dimensions", False) or getattr(t, "_updated_cells", 0)
            for t in tables
        )

    await wait_until(pilot, sized, "tables to size their columns")
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Workspace bar filled in, tables drawn, no toasts, no blinking cursors."""
    from textual.widgets import Input

    app: Any = pilot.app
    await wait_until(pilot, lambda: app.workspace_kind != "", "the workspace bar")
    await drawn(pilot)
    app.clear_notifications()
    for screen in app.screen_stack:
        for field in screen.query(Input).results(Input):
            field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def status(app: SeamApp, selector: str = "#status") -> str:
    from textual.widgets import Static

    found = app.screen.query(selector).results(Static)
    return " ".join(str(line.render()) for line in found)  # "" until the screen is composed


def on_screen(app: SeamApp, kind: type) -> Callable[[], bool]:
    return lambda: isinstance(app.screen, kind)


async def home(pilot: Pilot[None], app: SeamApp) -> None:
    from seam_tui.tui.screens.identities import IdentitiesScreen

    await wait_until(pilot, on_screen(app, IdentitiesScreen), "the identities screen")
    await wait_until(pilot, lambda: "identities" in status(app), "identities to load")
    await drawn(pilot)


async def acs_users(pilot: Pilot[None], app: SeamApp, filter_name: str) -> None:
    from seam_tui.tui.screens.acs_users import AcsUsersScreen

    await wait_until(pilot, on_screen(app, AcsUsersScreen), "the ACS users screen")
    await wait_until(
        pilot,
        lambda: f"filter {filter_name} " in status(app) and "ACS users" in status(app),
        f"ACS users ({filter_name}) to load",
    )
    await drawn(pilot)


def highlight(app: SeamApp, table_id: str, name: str) -> None:
    """Put the cursor on the row whose first visible text cell is `name`."""
    from textual.widgets import DataTable

    table: DataTable[Any] = app.screen.query_one(table_id, DataTable)
    for index in range(table.row_count):
        if name in (str(cell) for cell in table.get_row_at(index)[:2]):
            table.move_cursor(row=index, animate=False)
            return
    raise Failure(f"no row {name!r} in {table_id}")


async def leave_form(
    pilot: Pilot[None], app: SeamApp, shooter: Shooter | None = None, shot: str = ""
) -> None:
    """Esc out of a form; a changed form asks first (shot as `shot`, if given): discard."""
    from seam_tui.tui.widgets.confirm import ConfirmScreen

    form = app.screen
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is not form, "the form to close or ask")
    if isinstance(app.screen, ConfirmScreen):
        if shooter is not None:
            await shooter.shoot(pilot, shot)
        dialog = app.screen
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is not dialog, "the form to close")
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")


async def read_only_tour(shooter: Shooter) -> None:
    from seam_tui.tui.app import SeamApp
    from seam_tui.workspaces import resolve_workspace

    app = SeamApp(resolve_workspace(read_only=True))
    async with app.run_test(size=SIZE) as pilot:
        await home(pilot, app)
        await shooter.shoot(pilot, "read-only")


def people_file() -> Path:
    """A small people file to plan (two new people and a bad row), in the run's temp dir."""
    path = Path(os.environ["SEAM_TUI_DATA_DIR"]).parent / "people.csv"
    path.write_text(
        "full_name,email_address,user_identity_key\n"
        "Noor Haddad,noor.haddad@example.org,hr-2001\n"
        "Ian Moss,ian.moss@example.org,hr-2002\n"
        "Bad Row,not-an-email,hr-2003\n",
        encoding="utf-8",
    )
    return path


async def tour(shooter: Shooter) -> None:
    """Every screen, in the order a person would meet them; two changes (an instant key, a
    link), then Activity."""
    from textual.widgets import SelectionList

    from seam_tui.tui.app import SeamApp
    from seam_tui.tui.clipboard import CopyChooser
    from seam_tui.tui.screens.access_groups import AccessGroupsScreen
    from seam_tui.tui.screens.acs_user_detail import AcsUserDetailScreen
    from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
    from seam_tui.tui.screens.acs_users import AcsUsersScreen
    from seam_tui.tui.screens.activity import ActivityScreen
    from seam_tui.tui.screens.bulk_run import BulkRunScreen
    from seam_tui.tui.screens.device_picker import DevicePicker
    from seam_tui.tui.screens.help import HelpScreen
    from seam_tui.tui.screens.identities import IdentitiesScreen
    from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
    from seam_tui.tui.screens.identity_form import IdentityFormScreen
    from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
    from seam_tui.tui.screens.instant_key import InstantKeyFormScreen, InstantKeyScreen
    from seam_tui.tui.screens.people_import import PeopleImportScreen
    from seam_tui.tui.screens.systems import SystemsScreen
    from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
    from seam_tui.tui.screens.workspaces import WorkspacesScreen
    from seam_tui.tui.widgets.confirm import ConfirmScreen
    from seam_tui.workspaces import resolve_workspace

    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        shoot = shooter.shoot
        await home(pilot, app)
        await shoot(pilot, "identities")

        await pilot.press("slash", "a", "n")
        await wait_until(pilot, lambda: "matching “an”" in status(app), "the search")
        await shoot(pilot, "identities-search")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "25 identities" in status(app), "the search to clear")
        await drawn(pilot)

        await pilot.press("question_mark")
        await wait_until(pilot, on_screen(app, HelpScreen), "help")
        await shoot(pilot, "help")
        await pilot.press("escape")

        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        highlight(app, "#identities", "Priya Patel")
        await drawn(pilot)
        await pilot.press("d")
        await wait_until(pilot, on_screen(app, ConfirmScreen), "the delete dialog")
        await shoot(pilot, "confirm-delete")
        await pilot.press("n")

        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        await drawn(pilot)
        await pilot.press("n")
        await wait_until(pilot, on_screen(app, IdentityFormScreen), "the identity form")
        systems = app.screen.query_one("#acs_system_ids", SelectionList)
        await wait_until(pilot, lambda: systems.option_count > 0, "systems in the form")
        await pilot.press(*"Val Idation", "tab", *"val.at.example.com", "tab", *"555-0100")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in status(app, "#form-message"), "errors")
        await shoot(pilot, "identity-form-error")
        await leave_form(pilot, app, shooter, "confirm-discard")

        # The plan a first Ctrl+S shows when systems are ticked: one existing ACS user linked.
        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        await drawn(pilot)
        await pilot.press("n")
        await wait_until(pilot, on_screen(app, IdentityFormScreen), "the identity form")
        systems = app.screen.query_one("#acs_system_ids", SelectionList)
        await wait_until(pilot, lambda: systems.option_count > 1, "systems in the form")
        await pilot.press(*"Alex Moore", "tab", *"alex.moore@example.org")
        systems.select(systems.get_option_at_index(0))
        systems.select(systems.get_option_at_index(1))
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "Saving creates identity" in status(app, "#form-message"), "the plan"
        )
        await shoot(pilot, "identity-form-plan")
        await leave_form(pilot, app)

        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        highlight(app, "#identities", "Marcus Chen")
        await drawn(pilot)
        await pilot.press("enter")
        await wait_until(pilot, on_screen(app, IdentityDetailScreen), "the identity")
        await wait_until(pilot, lambda: "suggested match" in status(app), "the identity to load")
        await shoot(pilot, "identity-detail")
        await pilot.press("y")  # what to copy: the highlighted ACS user's values, then his
        await wait_until(pilot, on_screen(app, CopyChooser), "the copy chooser")
        await shoot(pilot, "copy-chooser")
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, IdentityDetailScreen), "the identity")

        # What Marcus can open, his credentials, the device picker and a new instant key.
        await wait_until(pilot, lambda: "granted directly" in status(app), "his access")
        await pilot.press("right_square_bracket")
        await shoot(pilot, "identity-access")
        await pilot.press("right_square_bracket")
        await shoot(pilot, "identity-credentials")
        await pilot.press("left_square_bracket")
        await drawn(pilot)
        await pilot.press("a")
        await wait_until(pilot, on_screen(app, DevicePicker), "the device picker")
        await wait_until(pilot, lambda: "shown" in status(app, "#picker-status"), "devices")
        await shoot(pilot, "device-picker")
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, IdentityDetailScreen), "the identity")
        await drawn(pilot)
        await pilot.press("i")
        await wait_until(pilot, on_screen(app, InstantKeyFormScreen), "the instant key form")
        await pilot.press("backspace", "0", "enter")
        await wait_until(
            pilot, lambda: "whole number" in status(app, "#max_use_count-error"), "error"
        )
        await shoot(pilot, "instant-key-form-error")
        await pilot.press("backspace", "2", "enter")  # the first change
        await wait_until(pilot, on_screen(app, InstantKeyScreen), "the instant key")
        await shoot(pilot, "instant-key")
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, IdentityDetailScreen), "the identity")
        await pilot.press("left_square_bracket")  # back on the ACS users tab

        await pilot.press("c")
        await wait_until(pilot, on_screen(app, AcsUserFormScreen), "the new ACS user form")
        form = app.screen
        await workers_done(pilot, form)
        await pilot.press("enter", "down", "enter")  # open the system list, take the first
        await workers_done(pilot, form)
        await shoot(pilot, "acs-user-new-form")
        await leave_form(pilot, app)

        await pilot.press("2")
        await wait_until(pilot, on_screen(app, SystemsScreen), "systems")
        await wait_until(pilot, lambda: "systems ·" in status(app), "systems to load")
        await shoot(pilot, "systems")

        await pilot.press("a")  # the first system's access groups
        await wait_until(pilot, on_screen(app, AccessGroupsScreen), "access groups")
        await wait_until(pilot, lambda: "access group(s)" in status(app), "groups to load")
        await shoot(pilot, "access-groups")
        await pilot.press("escape")

        await pilot.press("3")
        await acs_users(pilot, app, "all")
        await shoot(pilot, "acs-users")

        highlight(app, "#acs-users", "Marcus Chen")
        await drawn(pilot)
        await pilot.press("o")  # the ACS user's own view
        await wait_until(pilot, on_screen(app, AcsUserDetailScreen), "the ACS user view")
        await wait_until(pilot, lambda: "access group(s)" in status(app), "its groups")
        await shoot(pilot, "acs-user-detail")
        await pilot.press("escape")
        await acs_users(pilot, app, "all")

        for name in ("Jane Doe", "Marcus Chen", "Priya Patel"):  # marked for a bulk suspend
            highlight(app, "#acs-users", name)
            await drawn(pilot)
            await pilot.press("space")
        await pilot.press("s")
        await wait_until(pilot, on_screen(app, BulkRunScreen), "the bulk dialog")
        bulk = app.screen
        assert isinstance(bulk, BulkRunScreen)
        await wait_until(pilot, lambda: bulk.phase == "confirm", "what the bulk run changes")
        await shoot(pilot, "bulk-suspend-confirm")
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, AcsUsersScreen), "ACS users")
        await pilot.press("escape")  # the marks go
        await drawn(pilot)

        await pilot.press("e")
        await wait_until(pilot, on_screen(app, AcsUserFormScreen), "the ACS user form")
        groups = app.screen.query_one("#access_groups", SelectionList)
        await wait_until(pilot, lambda: groups.option_count > 0, "access groups")
        await shoot(pilot, "acs-user-edit-form")
        await leave_form(pilot, app)

        await pilot.press("f", "f")
        await acs_users(pilot, app, "unlinked")
        await shoot(pilot, "acs-users-unlinked")

        highlight(app, "#acs-users", "Yuki T.")
        await drawn(pilot)
        await pilot.press("l")
        await wait_until(pilot, on_screen(app, IdentityPickerScreen), "the identity picker")
        await wait_until(pilot, lambda: "match(es)" in status(app, "#picker-status"), "matches")
        await shoot(pilot, "identity-picker")

        # The second change: link Yuki T. to the identity it matches (the top row).
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, IdentityPickerScreen), "link")
        await wait_until(pilot, lambda: bool(app.service.audit.recent()), "the audit entry")
        await pilot.press("4")
        await wait_until(pilot, on_screen(app, ActivityScreen), "activity")
        await wait_until(pilot, lambda: "2 recent changes," in status(app), "the changes")
        await shoot(pilot, "activity")

        await pilot.press("w")
        await wait_until(pilot, on_screen(app, WorkspacesScreen), "workspaces")
        await wait_until(pilot, lambda: "profiles in" in status(app), "profiles")
        await shoot(pilot, "workspaces")

        await pilot.press("a")
        await wait_until(pilot, on_screen(app, WorkspaceFormScreen), "the workspace form")
        await pilot.press(*"acme-prod")
        await shoot(pilot, "workspace-add-form")
        await leave_form(pilot, app)

        # A people file planned on the import screen (nothing applied).
        await pilot.press("1")
        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        await drawn(pilot)
        await pilot.press("i")
        await wait_until(pilot, on_screen(app, PeopleImportScreen), "the import screen")
        dialog = app.screen
        assert isinstance(dialog, PeopleImportScreen)
        await pilot.press(*str(people_file()), "enter")
        await wait_until(pilot, lambda: dialog.said.startswith("Plan:"), "the plan")
        await shoot(pilot, "people-import-plan")
        await pilot.press("escape")


async def hostile_tour(shooter: Shooter) -> None:
    """The hostile seed (`seam-tui sandbox seed --hostile`): markup, escapes, bidi, zero-width
    and huge values shown as literal text with their placeholders."""
    from seam_tui.sandbox.hostile import HOSTILE_PROFILE, seed_hostile
    from seam_tui.tui.app import SeamApp
    from seam_tui.tui.screens.acs_users import AcsUsersScreen
    from seam_tui.tui.screens.identities import IdentitiesScreen
    from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
    from seam_tui.tui.widgets.confirm import ConfirmScreen
    from seam_tui.tui.widgets.paged_table import PagedTable
    from seam_tui.workspaces import resolve_workspace
    from seam_tui.workspaces.sandbox_profiles import local_sandbox

    seeded = await seed_hostile(local_sandbox())
    shooter.secrets.append(seeded.api_key)
    app = SeamApp(resolve_workspace(HOSTILE_PROFILE))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, on_screen(app, IdentitiesScreen), "home")
        await wait_until(pilot, lambda: "identities" in status(app), "the hostile identities")
        await wait_until(pilot, lambda: "Hostile" in app.workspace_caption, "the header")
        await shoot_settled(shooter, pilot, "hostile-identities")

        table = app.screen.query_one("#identities", PagedTable)
        flagged = next(i for i in table.items if i.errors)  # its ACS user has an error
        app.open_identity(flagged.user_identity_id)
        await wait_until(pilot, on_screen(app, IdentityDetailScreen), "the identity")
        await wait_until(pilot, lambda: "suggested match" in status(app), "the identity to load")
        await shoot_settled(shooter, pilot, "hostile-identity-detail")

        await pilot.press("d")
        await wait_until(pilot, on_screen(app, ConfirmScreen), "the delete dialog")
        await shoot_settled(shooter, pilot, "hostile-confirm-delete")
        await pilot.press("n")
        await pilot.press("escape")

        await pilot.press("3")
        await wait_until(pilot, on_screen(app, AcsUsersScreen), "ACS users")
        await wait_until(pilot, lambda: "ACS users" in status(app), "ACS users to load")
        await shoot_settled(shooter, pilot, "hostile-acs-users")


async def shoot_settled(shooter: Shooter, pilot: Pilot[None], name: str) -> None:
    await drawn(pilot)
    await shooter.shoot(pilot, name)


# ------------------------------------------------------------------ main


def clear_old(out: Path, keep: Iterable[str]) -> None:
    """Remove pictures of screens this run no longer takes."""
    kept = set(keep)
    for path in [*out.glob("*.svg"), *out.glob("*.png")]:
        if path.stem not in kept:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--out", type=Path, default=ROOT / "build" / "screenshots", help="output dir (build/...)"
    )
    where.add_argument(
        "--update", action="store_true", help="replace the tracked images in screenshots/"
    )
    parser.add_argument("--no-png", action="store_true", help="write only the SVGs")
    args = parser.parse_args(argv)
    started = time.monotonic()
    out: Path = (ROOT / "screenshots" if args.update else args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix="seam-tui-screenshots-"))
    try:
        isolate(temp)
        if not args.no_png:
            try:
                import cairosvg  # noqa: F401
            except (ImportError, OSError) as exc:
                raise Failure(
                    f"PNGs need cairosvg and libcairo ({exc}); pip install cairosvg, "
                    "or run with --no-png"
                ) from None
        shooter = Shooter(out, sandbox_secrets(temp), png=not args.no_png)
        print(f"screenshots of a fresh sandbox in {temp}, {SIZE[0]}x{SIZE[1]}:")
        asyncio.run(read_only_tour(shooter))
        asyncio.run(tour(shooter))
        asyncio.run(hostile_tour(shooter))
        clear_old(out, shooter.names)
    except Failure as exc:
        print(f"screenshots FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        from seam_tui.workspaces import close_local_sandboxes

        close_local_sandboxes()
        shutil.rmtree(temp, ignore_errors=True)
    kinds = "svg" if args.no_png else "svg + png"
    elapsed = time.monotonic() - started
    print(f"{len(shooter.names)} screens ({kinds}) in {out} in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
