"""`Sandbox`: the emulator as an object — its database, app, keys, faults and seeding."""

from __future__ import annotations

import sqlite3
from collections import deque
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette

from seam_tui.sandbox import seed as seeding
from seam_tui.sandbox import seed_bulk, settling
from seam_tui.sandbox.app import LoggedRequest, build_app
from seam_tui.sandbox.dbfile import (
    SandboxDatabaseError,
    database_error,
    remove_database,
    reset_command,
)
from seam_tui.sandbox.dbfile import default_db_path as default_db_path
from seam_tui.sandbox.faults import FaultConfig, FaultInjector
from seam_tui.sandbox.limits import RequestLimits
from seam_tui.sandbox.settle_config import settle_after_from_env
from seam_tui.sandbox.store import Store, wipe
from seam_tui.sandbox.transport import SandboxTransport
from seam_tui.visible import visible


@dataclass(frozen=True)
class SandboxWorkspace:
    workspace_id: str
    name: str
    api_key: str
    is_sandbox: bool = True


class Sandbox:
    """An offline Seam Connect API over one SQLite file.

    Several `Sandbox` objects (in one process or several) may share the file. A new, empty
    file gets the demo data unless `seed=False`. A file that cannot be used, or that is not a
    sandbox database (`dbowner`), raises `SandboxDatabaseError` (one line naming the file and
    the fix), here or on any later call.
    """

    base_url = "http://sandbox.local"

    def __init__(
        self, db_path: Path | str, seed: bool = True, settle_after: float | None = None
    ) -> None:
        self.db_path = Path(db_path)
        self.faults = FaultConfig()
        # Seconds a write takes to settle (see `settling`); 0 applies writes at once; None:
        # `SEAM_TUI_SANDBOX_SETTLE_AFTER`. May be changed at any time: it is read per request.
        self.settle_after = settle_after_from_env() if settle_after is None else settle_after
        self.limits = RequestLimits()
        self.requests: deque[LoggedRequest] = deque(maxlen=1000)  # the newest, as answered
        self._store = Store(self.db_path)
        self._injector = FaultInjector(lambda: self.faults)
        self.app: Starlette = build_app(
            self._store,
            self._injector,
            lambda: self.limits,
            self.requests,
            lambda: self.settle_after,
        )
        try:
            with self._store.write() as db:
                empty = db.execute("SELECT 1 FROM workspaces LIMIT 1").fetchone() is None
                if seed and empty:
                    seeding.seed_demo(db)
                seeding.ensure_personal_access_token(db)
        except BaseException:
            self._store.close()
            raise

    def transport(self) -> httpx.AsyncBaseTransport:
        """For `httpx.AsyncClient(transport=..., base_url=sb.base_url)`, in-process."""
        return SandboxTransport(self.app)

    def workspaces(self) -> list[SandboxWorkspace]:
        with self._store.read() as db:
            rows = db.execute(
                "SELECT workspace_id, name, api_key FROM workspaces"
                " ORDER BY created_at, workspace_id"
            ).fetchall()
        return [SandboxWorkspace(row[0], row[1], row[2]) for row in rows]

    def personal_access_token(self) -> str:
        """A token (`seam_at...`) that may act in every workspace of this sandbox."""
        with self._store.read() as db:
            row = db.execute(
                "SELECT value FROM meta WHERE key = 'personal_access_token'"
            ).fetchone()
        return str(row[0])

    def create_workspace(self, name: str) -> SandboxWorkspace:
        with self._store.write() as db:
            workspace_id = seeding.insert_workspace(db, name)
            key = db.execute(
                "SELECT api_key FROM workspaces WHERE workspace_id = ?", (workspace_id,)
            ).fetchone()[0]
        return SandboxWorkspace(workspace_id, name, key)

    def seed_identities(self, workspace_id: str, n: int) -> int:
        """Bulk-insert `n` identities into a workspace (for scale tests); returns `n`."""
        if n < 0:
            raise ValueError("the number of identities cannot be negative")
        with self._store.write() as db:
            known = db.execute(
                "SELECT 1 FROM workspaces WHERE workspace_id = ?", (workspace_id,)
            ).fetchone()
            if known is None:
                raise ValueError(f"no workspace {workspace_id!r} in this sandbox")
            return seed_bulk.seed_identities(db, workspace_id, n)

    def seed_acs_users(self, workspace_id: str, acs_system_id: str, n: int) -> int:
        """Bulk-insert `n` unlinked ACS users into one system of a workspace; returns `n`."""
        if n < 0:
            raise ValueError("the number of ACS users cannot be negative")
        with self._store.write() as db:
            known = db.execute(
                "SELECT 1 FROM acs_systems WHERE workspace_id = ? AND acs_system_id = ?",
                (workspace_id, acs_system_id),
            ).fetchone()
            if known is None:
                raise ValueError(
                    f"no ACS system {acs_system_id!r} in workspace {workspace_id!r} of this sandbox"
                )
            return seed_bulk.seed_acs_users(db, workspace_id, acs_system_id, n)

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction on the database, for seeds that insert rows directly."""
        return self._store.write()

    def reset(self) -> None:
        """Wipe everything and re-seed the demo data, with new keys and token."""
        with self._store.write() as db:
            wipe(db)
            seeding.seed_demo(db)
            seeding.ensure_personal_access_token(db, renew=True)

    @classmethod
    def reset_file(cls, db_path: Path | str) -> tuple[list[SandboxWorkspace], bool]:
        """Reset the sandbox at `db_path`; a damaged sandbox database (or anything at the
        default path) is deleted (WAL/SHM too) and made afresh, someone else's file refused
        (`dbowner`). Returns the new workspaces and whether the file had to be replaced."""
        path = Path(db_path)
        replaced = False
        while True:
            try:
                sandbox = cls(path, seed=False)
                try:
                    with sandbox._store.read() as db:  # damage that a wipe would not notice
                        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
                    if problems != ["ok"]:
                        raise database_error(path, sqlite3.DatabaseError(problems[0]), corrupt=True)
                    sandbox.reset()
                    return sandbox.workspaces(), replaced
                finally:
                    sandbox.close()
            except SandboxDatabaseError as exc:
                if replaced or not exc.corrupt:
                    raise
                try:
                    remove_database(path)
                except OSError as removing:
                    raise SandboxDatabaseError(
                        f"sandbox database {visible(str(path))} is not a valid database and could"
                        f" not be deleted ({removing}); delete it and its -wal and -shm files,"
                        f" then run {reset_command(path)}",
                        path=path,
                        corrupt=True,
                    ) from None
                replaced = True

    def settle_all(self) -> None:
        """Settle every queued change now, as if its time had come (`settling`): pushes fail
        as `faults.push_failure_rate` says; the demo seed's pending objects stay pending."""
        with self._store.write() as db:
            settling.settle_everything(db, self._injector.push_fails)

    def count(self, table: str) -> int:
        return self._store.count(table)

    def close(self) -> None:
        self._store.close()
