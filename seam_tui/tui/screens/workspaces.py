"""Workspace profiles (k9s contexts): which one is in use, which is the default, switch, add.

Profiles are local configuration, so adding and removing them stays possible in a read-only
session; secrets are never shown here, only whether one is stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.errors import SeamError
from seam_tui.tui.literal import Cell, join, lit, quoted, say, styled
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar
from seam_tui.workspaces import (
    AddedProfile,
    ProfileStatus,
    list_profiles,
    profiles_path,
    remove_profile,
    set_active_profile,
)

COLUMNS: tuple[tuple[str, int], ...] = (
    ("", 1),
    ("Name", 28),
    ("Label", 32),
    ("Endpoint", 36),
    ("Auth", 20),
    ("Secret", 14),
    ("Flags", 32),
)
AUTH_NAMES = {"api_key": "API key", "personal_access_token": "token + workspace id"}


def secret_cell(status: ProfileStatus) -> Cell:
    """Where the secret is and whether it is there; never the secret itself."""
    if status.builtin:
        return styled("built-in", "dim")
    if status.has_secret:
        return styled(f"{status.secret_store} ✓", "green")
    if status.secret_problem:
        return styled("unreadable", "bold red")
    return styled("missing", "bold red")


def flags_cell(status: ProfileStatus) -> Cell:
    flags: list[Cell] = []
    if status.active:
        flags.append(styled("default", "bold"))
    if status.read_only:
        flags.append(styled("read-only", "cyan"))
    if status.builtin:
        flags.append(styled("built-in sandbox", "yellow"))
    elif status.endpoint.startswith("sandbox:"):
        flags.append(styled("sandbox", "yellow"))
    return join(flags, " ")


class WorkspacesScreen(SeamScreen):
    """Every profile, saved and built-in; Enter switches this session to the highlighted one."""

    HELP_TITLE = "Workspaces"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "switch", "Switch to", priority=True, id="workspaces.switch"),
        Binding("u", "make_default", "Make default", id="workspaces.make_default"),
        Binding("a", "add", "Add", id="workspaces.add"),
        Binding("d", "remove", "Remove", id="workspaces.remove"),
        Binding("r", "refresh", "Refresh", id="workspaces.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._profiles: dict[str, ProfileStatus] = {}
        self._select: str | None = None  # the profile to put the cursor on after loading

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Workspaces")
        yield KeyTable(id="workspaces")
        yield Line(id="status")
        yield Footer()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#workspaces", KeyTable)

    def on_mount(self) -> None:
        self.table.add_column_specs(*COLUMNS)
        self.table.focus()
        self._select = self.seam_app.workspace.name
        self.refresh_data()

    def refresh_data(self) -> None:
        self.query_one("#status", Line).update("loading…")
        self._load()

    def _cells(self, status: ProfileStatus) -> Sequence[Cell]:
        in_use = status.name == self.seam_app.workspace.name
        return (
            styled("●", "bold green") if in_use else "",
            lit(status.name, style="bold" if in_use else ""),
            status.label,
            status.endpoint,
            AUTH_NAMES.get(status.auth_kind, status.auth_kind),
            secret_cell(status),
            flags_cell(status),
        )

    @work(exclusive=True, group="profiles")
    async def _load(self) -> None:
        try:
            statuses = await asyncio.to_thread(list_profiles)
        except SeamError as exc:
            if self.is_closing:
                return
            self.query_one("#status", Line).update("could not read the profiles")
            self.show_error(exc)
            return
        if self.is_closing:
            return
        table = self.table
        keep = self._select or self._current_name()
        self._select = None
        self._profiles = {s.name: s for s in statuses}
        table.clear()
        for status in statuses:
            table.add_row(*self._cells(status), key=status.name)
        if keep in self._profiles:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        workspace = self.seam_app.workspace
        using = (
            "the SEAM_* environment variables (they override every profile)"
            if workspace.source == "env"
            else workspace.name
        )
        self.query_one("#status", Line).update(
            f"● in use: {using} · {len(statuses)} profiles in {profiles_path()}"
        )

    def _current_name(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key: str | None = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def _current(self) -> ProfileStatus | None:
        name = self._current_name()
        return self._profiles.get(name) if name is not None else None

    @on(KeyTable.RowSelected, "#workspaces")
    def _row_selected(self) -> None:
        self.action_switch()

    def action_switch(self) -> None:
        status = self._current()
        if status is None:
            return
        if status.name == self.seam_app.workspace.name:
            self.notify(f"Already working in {quoted(status.name)}.", title="Workspace")
            return
        # On the app: switching pops this screen, which would cancel a worker of its own.
        self.app.run_worker(
            self.seam_app.switch_workspace(status.name), group="workspace-switch", exclusive=True
        )

    def action_make_default(self) -> None:
        status = self._current()
        if status is not None:
            self._make_default(status.name)

    @work(group="profile-change")
    async def _make_default(self, name: str) -> None:
        try:
            await asyncio.to_thread(set_active_profile, name)
        except SeamError as exc:
            self.show_error(exc)
            return
        self.notify(f"{quoted(name)} opens by default from now on.", title="Workspace")
        self.refresh_data()

    def action_add(self) -> None:
        def added(result: AddedProfile | None) -> None:
            if result is None:
                return
            name = result.profile.name
            self.notify(
                f"Added profile {quoted(name)} for workspace {quoted(result.workspace.name)}. "
                "Enter switches to it.",
                title="Workspace",
            )
            self._select = name
            self.refresh_data()

        self.app.push_screen(WorkspaceFormScreen(), added)

    def action_remove(self) -> None:
        status = self._current()
        if status is None:
            return
        if status.builtin:
            self.notify(
                f"{quoted(status.name)} is a built-in sandbox profile: it comes from the local "
                "sandbox and cannot be removed.",
                title="Workspace",
                severity="warning",
            )
            return
        if status.name == self.seam_app.workspace.name:
            self.notify(
                f"{quoted(status.name)} is in use: switch to another workspace first (Enter).",
                title="Workspace",
                severity="warning",
            )
            return
        self._remove(status)

    @work(group="profile-change")
    async def _remove(self, status: ProfileStatus) -> None:
        where = "the insecure file store" if status.secret_store == "file" else "the keyring"
        detail: list[Cell] = [
            say("Label: {label}", label=status.label) if status.label else lit("No label."),
            say(
                "Its key is deleted from {where} and the profile from {path}.",
                where=styled(where, ""),
                path=profiles_path(),
            ),
            lit("The Seam workspace and its data are not touched; add it again with a to undo."),
        ]
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say("Remove workspace profile {name}?", name=status.name),
                detail,
                confirm_label="Remove",
            )
        )
        if not confirmed:
            return
        try:
            removed = await asyncio.to_thread(remove_profile, status.name)
        except SeamError as exc:
            self.show_error(exc)
            return
        default = " It was the default; the built-in sandbox is now." if removed.was_active else ""
        self.notify(f"Removed profile {quoted(status.name)}.{default}", title="Workspace")
        for warning in removed.warnings:
            self.notify(warning, title="Workspace", severity="warning", timeout=10)
        self.refresh_data()
