"""A misbehaving network in front of the sandbox: chosen requests fail, as a gateway would.

`Misbehave` is ASGI middleware for `Sandbox.app`. A rule names a path and the JSON parameters a
request must carry; a matching request either gets a 503 without reaching the sandbox ("503":
nothing applied) or reaches it and then loses its answer ("drop_after": applied, but the client
sees a broken connection, exactly like the sandbox's own "drop" fault). The sandbox itself is
untouched, so every row the tests count is real.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.faults import DroppedConnection

Failure = Literal["503", "drop_after"]


@dataclass
class Rule:
    path: str
    params: dict[str, Any]
    failure: Failure
    hits: int = 0

    def matches(self, path: str, body: Any) -> bool:
        return (
            path == self.path
            and isinstance(body, dict)
            and all(body.get(k) == v for k, v in self.params.items())
        )


@dataclass
class Misbehave:
    app: ASGIApp
    rules: list[Rule] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.rules:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}

        rule = next((r for r in self.rules if r.matches(scope["path"], body)), None)
        if rule is None:
            await self.app(scope, replay, send)
            return
        rule.hits += 1
        if rule.failure == "503":
            error = {
                "type": "service_unavailable",
                "message": "The access control system is not responding",
                "request_id": "gateway",
            }
            await JSONResponse({"ok": False, "error": error}, 503)(scope, replay, send)
            return

        async def discard(message: Message) -> None:
            return None

        await self.app(scope, replay, discard)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1")],
            }
        )
        raise DroppedConnection("the answer was lost on the way back")


def misbehave(sandbox: Sandbox) -> Misbehave:
    """Put a `Misbehave` in front of `sandbox` (for every transport opened from now on)."""
    if isinstance(sandbox.app, Misbehave):
        return sandbox.app
    wrapper = Misbehave(sandbox.app)
    sandbox.app = wrapper  # type: ignore[assignment]
    return wrapper
