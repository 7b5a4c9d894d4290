"""The one error a tool raises, and how every core error becomes one the model can act on.

The MCP adapter re-raises it as the SDK's ``ToolError`` (so this module stays free of mcp
imports); the chat dispatcher returns its text as an error result. Messages say what went wrong
and what to do next; they never carry a traceback, a key or a token (core errors never do).
What Seam said (its message, field errors, request id) and any field name the caller made up
are quoted as data (`plans.quoted`), and every message has its hidden characters made visible.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from agent_tools.quoting import id_text, quoted
from seam_tui.core.errors import (
    REFUSED_BY_SERVICE,
    SeamApiError,
    SeamConfigurationError,
    SeamError,
    SeamForbiddenError,
    SeamInvalidInputError,
    SeamInvalidResponseError,
    SeamNotFoundError,
    SeamRateLimitedError,
    SeamReadOnlyError,
    SeamServerError,
    SeamTransportError,
    SeamUnauthorizedError,
)
from seam_tui.core.inputs import MODEL_ERROR_KEY, field_errors
from seam_tui.visible import visible


class ToolError(Exception):
    """Raised by a tool for a failure the model can read and recover from."""


def invalid_arguments(tool: str, exc: ValidationError) -> ToolError:
    """Name each bad argument with its fix, in one line the model can act on."""
    own = _own_messages(exc)
    problems = [
        own.get(field)
        or (
            message
            if field == MODEL_ERROR_KEY or message.startswith(field)
            else f"{field}: {message}"
        )
        for field, message in field_errors(exc).items()
    ]
    return ToolError(
        visible(f"Invalid arguments for {tool}: {'; '.join(problems)}. Fix them and call again.")
    )


def _own_messages(exc: ValidationError) -> dict[str, str]:
    """Messages written here for what the core's wording does not cover: a flag that is not a
    boolean (with the fix), and an unknown field (its name is the caller's, so it is quoted
    unless plain). Keyed like `field_errors`."""
    own: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        names = [str(part) for part in error["loc"] if isinstance(part, str)]
        field = ".".join(names)
        if field in own:
            continue
        if error["type"] == "bool_type":
            own[field] = f"{field}: {_shown(error['input'])} is not a boolean; use true or false"
        elif error["type"] == "extra_forbidden":
            allowed = field_errors(exc).get(field, "").partition("; allowed: ")[2]
            hint = f"; allowed: {allowed}" if allowed else ""
            own[field] = f"unknown field {'.'.join(map(id_text, names))}{hint}"
    return own


def _shown(value: Any) -> str:
    """A wrong value in an error: text quoted, short; anything else as JSON, or its kind."""
    if isinstance(value, str):
        return quoted(value if len(value) <= 40 else value[:40] + "…")
    if value is None or isinstance(value, int | float):
        return json.dumps(value)
    return "a list" if isinstance(value, list) else "an object"


def from_seam_error(exc: SeamError) -> ToolError:
    """Turn a core error into a ToolError: its own message plus the next step."""
    text, step = _describe(exc), _next_step(exc)
    return ToolError(f"{text.rstrip('. ')}{step}" if step else text)


def _describe(exc: SeamError) -> str:
    """The error in words; what Seam said is quoted: it can repeat names from the workspace."""
    if _api_type(exc) == REFUSED_BY_SERVICE:  # our own words, values already quoted
        return visible(exc.message)
    if isinstance(exc, SeamApiError):
        text = f"Seam API error {exc.status} {id_text(exc.type)}: {quoted(exc.message)}"
        details = [
            f"{id_text(field)}: {quoted('; '.join(messages))}"
            for field, messages in exc.field_errors.items()
            if field and not any(m in exc.message for m in messages)
        ]
        if details:
            text += f" ({', '.join(details)})"
        if exc.request_id:
            text += f" [request_id {id_text(exc.request_id)}]"
        return text
    if isinstance(exc, SeamInvalidResponseError) and exc.request_id:
        return visible(f"{exc.message} [request_id {id_text(exc.request_id)}]")
    return visible(exc.message)


_FINDERS = {
    "device_not_found": "search_devices returns valid device ids",
    "acs_access_group_not_found": "list_acs_systems with acs_system_id returns its access groups",
    "instant_key_not_found": "get_user_identity returns a person's instant keys",
}


def _api_type(exc: SeamError) -> str | None:
    return exc.type if isinstance(exc, SeamApiError) else None


def _next_step(exc: SeamError) -> str:
    if isinstance(exc, SeamNotFoundError) and exc.type in _FINDERS:
        return f". {_FINDERS[exc.type]} (and pass workspace= if it lives in another workspace)."
    if isinstance(exc, SeamNotFoundError):
        return (
            ". Check the id: search_user_identities and search_acs_users return valid ids "
            "(and pass workspace= if it lives in another workspace)."
        )
    if _api_type(exc) == REFUSED_BY_SERVICE:  # the service checked first and sent nothing
        # A refused read (a cursor for other filters) already says what to do instead.
        return "" if isinstance(exc, SeamInvalidInputError) else ". Nothing was changed."
    if isinstance(exc, SeamInvalidInputError):
        return ". Fix the request as the message says and call again."
    if isinstance(exc, SeamUnauthorizedError | SeamForbiddenError):
        return (
            ". Nothing was changed. The workspace's credentials were refused; ask the user to "
            "fix the profile (seam-tui workspace add NAME --replace)."
        )
    if isinstance(exc, SeamRateLimitedError):
        wait = f"{exc.retry_after:g} s" if exc.retry_after else "a little while"
        return f". Too many requests: wait {wait} and call again."
    if isinstance(exc, SeamServerError | SeamTransportError | SeamInvalidResponseError):
        return (
            ". Seam could not complete the request; call again later. After a failed change, "
            "read the resource first: the change may have been applied."
        )
    if isinstance(exc, SeamReadOnlyError | SeamConfigurationError):
        return ""
    return "."
