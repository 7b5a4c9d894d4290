"""Where tools run: one service per workspace, each over its own client and credentials.

The server's default workspace is resolved once at start (flag, env vars, active profile,
sandbox); a tool given another profile name opens that workspace on first use and keeps it.
A client is never shared between workspaces, so a request for A can never carry B's key.
A read-only context (the --read-only flag, or a read-only default profile) opens every
workspace read-only, so the service refuses writes whatever tool asks.
"""

from __future__ import annotations

import asyncio

from seam_tui.core.changes import FrontEnd
from seam_tui.core.service import SeamService
from seam_tui.workspaces import ResolvedWorkspace, WorkspaceError, resolve_workspace

FRONT_END: FrontEnd = "mcp"


class ToolContext:
    """The services the tools of one server (or one chat session) act through."""

    def __init__(
        self,
        default: ResolvedWorkspace,
        *,
        read_only: bool = False,
        insecure_file_store: bool = False,
    ) -> None:
        self.read_only = read_only or default.read_only
        self.insecure_file_store = insecure_file_store
        self.workspace = default.name
        self.label = default.label
        self.endpoint = default.endpoint
        self._default = default.with_read_only(self.read_only)
        # Whether a tool may read and write files on this machine (a people file, its result
        # file): yes for stdio and chat, where the caller is the user's own client; not over
        # HTTP, where a caller elsewhere would reach the server's files.
        self.local_files = True
        self._services: dict[str, SeamService] = {}
        self._lock = asyncio.Lock()

    @classmethod
    def open(
        cls,
        workspace: str | None = None,
        *,
        read_only: bool = False,
        insecure_file_store: bool = False,
    ) -> ToolContext:
        """Resolve the default workspace (raises WorkspaceError with the way out)."""
        resolved = resolve_workspace(
            workspace, read_only=read_only, insecure_file_store=insecure_file_store
        )
        return cls(resolved, read_only=read_only, insecure_file_store=insecure_file_store)

    async def service(self, workspace: str | None = None) -> SeamService:
        """The service for `workspace` (a profile name; None is the default), opened once."""
        name = workspace or self.workspace
        async with self._lock:
            service = self._services.get(name)
            if service is None:
                service = self._resolve(name).open_service(FRONT_END)
                self._services[name] = service
        return service

    def _resolve(self, name: str) -> ResolvedWorkspace:
        if name == self.workspace:
            return self._default
        try:
            return resolve_workspace(
                name, read_only=self.read_only, insecure_file_store=self.insecure_file_store
            )
        except WorkspaceError as exc:
            raise WorkspaceError(
                f"that workspace cannot be opened: {exc.message}. "
                "list_workspaces shows the profiles you can use."
            ) from None

    async def aclose(self) -> None:
        """Close every client; a later call opens its workspace again."""
        services, self._services = self._services, {}
        for service in services.values():
            await service.client.aclose()
