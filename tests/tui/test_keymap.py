"""The user's `tui.toml`: a theme and a keymap by binding id; a bad one is one warning naming
the file and the setting, and the app starts anyway."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seam_tui.paths import config_dir
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.user_config import app_bindings, binding_ids
from seam_tui.tui.widgets.paged_table import PagedTable
from tests.tui.conftest import recorded_notes, wait_until
from tests.tui.screen_output import screen_text

SMALL = (80, 24)


def write_settings(text: str) -> Path:
    path = config_dir() / "tui.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def started(pilot: Any, app: SeamApp) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    table = app.screen.query_one("#identities", PagedTable)
    await wait_until(pilot, lambda: table.row_count > 0 and app.workspace_state == "ready")


def test_every_binding_has_an_id() -> None:
    missing = [
        f"{cls.__module__}.{cls.__name__}: {binding.key} -> {binding.action}"
        for cls, bindings in app_bindings().items()
        for binding in bindings
        if not binding.id
    ]
    assert missing == []
    assert {"app.quit", "app.workspaces", "identities.new_identity", "form.save"} <= binding_ids()


async def test_keymap_and_theme_from_the_settings_file(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(
        'theme = "textual-light"\n\n[keys]\n"identities.new_identity" = "N"\n'
        '"app.workspaces" = "W"\n'
    )
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SMALL) as pilot:
        await started(pilot, tui_app)
        assert tui_app.theme == "textual-light"
        assert not [n for n in notes if "tui.toml" in n]
        await wait_until(pilot, lambda: "N New" in screen_text(tui_app).splitlines()[-1])
        assert "W Workspaces" in screen_text(tui_app).splitlines()[-1]
        await pilot.press("n")  # no longer bound
        await pilot.pause()
        assert isinstance(tui_app.screen, IdentitiesScreen)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityFormScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, WorkspacesScreen))


async def test_bad_settings_are_one_warning_and_the_app_starts(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_settings(
        'theme = "no-such-theme"\n\n[keys]\n"identities.nope" = "z"\n'
        '"app.workspaces" = 5\n"app.help" = "F1"\n'
    )
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SMALL) as pilot:
        await started(pilot, tui_app)
        warnings = [n for n in notes if str(path) in n]
        assert len(warnings) == 1
        warning = warnings[0]
        for named in ('theme "no-such-theme"', 'keys."identities.nope"', 'keys."app.workspaces"'):
            assert named in warning
        assert "app.help" not in warning  # the good entry is used
        assert tui_app.theme != "no-such-theme"
        await pilot.press("w")  # a bad entry leaves the key as it was
        await wait_until(pilot, lambda: isinstance(tui_app.screen, WorkspacesScreen))


async def test_a_settings_file_that_is_not_toml_is_named_and_ignored(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_settings("theme = \n[keys\n")
    notes = recorded_notes(tui_app, monkeypatch)
    async with tui_app.run_test(size=SMALL) as pilot:
        await started(pilot, tui_app)
        warnings = [n for n in notes if str(path) in n]
        assert len(warnings) == 1
        assert "not valid TOML" in warnings[0]
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentityFormScreen))
