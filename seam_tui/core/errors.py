"""One exception tree for everything the core can raise, read top to bottom like httpx's.

    SeamError
    ├── SeamConfigurationError      the client or a profile is set up wrongly; nothing was sent
    ├── SeamTransportError          no usable HTTP response arrived
    │   ├── SeamConnectError        the connection failed or was dropped
    │   └── SeamTimeoutError        no answer within the timeout
    ├── SeamInvalidResponseError    a response arrived but is not the API's shape
    ├── SeamApiError                the API answered with an error (status, type, request_id)
    │   ├── SeamInvalidInputError   400: the request was rejected; `field_errors` says where
    │   ├── SeamUnauthorizedError   401: the key or token is missing, wrong or revoked
    │   ├── SeamForbiddenError      403: the credential may not do this
    │   ├── SeamNotFoundError       404: the resource does not exist in this workspace
    │   ├── SeamConflictError       409: the change clashes with existing data
    │   ├── SeamRateLimitedError    429: too many requests; `retry_after` says when to try again
    │   └── SeamServerError         5xx: the server failed
    ├── SeamReadOnlyError           a write was refused because the workspace is read-only
    ├── AuditWriteError             the local audit log could not be written (`done` says
    │                               whether the change was made anyway)
    └── AuditReadError              the local audit log could not be read

No exception text ever includes a key, a token or a request header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class SeamError(Exception):
    """Base of every error raised by seam-tui's core; catch it to catch them all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SeamConfigurationError(SeamError):
    """Raised when options are missing or contradict each other, before any request is sent;
    `field` names the option at fault when there is one (e.g. `api_key`, `workspace_id`)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SeamReadOnlyError(SeamError):
    """Raised when a write is asked of a workspace opened read-only."""


class AuditWriteError(SeamError):
    """Raised when a line of the audit log could not be written whole; nothing half-written
    is left. `done` is False when the change was refused for it (nothing was sent) and True
    when the change was made at Seam but its outcome could not be recorded."""

    def __init__(self, message: str, *, path: Path, done: bool) -> None:
        super().__init__(message)
        self.path = path
        self.done = done


class AuditReadError(SeamError):
    """Raised when the audit log cannot be read at all (not a file, no permission); its
    message names the file and the fix. Unreadable lines in it are skipped, not raised."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class SeamTransportError(SeamError):
    """Raised when no usable HTTP response arrived; `maybe_applied` when the request was a
    write that may have reached the server."""

    def __init__(self, message: str, *, maybe_applied: bool = False) -> None:
        super().__init__(message)
        self.maybe_applied = maybe_applied


class SeamConnectError(SeamTransportError):
    """Raised when the connection could not be made or was dropped mid-request."""


class SeamTimeoutError(SeamTransportError):
    """Raised when the server did not answer within the configured timeout."""


class SeamInvalidResponseError(SeamError):
    """Raised when a response is not the JSON shape the API promises."""

    def __init__(self, message: str, *, status: int, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id


class SeamApiError(SeamError):
    """Raised when the API answers with an error; carries what the server said."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        type: str,
        request_id: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.request_id = request_id
        self.field_errors: dict[str, list[str]] = field_errors or {}
        self.data: dict[str, Any] = data or {}

    def __str__(self) -> str:
        suffix = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.status} {self.type}: {self.message}{suffix}"


class SeamInvalidInputError(SeamApiError):
    """Raised on 400: the request was invalid; `field_errors` maps parameters to messages."""


class SeamUnauthorizedError(SeamApiError):
    """Raised on 401: the API key or token is missing, unknown or revoked."""


class SeamForbiddenError(SeamApiError):
    """Raised on 403: the credential is valid but may not do this."""


class SeamNotFoundError(SeamApiError):
    """Raised on 404: the resource does not exist in this workspace."""


class SeamConflictError(SeamApiError):
    """Raised on 409: the change clashes with existing data (e.g. an email already in use)."""


class SeamRateLimitedError(SeamApiError):
    """Raised on 429 once retries are spent; `retry_after` is the server's advice in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class SeamServerError(SeamApiError):
    """Raised on 5xx once retries are spent."""


_BY_STATUS: dict[int, type[SeamApiError]] = {
    400: SeamInvalidInputError,
    401: SeamUnauthorizedError,
    403: SeamForbiddenError,
    404: SeamNotFoundError,
    409: SeamConflictError,
    429: SeamRateLimitedError,
}


def api_error_class(status: int) -> type[SeamApiError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return SeamServerError
    return _BY_STATUS.get(status, SeamApiError)


def flatten_validation_errors(tree: object, prefix: str = "") -> dict[str, list[str]]:
    """Turn a zod-formatted `validation_errors` tree into {"param.sub": [messages]}."""
    result: dict[str, list[str]] = {}
    if not isinstance(tree, dict):
        return result
    messages = [m for m in tree.get("_errors", []) if isinstance(m, str)]
    if messages:
        result[prefix] = messages
    for key, subtree in tree.items():
        if key == "_errors":
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        result.update(flatten_validation_errors(subtree, path))
    return result


REFUSED_BY_SERVICE = "refused_by_service"
"""The `type` of an error the service decides itself, before anything is sent."""


def refused(field: str, message: str) -> SeamConflictError:
    """A write the service refuses before sending anything: 409, `message` under `field`."""
    return SeamConflictError(
        f"{field}: {message}",
        status=409,
        type=REFUSED_BY_SERVICE,
        field_errors={field: [message]},
    )
