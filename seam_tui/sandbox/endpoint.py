"""How an endpoint is declared: path, verbs, param schema and a synchronous handler.

Handlers are plain functions over an open transaction; the app runs them in a worker thread,
so they never block the event loop while SQLite waits for another process's lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seam_tui.sandbox.auth import Auth
from seam_tui.sandbox.params import Schema


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it: validated params inside a transaction."""

    db: sqlite3.Connection
    auth: Auth
    params: dict[str, Any]
    url: str  # the request URL without its query, for `next_page_url`
    settle_after: float = 0.0  # seconds a write takes to settle (`settling`); 0: at once

    @property
    def workspace_id(self) -> str:
        # Only endpoints declared `without_workspace` can see an auth with no workspace.
        assert self.auth.workspace_id is not None
        return self.auth.workspace_id


Handler = Callable[[Call], dict[str, Any]]


@dataclass(frozen=True)
class Endpoint:
    path: str
    methods: frozenset[str]
    schema: Schema
    handler: Handler
    writes: bool
    without_workspace: bool = False


def read(
    path: str, schema: Schema, handler: Handler, *, without_workspace: bool = False
) -> Endpoint:
    """A read endpoint: GET with query params, or POST with JSON."""
    methods = frozenset({"GET", "POST"})
    return Endpoint(path, methods, schema, handler, False, without_workspace)


def write(path: str, verb: str | None, schema: Schema, handler: Handler) -> Endpoint:
    """A write endpoint: POST with JSON, plus its preferred verb (PUT, PATCH or DELETE) if any."""
    methods = frozenset({"POST"} if verb is None else {"POST", verb})
    return Endpoint(path, methods, schema, handler, writes=True)


def ok(**resources: Any) -> dict[str, Any]:
    return {"ok": True, **resources}
