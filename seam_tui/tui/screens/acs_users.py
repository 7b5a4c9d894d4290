"""ACS users in one system or all: filter by link or suspension state, search, act on one.

Keys follow the highlighted user: the footer offers Link or Unlink, Suspend or Unsuspend,
whichever applies, and a changed user is redrawn in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.acs_user_ops import in_filter
from seam_tui.core.models import AcsUser, Page, UserIdentity
from seam_tui.core.results import AcsUserFilter
from seam_tui.core.settling import SettlingKind
from seam_tui.tui.bulk import BulkAction, Outcome, Plan, Step, acs_user_step
from seam_tui.tui.formatting import issues_text, schedule_cell, suspended_text, text_or_dash
from seam_tui.tui.literal import Cell, data, join, quoted, styled
from seam_tui.tui.marks import CLEAR_MARKS, MarkingScreen
from seam_tui.tui.screens.acs_user_changes import AcsUserChanges, identity_name, user_name
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.search_box import SearchBox
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

T = TypeVar("T")

# Keys that act on the marked rows (enabled only while some are marked).
MARKED_ACTIONS = frozenset({"suspend_marked", "unsuspend_marked", "unlink_marked", "delete_marked"})

PAGE_SIZE = 100
FILTERS: tuple[AcsUserFilter, ...] = ("all", "linked", "unlinked", "suspended")
# Link and access state first: email and phone are the columns that may scroll off the right.
COLUMNS: tuple[ColumnSpec, ...] = (
    ("Name", 28),
    ("Identity", 28),
    ("System", 24),
    ("State", 9),
    ("Schedule", 16),
    ("Issues", 30),
    ("Email", 30),
    ("Phone", 18),
)

# Actions that make sense only for some users; the footer hides them for the others.
_ROW_RULES: dict[str, Callable[[AcsUser], bool]] = {
    "open_identity": lambda u: bool(u.user_identity_id),
    "open_acs_user": lambda u: True,
    "link": lambda u: not u.user_identity_id,
    "identity_from_user": lambda u: not u.user_identity_id,
    "unlink": lambda u: bool(u.user_identity_id),
    "suspend": lambda u: not u.is_suspended,
    "unsuspend": lambda u: bool(u.is_suspended),
    "edit": lambda u: True,
    "delete": lambda u: True,
}


class AcsUsersScreen(MarkingScreen, AcsUserChanges):
    """A paged table of ACS users; `f` cycles all/linked/unlinked/suspended, `/` searches;
    marked users are suspended, unsuspended, unlinked or deleted together."""

    HELP_TITLE = "ACS users"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {
            "link",
            "identity_from_user",
            "unlink",
            "suspend",
            "unsuspend",
            "edit",
            "new",
            "delete",
            *MARKED_ACTIONS,
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the palette lists it too; it stands aside while the search box has focus.
        Binding(
            "enter",
            "open_identity",
            "Open identity",
            show=False,
            priority=True,
            id="acs_users.open_identity",
        ),
        Binding("slash", "search", "Search", key_display="/", id="acs_users.search"),
        Binding("o", "open_acs_user", "Open ACS user", id="acs_users.open_acs_user"),
        Binding("f", "cycle_filter", "Filter", id="acs_users.cycle_filter"),
        Binding("l", "link", "Link", id="acs_users.link"),
        Binding("i", "identity_from_user", "New identity", id="acs_users.identity_from_user"),
        Binding("x", "unlink", "Unlink", id="acs_users.unlink"),
        Binding("x", "unlink_marked", "Unlink marked", id="acs_users.unlink_marked"),
        Binding("s", "suspend", "Suspend", id="acs_users.suspend"),
        Binding("s", "unsuspend", "Unsuspend", id="acs_users.unsuspend"),
        Binding("s", "suspend_marked", "Suspend marked", id="acs_users.suspend_marked"),
        Binding("u", "unsuspend_marked", "Unsuspend marked", id="acs_users.unsuspend_marked"),
        Binding("e", "edit", "Edit", id="acs_users.edit"),
        Binding("n", "new", "New", id="acs_users.new"),
        Binding("d", "delete", "Delete", id="acs_users.delete"),
        Binding("d", "delete_marked", "Delete marked", id="acs_users.delete_marked"),
        Binding("r", "refresh", "Refresh", id="acs_users.refresh"),
        CLEAR_MARKS,
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, acs_system_id: str | None = None) -> None:
        super().__init__()
        self.acs_system_id = acs_system_id
        self.filter: AcsUserFilter = "all"
        self._query = ""
        self._loaded_for: tuple[str, str] | None = None  # the filter and search loaded

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("ACS users")
        yield SearchBox("/ search name, email, phone or id", id="search")
        self._users_table = PagedTable[AcsUser](
            COLUMNS,
            row_cells=self._cells,
            row_key=lambda u: u.acs_user_id,
            markable=True,
            id="acs-users",
        )
        yield self._users_table
        yield Line(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_data()

    def _cells(self, user: AcsUser) -> Sequence[Cell]:
        linked = identity_name(user) if user.user_identity_id else styled("unlinked", "dim")
        return (
            user_name(user),
            linked,
            self._system_name(user.acs_system_id),
            suspended_text(user),
            schedule_cell(user.access_schedule),
            issues_text(user),
            text_or_dash(user.email_address),
            text_or_dash(user.phone_number),
        )

    # ------------------------------------------------------------------ loading

    def refresh_data(self) -> None:
        """Read the rows shown again, in place (the first page for a new filter or search)."""
        if self._loaded_for == (self.filter, self._query):
            self.table.reload()
            return
        self._show_status("loading…")
        self._loaded_for = (self.filter, self._query)
        system_id, status, query = self.acs_system_id, self.filter, self._query

        async def fetch(cursor: str | None) -> Page[AcsUser]:
            self._systems = await self.service.systems_by_id()
            return await self.service.list_acs_users(
                acs_system_id=system_id,
                status=status,
                search=query or None,
                limit=PAGE_SIZE,
                cursor=cursor,
            )

        self.table.load(fetch)

    def _show_status(self, counts: str) -> None:
        parts: list[Cell] = ["filter ", styled(self.filter, "bold"), " (f)"]
        if self.acs_system_id:
            parts += [" · system ", data(self._system_name(self.acs_system_id))]
        if self._query:
            parts += [" · matching ", data(self._query)]
        parts.append(f" · {counts}{self.marks_text()}")
        self.query_one("#status", Line).update(join(parts))

    def _show_counts(self) -> None:
        self._show_status(self.table.count_text("ACS user", "ACS users"))

    @on(PagedTable.PageLoaded)
    def _page_loaded(self) -> None:
        self._show_counts()
        self.refresh_bindings()
        self.seam_app.settling.watch_pending(self.table.items)

    @on(PagedTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._show_counts()
        self.refresh_bindings()

    @on(PagedTable.Reading)
    def _reading(self, event: PagedTable.Reading) -> None:
        if not event.done:
            self._show_status(f"reading… {event.read:,} ACS users read · Esc stops")
            return
        self._show_counts()
        if event.stopped:
            self.notify(f"Stopped after reading {event.read:,} ACS users", title="Stopped")
        elif not event.found:
            self.notify("That ACS user is not in this list (change the filter or search)")

    def _user_changed(self, user: AcsUser) -> None:
        """Redraw the row, or drop it when it no longer belongs under the filter."""
        if in_filter(user, self.filter):
            self.table.replace_item(user)
        else:
            self.table.remove_item(user.acs_user_id)

    # ------------------------------------------------------ changes settling later

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool:
        return kind == "acs_user" and object_id in self.table.rows

    def show_object(
        self, kind: SettlingKind, object_id: str, obj: AcsUser | UserIdentity | None
    ) -> None:
        """Redraw a watched ACS user as Seam now has it (its row goes once it is gone)."""
        if obj is None:
            self.table.remove_item(object_id)
        elif isinstance(obj, AcsUser):
            self._user_changed(obj)
        self.refresh_bindings()

    @on(PagedTable.LoadFailed)
    def _load_failed(self, event: PagedTable.LoadFailed) -> None:
        self._show_status("could not load — press r to retry")
        self.show_error(event.error)

    @on(KeyTable.RowHighlighted, "#acs-users")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    @on(KeyTable.RowSelected, "#acs-users")
    def _row_selected(self) -> None:
        self.action_open_identity()

    # ------------------------------------------------------------ search, filter

    @on(SearchBox.Search, "#search")
    def _search(self, event: SearchBox.Search) -> None:
        self._run_search(event.query)
        if event.submitted:
            self.table.focus()

    def _run_search(self, value: str) -> None:
        if value != self._query:
            self._query = value
            self.refresh_data()

    def action_search(self) -> None:
        self.query_one("#search", SearchBox).focus()

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.refresh_data()

    def action_back(self) -> None:
        """Esc clears the search first (k9s-style), then goes back."""
        search = self.query_one("#search", SearchBox)
        if search.value or search.has_focus:
            search.value = ""
            self._run_search("")
            self.table.focus()
            return
        super().action_back()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "unsuspend_marked" and not self.table.marked:  # `u` on the cursor's row
            user = self.table.current_item()
            return user is not None and bool(user.is_suspended)
        if action in MARKED_ACTIONS:
            return bool(self.table.marked)
        rule = _ROW_RULES.get(action)
        if rule is None:
            return True
        table = self._users_table
        if table is not None and table.marked and action not in ("open_identity", "open_acs_user"):
            return False  # with rows marked, the keys act on them
        if table is None or (action == "open_identity" and not table.has_focus):
            return False
        user = table.current_item()
        return user is not None and rule(user)

    def action_open_identity(self) -> None:
        user = self.table.current_item()
        if user is None:
            return
        if user.user_identity_id:
            self.seam_app.open_identity(user.user_identity_id)
            return
        hint = "" if self.seam_app.read_only else " Press l to link it, or i to create one from it."
        self.notify(
            f"{quoted(user_name(user))} is not linked to an identity.{hint}", title="Not linked"
        )

    def action_open_acs_user(self) -> None:
        """The ACS user's own view: its groups, credentials and the identity's other users."""
        user = self.table.current_item()
        if user is not None:
            self.seam_app.open_acs_user(user.acs_user_id)

    def action_link(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._link(user)

    def action_identity_from_user(self) -> None:
        user = self.table.current_item()
        if user is None:
            return
        given = {
            "full_name": user.full_name or user.display_name,
            "email_address": user.email_address,
            "phone_number": user.phone_number,
        }
        prefill = {field: value for field, value in given.items() if value}
        # The form says what it created and reloads every screen, this one included.
        self.app.push_screen(IdentityFormScreen(prefill=prefill, link_acs_user_id=user.acs_user_id))

    def action_unlink(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._unlink(user)

    def action_suspend(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._set_suspended(user, True)

    def action_unsuspend(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._set_suspended(user, False)

    def action_edit(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._edit(user)

    def action_new(self) -> None:
        def created(user: AcsUser | None) -> None:
            if user is not None:
                where = quoted(self._system_name(user.acs_system_id))
                name = quoted(user_name(user))
                self.seam_app.settling.tell_created(user, name=name, where=where)
                if in_filter(user, self.filter):  # the cursor goes to it, however far down
                    self.table.reload(focus_key=user.acs_user_id)
                else:
                    self.refresh_data()

        self.app.push_screen(AcsUserFormScreen(acs_system_id=self.acs_system_id), created)

    def action_delete(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._delete(user)

    # ------------------------------------------------------------------ bulk

    def _bulk(self, action: BulkAction, title: str) -> None:
        users: list[AcsUser] = self.targets()
        if not users:
            return

        async def plan(read: Callable[[int], None]) -> Plan:
            systems = await self.service.systems_by_id()
            steps = [acs_user_step(self.service, u, action, systems) for u in users]
            return Plan(action, "ACS users", steps)

        self.run_bulk(f"{title} ({len(users):,} ACS users)", plan)

    def action_suspend_marked(self) -> None:
        self._bulk("suspend", "Suspend the marked ACS users")

    def action_unsuspend_marked(self) -> None:
        if not self.table.marked:
            self.action_unsuspend()
            return
        self._bulk("unsuspend", "Unsuspend the marked ACS users")

    def action_unlink_marked(self) -> None:
        self._bulk("unlink", "Unlink the marked ACS users from their identities")

    def action_delete_marked(self) -> None:
        self._bulk("delete", "Delete the marked ACS users")

    def bulk_step_done(self, step: Step, outcome: Outcome) -> None:
        if not outcome.ok:
            return
        if isinstance(outcome.obj, AcsUser):
            self._user_changed(outcome.obj)
        elif step.operation == "delete_acs_user":
            self.table.remove_item(step.key)
