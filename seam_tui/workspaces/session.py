"""The workspace a running front end works in, and switching it safely.

Switching resolves the new workspace first (so a failure leaves the current one working), then
builds a new client and service, then closes the old client: nothing cached for one workspace
(systems, the workspace itself, connections) is ever used for another.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seam_tui.core.audit import AuditLog
from seam_tui.core.changes import FrontEnd
from seam_tui.core.service import SeamService
from seam_tui.workspaces.resolve import ResolvedWorkspace, resolve_workspace


class WorkspaceSession:
    """Holds one resolved workspace and the one service bound to it."""

    def __init__(
        self,
        front_end: FrontEnd,
        *,
        read_only: bool = False,
        insecure_file_store: bool = False,
        env: Mapping[str, str] | None = None,
        audit: AuditLog | None = None,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.front_end = front_end
        self.read_only = read_only
        self.insecure_file_store = insecure_file_store
        self.env = env
        self.audit = audit
        self.client_options = dict(client_options or {})
        self.resolved: ResolvedWorkspace | None = None
        self.service: SeamService | None = None

    async def open(self, name: str | None = None) -> SeamService:
        """Work in `name` (None: the usual resolution order); returns the new service."""
        resolved = resolve_workspace(
            name,
            read_only=self.read_only,
            insecure_file_store=self.insecure_file_store,
            env=self.env,
        )
        service = resolved.open_service(self.front_end, audit=self.audit, **self.client_options)
        old = self.service
        self.resolved, self.service = resolved, service
        if old is not None:
            await old.client.aclose()
        return service

    switch = open

    async def aclose(self) -> None:
        if self.service is not None:
            await self.service.client.aclose()
        self.resolved = self.service = None
