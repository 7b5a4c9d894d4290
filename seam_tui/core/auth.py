"""Credentials for one workspace: an API key, or a personal access token plus a workspace id."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

from seam_tui.core.errors import SeamConfigurationError

DEFAULT_ENDPOINT = "https://connect.getseam.com"


@dataclass(frozen=True)
class Credentials:
    """What authenticates requests; `repr` never shows the secret."""

    api_key: str | None = field(default=None, repr=False)
    personal_access_token: str | None = field(default=None, repr=False)
    workspace_id: str | None = None

    def __post_init__(self) -> None:
        if self.api_key and self.personal_access_token:
            raise SeamConfigurationError(
                "give either an API key or a personal access token, not both"
            )
        if not self.api_key and not self.personal_access_token:
            raise SeamConfigurationError(
                "no credentials: pass api_key=..., or personal_access_token=... with "
                "workspace_id=..., or set SEAM_API_KEY"
            )
        if self.api_key is not None:
            _check_api_key(self.api_key)
        if self.personal_access_token is not None and not self.personal_access_token.startswith(
            "seam_at"
        ):
            raise SeamConfigurationError(
                "a personal access token starts with 'seam_at'; for an API key use api_key=..."
            )

    @property
    def kind(self) -> str:
        """`api_key` or `personal_access_token`."""
        return "api_key" if self.api_key else "personal_access_token"

    def headers(self) -> dict[str, str]:
        """The auth headers for one request."""
        token = self.api_key or self.personal_access_token or ""
        headers = {"Authorization": f"Bearer {token}"}
        if self.personal_access_token and self.workspace_id:
            headers["seam-workspace"] = self.workspace_id
        return headers

    def secret(self) -> str:
        """The key or token itself, for redaction checks."""
        return self.api_key or self.personal_access_token or ""


def _check_api_key(key: str) -> None:
    if not key.strip():
        raise SeamConfigurationError("the API key is empty")
    if key.startswith("seam_at"):
        raise SeamConfigurationError(
            "that is a personal access token, not an API key: pass personal_access_token=... "
            "and workspace_id=..."
        )
    for prefix, what in (("seam_cst", "client session token"), ("seam_pk", "publishable key")):
        if key.startswith(prefix):
            raise SeamConfigurationError(f"that is a {what}, not an API key")
    if not key.startswith("seam_"):
        raise SeamConfigurationError("an API key starts with 'seam_'; check what was pasted")


def credentials_from_env(env: Mapping[str, str] | None = None) -> tuple[Credentials, str]:
    """Credentials and endpoint from the official SDK's variables.

    Reads `SEAM_API_KEY`, or `SEAM_PERSONAL_ACCESS_TOKEN` + `SEAM_WORKSPACE_ID`, and
    `SEAM_ENDPOINT` (or the deprecated `SEAM_API_URL`).
    """
    env = os.environ if env is None else env
    endpoint = env.get("SEAM_ENDPOINT") or ""
    if not endpoint and env.get("SEAM_API_URL"):
        warnings.warn("SEAM_API_URL is deprecated; use SEAM_ENDPOINT", stacklevel=2)
        endpoint = env["SEAM_API_URL"]
    creds = Credentials(
        api_key=env.get("SEAM_API_KEY") or None,
        personal_access_token=env.get("SEAM_PERSONAL_ACCESS_TOKEN") or None,
        workspace_id=env.get("SEAM_WORKSPACE_ID") or None,
    )
    return creds, endpoint or DEFAULT_ENDPOINT
