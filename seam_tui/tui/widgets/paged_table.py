"""A DataTable fed page by page from a cursor-paginated source, holding a bounded window.

Scrolling down loads the next page; once the window holds `max_pages` pages the oldest is
dropped (its cursor and row count kept), and scrolling back to the top fetches it again. So
memory stays flat however far one scrolls. `G` reads on to the real end and `g` goes back to
the real start; `reveal` reads on until it finds one row (Esc stops either, and the table
says how far it got). Rows can be marked for an action on several at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from textual import work
from textual.binding import Binding

from seam_tui.core.errors import SeamError
from seam_tui.core.models import Page
from seam_tui.tui.literal import Cell
from seam_tui.tui.widgets.key_table import ColumnSpec
from seam_tui.tui.widgets.marked_rows import MarkedRows, TableMessage

T = TypeVar("T")
Fetch = Callable[[str | None], Awaitable[Page[Any]]]

# Load the next (or previous) page when the cursor comes within this many rows of the edge.
EDGE_ROWS = 10


@dataclass
class _LoadedPage:
    request_cursor: str | None
    next_cursor: str | None
    keys: list[str] = field(default_factory=list)


@dataclass
class _ReadPage(Generic[T]):
    """A page read on the way to the end or to a row, shown only once the reading is done."""

    request_cursor: str | None
    next_cursor: str | None
    items: list[T]


def _next_cursor(page: Page[Any]) -> str | None:
    return page.next_page_cursor if page.has_next_page else None


class PagedTable(MarkedRows[T]):
    """Rows from `fetch(cursor)`; `row_cells` renders one item, `row_key` identifies it."""

    BINDINGS = [
        Binding("escape", "stop_reading", "Stop reading", show=False, id="table.stop_reading")
    ]

    class PageLoaded(TableMessage):
        """The rows changed (a page arrived, a row went): `total` are in the window, and
        `has_more` says whether more follow."""

        def __init__(self, table: PagedTable[Any], total: int, has_more: bool) -> None:
            super().__init__(table)
            self.total = total
            self.has_more = has_more

    class LoadFailed(TableMessage):
        """Fetching a page failed; the table keeps what it had."""

        def __init__(self, table: PagedTable[Any], error: SeamError) -> None:
            super().__init__(table)
            self.error = error

    class Reading(TableMessage):
        """A long read (to the end, or to find a row) has read `read` rows from the start;
        `done` when it ended, `stopped` when Esc ended it, `found` False when the row
        looked for is not in the list."""

        def __init__(
            self,
            table: PagedTable[Any],
            read: int,
            *,
            done: bool = False,
            stopped: bool = False,
            found: bool = True,
        ) -> None:
            super().__init__(table)
            self.read = read
            self.done = done
            self.stopped = stopped
            self.found = found

    def __init__(
        self,
        columns: Sequence[ColumnSpec],
        *,
        row_cells: Callable[[T], Sequence[Cell]],
        row_key: Callable[[T], str],
        max_pages: int = 10,
        markable: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(row_cells=row_cells, row_key=row_key, markable=markable, id=id)
        self._columns = list(columns)
        self.max_pages = max_pages
        self._fetch: Fetch | None = None
        self._pages: list[_LoadedPage] = []
        # Pages dropped from the top: the cursor each was read with, and how many rows it held.
        self._dropped: list[tuple[str | None, int]] = []
        self._loading = False
        self._reading = False
        self._stop = False
        self._rearranging_rows = False

    def on_mount(self) -> None:
        self.add_mark_column()
        self.add_column_specs(*self._columns)

    # ------------------------------------------------------------------ public

    @property
    def items(self) -> list[T]:
        """The items in the window, in row order."""
        return [self._items[k] for k in self._row_keys()]

    @property
    def has_more(self) -> bool:
        return bool(self._pages and self._pages[-1].next_cursor)

    @property
    def is_loading(self) -> bool:
        return self._loading or self._reading

    @property
    def rows_before(self) -> int:
        """Rows above the window (read, then dropped to keep memory flat)."""
        return sum(count for _, count in self._dropped)

    @property
    def known_total(self) -> int | None:
        """How many rows the list has, once it was read to its end; else None."""
        return None if self.has_more else self.rows_before + self.row_count

    def count_text(self, one: str, many: str) -> str:
        """`41 identities` when the count is known, else `1,000 identities loaded · more on
        scroll` (rows read so far: there are more)."""
        total = self.known_total
        if total is None:
            return f"{self.rows_before + self.row_count:,} {many} loaded · more on scroll"
        return f"{total:,} {one if total == 1 else many}"

    def load(self, fetch: Fetch) -> None:
        """Replace the source and show its first page."""
        self._fetch = fetch
        self._load_first()

    def reload(self, focus_key: str | None = None) -> None:
        """Read the rows held again, in place (the cursor stays on its row), or the first page
        when nothing is held; with `focus_key`, then put the cursor on that row (reading on
        to find it)."""
        if self._fetch is not None:
            self._reload(focus_key)

    def forget(self) -> None:
        """Show nothing and stop loading (the source is gone: another workspace)."""
        self.workers.cancel_group(self, "paged-table")
        self._fetch = None
        with self._rearranging():
            self.clear()
        self._pages.clear()
        self._dropped.clear()
        self._items.clear()
        self.clear_marks()
        self._loading = self._reading = False

    def reveal(self, key: str) -> None:
        """Put the cursor on row `key`, reading on (then from the start) to find it."""
        if key in self._items:
            self.move_cursor(row=self.get_row_index(key), animate=False)
        elif self._fetch is not None:
            self._walk(key)

    def jump_to_end(self) -> None:
        """The last row of the whole list (reading every page up to it, Esc stops)."""
        if self.has_more and self._fetch is not None:
            self._walk(None)
        else:
            self.move_cursor(row=max(0, self.row_count - 1))

    def jump_to_start(self) -> None:
        """The first row of the whole list (its first page read again if it was dropped)."""
        if self._dropped and self._fetch is not None:
            self._load_first()
        else:
            self.move_cursor(row=0)

    def replace_item(self, item: T) -> None:
        """Redraw one row in place after it changed."""
        key = self._row_key(item)
        if key in self._marks:
            self._marks[key] = item
        if key not in self._items:
            return
        self._items[key] = item
        for column, value in zip(self.ordered_columns, self._cells(key, item), strict=True):
            self.update_cell(key, column.key, value)

    def remove_item(self, key: str) -> None:
        """Drop one row (after it was deleted); the count follows."""
        self.unmark(key)
        if key not in self._items:
            return
        del self._items[key]
        for page in self._pages:
            if key in page.keys:
                page.keys.remove(key)
        self.remove_row(key)
        self.post_message(self.PageLoaded(self, self.row_count, self.has_more))

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
        if page is not None and fetch is self._fetch:
            self._show([_ReadPage(None, _next_cursor(page), page.items)], [], None, 0)

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
            self._add_page(cursor, _next_cursor(page), page.items)
            if len(self._pages) > self.max_pages:
                self._drop_first_page()
        self._loaded()

    @work(exclusive=True, group="paged-table")
    async def _load_previous(self) -> None:
        fetch = self._fetch
        if fetch is None or not self._dropped:
            return
        cursor = self._dropped[-1][0]
        page = await self._fetch_page(fetch, cursor)
        if page is None or fetch is not self._fetch:
            return
        held = self._held()[: self.max_pages - 1]
        pages = [_ReadPage(cursor, _next_cursor(page), page.items), *held]
        self._show(pages, self._dropped[:-1], self._cursor_key(), self.cursor_row)

    @work(exclusive=True, group="paged-table")
    async def _reload(self, focus_key: str | None) -> None:
        fetch = self._fetch
        assert fetch is not None
        keep, row = focus_key or self._cursor_key(), self.cursor_row
        cursor = self._pages[0].request_cursor if self._pages else None
        pages: list[_ReadPage[T]] = []
        for _ in range(max(1, len(self._pages))):
            request = cursor
            page = await self._fetch_page(fetch, request)
            if page is None or fetch is not self._fetch:
                return
            cursor = _next_cursor(page)
            pages.append(_ReadPage(request, cursor, page.items))
            if cursor is None:
                break
        self._show(pages, list(self._dropped), keep, row)
        if focus_key is not None and focus_key not in self._items:
            await self._find(fetch, focus_key)

    @work(exclusive=True, group="paged-table")
    async def _walk(self, want: str | None) -> None:
        fetch = self._fetch
        assert fetch is not None
        if want is not None:
            await self._find(fetch, want)
            return
        pages, before = self._held(), list(self._dropped)
        await self._read_on(fetch, pages, before, None)
        if fetch is not self._fetch:
            return
        self._show(pages, before, None, sum(len(p.items) for p in pages) - 1)
        read = self.rows_before + self.row_count
        self.post_message(self.Reading(self, read, done=True, stopped=self._stop))

    async def _find(self, fetch: Fetch, want: str) -> None:
        """Read on from the window, then from the start, until a page holds row `want`;
        shown only if found (Esc, or a list without it, leaves the window as it was)."""
        from_top = not self._dropped
        pages, before = self._held(), list(self._dropped)
        found = await self._read_on(fetch, pages, before, want)
        if not found and not self._stop and not from_top:
            first = await self._fetch_page(fetch, None)
            if first is None:
                return
            pages, before = [_ReadPage(None, _next_cursor(first), first.items)], []
            found = any(self._row_key(i) == want for i in first.items)
            found = found or await self._read_on(fetch, pages, before, want)
        if found and fetch is self._fetch:
            self._show(pages, before, want, 0)
        read = sum(n for _, n in before) + sum(len(p.items) for p in pages)
        self.post_message(self.Reading(self, read, done=True, stopped=self._stop, found=found))

    async def _read_on(
        self,
        fetch: Fetch,
        pages: list[_ReadPage[T]],
        before: list[tuple[str | None, int]],
        want: str | None,
    ) -> bool:
        """Read the pages after `pages` until the end, Esc, or a page holding row `want`,
        keeping the last `max_pages` in `pages` and the earlier ones' cursors in `before`.
        True when it found `want`; progress is posted as `Reading` after every page."""
        self._reading, self._stop = True, False
        try:
            while pages and pages[-1].next_cursor is not None and not self._stop:
                cursor = pages[-1].next_cursor
                page = await self._fetch_page(fetch, cursor)
                if page is None or fetch is not self._fetch:
                    return False
                pages.append(_ReadPage(cursor, _next_cursor(page), page.items))
                if len(pages) > self.max_pages:
                    dropped = pages.pop(0)
                    before.append((dropped.request_cursor, len(dropped.items)))
                read = sum(n for _, n in before) + sum(len(p.items) for p in pages)
                self.post_message(self.Reading(self, read))
                if want is not None and any(self._row_key(i) == want for i in page.items):
                    return True
            return False
        finally:
            self._reading = False

    def _held(self) -> list[_ReadPage[T]]:
        return [
            _ReadPage(p.request_cursor, p.next_cursor, [self._items[k] for k in p.keys])
            for p in self._pages
        ]

    def _show(
        self,
        pages: list[_ReadPage[T]],
        before: list[tuple[str | None, int]],
        key: str | None,
        row: int,
    ) -> None:
        """Show `pages` as the window (`before` the dropped ones), the cursor on row `key`, or
        else on `row` (kept within the rows)."""
        with self._rearranging():
            self.clear()
            self._pages.clear()
            self._items.clear()
            self._dropped = before
            for page in pages:
                self._add_page(page.request_cursor, page.next_cursor, page.items)
            if key is not None and key in self._items:
                row = self.get_row_index(key)
            self.move_cursor(row=max(0, min(row, self.row_count - 1)), animate=False)
        self._loaded()

    def _add_page(
        self, request_cursor: str | None, next_cursor: str | None, items: Sequence[T]
    ) -> None:
        loaded = _LoadedPage(request_cursor, next_cursor)
        for item in items:
            key = self._row_key(item)
            if key in self._items:
                continue  # an item that moved between pages while we scrolled
            self._items[key] = item
            if key in self._marks:
                self._marks[key] = item
            loaded.keys.append(key)
            self.add_row(*self._cells(key, item), key=key)
        self._pages.append(loaded)

    def _drop_first_page(self) -> None:
        keep_key = self._cursor_key()
        first = self._pages.pop(0)
        self._dropped.append((first.request_cursor, len(first.keys)))
        for key in first.keys:
            self._items.pop(key, None)
            self.remove_row(key)
        if keep_key is not None and keep_key in self._items:
            self.move_cursor(row=self.get_row_index(keep_key), animate=False)

    def _row_keys(self) -> list[str]:
        return [k for page in self._pages for k in page.keys]

    # ------------------------------------------------------------- navigation

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._rearranging_rows:
            self._load_if_near_edge(new.row)

    def _load_if_near_edge(self, row: int) -> None:
        if self._loading or self._reading or not self.row_count:
            return
        if row >= self.row_count - EDGE_ROWS and self.has_more:
            self._load_next()
        elif row < EDGE_ROWS and self._dropped:
            self._load_previous()

    def action_first_row(self) -> None:
        self.jump_to_start()

    def action_last_row(self) -> None:
        self.jump_to_end()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_reading":
            return self._reading
        return super().check_action(action, parameters)

    def action_stop_reading(self) -> None:
        """Esc during a long read: stop after the page on its way."""
        self._stop = True
