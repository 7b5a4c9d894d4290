"""Request limits: a cap on the body's size and on the time it may take to arrive.

The body is read here, before the app sees the request, and handed on whole: a body over
`max_body_bytes` is refused with 413 as soon as its Content-Length (or, without one, the bytes
received so far) says so; a body still arriving `body_timeout_s` after the request's head is
refused with 408 and `Connection: close`. Both answers carry the API's error envelope. At most
`max_body_bytes` is ever held per request.

After a 413 the server reads and discards the rest of the body (uvicorn does, once the answer
is sent; `serve` closes the connection if that takes longer than its keep-alive timeout): a
client still sending would otherwise meet a reset connection and never see the 413.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seam_tui.sandbox.envelope import ApiError

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: a request with 100 identities' worth of data is ~20 KiB
BODY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class RequestLimits:
    """Read per request, so a running sandbox's limits may be changed (tests do)."""

    max_body_bytes: int = MAX_BODY_BYTES
    body_timeout_s: float = BODY_TIMEOUT_S


class BodyLimitMiddleware:
    """ASGI middleware: read the body within the limits, then run the app on it."""

    def __init__(self, app: ASGIApp, limits: Callable[[], RequestLimits]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits()
        if _declared_length(scope) > limits.max_body_bytes:
            await _refuse(scope, receive, send, _too_large(limits))
            return
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limits.body_timeout_s
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                late = ApiError(
                    408,
                    "request_timeout",
                    f"The request body did not arrive within {limits.body_timeout_s:g} s",
                )
                await _refuse(scope, receive, send, late, close=True)
                return
            if message["type"] == "http.disconnect":
                return  # the client left: nobody to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limits.max_body_bytes:
                await _refuse(scope, receive, send, _too_large(limits))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _declared_length(scope: Scope) -> int:
    """The Content-Length header's value (0 if absent; the server has checked its form)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


def _too_large(limits: RequestLimits) -> ApiError:
    return ApiError(
        413,
        "request_too_large",
        f"The request body is larger than the limit of {limits.max_body_bytes} bytes",
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over the whole body once, then passes through (disconnects)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(
    scope: Scope, receive: Receive, send: Send, error: ApiError, *, close: bool = False
) -> None:
    request_id = scope.get("state", {}).get("request_id", "")
    headers = {"connection": "close"} if close else None
    response = JSONResponse(error.body(request_id), error.status, headers=headers)
    await response(scope, receive, send)
