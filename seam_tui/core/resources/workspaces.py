"""`/workspaces/*`."""

from __future__ import annotations

import builtins

from seam_tui.core.models import Workspace
from seam_tui.core.resources.base import Namespace, parse_many, parse_one


class WorkspacesNamespace(Namespace):
    """`/workspaces/*`."""

    async def get(self) -> Workspace:
        path = "/workspaces/get"
        return parse_one(Workspace, await self._read(path, {}), "workspace", path)

    async def list(self) -> builtins.list[Workspace]:
        path = "/workspaces/list"
        return parse_many(Workspace, await self._read(path, {}), "workspaces", path)
