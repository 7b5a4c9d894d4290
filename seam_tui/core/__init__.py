"""The shared API core: models, inputs, errors, the client and the service. No UI imports here."""

from seam_tui.core.client import SeamClient
from seam_tui.core.errors import (
    SeamApiError,
    SeamConfigurationError,
    SeamConflictError,
    SeamConnectError,
    SeamError,
    SeamForbiddenError,
    SeamInvalidInputError,
    SeamInvalidResponseError,
    SeamNotFoundError,
    SeamRateLimitedError,
    SeamReadOnlyError,
    SeamServerError,
    SeamTimeoutError,
    SeamTransportError,
    SeamUnauthorizedError,
)
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsSystem,
    AcsUser,
    Page,
    Pagination,
    UserIdentity,
    Workspace,
)
from seam_tui.core.resources import NULL
from seam_tui.core.retry import RetryPolicy

__all__ = [
    "NULL",
    "AcsAccessGroup",
    "AcsSystem",
    "AcsUser",
    "Page",
    "Pagination",
    "RetryPolicy",
    "SeamApiError",
    "SeamClient",
    "SeamConfigurationError",
    "SeamConflictError",
    "SeamConnectError",
    "SeamError",
    "SeamForbiddenError",
    "SeamInvalidInputError",
    "SeamInvalidResponseError",
    "SeamNotFoundError",
    "SeamRateLimitedError",
    "SeamReadOnlyError",
    "SeamServerError",
    "SeamTimeoutError",
    "SeamTransportError",
    "SeamUnauthorizedError",
    "UserIdentity",
    "Workspace",
]
