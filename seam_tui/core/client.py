"""SeamClient: an async Seam Connect API client over httpx, typed with pydantic models.

Every call is a JSON POST to `/<namespace>/<action>`. Reads are retried with backoff; writes are
not repeated unless the server provably did not apply them (see `RetryPolicy`). The key or token
never appears in `repr`, logs or exception text.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from types import TracebackType
from typing import Any, Self

import httpx

from seam_tui import __version__
from seam_tui.core.auth import DEFAULT_ENDPOINT, Credentials, credentials_from_env
from seam_tui.core.errors import (
    SeamApiError,
    SeamConnectError,
    SeamInvalidResponseError,
    SeamRateLimitedError,
    SeamTimeoutError,
    api_error_class,
    flatten_validation_errors,
)
from seam_tui.core.resources import (
    AcsNamespace,
    DevicesNamespace,
    InstantKeysNamespace,
    UserIdentitiesNamespace,
    WorkspacesNamespace,
)
from seam_tui.core.retry import RetryPolicy, retry_after_seconds, should_retry_status

log = logging.getLogger("seam_tui.client")

USER_AGENT = f"seam-tui/{__version__}"


class SeamClient:
    """Async client bound to one workspace's credentials.

    Use as `async with SeamClient(api_key=...) as seam:`; namespaces mirror the official SDK
    (`seam.user_identities`, `seam.devices`, `seam.instant_keys`, `seam.acs.users`,
    `seam.acs.systems`, `seam.acs.access_groups`, `seam.acs.entrances`, `seam.acs.credentials`,
    `seam.workspaces`) and take the API's own parameter names.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        personal_access_token: str | None = None,
        workspace_id: str | None = None,
        endpoint: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._credentials = Credentials(
            api_key=api_key,
            personal_access_token=personal_access_token,
            workspace_id=workspace_id,
        )
        self.endpoint = (endpoint or DEFAULT_ENDPOINT).rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._http = httpx.AsyncClient(
            base_url=self.endpoint,
            timeout=timeout,
            transport=transport,
            verify=_tls_context() if transport is None else True,
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
            follow_redirects=False,
        )
        self.user_identities = UserIdentitiesNamespace(self)
        self.devices = DevicesNamespace(self)
        self.instant_keys = InstantKeysNamespace(self)
        self.acs = AcsNamespace(self)
        self.workspaces = WorkspacesNamespace(self)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **options: Any) -> SeamClient:
        """A client from `SEAM_API_KEY` / `SEAM_PERSONAL_ACCESS_TOKEN` + `SEAM_WORKSPACE_ID`."""
        creds, endpoint = credentials_from_env(env)
        options.setdefault("endpoint", endpoint)
        return cls(
            api_key=creds.api_key,
            personal_access_token=creds.personal_access_token,
            workspace_id=creds.workspace_id,
            **options,
        )

    @property
    def auth_kind(self) -> str:
        """`api_key` or `personal_access_token`."""
        return self._credentials.kind

    @property
    def workspace_id(self) -> str | None:
        """The workspace sent with a personal access token, if any."""
        return self._credentials.workspace_id

    def redact(self, text: str) -> str:
        """`text` with this client's key or token replaced, for anything written or shown."""
        secret = self._credentials.secret()
        return text.replace(secret, "[redacted]") if secret else text

    def __repr__(self) -> str:
        return (
            f"SeamClient(endpoint={self.endpoint!r}, auth={self.auth_kind!r}, "
            f"workspace_id={self.workspace_id!r})"
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def request(
        self, path: str, params: Mapping[str, Any] | None = None, *, is_write: bool
    ) -> dict[str, Any]:
        """POST `params` as JSON to `path` and return the decoded success body.

        `params` is sent as given (a None value is sent as JSON null); namespaces drop omitted ones.

        Raises a `SeamApiError` subclass for an error response, `SeamTransportError` when no
        response arrived, `SeamInvalidResponseError` for a body that is not the API's shape.
        """
        return _decode_success(await self._send(path, params, is_write=is_write), path)

    async def request_content(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        sent: asyncio.Event | None = None,
    ) -> bytes:
        """Like `request` for a read, but the raw JSON bytes, for parsing straight into models.

        `sent`, if given, is set once the request's body has been written to the connection.
        """
        return (await self._send(path, params, is_write=False, sent=sent)).content

    async def _send(
        self,
        path: str,
        params: Mapping[str, Any] | None,
        *,
        is_write: bool,
        sent: asyncio.Event | None = None,
    ) -> httpx.Response:
        """The successful response, after the retries the policy allows; else the typed error."""
        body = dict(params or {})
        extensions = {"trace": _sent_tracer(sent)} if sent is not None else None
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = await self._http.post(
                    path, json=body, headers=self._credentials.headers(), extensions=extensions
                )
            except httpx.ConnectError as exc:
                # The request never left: safe to retry, write or not.
                delay = self.retry.delay(attempt)
                if delay is None:
                    raise SeamConnectError(f"could not connect to {self.endpoint}: {exc}") from None
            except httpx.TimeoutException:
                delay = None if is_write else self.retry.delay(attempt)
                if delay is None:
                    raise SeamTimeoutError(
                        f"{path}: no answer from {self.endpoint} within {self.timeout:g} s"
                        + ("; the change may or may not have been applied" if is_write else ""),
                        maybe_applied=is_write,
                    ) from None
            except httpx.TransportError as exc:
                delay = None if is_write else self.retry.delay(attempt)
                if delay is None:
                    raise SeamConnectError(
                        f"{path}: the connection to {self.endpoint} failed ({type(exc).__name__})"
                        + ("; the change may or may not have been applied" if is_write else ""),
                        maybe_applied=is_write,
                    ) from None
            else:
                elapsed_ms = (time.monotonic() - started) * 1000
                request_id = response.headers.get("seam-request-id")
                log.debug(
                    "%s -> %s in %.0f ms (request %s)",
                    path,
                    response.status_code,
                    elapsed_ms,
                    request_id,
                )
                if response.is_success:
                    return response
                if should_retry_status(response.status_code, is_write=is_write):
                    delay = self.retry.delay(attempt, response)
                else:
                    delay = None
                if delay is None:
                    raise _api_error(response, path)
            log.info("%s: retry %d in %.2f s", path, attempt + 1, delay)
            await asyncio.sleep(delay)
            attempt += 1


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings, built once per process: loading the CA bundle takes about
    35 ms, which every new client would otherwise pay again."""
    return httpx.create_ssl_context()


def _sent_tracer(sent: asyncio.Event) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    """An httpcore trace hook that sets `sent` when a request's body is on the wire."""

    async def trace(event: str, info: dict[str, Any]) -> None:
        if event.endswith("send_request_body.complete"):
            sent.set()

    return trace


def _decode_success(response: httpx.Response, path: str) -> dict[str, Any]:
    request_id = response.headers.get("seam-request-id")
    try:
        data = response.json()
    except ValueError:
        raise SeamInvalidResponseError(
            f"{path}: the response is not JSON",
            status=response.status_code,
            request_id=request_id,
        ) from None
    if not isinstance(data, dict):
        raise SeamInvalidResponseError(
            f"{path}: the response is not a JSON object",
            status=response.status_code,
            request_id=request_id,
        )
    return data


def _api_error(response: httpx.Response, path: str) -> SeamApiError:
    """Build the typed error for a non-2xx response (JSON envelope or not)."""
    status = response.status_code
    header_request_id = response.headers.get("seam-request-id")
    error: Any = None
    if "json" in response.headers.get("content-type", ""):
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            error = None
    cls = api_error_class(status)
    extra: dict[str, Any] = {}
    if cls is SeamRateLimitedError:
        extra["retry_after"] = retry_after_seconds(response)
    if (
        isinstance(error, dict)
        and isinstance(error.get("type"), str)
        and isinstance(error.get("message"), str)
    ):
        data = error.get("data")
        return cls(
            error["message"],
            status=status,
            type=error["type"],
            request_id=error.get("request_id") or header_request_id,
            field_errors=flatten_validation_errors(error.get("validation_errors")),
            data=data if isinstance(data, dict) else None,
            **extra,
        )
    reason = response.reason_phrase or "error"
    return cls(
        f"{path}: HTTP {status} {reason} (not a Seam API error body)",
        status=status,
        type=f"http_{status}",
        request_id=header_request_id,
        **extra,
    )
