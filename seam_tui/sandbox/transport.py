"""An httpx transport that calls the sandbox app in-process."""

from __future__ import annotations

import httpx
from starlette.types import ASGIApp

from seam_tui.sandbox.faults import DroppedConnection


class SandboxTransport(httpx.AsyncBaseTransport):
    """`httpx.ASGITransport`, except that a dropped connection surfaces as it would over a
    socket: `httpx.RemoteProtocolError`, not the app's internal exception."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc

    async def aclose(self) -> None:
        await self._inner.aclose()
