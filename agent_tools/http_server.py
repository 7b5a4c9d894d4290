"""The streamable HTTP transport, built from the MCP SDK's own parts.

- Bearer tokens: a `TokenVerifier` for the SDK's auth middleware (401 without a valid token);
  each token's name becomes the access token's `client_id`, so the caller is `token:<name>`
  and one client's session cannot be used with another's token.
- DNS rebinding: the SDK's `TransportSecuritySettings`, checked before anything else (a bad
  Host is 421, a bad Origin 403, whether or not a token came with it) and again by the SDK's
  transport.
- uvicorn keeps no logging config of its own: its loggers (access log included) reach the
  root logger's stderr handler at the one `--log-level`.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

import anyio
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_tools.http_config import HttpSettings

GRACEFUL_SHUTDOWN_SECONDS = 5  # open event streams are cut after this on Ctrl-C / SIGTERM


class StaticTokenVerifier:
    """Accepts the configured bearer tokens (constant-time compare); the name is the client id."""

    def __init__(self, tokens: Mapping[str, str]) -> None:
        self._tokens = [(name, token.encode()) for name, token in tokens.items()]

    async def verify_token(self, token: str) -> AccessToken | None:
        given = token.encode("utf-8", "surrogateescape")
        found: str | None = None
        for name, expected in self._tokens:  # every entry is compared: timing names none
            if hmac.compare_digest(given, expected):
                found = name
        if found is None:
            return None
        return AccessToken(token=token, client_id=found, scopes=[])


class RebindingGuard:
    """Checks Host and Origin with the SDK's validator before authentication runs."""

    def __init__(self, app: ASGIApp, settings: TransportSecuritySettings) -> None:
        self.app = app
        self._check = TransportSecurityMiddleware(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = await self._check.validate_request(Request(scope), is_post=False)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def security_settings(settings: HttpSettings) -> TransportSecuritySettings:
    """The SDK's DNS-rebinding settings for `settings`' hosts and origins."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=settings.allowed_hosts,
        allowed_origins=settings.allowed_origins,
    )


def http_app(server: MCPServer, settings: HttpSettings) -> ASGIApp:
    """The ASGI app: rebinding guard, then the SDK's auth and streamable HTTP transport."""
    security = security_settings(settings)
    app = server.streamable_http_app(transport_security=security, host=settings.host)
    return RebindingGuard(app, security)


def serve(server: MCPServer, settings: HttpSettings, log_level: str) -> None:
    """Serve until interrupted; logs go through the root logger (stderr)."""
    config = uvicorn.Config(
        http_app(server, settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        log_level=log_level.lower(),
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    anyio.run(uvicorn.Server(config).serve)
