"""`Sandbox`: the emulator as an object — its database, app, keys, faults and seeding."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette

from seam_tui.paths import data_dir
from seam_tui.sandbox import seed as seeding
from seam_tui.sandbox.app import build_app
from seam_tui.sandbox.faults import FaultConfig, FaultInjector
from seam_tui.sandbox.store import Store, wipe
from seam_tui.sandbox.transport import SandboxTransport


def default_db_path() -> Path:
    return data_dir() / "sandbox.sqlite3"


@dataclass(frozen=True)
class SandboxWorkspace:
    workspace_id: str
    name: str
    api_key: str
    is_sandbox: bool = True


class Sandbox:
    """An offline Seam Connect API over one SQLite file.

    Several `Sandbox` objects (in one process or several) may share the file. A new, empty
    file gets the demo data unless `seed=False`.
    """

    base_url = "http://sandbox.local"

    def __init__(self, db_path: Path | str, seed: bool = True) -> None:
        self.db_path = Path(db_path)
        self.faults = FaultConfig()
        self._store = Store(self.db_path)
        self.app: Starlette = build_app(self._store, FaultInjector(lambda: self.faults))
        with self._store.write() as db:
            seed_now = seed and db.execute("SELECT 1 FROM workspaces LIMIT 1").fetchone() is None
            if seed_now:
                seeding.seed_demo(db)
            seeding.ensure_personal_access_token(db)

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
            return seeding.seed_identities(db, workspace_id, n)

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
            return seeding.seed_acs_users(db, workspace_id, acs_system_id, n)

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction on the database, for seeds that insert rows directly."""
        return self._store.write()

    def reset(self) -> None:
        """Wipe everything and re-seed the demo data, with new keys and token."""
        with self._store.write() as db:
            wipe(db)
            seeding.seed_demo(db)
            seeding.ensure_personal_access_token(db, renew=True)

    def count(self, table: str) -> int:
        return self._store.count(table)

    def close(self) -> None:
        self._store.close()
