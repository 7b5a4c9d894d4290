"""Serve a sandbox over HTTP with uvicorn, for clients that cannot run it in-process.

The socket is bound (and listening) before anything is printed, so the one JSON line on
stdout is a promise that the URL already accepts connections. uvicorn logs only warnings, to
stderr. SIGINT and SIGTERM stop the server gracefully and the process exits 0 (stock uvicorn
re-raises the signal after shutting down, which would make the exit status look like a crash).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import signal
import socket
from collections.abc import Iterator
from typing import TextIO

import uvicorn

from seam_tui.console_text import say_json
from seam_tui.sandbox.faults import DroppedConnection
from seam_tui.sandbox.sandbox import Sandbox


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


def serve(sandbox: Sandbox, sock: socket.socket, out: TextIO) -> None:
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
    }
    say_json(announcement, indent=None, file=out)  # one line, flushed
    config = uvicorn.Config(
        sandbox.app,
        http="h11",
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
