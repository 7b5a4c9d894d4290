"""Serve a sandbox over HTTP with uvicorn, for clients that cannot run it in-process.

The socket is bound (and listening) before anything is printed, so the one JSON line on
stdout is a promise that the URL already accepts connections. uvicorn logs only warnings, to
stderr. SIGINT and SIGTERM stop the server gracefully and the process exits 0 (stock uvicorn
re-raises the signal after shutting down, which would make the exit status look like a crash).

Slow clients: a connection must send a complete request head within `keep_alive_s` of opening
or of its last response, else it is closed (uvicorn's keep-alive timeout covers only a silent
connection, nothing covers a trickled head, nor the rest of a body refused with 413, which
uvicorn reads and discards); the body then has its own deadline (`limits`).
The default, 15 s, outlasts httpx's 5 s pool expiry, so a client retires an idle connection
before the server closes it, never racing a request into a closing socket. Beyond
`concurrency` connections or requests at once, new requests get 503 (at most that many bodies
of at most 1 MiB are held in memory).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from seam_tui.console_text import say_json
from seam_tui.sandbox.faults import DroppedConnection
from seam_tui.sandbox.sandbox import Sandbox

KEEP_ALIVE_S = 15
MAX_CONCURRENCY = 256


@dataclass(frozen=True)
class ServeLimits:
    """The server's side of the limits (the app's own are `RequestLimits`)."""

    keep_alive_s: int = KEEP_ALIVE_S
    concurrency: int = MAX_CONCURRENCY


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say TCP,
    # and with Nagle on every answer waited ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    sandbox: Sandbox, sock: socket.socket, out: TextIO, limits: ServeLimits | None = None
) -> None:
    """Announce the sandbox on `out` (one JSON line), then serve until SIGINT or SIGTERM."""
    host, port = sock.getsockname()[:2]
    url_host = f"[{host}]" if ":" in host else host
    announcement = {
        "url": f"http://{url_host}:{port}",
        "workspaces": [
            {"workspace_id": ws.workspace_id, "name": ws.name, "api_key": ws.api_key}
            for ws in sandbox.workspaces()
        ],
        "personal_access_token": sandbox.personal_access_token(),
        "settle_after": sandbox.settle_after,
    }
    say_json(announcement, indent=None, file=out)  # one line, flushed
    limits = limits or ServeLimits()
    config = uvicorn.Config(
        sandbox.app,
        http=_Protocol,
        timeout_keep_alive=limits.keep_alive_s,
        limit_concurrency=limits.concurrency,
        ws="none",
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    logging.getLogger("uvicorn.error").addFilter(_hide_injected_drops)
    _Server(config).run(sockets=[sock])


def _hide_injected_drops(record: logging.LogRecord) -> bool:
    """uvicorn logs every dropped connection as an app crash; injected ones are not."""
    return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head (see the module doc)."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        if not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._head_late)

    def _head_late(self) -> None:
        """Close the connection unless a request has started (its head complete) since."""
        self._head_timer = None
        idle = self.cycle is None or self.cycle.response_complete
        if idle and not self.transport.is_closing():
            with contextlib.suppress(h11.LocalProtocolError):
                self.conn.send(h11.ConnectionClosed())
            self.transport.close()
