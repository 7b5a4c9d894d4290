"""Profile endpoints, and the one place a client is built from credentials and an endpoint.

Besides `https://...` URLs (and `http://` on loopback only), an endpoint may name a local
sandbox reached in-process, with no server to run:

    sandbox://local            the sandbox in the user data dir (what `seam-tui sandbox` uses)
    sandbox:///abs/path.db     the sandbox database at that path
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from seam_tui.core.auth import DEFAULT_ENDPOINT, Credentials
from seam_tui.core.client import SeamClient
from seam_tui.visible import quoted
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.sandbox_profiles import local_sandbox

LOCAL_SANDBOX = "sandbox://local"

_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_BOUND_OPTIONS = ("api_key", "personal_access_token", "workspace_id", "endpoint")


def normalize_endpoint(url: str | None) -> str:
    """A checked endpoint: the default when empty, without a trailing slash."""
    if not url or not url.strip():
        return DEFAULT_ENDPOINT
    given = url.strip()
    url = given.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "sandbox":
        if parts.netloc == "local" and not parts.path:
            return LOCAL_SANDBOX
        if not parts.netloc and parts.path.startswith("/"):
            return url
        raise WorkspaceError(
            f"invalid sandbox endpoint {quoted(given)}: use sandbox://local or sandbox:///path/to/db"
        )
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return url
    if parts.scheme == "http" and parts.hostname:
        raise WorkspaceError(
            f"refusing plain http to {parts.hostname}: the key would travel unencrypted; "
            "use https (http is allowed on localhost only)"
        )
    raise WorkspaceError(
        f"invalid endpoint {quoted(given)}: give an https:// URL (default {DEFAULT_ENDPOINT}) "
        f"or {LOCAL_SANDBOX}"
    )


def is_sandbox_endpoint(endpoint: str) -> bool:
    return endpoint.startswith("sandbox:")


def open_bound_client(credentials: Credentials, endpoint: str, /, **options: Any) -> SeamClient:
    """A new client that can only ever send `credentials`, to `endpoint`.

    `options` are SeamClient's other options (timeout, retry, transport); the credentials and
    the endpoint cannot be overridden. A sandbox endpoint gets the in-process transport. The
    endpoint is checked again here (https, or http on loopback only), wherever it came from.
    """
    bound = [name for name in _BOUND_OPTIONS if name in options]
    if bound:
        raise TypeError(f"open_client() fixes {', '.join(bound)}: they come from the profile")
    endpoint = url = normalize_endpoint(endpoint)
    if is_sandbox_endpoint(endpoint):
        path = urlsplit(endpoint).path
        sandbox = local_sandbox(Path(path) if path else None)
        url = sandbox.base_url
        if options.get("transport") is None:
            options["transport"] = sandbox.transport()
    return SeamClient(
        api_key=credentials.api_key,
        personal_access_token=credentials.personal_access_token,
        workspace_id=credentials.workspace_id,
        endpoint=url,
        **options,
    )
