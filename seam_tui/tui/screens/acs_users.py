"""ACS users in one system or all: filter by link or suspension state, search, act on one.

Keys follow the highlighted user: the footer offers Link or Unlink, Suspend or Unsuspend,
whichever applies, and a changed user is redrawn in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from seam_tui.core.models import AccessSchedule, AcsUser, Page, UserIdentity
from seam_tui.core.results import AcsUserFilter
from seam_tui.core.settling import SettlingKind
from seam_tui.tui.formatting import DASH, issues_text, short_date, suspended_text, text_or_dash
from seam_tui.tui.literal import Cell, data, join, quoted, styled
from seam_tui.tui.screens.acs_user_changes import AcsUserChanges, identity_name, user_name
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.search_box import SearchBox
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

T = TypeVar("T")

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
    "link": lambda u: not u.user_identity_id,
    "identity_from_user": lambda u: not u.user_identity_id,
    "unlink": lambda u: bool(u.user_identity_id),
    "suspend": lambda u: not u.is_suspended,
    "unsuspend": lambda u: bool(u.is_suspended),
    "edit": lambda u: True,
    "delete": lambda u: True,
}


def schedule_cell(schedule: AccessSchedule | None) -> Cell:
    """Access window relative to now: `from` (not yet), `until`/`since` (now), `ended`."""
    if schedule is None:
        return DASH
    now = datetime.now(UTC)
    if schedule.starts_at and schedule.starts_at > now:
        return styled(f"from {short_date(schedule.starts_at)}", "yellow")
    if schedule.ends_at and schedule.ends_at <= now:
        return styled(f"ended {short_date(schedule.ends_at)}", "red")
    if schedule.ends_at:
        return f"until {short_date(schedule.ends_at)}"
    return f"since {short_date(schedule.starts_at)}"


class AcsUsersScreen(AcsUserChanges):
    """A paged table of ACS users; `f` cycles all/linked/unlinked/suspended, `/` searches."""

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
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the palette lists it too; it stands aside while the search box has focus.
        Binding("enter", "open_identity", "Open identity", show=False, priority=True),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("l", "link", "Link"),
        Binding("i", "identity_from_user", "New identity"),
        Binding("x", "unlink", "Unlink"),
        Binding("s", "suspend", "Suspend"),
        Binding("s", "unsuspend", "Unsuspend"),
        Binding("e", "edit", "Edit"),
        Binding("n", "new", "New"),
        Binding("d", "delete", "Delete"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self, acs_system_id: str | None = None) -> None:
        super().__init__()
        self.acs_system_id = acs_system_id
        self.filter: AcsUserFilter = "all"
        self._query = ""
        self._restore_key: str | None = None  # the row to put the cursor back on after a reload

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("ACS users")
        yield SearchBox("/ search name, email, phone or id", id="search")
        self._users_table = PagedTable[AcsUser](
            COLUMNS, row_cells=self._cells, row_key=lambda u: u.acs_user_id, id="acs-users"
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
        self._show_status("loading…")
        current = self.table.current_item()
        self._restore_key = current.acs_user_id if current else None
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
        parts.append(f" · {counts}")
        self.query_one("#status", Line).update(join(parts))

    @on(PagedTable.PageLoaded)
    def _page_loaded(self, event: PagedTable.PageLoaded) -> None:
        more = " · scroll for more" if event.has_more else ""
        self._show_status(f"{event.total} ACS users{more}")
        keep, self._restore_key = self._restore_key, None
        if keep is not None and keep in self.table.rows:
            self.table.move_cursor(row=self.table.get_row_index(keep), animate=False)
        self.refresh_bindings()
        self.seam_app.settling.watch_pending(self.table.items)

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
            self.table.replace_item(obj)
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
        rule = _ROW_RULES.get(action)
        if rule is None:
            return True
        table = self._users_table
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
        if user is None:
            return

        def saved(updated: AcsUser | None) -> None:
            if updated is not None:
                name = quoted(user_name(updated))
                self._show_changed(
                    updated, "update_acs_user", f"Saved ACS user {name}", f"Update of {name}"
                )

        self.app.push_screen(AcsUserFormScreen(acs_user=user), saved)

    def action_new(self) -> None:
        def created(user: AcsUser | None) -> None:
            if user is not None:
                where = quoted(self._system_name(user.acs_system_id))
                name = quoted(user_name(user))
                self.seam_app.settling.tell_created(user, name=name, where=where)
                self.refresh_data()
                self._restore_key = user.acs_user_id

        self.app.push_screen(AcsUserFormScreen(acs_system_id=self.acs_system_id), created)

    def action_delete(self) -> None:
        user = self.table.current_item()
        if user is not None:
            self._delete(user)
