"""The workspace's access control systems: brand, how many ACS users, and what is wrong.

Enter lists a system's ACS users; `a` its access groups (members and entrances)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.errors import SeamError
from seam_tui.core.results import SystemSummary
from seam_tui.tui.formatting import DASH, text_or_dash
from seam_tui.tui.literal import Cell, join, lit, styled
from seam_tui.tui.screens.access_groups import AccessGroupsScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Name", 40),
    ("Brand", 24),
    ("ACS users", 9),
    ("Issues", 48),
)


def system_issues(summary: SystemSummary) -> Cell:
    """Error codes in red and warning codes in yellow, or a dash when the system is healthy."""
    codes = [
        *(styled(e.error_code, "red") for e in summary.system.errors),
        *(styled(w.warning_code, "yellow") for w in summary.system.warnings),
    ]
    return join(codes, " ") if codes else lit(DASH)


def system_cells(summary: SystemSummary) -> Sequence[Cell]:
    system = summary.system
    return (
        system.name,
        text_or_dash(system.external_type_display_name or system.external_type),
        f"{summary.acs_user_count:>9}",
        system_issues(summary),
    )


class SystemsScreen(SeamScreen):
    """Every ACS system with its user count; Enter lists that system's ACS users, `a` its
    access groups."""

    HELP_TITLE = "Systems"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Its ACS users", priority=True, id="systems.open"),
        Binding("a", "access_groups", "Access groups", id="systems.access_groups"),
        Binding("r", "refresh", "Refresh", id="systems.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._summaries: dict[str, SystemSummary] = {}

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Systems")
        yield KeyTable(id="systems")
        yield Line(id="status")
        yield Footer()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#systems", KeyTable)

    def revisit(self) -> SystemsScreen:
        """The systems again, read afresh (history's forward)."""
        return SystemsScreen()

    def on_mount(self) -> None:
        self.table.add_column_specs(*COLUMNS)
        self.table.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        self.query_one("#status", Line).update("loading…")
        self._load()

    @work(exclusive=True, group="systems")
    async def _load(self) -> None:
        try:
            summaries = await self.service.list_systems()
        except SeamError as exc:
            if self.is_closing:
                return
            self.query_one("#status", Line).update("could not load — press r to retry")
            self.show_error(exc)
            return
        if self.is_closing:
            return
        table = self.table
        keep = self.current_system_id()
        self._summaries = {s.system.acs_system_id: s for s in summaries}
        table.clear()
        for summary in summaries:
            table.add_row(*system_cells(summary), key=summary.system.acs_system_id)
        if keep in self._summaries:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        users = sum(s.acs_user_count for s in summaries)
        self.query_one("#status", Line).update(
            f"{len(summaries)} systems · {users} ACS users · Enter lists a system's ACS users, "
            "a its access groups"
        )

    def current_system_id(self) -> str | None:
        """The id of the system under the cursor, if any."""
        table = self.table
        if not table.row_count:
            return None
        key: str | None = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    @on(KeyTable.RowSelected, "#systems")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        system_id = self.current_system_id()
        if system_id is not None:
            self.app.push_screen(AcsUsersScreen(acs_system_id=system_id))

    def action_access_groups(self) -> None:
        system_id = self.current_system_id()
        summary = self._summaries.get(system_id or "")
        if system_id is not None and summary is not None:
            self.app.push_screen(AccessGroupsScreen(system_id, summary.system.name))
