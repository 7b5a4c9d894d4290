"""Home: every user identity in the workspace, searched on the server, loaded page by page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from seam_tui.core.models import AcsUser, Page, UserIdentity
from seam_tui.core.settling import SettlingKind
from seam_tui.tui.formatting import short_date, text_or_dash
from seam_tui.tui.literal import Cell, join, quoted, styled
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.settling import deleting
from seam_tui.tui.widgets.key_table import ColumnSpec
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.search_box import SearchBox
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

PAGE_SIZE = 100
COLUMNS: tuple[ColumnSpec, ...] = (
    ("Name", 32),
    ("Email", 32),
    ("Phone", 18),
    ("Key", 20),
    "ACS users",
    "Created",
)


def identity_cells(identity: UserIdentity) -> Sequence[Cell]:
    name: Cell = text_or_dash(identity.full_name or identity.display_name)
    going = deleting(identity)
    if going is not None:  # listed until Seam has removed it
        since = f" since {going.since.astimezone(UTC):%H:%M:%S} UTC" if going.since else ""
        name = join([name, styled(f" · being deleted{since}", "blue")])
    return (
        name,
        text_or_dash(identity.email_address),
        text_or_dash(identity.phone_number),
        text_or_dash(identity.user_identity_key),
        str(len(identity.acs_user_ids)),
        short_date(identity.created_at),
    )


class IdentitiesScreen(SeamScreen):
    """A table of identities; `/` searches name, email, phone and id on the server."""

    HELP_TITLE = "Identities"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"new_identity", "delete_identity"})
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "new_identity", "New"),
        Binding("d", "delete_identity", "Delete"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "clear_search", "Clear search", show=False),
        # The app binds these everywhere; home shows them in its footer (busier screens list
        # them under ? and in the palette, where the footer has no room).
        Binding("2", "app.go('systems')", "Systems"),
        Binding("3", "app.go('acs_users')", "ACS users"),
        Binding("4", "app.go('activity')", "Activity"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._query = ""

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Identities")
        yield SearchBox("/ search name, email, phone or id", id="search")
        yield PagedTable[UserIdentity](
            COLUMNS,
            row_cells=identity_cells,
            row_key=lambda i: i.user_identity_id,
            id="identities",
        )
        yield Line(id="status")
        yield Footer()

    @property
    def table(self) -> PagedTable[UserIdentity]:
        return self.query_one("#identities", PagedTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        self.query_one("#status", Line).update("loading…")
        query = self._query

        async def fetch(cursor: str | None) -> Page[UserIdentity]:
            return await self.service.search_identities(
                query or None, limit=PAGE_SIZE, cursor=cursor
            )

        self.table.load(fetch)

    @on(PagedTable.PageLoaded)
    def _page_loaded(self, event: PagedTable.PageLoaded) -> None:
        more = " · scroll for more" if event.has_more else ""
        what = f" matching {quoted(self._query)}" if self._query else ""
        self.query_one("#status", Line).update(f"{event.total} identities{what}{more}")
        going = [i for i in self.table.items if deleting(i) is not None]
        self.seam_app.settling.watch_pending(going)

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool:
        return kind == "user_identity" and object_id in self.table.rows

    def show_object(
        self, kind: SettlingKind, object_id: str, obj: AcsUser | UserIdentity | None
    ) -> None:
        """Redraw a watched identity (its row goes once Seam has deleted it)."""
        if obj is None:
            self.table.remove_item(object_id)
        elif isinstance(obj, UserIdentity):
            self.table.replace_item(obj)

    @on(PagedTable.LoadFailed)
    def _load_failed(self, event: PagedTable.LoadFailed) -> None:
        self.query_one("#status", Line).update("could not load — press r to retry")
        self.show_error(event.error)

    @on(SearchBox.Search, "#search")
    def _search(self, event: SearchBox.Search) -> None:
        self._run_search(event.query)
        if event.submitted:
            self.table.focus()

    def _run_search(self, value: str) -> None:
        if value != self._query:
            self._query = value
            self.refresh_data()

    @on(PagedTable.RowSelected, "#identities")
    def _row_selected(self) -> None:
        self.action_open()

    def start_over(self) -> None:
        """Forget the search and show the first page again (after a workspace switch)."""
        self.query_one("#search", SearchBox).value = ""
        self._query = ""
        self.refresh_data()
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#search", SearchBox).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", SearchBox)
        if search.value:
            search.value = ""
            self._run_search("")
        self.table.focus()

    def action_open(self) -> None:
        identity = self.table.current_item()
        if identity is not None:
            self.seam_app.open_identity(identity.user_identity_id)

    def action_new_identity(self) -> None:
        self.seam_app.new_identity()

    def action_delete_identity(self) -> None:
        identity = self.table.current_item()
        if identity is not None:
            self.seam_app.delete_identity(identity.user_identity_id)
