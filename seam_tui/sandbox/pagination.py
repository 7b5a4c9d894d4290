"""Cursor pagination as Seam does it: `limit` + opaque `page_cursor`, answered by `pagination`.

Rows are ordered by (created_at, id), which never changes, so a cursor is simply the position
of the last row served. The cursor also carries a fingerprint of the other params: a cursor
sent with different filters gets 400 `mismatched_page_parameters` instead of a wrong page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from seam_tui.sandbox.envelope import ApiError, Issue, invalid_input
from seam_tui.sandbox.params import Param, integer, string

DEFAULT_LIMIT = 500
# Larger requests are served in pages of this size (clients follow the cursor either way).
MAX_LIMIT = 1000

PAGE_PARAMS: dict[str, Param] = {
    "limit": integer(minimum=0),
    "page_cursor": string(nullable=True),
}

Position = tuple[str, str]


@dataclass(frozen=True)
class PageRequest:
    """Where a page starts and how long it is."""

    limit: int
    after: Position | None
    fingerprint: str

    def sql(self, created_at: str, row_id: str) -> tuple[str, list[Any]]:
        """`AND` clause (and args) that keeps rows after the cursor, for the given columns."""
        if self.after is None:
            return "", []
        # A row-value comparison, which SQLite turns into an index range (an OR would not).
        return f" AND ({created_at}, {row_id}) > (?, ?)", [self.after[0], self.after[1]]

    def cut(
        self, rows: Sequence[sqlite3.Row], id_key: str, url: str, params: dict[str, Any]
    ) -> tuple[Sequence[sqlite3.Row], dict[str, Any]]:
        """The page's rows (of the `limit + 1` fetched) and its `pagination` object; `id_key`
        is the row's id column, the second key of the order."""
        items = rows[: self.limit]
        last = (items[-1]["created_at"], items[-1][id_key]) if items else None
        return items, _pagination(self, len(rows), last, url, params)


def page_request(
    params: dict[str, Any], scope: str, default_limit: int = DEFAULT_LIMIT
) -> PageRequest:
    """Read `limit` and `page_cursor` from validated params (scope: the workspace id)."""
    limit = min(int(params.get("limit", default_limit)), MAX_LIMIT)
    fingerprint = _fingerprint(params, scope, limit)
    cursor = params.get("page_cursor")
    if cursor is None:
        return PageRequest(limit, None, fingerprint)
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        sent_fingerprint, after = decoded["f"], decoded["p"]
        position = None if after is None else (str(after[0]), str(after[1]))
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
        raise invalid_input([Issue(("page_cursor",), "Invalid page cursor")]) from None
    if sent_fingerprint != fingerprint:
        raise ApiError(
            400,
            "mismatched_page_parameters",
            "page_cursor was issued for different parameters; "
            "send the same parameters as for the first page",
        )
    return PageRequest(limit, position, fingerprint)


def _pagination(
    request: PageRequest,
    fetched: int,
    last: Position | None,
    url: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The `pagination` object, given how many rows were fetched (the page size + 1 at most)."""
    if fetched <= request.limit:
        return {"has_next_page": False, "next_page_cursor": None, "next_page_url": None}
    position = last if last is not None else request.after
    cursor = _encode({"f": request.fingerprint, "p": position})
    query = _serialise({**params, "page_cursor": cursor})
    return {"has_next_page": True, "next_page_cursor": cursor, "next_page_url": f"{url}?{query}"}


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _fingerprint(params: dict[str, Any], scope: str, limit: int) -> str:
    others = {key: value for key, value in params.items() if key != "page_cursor"}
    others["limit"] = limit
    canonical = json.dumps([scope, others], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _serialise(params: dict[str, Any]) -> str:
    """Seam's query serialisation: sorted keys, repeated keys for arrays, dotted nesting."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{name}.{key}", inner)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            pairs.extend((name, _text(item)) for item in value)
            if not value:
                pairs.append((name, ""))
        else:
            pairs.append((name, _text(value)))

    for key, value in params.items():
        add(key, value)
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
