"""Choose the identity to link an ACS user to: likely matches first, then a server search.

`SearchPickerScreen` is the shared shape of every "find one and press Enter" modal: a search
box (debounced, searched on the server) over a `PagedTable`, Esc to cancel. Enter picks the
highlighted row, from the list or from the search box (once what is typed has been searched).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from seam_tui.core.models import AcsUser, Page, SeamModel, UserIdentity
from seam_tui.tui.errors import describe_error
from seam_tui.tui.formatting import text_or_dash
from seam_tui.tui.literal import Cell, data, join, say, styled
from seam_tui.tui.widgets.key_footer import KeyFooter
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.search_box import SearchBox
from seam_tui.tui.widgets.text import Line

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService
    from seam_tui.tui.app import SeamApp

PAGE_SIZE = 50
MATCH = styled("match", "bold green")

# Keys that are not typed into the search from the list: j, k, g, G move its cursor and
# / moves to the search.
TABLE_KEYS = frozenset({"slash", *(b.key for b in KeyTable.BINDINGS if isinstance(b, Binding))})

ItemT = TypeVar("ItemT", bound=SeamModel)
PickT = TypeVar("PickT")


def type_at_end(search: SearchBox, text: str) -> None:
    """Add `text` after what the search box holds, the cursor after it, nothing selected."""
    search.value += text
    search.cursor_position = len(search.value)


class SearchPickerScreen(ModalScreen[PickT | None], Generic[ItemT, PickT]):
    """A searchable, paged list; Enter on a row dismisses with `picked(row)`, Esc with None."""

    COLUMNS: ClassVar[tuple[ColumnSpec, ...]] = ()
    SEARCH_PLACEHOLDER: ClassVar[str] = "search name, email, phone or id"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "focus_table", "Results", show=False, id="picker.results"),
        Binding("slash", "focus_search", "Search", show=False, id="picker.search"),
    ]

    def __init__(self, title: Cell, hint: Cell = "") -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._query = ""
        self._place_cursor = False

    @property
    def service(self) -> SeamService:
        return cast("SeamApp", self.app).service

    # Subclasses say what to list and how it reads.

    async def fetch(self, query: str, cursor: str | None) -> Page[ItemT]:
        raise NotImplementedError

    def cells(self, item: ItemT) -> Sequence[Cell]:
        raise NotImplementedError

    def key(self, item: ItemT) -> str:
        raise NotImplementedError

    def picked(self, item: ItemT) -> PickT:
        raise NotImplementedError

    def describe(self, total: int, has_more: bool) -> str:
        more = " · scroll for more" if has_more else ""
        return f"{total} shown{more} · Enter picks"

    def first_row(self, items: Sequence[ItemT]) -> int:
        """The row the cursor starts on once a search's first page is in."""
        return 0

    # The shared machinery.

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-dialog"):
            yield Line(self._title, classes="form-title")
            if self._hint:
                yield Line(self._hint, classes="picker-hint")
            yield SearchBox(self.SEARCH_PLACEHOLDER, id="picker-search")
            yield PagedTable[ItemT](
                self.COLUMNS, row_cells=self.cells, row_key=self.key, id="picks"
            )
            yield Line("loading…", id="picker-status")
        yield KeyFooter()

    @property
    def table(self) -> PagedTable[ItemT]:
        return self.query_one("#picks", PagedTable)

    def on_mount(self) -> None:
        self.query_one("#picker-search", SearchBox).focus()
        self._reload()

    def _reload(self) -> None:
        query = self._query
        self.query_one("#picker-status", Line).update("searching…")
        self._place_cursor = True
        self.table.load(lambda cursor: self.fetch(query, cursor))

    @on(PagedTable.PageLoaded)
    def _page_loaded(self, event: PagedTable.PageLoaded) -> None:
        self.query_one("#picker-status", Line).update(self.describe(event.total, event.has_more))
        if self._place_cursor:
            self._place_cursor = False
            row = self.first_row(self.table.items)
            if 0 < row < self.table.row_count:
                self.table.move_cursor(row=row, animate=False)

    @on(PagedTable.LoadFailed)
    def _load_failed(self, event: PagedTable.LoadFailed) -> None:
        self.query_one("#picker-status", Line).update(describe_error(event.error))

    @on(SearchBox.Search, "#picker-search")
    def _search(self, event: SearchBox.Search) -> None:
        """Enter on a search already shown picks its highlighted row; on new text it searches
        (and the next Enter picks from what it found)."""
        item = self.table.current_item()
        searched = event.query == self._query and not self.table.is_loading
        if event.submitted and searched and item is not None:
            self.choose(item)
            return
        self._run_search(event.query)

    def on_key(self, event: events.Key) -> None:
        """A letter typed while the list has the focus goes to the search box."""
        typed = event.is_printable and event.character and event.key not in TABLE_KEYS
        if self.focused is self.table and typed and event.character:
            event.stop()
            search = self.query_one("#picker-search", SearchBox)
            search.focus()
            # After the focus lands (it selects the text): the letter goes at the end.
            self.call_after_refresh(type_at_end, search, event.character)

    def _run_search(self, value: str) -> None:
        if value != self._query:
            self._query = value
            self._reload()

    @on(PagedTable.RowSelected, "#picks")
    def _row_selected(self) -> None:
        item = self.table.current_item()
        if item is not None:
            self.choose(item)

    def choose(self, item: ItemT) -> None:
        """Enter on `item`: dismiss with it (a picker that acts on it first overrides this)."""
        self.dismiss(self.picked(item))

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#picker-search", SearchBox).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class IdentityPickerScreen(SearchPickerScreen[UserIdentity, str]):
    """Dismisses with the chosen user_identity_id, or None on Esc.

    Identities whose email or phone equal the ACS user's are pinned at the top (marked
    "match"), whatever is typed; below them come the server's search results.
    """

    COLUMNS = ("", ("Name", 28), ("Email", 28), ("Phone", 18), ("Key", 20), "ACS users")

    def __init__(self, acs_user: AcsUser) -> None:
        name = acs_user.full_name or acs_user.display_name or acs_user.acs_user_id
        contact = [v for v in (acs_user.email_address, acs_user.phone_number) if v]
        super().__init__(
            say("Link ACS user {name} to an identity", name=name),
            say("ACS user's contact: {contact}", contact=join(map(data, contact), " · "))
            if contact
            else "No email or phone to match on",
        )
        self._acs_user = acs_user
        self._matches: list[UserIdentity] | None = None

    async def fetch(self, query: str, cursor: str | None) -> Page[UserIdentity]:
        page = await self.service.search_identities(query or None, limit=PAGE_SIZE, cursor=cursor)
        if cursor is not None:
            return page
        if self._matches is None:
            self._matches = await self._find_matches()
        return Page(items=self._matches + page.items, pagination=page.pagination)

    async def _find_matches(self) -> list[UserIdentity]:
        """Identities holding the ACS user's exact email or phone (case ignored)."""
        found: dict[str, UserIdentity] = {}
        for field in ("email_address", "phone_number"):
            value: str | None = getattr(self._acs_user, field)
            if not value:
                continue
            page = await self.service.search_identities(value, limit=PAGE_SIZE)
            for identity in page.items:
                held = getattr(identity, field)
                if held and held.casefold() == value.casefold():
                    found.setdefault(identity.user_identity_id, identity)
        return list(found.values())

    def _is_match(self, identity: UserIdentity) -> bool:
        return any(m.user_identity_id == identity.user_identity_id for m in self._matches or ())

    def cells(self, item: UserIdentity) -> Sequence[Cell]:
        return (
            MATCH if self._is_match(item) else "",
            text_or_dash(item.full_name or item.display_name),
            text_or_dash(item.email_address),
            text_or_dash(item.phone_number),
            text_or_dash(item.user_identity_key),
            str(len(item.acs_user_ids)),
        )

    def key(self, item: UserIdentity) -> str:
        return item.user_identity_id

    def picked(self, item: UserIdentity) -> str:
        return item.user_identity_id

    def describe(self, total: int, has_more: bool) -> str:
        matches = len(self._matches or ())
        return f"{matches} match(es) by email or phone · {super().describe(total, has_more)}"
