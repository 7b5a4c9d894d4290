"""Home: every user identity in the workspace, searched on the server, loaded page by page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from seam_tui.core.models import AcsUser, Page, UserIdentity
from seam_tui.core.settling import SettlingKind
from seam_tui.tui.bulk import BulkAction, Outcome, Plan, Step, identity_steps
from seam_tui.tui.formatting import short_date, text_or_dash
from seam_tui.tui.literal import Cell, join, quoted, styled
from seam_tui.tui.marks import CLEAR_MARKS, MarkingScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.people_import import PeopleImportScreen
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


class IdentitiesScreen(MarkingScreen):
    """A table of identities; `/` searches name, email, phone and id on the server; marked
    identities (or the cursor's) are suspended, unsuspended, unlinked or deleted together."""

    HELP_TITLE = "Identities"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"new_identity", "delete_identity", "delete_marked", "suspend", "unsuspend", "unlink"}
    )
    BINDINGS = [
        Binding("enter", "open", "Open", show=False, id="identities.open"),
        Binding("slash", "search", "Search", key_display="/", id="identities.search"),
        Binding("n", "new_identity", "New", id="identities.new_identity"),
        Binding("d", "delete_identity", "Delete", id="identities.delete_identity"),
        Binding("d", "delete_marked", "Delete marked", id="identities.delete_marked"),
        Binding("s", "suspend", "Suspend…", id="identities.suspend"),
        Binding("u", "unsuspend", "Unsuspend…", show=False, id="identities.unsuspend"),
        Binding("x", "unlink", "Unlink ACS users…", show=False, id="identities.unlink"),
        Binding("r", "refresh", "Refresh", id="identities.refresh"),
        Binding("i", "import_people", "Import…", show=False, id="identities.import_people"),
        CLEAR_MARKS,
        Binding("escape", "clear_search", "Clear search", show=False, id="identities.clear_search"),
        # The app binds these everywhere; home shows them in its footer (busier screens list
        # them under ? and in the palette, where the footer has no room).
        Binding("2", "app.go('systems')", "Systems", id="app.systems"),
        Binding("3", "app.go('acs_users')", "ACS users", id="app.acs_users"),
        Binding("4", "app.go('activity')", "Activity", id="app.activity"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._query = ""
        self._loaded_query: str | None = None  # the search the table was loaded for

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Identities")
        yield SearchBox("/ search name, email, phone or id", id="search")
        yield PagedTable[UserIdentity](
            COLUMNS,
            row_cells=identity_cells,
            row_key=lambda i: i.user_identity_id,
            markable=True,
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
        """Read the rows shown again, in place (the first page for a new search)."""
        if self._loaded_query == self._query:
            self.table.reload()
            return
        self.query_one("#status", Line).update("loading…")
        query = self._loaded_query = self._query

        async def fetch(cursor: str | None) -> Page[UserIdentity]:
            return await self.service.search_identities(
                query or None, limit=PAGE_SIZE, cursor=cursor
            )

        self.table.load(fetch)

    def _show_status(self) -> None:
        what = f" matching {quoted(self._query)}" if self._query else ""
        counted = self.table.count_text("identity", "identities")
        if what and counted.endswith(" · more on scroll"):
            counted = counted.replace(" loaded", f"{what} loaded")
        else:
            counted += what
        self.query_one("#status", Line).update(counted + self.marks_text())

    @on(PagedTable.PageLoaded)
    def _page_loaded(self) -> None:
        self._show_status()
        going = [i for i in self.table.items if deleting(i) is not None]
        self.seam_app.settling.watch_pending(going)

    @on(PagedTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._show_status()
        self.refresh_bindings()

    @on(PagedTable.Reading)
    def _reading(self, event: PagedTable.Reading) -> None:
        status = self.query_one("#status", Line)
        if not event.done:
            status.update(f"reading… {event.read:,} identities read · Esc stops")
        elif event.stopped:
            self._show_status()
            self.notify(f"Stopped after reading {event.read:,} identities", title="Stopped")
        elif not event.found:
            self._show_status()
            self.notify("That identity is not in this list (clear the search to see it)")
        else:
            self._show_status()

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
        self.table.forget()  # the old workspace's rows go at once, whatever comes next
        self.query_one("#search", SearchBox).value = ""
        self._query = ""
        self._loaded_query = None
        self.refresh_data()
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#search", SearchBox).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        marked = bool(self.table.marked)
        if action == "delete_identity":
            return not marked
        if action == "delete_marked":
            return marked
        return True

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
        def created(identity: UserIdentity | None) -> None:
            if identity is not None:  # the cursor goes to it, however far down it is
                self.table.reveal(identity.user_identity_id)

        self.app.push_screen(IdentityFormScreen(), created)

    def action_import_people(self) -> None:
        self.app.push_screen(PeopleImportScreen(self.service, self.seam_app.refresh_screens))

    def action_delete_identity(self) -> None:
        identity = self.table.current_item()
        if identity is not None:
            self.seam_app.delete_identity(identity.user_identity_id)

    # ------------------------------------------------------------------ bulk

    def _bulk(self, action: BulkAction, title: str) -> None:
        people: list[UserIdentity] = self.targets()
        if not people:
            return

        async def plan(read: Callable[[int], None]) -> Plan:
            steps = await identity_steps(self.service, people, action, read)
            return Plan(action, "identities" if action == "delete" else "ACS users", steps)

        self.run_bulk(f"{title} ({len(people):,} identities)", plan)

    def action_suspend(self) -> None:
        self._bulk("suspend", "Suspend the ACS users of the marked identities")

    def action_unsuspend(self) -> None:
        self._bulk("unsuspend", "Unsuspend the ACS users of the marked identities")

    def action_unlink(self) -> None:
        self._bulk("unlink", "Unlink the ACS users of the marked identities")

    def action_delete_marked(self) -> None:
        self._bulk("delete", "Delete the marked identities")

    def bulk_step_done(self, step: Step, outcome: Outcome) -> None:
        if step.operation != "delete_user_identity" or not outcome.ok:
            return
        if isinstance(outcome.obj, UserIdentity):  # being deleted: shown so until it goes
            self.table.replace_item(outcome.obj)
        else:
            self.table.remove_item(step.key)
