"""The built-in `sandbox` profiles: one per workspace of the local sandbox, needing no secret.

The sandbox is opened only when one of these is listed or resolved (never on import), once per
database file per process, and shared by every client that talks to it in-process.
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from seam_tui.core.errors import SeamError
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.profiles import BUILTIN_PREFIX, slugify

if TYPE_CHECKING:
    from seam_tui.sandbox import Sandbox

_open: dict[Path, Sandbox] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class BuiltinProfile:
    """A workspace of the local sandbox, named `sandbox` (the first) or `sandbox-<slug>`."""

    name: str
    label: str
    workspace_id: str
    is_sandbox: bool
    api_key: str = field(repr=False)


def local_sandbox(path: Path | None = None) -> Sandbox:
    """The sandbox at `path` (default: the user data dir's), opened once and kept open."""
    from seam_tui.sandbox import Sandbox, default_db_path

    key = (path or default_db_path()).expanduser().absolute()
    with _lock:
        sandbox = _open.get(key)
        if sandbox is None:
            try:
                sandbox = Sandbox(key)  # settling: $SEAM_TUI_SANDBOX_SETTLE_AFTER
            except SeamError as exc:  # the sandbox names the file and the fix (`sandbox reset`)
                raise WorkspaceError(
                    f"the local sandbox could not be opened: {exc.message}"
                ) from None
            except (sqlite3.Error, OSError) as exc:
                raise WorkspaceError(
                    f"the local sandbox {key} could not be opened ({type(exc).__name__}: {exc}); "
                    "move the file away to start from fresh demo data"
                ) from None
            _open[key] = sandbox
        return sandbox


def close_local_sandboxes() -> None:
    """Close every sandbox opened here (at exit, and between tests)."""
    with _lock:
        sandboxes = list(_open.values())
        _open.clear()
    for sandbox in sandboxes:
        sandbox.close()


atexit.register(close_local_sandboxes)


def builtin_profiles() -> list[BuiltinProfile]:
    """One profile per workspace of the local sandbox, in the sandbox's order."""
    profiles: list[BuiltinProfile] = []
    used: set[str] = set()
    for index, ws in enumerate(local_sandbox().workspaces()):
        if index == 0:
            name = BUILTIN_PREFIX
        else:
            words = [w for w in slugify(ws.name).split("-") if w and w != BUILTIN_PREFIX]
            name = f"{BUILTIN_PREFIX}-{'-'.join(words) or slugify(ws.workspace_id)[:12]}"
        if name in used:
            name = f"{name}-{slugify(ws.workspace_id)[:8]}"
        used.add(name)
        profiles.append(
            BuiltinProfile(
                name=name,
                label=ws.name,
                workspace_id=ws.workspace_id,
                is_sandbox=ws.is_sandbox,
                api_key=ws.api_key,
            )
        )
    return profiles
