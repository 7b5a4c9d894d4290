"""The Starlette app: one dispatcher for every RPC path, behind request-id, limit and fault layers.

The body is read first, within the size and time limits (413, 408: see `limits`). Then, per
request: find the endpoint (404), check the verb (405), read params from the query string
and/or JSON body, then in a worker thread and one transaction: authenticate (401), validate
(400), run the handler. Any `ApiError` becomes the error envelope; anything unexpected becomes
a 500 `internal_server_error` rather than a crash.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seam_tui.sandbox import (
    repo,
    routes_acs_credentials,
    routes_acs_entrances,
    routes_acs_systems,
    routes_acs_users,
    routes_devices,
    routes_identities,
    routes_identity_access,
    routes_instant_keys,
    routes_workspaces,
    settling,
)
from seam_tui.sandbox.auth import authenticate
from seam_tui.sandbox.dbfile import SandboxDatabaseError
from seam_tui.sandbox.endpoint import Call, Endpoint
from seam_tui.sandbox.envelope import ApiError
from seam_tui.sandbox.faults import FaultInjector, FaultMiddleware
from seam_tui.sandbox.limits import BodyLimitMiddleware, RequestLimits
from seam_tui.sandbox.store import Store

logger = logging.getLogger(__name__)

ENDPOINTS: dict[str, Endpoint] = {
    endpoint.path: endpoint
    for endpoint in (
        *routes_identities.ENDPOINTS,
        *routes_acs_users.ENDPOINTS,
        *routes_acs_systems.ENDPOINTS,
        *routes_workspaces.ENDPOINTS,
        *routes_devices.ENDPOINTS,
        *routes_acs_entrances.ENDPOINTS,
        *routes_acs_credentials.ENDPOINTS,
        *routes_identity_access.ENDPOINTS,
        *routes_instant_keys.ENDPOINTS,
    )
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True)
class LoggedRequest:
    """One request as answered: for tests that count what reached the sandbox."""

    method: str
    path: str
    status: int
    request_id: str


class RequestIdMiddleware:
    """Give each request an id, in `scope["state"]` and the `seam-request-id` header, and
    note each answer in `log` (the newest `log.maxlen`)."""

    def __init__(self, app: ASGIApp, log: deque[LoggedRequest] | None = None) -> None:
        self.app = app
        self.log: deque[LoggedRequest] = deque(maxlen=1000) if log is None else log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("seam-request-id", request_id)
                answered = LoggedRequest(
                    scope["method"], scope["path"], message["status"], request_id
                )
                self.log.append(answered)
            await send(message)

        await self.app(scope, receive, send_with_id)


def build_app(
    store: Store,
    injector: FaultInjector,
    limits: Callable[[], RequestLimits] = RequestLimits,
    log: deque[LoggedRequest] | None = None,
    settle_after: Callable[[], float] = lambda: 0.0,
) -> Starlette:
    """`settle_after()`: the seconds a write takes to settle now (read per request)."""
    timing = _Timing(settle_after, injector.push_fails)

    async def dispatch(request: Request) -> Response:
        request_id: str = request.state.request_id
        try:
            return JSONResponse(await _respond(store, request, timing))
        except ApiError as error:
            return JSONResponse(error.body(request_id), error.status)
        except Exception as exc:
            if isinstance(exc, SandboxDatabaseError):  # one line: the file and the fix
                logger.error("sandbox request %s failed: %s", request_id, exc)
            else:
                logger.exception("sandbox request %s failed", request_id)
            failure = ApiError(500, "internal_server_error", "An internal server error occurred")
            return JSONResponse(failure.body(request_id), failure.status)

    return Starlette(
        routes=[Route("/{path:path}", dispatch, methods=ALL_METHODS)],
        middleware=[
            Middleware(RequestIdMiddleware, log=log),
            Middleware(BodyLimitMiddleware, limits=limits),
            Middleware(FaultMiddleware, injector=injector),
        ],
    )


@dataclass(frozen=True)
class _Timing:
    settle_after: Callable[[], float]
    push_fails: Callable[[], bool]


async def _respond(store: Store, request: Request, timing: _Timing) -> dict[str, Any]:
    endpoint = ENDPOINTS.get(request.url.path)
    if endpoint is None:
        raise ApiError(404, "not_found", f"No endpoint at {request.url.path}")
    if request.method not in endpoint.methods:
        accepted = ",".join(sorted(endpoint.methods))
        raise ApiError(405, "method_not_allowed", f"only {accepted} accepted")
    try:
        raw, problem = await _raw_params(request, endpoint), None
    except ApiError as error:  # reported after authentication, as the real API orders it
        raw, problem = {}, error
    return await run_in_threadpool(
        _execute,
        store,
        endpoint,
        request.headers.get("authorization"),
        request.headers.get("seam-workspace"),
        raw,
        problem,
        str(request.url.replace(query="")),
        timing,
    )


async def _raw_params(request: Request, endpoint: Endpoint) -> object:
    """Query params (parsed by the endpoint's schema) merged with any JSON body."""
    params = endpoint.schema.parse_query(request.query_params.multi_items())
    body = await request.body() if request.method != "GET" else b""
    if not body.strip():
        return params
    if "application/json" not in request.headers.get("content-type", ""):
        raise ApiError(
            400,
            "invalid_content_type",
            f'{request.method} requests must have Content-Type header with "application/json"',
        )
    try:
        data = json.loads(body)
    except ValueError:
        raise ApiError(400, "invalid_input", "The request body is not valid JSON") from None
    except RecursionError:
        raise ApiError(400, "invalid_input", "The request body is nested too deeply") from None
    return {**params, **data} if isinstance(data, dict) else data


def _execute(
    store: Store,
    endpoint: Endpoint,
    authorization: str | None,
    workspace_header: str | None,
    raw: object,
    problem: ApiError | None,
    url: str,
    timing: _Timing,
) -> dict[str, Any]:
    settle(store, timing.push_fails)
    transaction = store.write() if endpoint.writes else store.read()
    with transaction as db:
        auth = authenticate(
            db, authorization, workspace_header, without_workspace=endpoint.without_workspace
        )
        if problem is not None:
            raise problem
        params = endpoint.schema.validate(raw)
        return endpoint.handler(Call(db, auth, params, url, max(0.0, timing.settle_after())))


def settle(store: Store, push_fails: Callable[[], bool]) -> None:
    """Settle the queued changes that are due (`settling`), before a request sees the data."""
    now = repo.now()
    with store.read() as db:
        if not settling.due(db, now):
            return
    with store.write() as db:
        settling.purge(db, now, push_fails)
