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
        if self.personal_access_token is not None:
            check_header_text(self.personal_access_token, "personal_access_token")
            if not self.personal_access_token.startswith("seam_at"):
                raise SeamConfigurationError(
                    "a personal access token starts with 'seam_at'; for an API key use api_key=...",
                    field="personal_access_token",
                )
        if self.workspace_id:
            check_header_text(self.workspace_id, "workspace_id")

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


_FIELD_NAMES = {
    "api_key": "API key",
    "personal_access_token": "personal access token",
    "workspace_id": "workspace id",
}
_FIXES = {
    "api_key": "copy the key again from Seam Console",
    "personal_access_token": "copy the token again from Seam Console",
    "workspace_id": "copy the workspace id again from Seam Console",
}


def _character_kind(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isspace():
        return "a line break or tab" if char in "\r\n\t" else "a whitespace character"
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return "a control character"
    if char.isprintable():
        return "a non-ASCII character"
    return "an invisible non-ASCII character"


def check_header_text(value: str, field: str) -> None:
    """Check that a key, token or workspace id can be sent in an HTTP header.

    Raises SeamConfigurationError (with `field` set) naming the field, the position of the
    first bad character and the fix; the message never quotes the value or any part of it.
    """
    what = _FIELD_NAMES.get(field, field)
    fix = _FIXES.get(field, "check what was pasted")
    if not value or not value.strip():
        raise SeamConfigurationError(f"the {what} is empty; {fix}", field=field)
    for index, char in enumerate(value):
        if "!" <= char <= "~":  # printable ASCII, no space
            continue
        where = f"position {index + 1}"
        if index == 0 or index == len(value) - 1:
            where += " (the start)" if index == 0 else " (the end)"
        raise SeamConfigurationError(
            f"the {what} has {_character_kind(char)} at {where}; it can only hold printable "
            f"ASCII without spaces: {fix}",
            field=field,
        )


def _check_api_key(key: str) -> None:
    def refuse(message: str) -> SeamConfigurationError:
        return SeamConfigurationError(message, field="api_key")

    check_header_text(key, "api_key")
    if key.startswith("seam_at"):
        raise refuse(
            "that is a personal access token, not an API key: pass personal_access_token=... "
            "and workspace_id=..."
        )
    for prefix, what in (("seam_cst", "client session token"), ("seam_pk", "publishable key")):
        if key.startswith(prefix):
            raise refuse(f"that is a {what}, not an API key")
    if not key.startswith("seam_"):
        raise refuse("an API key starts with 'seam_'; check what was pasted")


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
