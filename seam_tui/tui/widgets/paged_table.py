"""A DataTable fed page by page from a cursor-paginated source, holding a bounded window.

Scrolling down loads the next page; once the window holds `max_pages` pages the oldest is
dropped (its cursor kept), and scrolling back to the top fetches it again. So memory stays flat
however far one scrolls, and the whole workspace is never held in memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from textual import work
from textual.message import Message

from seam_tui.core.errors import SeamError
from seam_tui.core.models import Page
from seam_tui.tui.literal import Cell
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable

T = TypeVar("T")
Fetch = Callable[[str | None], Awaitable[Page[Any]]]

# Load the next (or previous) page when the cursor comes within this many rows of the edge.
EDGE_ROWS = 10


@dataclass
class _LoadedPage:
    request_cursor: str | None
    next_cursor: str | None
    keys: list[str] = field(default_factory=list)


class PagedTable(KeyTable, Generic[T]):
    """Rows from `fetch(cursor)`; `row_cells` renders one item, `row_key` identifies it."""

    class PageLoaded(Message):
        """A page arrived; `total` rows are in the window, `has_more` says if more exist."""

        def __init__(self, table: PagedTable[Any], total: int, has_more: bool) -> None:
            super().__init__()
            self.table = table
            self.total = total
            self.has_more = has_more

        @property
        def control(self) -> PagedTable[Any]:
            """The table, so `@on(PagedTable.PageLoaded, "#id")` selectors work."""
            return self.table

    class LoadFailed(Message):
        """Fetching a page failed; the table keeps what it had."""

        def __init__(self, table: PagedTable[Any], error: SeamError) -> None:
            super().__init__()
            self.table = table
            self.error = error

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[ColumnSpec],
        *,
        row_cells: Callable[[T], Sequence[Cell]],
        row_key: Callable[[T], str],
        max_pages: int = 10,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._columns = list(columns)
        self._row_cells = row_cells
        self._row_key = row_key
        self.max_pages = max_pages
        self._fetch: Fetch | None = None
        self._pages: deque[_LoadedPage] = deque()
        self._dropped: list[str | None] = []  # request cursors of pages dropped from the top
        self._items: dict[str, T] = {}
        self._loading = False
        self._rearranging_rows = False

    def on_mount(self) -> None:
        self.add_column_specs(*self._columns)

    # ------------------------------------------------------------------ public

    @property
    def items(self) -> list[T]:
        """The items in the window, in row order."""
        return [self._items[k] for page in self._pages for k in page.keys]

    @property
    def has_more(self) -> bool:
        return bool(self._pages and self._pages[-1].next_cursor)

    @property
    def is_loading(self) -> bool:
        return self._loading

    def current_item(self) -> T | None:
        """The item under the cursor, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._items.get(key) if key is not None else None

    def load(self, fetch: Fetch) -> None:
        """Replace the source and show its first page."""
        self._fetch = fetch
        self._load_first()

    def reload(self) -> None:
        """Fetch the first page of the current source again."""
        if self._fetch is not None:
            self._load_first()

    def replace_item(self, item: T) -> None:
        """Redraw one row in place after it changed."""
        key = self._row_key(item)
        if key not in self._items:
            return
        self._items[key] = item
        for column, value in zip(self.ordered_columns, self._row_cells(item), strict=True):
            self.update_cell(key, column.key, value)

    def remove_item(self, key: str) -> None:
        """Drop one row (after it was deleted)."""
        if key not in self._items:
            return
        del self._items[key]
        for page in self._pages:
            if key in page.keys:
                page.keys.remove(key)
        self.remove_row(key)

    # ---------------------------------------------------------------- loading

    async def _fetch_page(self, fetch: Fetch, cursor: str | None) -> Page[Any] | None:
        """One page from `fetch`, or None (after posting LoadFailed) when it failed."""
        self._loading = True
        try:
            return await fetch(cursor)
        except SeamError as exc:
            self.post_message(self.LoadFailed(self, exc))
            return None
        finally:
            self._loading = False

    @contextmanager
    def _rearranging(self) -> Iterator[None]:
        """Rows added or removed here move the cursor; that must not trigger more loads."""
        self._rearranging_rows = True
        try:
            yield
        finally:
            self._rearranging_rows = False

    def _loaded(self) -> None:
        self.post_message(self.PageLoaded(self, self.row_count, self.has_more))
        self._load_if_near_edge(self.cursor_coordinate.row)

    @work(exclusive=True, group="paged-table")
    async def _load_first(self) -> None:
        fetch = self._fetch
        assert fetch is not None
        page = await self._fetch_page(fetch, None)
        if page is None:
            return
        with self._rearranging():
            self.clear()
            self._pages.clear()
            self._dropped.clear()
            self._items.clear()
            self._append(None, page)
        self._loaded()

    @work(exclusive=True, group="paged-table")
    async def _load_next(self) -> None:
        fetch = self._fetch
        if fetch is None or not self._pages or not self._pages[-1].next_cursor:
            return
        cursor = self._pages[-1].next_cursor
        page = await self._fetch_page(fetch, cursor)
        if page is None or fetch is not self._fetch:
            return
        with self._rearranging():
            self._append(cursor, page)
            if len(self._pages) > self.max_pages:
                self._drop_first_page()
        self._loaded()

    @work(exclusive=True, group="paged-table")
    async def _load_previous(self) -> None:
        fetch = self._fetch
        if fetch is None or not self._dropped:
            return
        cursor = self._dropped[-1]
        page = await self._fetch_page(fetch, cursor)
        if page is None or fetch is not self._fetch:
            return
        self._dropped.pop()
        keep_key = self._cursor_key()
        old_pages = list(self._pages)
        if len(old_pages) + 1 > self.max_pages:
            for key in old_pages.pop().keys:
                self._items.pop(key, None)
        old_items = self._items
        with self._rearranging():
            self.clear()
            self._pages.clear()
            self._items = {}
            next_cursor = page.next_page_cursor if page.has_next_page else None
            self._add_page(cursor, next_cursor, page.items)
            for old in old_pages:
                items = [old_items[k] for k in old.keys]
                self._add_page(old.request_cursor, old.next_cursor, items)
            if keep_key is not None and keep_key in self._items:
                self.move_cursor(row=self.get_row_index(keep_key), animate=False)
        self._loaded()

    def _append(self, request_cursor: str | None, page: Page[Any]) -> None:
        next_cursor = page.next_page_cursor if page.has_next_page else None
        self._add_page(request_cursor, next_cursor, page.items)

    def _add_page(
        self, request_cursor: str | None, next_cursor: str | None, items: list[T]
    ) -> None:
        loaded = _LoadedPage(request_cursor, next_cursor)
        for item in items:
            key = self._row_key(item)
            if key in self._items:
                continue  # an item that moved between pages while we scrolled
            self._items[key] = item
            loaded.keys.append(key)
            self.add_row(*self._row_cells(item), key=key)
        self._pages.append(loaded)

    def _drop_first_page(self) -> None:
        keep_key = self._cursor_key()
        first = self._pages.popleft()
        self._dropped.append(first.request_cursor)
        for key in first.keys:
            self._items.pop(key, None)
            self.remove_row(key)
        if keep_key is not None and keep_key in self._items:
            self.move_cursor(row=self.get_row_index(keep_key), animate=False)

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        key: str | None = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return key

    # ------------------------------------------------------------- navigation

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._rearranging_rows:
            self._load_if_near_edge(new.row)

    def _load_if_near_edge(self, row: int) -> None:
        if self._loading or not self.row_count:
            return
        if row >= self.row_count - EDGE_ROWS and self.has_more:
            self._load_next()
        elif row < EDGE_ROWS and self._dropped:
            self._load_previous()
