"""How errors read on screen: one clear sentence with what to do, never a traceback."""

from __future__ import annotations

from pydantic import ValidationError

from seam_tui.core.errors import (
    REFUSED_BY_SERVICE,
    SeamApiError,
    SeamError,
    SeamNotFoundError,
    SeamRateLimitedError,
    SeamServerError,
    SeamTransportError,
    SeamUnauthorizedError,
)
from seam_tui.core.inputs import field_errors

# The type of a refusal the service decides before asking Seam (already granted, ...).


def describe_error(exc: BaseException) -> str:
    """A notification-sized message for an error raised by the service or workspaces."""
    if isinstance(exc, SeamUnauthorizedError):
        return (
            "Seam rejected this workspace's key (401). Check it or add it again in Workspaces (w)."
        )
    if isinstance(exc, SeamRateLimitedError):
        wait = f" in {exc.retry_after:g} s" if exc.retry_after else " in a moment"
        return f"Seam is rate limiting requests; try again{wait}."
    if isinstance(exc, SeamNotFoundError):
        return f"Not found: {exc.message} (it may have been deleted elsewhere; press r to refresh)."
    if isinstance(exc, SeamApiError) and exc.type == REFUSED_BY_SERVICE:
        # Decided here, not by Seam: no request to quote, and the field is named by the screen.
        said = [message for messages in exc.field_errors.values() for message in messages]
        return "; ".join(said) if said else exc.message
    if isinstance(exc, SeamApiError):
        request = f", request {exc.request_id}" if exc.request_id else ""
        return f"{exc.message} [{exc.type}{request}]"
    if isinstance(exc, SeamTransportError):
        return f"{exc.message}. Check the network or the workspace's endpoint."
    if isinstance(exc, SeamError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(f"{k or 'input'}: {v}" for k, v in field_errors(exc).items())
    return f"Unexpected error: {type(exc).__name__}: {exc}"


def save_failure(exc: BaseException) -> str:
    """A form's message when a save failed: "Not saved" only when the change surely was not
    made; after a server error or a lost answer it may have been, and the user is told so."""
    text = describe_error(exc)
    if isinstance(exc, SeamServerError) or (
        isinstance(exc, SeamTransportError) and exc.maybe_applied
    ):
        sentence = text if text.endswith(".") else f"{text}."
        return (
            f"Not confirmed: {sentence} Refresh the list (r) and check whether it was saved before "
            "saving again; what you typed is kept."
        )
    return f"Not saved: {text}"
