"""Every profile at a glance (saved and built-in), with whether its secret is present."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from seam_tui.workspaces.endpoints import LOCAL_SANDBOX
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.profiles import AuthKind, Profile, ProfileFile
from seam_tui.workspaces.sandbox_profiles import builtin_profiles
from seam_tui.workspaces.secret_store import FileStore, KeyringStore, keyring_problem


@dataclass(frozen=True)
class ProfileStatus:
    """What `workspace list` shows for one profile; never the secret."""

    name: str
    label: str
    endpoint: str
    auth_kind: AuthKind
    workspace_id: str | None
    read_only: bool
    has_secret: bool
    active: bool
    builtin: bool
    secret_store: Literal["keyring", "file", "sandbox"]
    secret_problem: str | None = None
    """Why it cannot be told whether the secret is there (a broken secret file, a failing
    keyring), with the fix; `has_secret` is then False."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def list_profiles(*, include_builtin: bool = True) -> list[ProfileStatus]:
    """Saved profiles (by name), then the built-in sandbox ones.

    The active one is the profile `use` chose, or the built-in `sandbox` when none was chosen.
    With no keyring backend, keyring-held secrets show as absent (see `keyring_problem()`).
    """
    saved = ProfileFile.load()
    # Whether a secret is there is not a use of it: a plaintext backend is looked in too.
    keyring = None if keyring_problem() else KeyringStore(allow_plaintext=True)
    file_store = FileStore()
    statuses = []
    for profile in sorted(saved.profiles.values(), key=lambda p: p.name):
        statuses.append(_saved_status(profile, saved.active == profile.name, keyring, file_store))
    if include_builtin:
        for builtin in builtin_profiles():
            active = saved.active == builtin.name or (
                saved.active is None and builtin.name == "sandbox"
            )
            statuses.append(
                ProfileStatus(
                    name=builtin.name,
                    label=builtin.label,
                    endpoint=LOCAL_SANDBOX,
                    auth_kind="api_key",
                    workspace_id=builtin.workspace_id,
                    read_only=False,
                    has_secret=True,
                    active=active,
                    builtin=True,
                    secret_store="sandbox",
                )
            )
    return statuses


def _saved_status(
    profile: Profile, active: bool, keyring: KeyringStore | None, file_store: FileStore
) -> ProfileStatus:
    problem = None
    try:
        if profile.secret_store == "file":
            has_secret = file_store.has(profile.name)
        else:
            has_secret = keyring is not None and keyring.has(profile.name)
    except WorkspaceError as exc:
        has_secret, problem = False, exc.message
    return ProfileStatus(
        name=profile.name,
        label=profile.label or profile.name,
        endpoint=profile.endpoint,
        auth_kind=profile.auth_kind,
        workspace_id=profile.workspace_id,
        read_only=profile.read_only,
        has_secret=has_secret,
        active=active,
        builtin=False,
        secret_store=profile.secret_store,
        secret_problem=problem,
    )
