"""Exact pages over the API's cursor pages: never more than `limit` items, a cursor that resumes
right after the last item returned, and bound to the filters it was issued for.

The API pages by its own size and cursor. A listing filtered on our side (ACS users by link or
suspension state), or asked for another size than the API page a cursor came from, cannot stop
at an API page's end; so the cursor handed out names the API page being read (its cursor and
size), how many of its items were already gone through, the id and creation time of the last of
those (to find the place again if items were added or deleted meanwhile), and a fingerprint of
the filters. A cursor sent with other filters, or another workspace, is refused naming `cursor`
instead of answering a wrong page.

A filtered listing reads at most `max_pages` API pages per call. It returns `has_next_page`
only with a way on: when it stopped before a match it already saw, when it ran out of reads
(it may then return fewer items than `limit`, even none: the cursor goes on from where it
stopped), or when the API says more follows an unfiltered page.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from seam_tui.core.errors import REFUSED_BY_SERVICE, SeamInvalidInputError
from seam_tui.core.models import Page, Pagination, SeamModel

T = TypeVar("T", bound=SeamModel)

# API pages a call reads before it returns what it has, with a cursor to read on.
MAX_PAGES = 20
_VERSION = "p1"

Fetch = Callable[[str | None, int], Awaitable[Page[T]]]


@dataclass(frozen=True)
class _Place:
    """Where reading resumes: the API page fetched with `api_cursor` and `size`, from its item
    `skip` (the item before it has id `anchor`, created at `anchor_at` µs since the epoch)."""

    api_cursor: str | None
    size: int
    skip: int = 0
    anchor: str | None = None
    anchor_at: int | None = None


async def exact_page(
    fetch: Fetch[T],
    *,
    limit: int,
    cursor: str | None,
    filters: Mapping[str, Any],
    key: Callable[[T], str],
    keep: Callable[[T], bool] | None = None,
    page_size: int | None = None,
    max_pages: int = MAX_PAGES,
) -> Page[T]:
    """At most `limit` items from `fetch(api_cursor, size)`'s pages that `keep` accepts (all
    when None), and a cursor that resumes right after the last one.

    `filters` are what the listing was asked for (and its workspace): the cursor carries their
    fingerprint and is refused with others. `page_size` is the API page size of a first call
    (default `limit`); later calls reuse the size their cursor was read with.
    """
    if limit < 1:
        raise _invalid("limit", f"limit must be at least 1, not {limit}")
    stamp = fingerprint(filters)
    place = _decode(cursor, stamp, filters) if cursor else _Place(None, page_size or limit)
    items: list[T] = []
    for read in range(1, max_pages + 1):
        page = await fetch(place.api_cursor, place.size)
        rows = page.items
        following = page.next_page_cursor if page.has_next_page else None
        for index in range(_resume(rows, place, key), len(rows)):
            if keep is not None and not keep(rows[index]):
                continue
            if len(items) == limit:  # one more that would be returned: stop just before it
                before = rows[index - 1] if index else None
                anchor = key(before) if before is not None else None
                at = _created(before) if before is not None else None
                stop = _Place(place.api_cursor, place.size, index, anchor, at)
                return _page(items, stop, stamp)
            items.append(rows[index])
        if following is None:
            return _page(items, None, stamp)
        place = _Place(following, place.size)
        if (len(items) == limit and keep is None) or read == max_pages:
            break
    return _page(items, place, stamp)


def fingerprint(filters: Mapping[str, Any]) -> str:
    """A short digest of a listing's filters (never reversible to them; not a secret)."""
    canonical = json.dumps(filters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:10]


def _resume(rows: Sequence[T], place: _Place, key: Callable[[T], str]) -> int:
    """The index to read on from: after the anchor, found again if the page shifted. If the
    anchor is gone (deleted), after where it would be in the page's order of (creation time,
    id); if that order cannot be told, where the anchor was, less one."""
    if place.skip == 0 or place.anchor is None:
        return min(place.skip, len(rows))
    if place.skip <= len(rows) and key(rows[place.skip - 1]) == place.anchor:
        return place.skip
    for index, row in enumerate(rows):
        if key(row) == place.anchor:
            return index + 1
    marks = [(_created(row), key(row)) for row in rows]
    if place.anchor_at is not None and all(at is not None for at, _ in marks):
        known = [(at or 0, row_id) for at, row_id in marks]
        target = (place.anchor_at, place.anchor)
        if known == sorted(known):
            return bisect_right(known, target)
        if known == sorted(known, reverse=True):
            return next((i for i, mark in enumerate(known) if mark < target), len(rows))
    return min(place.skip - 1, len(rows))


def _created(item: SeamModel) -> int | None:
    """When the item was created, in µs since the epoch (None when the API did not say)."""
    created = getattr(item, "created_at", None)
    if not isinstance(created, datetime):
        return None
    return round(created.timestamp() * 1_000_000)


def _page(items: list[T], place: _Place | None, stamp: str) -> Page[T]:
    cursor = _encode(place, stamp) if place is not None else None
    page: Page[T] = Page.model_construct(
        items=items,
        pagination=Pagination(has_next_page=cursor is not None, next_page_cursor=cursor),
    )
    return page


def _escape(text: str | None) -> str:
    """A cursor part with its separator escaped (ids and API cursors are opaque text)."""
    return "" if text is None else text.replace("%", "%25").replace(".", "%2E")


def _encode(place: _Place, stamp: str) -> str:
    numbers = (
        str(place.size),
        str(place.skip),
        "" if place.anchor_at is None else str(place.anchor_at),
    )
    anchor, api_cursor = _escape(place.anchor), _escape(place.api_cursor)
    return ".".join((_VERSION, stamp, *numbers, anchor, api_cursor))


def _decode(cursor: str, stamp: str, filters: Mapping[str, Any]) -> _Place:
    parts = cursor.split(".")
    place: _Place | None = None
    if (
        len(parts) == 7
        and parts[0] == _VERSION
        and parts[2].isdigit()
        and parts[3].isdigit()
        and (parts[4].isdigit() or not parts[4])
    ):
        at = int(parts[4]) if parts[4] else None
        anchor, api_cursor = unquote(parts[5]) or None, unquote(parts[6]) or None
        place = _Place(api_cursor, int(parts[2]), int(parts[3]), anchor, at)
    if place is None or place.size < 1:
        raise _invalid(
            "cursor",
            "cursor is not one this listing returned; pass next_cursor exactly as it came, "
            "or leave cursor out to start from the first page",
        )
    if parts[1] != stamp:
        named = ", ".join(name for name in filters if name != "listing")
        raise _invalid(
            "cursor",
            f"cursor was returned by another listing or for other filters ({named}); call "
            "the same listing again with the same filters as the call that returned it, or "
            "leave cursor out to start from the first page with these",
        )
    return place


def _invalid(field: str, message: str) -> SeamInvalidInputError:
    """Refused here, before anything is sent: 400, the field named (`message` starts with it)."""
    return SeamInvalidInputError(
        message, status=400, type=REFUSED_BY_SERVICE, field_errors={field: [message]}
    )
