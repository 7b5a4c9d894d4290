"""Fault injection, so clients can be tested against the failures a real network produces.

Kinds: "500" and "429" answer an error before anything is applied; "latency" sleeps and
then answers normally; "drop" cuts the connection, at random either before the handler runs
or after it has applied the change. The second case is the one that proves a client never
blindly retries a write: the change happened, the client just never heard about it.

A drop starts a response that promises one byte of body and then raises, so uvicorn closes
the socket (the client sees `httpx.RemoteProtocolError`); in-process, the sandbox transport
turns the exception into the same error.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seam_tui.sandbox.envelope import ApiError

FAULT_KINDS = frozenset({"500", "429", "drop", "latency"})

Fault = Literal["500", "429", "latency", "drop_before", "drop_after"]
_SIMPLE_FAULTS: dict[str, Fault] = {"500": "500", "429": "429", "latency": "latency"}


@dataclass
class FaultConfig:
    """How often requests fail and how; change it at any time, it is read per request."""

    rate: float = 0.0
    kinds: frozenset[str] = FAULT_KINDS
    latency_s: float = 2.0
    retry_after_s: float = 1.0
    seed: int | None = None
    # The chance that a queued change fails to reach the access system when it settles
    # (`settling`); drawn from its own sequence, so request faults do not shift it.
    push_failure_rate: float = 0.0


class DroppedConnection(Exception):
    """The fault injector cut the connection after starting the response."""


class FaultInjector:
    """Draws the fault (if any) for each request from the current config."""

    def __init__(self, config: Callable[[], FaultConfig]) -> None:
        self._config = config
        self._rng = random.Random()
        self._rng_source: tuple[FaultConfig, int | None] | None = None
        self._push_rng = random.Random()
        self._push_source: tuple[FaultConfig, int | None] | None = None

    @property
    def config(self) -> FaultConfig:
        return self._config()

    def push_fails(self) -> bool:
        """Whether the push of one settling change fails (`push_failure_rate`)."""
        config = self.config
        if config.push_failure_rate <= 0:
            return False
        source = self._push_source
        if source is None or source[0] is not config or source[1] != config.seed:
            self._push_rng = random.Random(None if config.seed is None else f"push {config.seed}")
            self._push_source = (config, config.seed)
        return self._push_rng.random() < config.push_failure_rate

    def choose(self) -> Fault | None:
        config = self.config
        source = self._rng_source
        if source is None or source[0] is not config or source[1] != config.seed:
            # A new config or seed restarts the deterministic sequence.
            self._rng = random.Random(config.seed)
            self._rng_source = (config, config.seed)
        kinds = sorted(config.kinds & FAULT_KINDS)
        if not kinds or self._rng.random() >= config.rate:
            return None
        kind = self._rng.choice(kinds)
        if kind == "drop":
            return "drop_after" if self._rng.random() < 0.5 else "drop_before"
        return _SIMPLE_FAULTS[kind]


class FaultMiddleware:
    """ASGI middleware that applies the injector's choice to each HTTP request."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = self.injector.choose() if scope["type"] == "http" else None
        if fault is None:
            await self.app(scope, receive, send)
        elif fault == "latency":
            await asyncio.sleep(self.injector.config.latency_s)
            await self.app(scope, receive, send)
        elif fault == "drop_before":
            await _drop(send)
        elif fault == "drop_after":
            await self.app(scope, receive, _discard)
            await _drop(send)
        else:
            await self._error(fault, scope, receive, send)

    async def _error(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = scope["state"]["request_id"]
        headers: dict[str, str] = {}
        if fault == "429":
            retry_after = self.injector.config.retry_after_s
            error = ApiError(
                429, "rate_limited", f"Too many requests; retry after {retry_after:g}s"
            )
            headers["retry-after"] = f"{retry_after:g}"
        else:
            error = ApiError(500, "internal_server_error", "An internal server error occurred")
        response = JSONResponse(error.body(request_id), error.status, headers=headers)
        await response(scope, receive, send)


async def _discard(message: Message) -> None:
    """Swallow the real response: the client of a late drop never sees it."""


async def _drop(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"1")],
        }
    )
    raise DroppedConnection("connection dropped by the sandbox fault injector")
