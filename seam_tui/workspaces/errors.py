"""The one error workspaces raise, and the messages a person can act on."""

from __future__ import annotations

from collections.abc import Iterable

from seam_tui.core.errors import SeamConfigurationError
from seam_tui.visible import quoted

ENV_WAY_OUT = (
    "set SEAM_API_KEY (or SEAM_PERSONAL_ACCESS_TOKEN and SEAM_WORKSPACE_ID), and SEAM_ENDPOINT "
    "if not the default, in the environment"
)


class WorkspaceError(SeamConfigurationError):
    """Raised when a profile cannot be added, found, opened or changed; the message says why."""


def no_keyring_backend(detail: str) -> WorkspaceError:
    """No usable keyring: say so once, with the three ways out."""
    return WorkspaceError(
        f"no usable keyring backend to hold workspace secrets ({detail}). Ways out: "
        f"(1) {ENV_WAY_OUT}; "
        "(2) install a keyring backend (a Secret Service such as gnome-keyring or KeePassXC, "
        "or pick one with PYTHON_KEYRING_BACKEND or keyring's keyringrc.cfg); "
        "(3) opt in to an unencrypted file store with --insecure-file-store "
        "(0600 permissions, a warning each time it is used)"
    )


def unknown_profile(name: str, known: Iterable[str]) -> WorkspaceError:
    names = ", ".join(sorted(known)) or "none"
    return WorkspaceError(
        f"no workspace profile named {quoted(name)}; known profiles: {names}. "
        "Add one with: seam-tui workspace add NAME"
    )


def missing_secret(name: str, where: str) -> WorkspaceError:
    return WorkspaceError(
        f"profile {quoted(name)} has no secret in {where}; store it again with: "
        f"seam-tui workspace add {name} --replace"
    )


def builtin_profile(name: str, action: str) -> WorkspaceError:
    return WorkspaceError(
        f"{quoted(name)} is a built-in sandbox profile and cannot be {action}; "
        "it comes from the local sandbox and always exists"
    )
