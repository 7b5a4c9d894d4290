"""Adding, renaming, removing and choosing profiles: what the CLI and the TUI's Workspaces
screen both call. A key is verified against `/workspaces/get` before anything is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seam_tui.core.auth import DEFAULT_ENDPOINT, Credentials
from seam_tui.core.errors import (
    SeamConfigurationError,
    SeamError,
    SeamNotFoundError,
    SeamUnauthorizedError,
)
from seam_tui.core.models import Workspace
from seam_tui.visible import quoted
from seam_tui.workspaces.endpoints import LOCAL_SANDBOX, normalize_endpoint, open_bound_client
from seam_tui.workspaces.errors import WorkspaceError, builtin_profile, unknown_profile
from seam_tui.workspaces.profiles import (
    Profile,
    ProfileFile,
    check_new_name,
    is_builtin_name,
    slugify,
)
from seam_tui.workspaces.sandbox_profiles import builtin_profiles
from seam_tui.workspaces.secret_store import (
    FileStore,
    KeyringStore,
    SecretStore,
    new_secret_store,
)

PAT_PREFIX = "seam_at"

log = logging.getLogger("seam_tui.workspaces")
NOTHING_SAVED = "nothing was saved"


@dataclass(frozen=True)
class AddedProfile:
    """A profile that was verified and saved, with the workspace its secret acts in."""

    profile: Profile
    workspace: Workspace
    replaced: bool
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemovedProfile:
    profile: Profile
    secret_deleted: bool
    was_active: bool
    warnings: tuple[str, ...] = ()


def _warn(message: str) -> str:
    log.warning("%s", message)
    return message


def is_personal_access_token(secret: str) -> bool:
    return secret.strip().startswith(PAT_PREFIX)


def check_credentials(secret: str, workspace_id: str | None = None) -> None:
    """Check, with no request, that `secret` (and `workspace_id`) could be verified and saved:
    WorkspaceError with `field` set (`api_key`, `personal_access_token`, `workspace_id`) if
    not. The message never quotes the secret."""
    _credentials(secret, workspace_id)


def _credentials(secret: str, workspace_id: str | None) -> Credentials:
    secret = secret.strip()
    if not secret:
        raise WorkspaceError(f"the key is empty; {NOTHING_SAVED}", field="api_key")
    try:
        if is_personal_access_token(secret):
            if not workspace_id:
                raise WorkspaceError(
                    "a personal access token needs a workspace: give its workspace id, or list "
                    f"the token's workspaces to pick from; {NOTHING_SAVED}",
                    field="workspace_id",
                )
            return Credentials(personal_access_token=secret, workspace_id=workspace_id)
        if workspace_id:
            raise WorkspaceError(
                "a workspace id goes with a personal access token (seam_at...), not an API key: "
                f"an API key already belongs to one workspace; {NOTHING_SAVED}",
                field="workspace_id",
            )
        return Credentials(api_key=secret)
    except SeamConfigurationError as exc:
        if isinstance(exc, WorkspaceError):
            raise
        raise WorkspaceError(f"{exc.message}; {NOTHING_SAVED}", field=exc.field) from None


def _refused(exc: SeamError, what: str, endpoint: str) -> WorkspaceError:
    if isinstance(exc, SeamUnauthorizedError):
        reason = f"{endpoint} refused the {what} ({exc})"
    elif isinstance(exc, SeamNotFoundError):
        reason = f"{endpoint} has no such workspace for this {what} ({exc})"
    else:
        reason = f"could not check the {what} with {endpoint} ({exc})"
    hint = ""
    if endpoint == DEFAULT_ENDPOINT:
        hint = f" (a key from the local sandbox needs --endpoint {LOCAL_SANDBOX})"
    return WorkspaceError(f"{reason}; {NOTHING_SAVED}{hint}")


async def verify_credentials(
    secret: str,
    *,
    endpoint: str | None = None,
    workspace_id: str | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> Workspace:
    """The workspace `secret` acts in (`/workspaces/get`); WorkspaceError saying why if none."""
    endpoint = normalize_endpoint(endpoint)
    credentials = _credentials(secret, workspace_id)
    what = "API key" if credentials.kind == "api_key" else "personal access token"
    client = open_bound_client(credentials, endpoint, **dict(client_options or {}))
    async with client:
        try:
            workspace = await client.workspaces.get()
        except SeamError as exc:
            raise _refused(exc, what, endpoint) from None
    if workspace_id and workspace.workspace_id != workspace_id:
        raise WorkspaceError(
            f"{endpoint} answered for workspace {workspace.workspace_id}, not {workspace_id}; "
            f"{NOTHING_SAVED}"
        )
    return workspace


async def list_token_workspaces(
    token: str,
    *,
    endpoint: str | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> list[Workspace]:
    """The workspaces a personal access token can act in (`/workspaces/list`)."""
    token = token.strip()
    if not is_personal_access_token(token):
        raise WorkspaceError("a personal access token starts with 'seam_at'")
    endpoint = normalize_endpoint(endpoint)
    client = open_bound_client(
        Credentials(personal_access_token=token), endpoint, **dict(client_options or {})
    )
    async with client:
        try:
            return await client.workspaces.list()
        except SeamError as exc:
            raise _refused(exc, "personal access token", endpoint) from None


def token_profile_name(base: str, workspace: Workspace) -> str:
    """The profile name for one of a token's workspaces when each gets its own profile."""
    return f"{base}-{slugify(workspace.name) or slugify(workspace.workspace_id)}"[:63]


async def add_profile(
    name: str,
    secret: str,
    *,
    endpoint: str | None = None,
    workspace_id: str | None = None,
    label: str | None = None,
    read_only: bool = False,
    insecure_file_store: bool = False,
    replace: bool = False,
    activate: bool = False,
    client_options: Mapping[str, Any] | None = None,
) -> AddedProfile:
    """Verify `secret` (an API key, or a personal access token with `workspace_id`) against
    `/workspaces/get`, then store it and save the profile. A refused key saves nothing.

    The label defaults to the workspace's name. `replace=True` stores a new key for an
    existing profile (a key rotation).
    """
    check_can_add(name, replace=replace, insecure_file_store=insecure_file_store)
    profiles = ProfileFile.load()
    existing = profiles.get(name)
    store = new_secret_store(insecure_file_store=insecure_file_store)
    endpoint = normalize_endpoint(endpoint)
    workspace = await verify_credentials(
        secret, endpoint=endpoint, workspace_id=workspace_id, client_options=client_options
    )
    secret = secret.strip()
    profile = Profile(
        name=name,
        endpoint=endpoint,
        auth_kind="personal_access_token" if is_personal_access_token(secret) else "api_key",
        workspace_id=workspace.workspace_id,
        label=label or workspace.name,
        read_only=read_only,
        secret_store=store.kind,
    )
    store.set(name, secret)
    profiles.profiles[name] = profile
    if activate:
        profiles.active = name
    try:
        profiles.save()
    except BaseException:
        if existing is None:
            store.delete(name)
        raise
    warnings = list(store.warnings)
    if existing is not None and existing.secret_store != store.kind:
        try:
            old = _store_of(existing)
            old.delete(name)
            warnings += old.warnings
        except WorkspaceError as exc:
            warnings.append(
                _warn(f"the old secret of {quoted(name)} could not be deleted: {exc.message}")
            )
    return AddedProfile(profile, workspace, existing is not None, tuple(warnings))


def _store_of(profile: Profile) -> SecretStore:
    """The store an existing profile's secret is in, to move or delete it (not to use it)."""
    return FileStore() if profile.secret_store == "file" else KeyringStore(allow_plaintext=True)


def _saved(profiles: ProfileFile, name: str, action: str) -> Profile:
    if is_builtin_name(name) and name in {b.name for b in builtin_profiles()}:
        raise builtin_profile(name, action)
    profile = profiles.get(name)
    if profile is None:
        raise unknown_profile(name, [*profiles.profiles, *(b.name for b in builtin_profiles())])
    return profile


def saved_profile(name: str, *, action: str = "changed") -> Profile:
    """A saved (not built-in) profile by name; WorkspaceError naming the known ones if none."""
    return _saved(ProfileFile.load(), name, action)


def check_can_add(name: str, *, replace: bool = False, insecure_file_store: bool = False) -> None:
    """Everything `add_profile` checks before any request, so a front end can ask first and
    prompt for the secret after: the name, a clash, and a place to keep the secret."""
    check_new_name(name)
    if ProfileFile.load().get(name) is not None and not replace:
        raise WorkspaceError(
            f"profile {quoted(name)} already exists; pass --replace to store a new key for it, "
            "or choose another name"
        )
    new_secret_store(insecure_file_store=insecure_file_store)


def remove_profile(name: str) -> RemovedProfile:
    """Delete a saved profile and its secret (from the keyring, or the file store)."""
    profiles = ProfileFile.load()
    profile = _saved(profiles, name, "removed")
    warnings: list[str] = []
    try:
        store = _store_of(profile)
        deleted = store.delete(name)
        warnings += store.warnings
    except WorkspaceError as exc:  # e.g. no keyring backend here: still drop the profile
        deleted = False
        warnings.append(_warn(f"the secret of {quoted(name)} could not be deleted: {exc.message}"))
    del profiles.profiles[name]
    was_active = profiles.active == name
    if was_active:
        profiles.active = None
    profiles.save()
    return RemovedProfile(profile, deleted, was_active, tuple(warnings))


def rename_profile(old: str, new: str) -> Profile:
    """Rename a saved profile, moving its secret to the new name; the active choice follows."""
    profiles = ProfileFile.load()
    profile = _saved(profiles, old, "renamed")
    check_new_name(new)
    if new in profiles.profiles:
        raise WorkspaceError(
            f"profile {quoted(new)} already exists; remove it or choose another name"
        )
    store = _store_of(profile)
    secret = store.get(old)
    if secret is not None:
        store.set(new, secret)
    renamed = profile.renamed(new)
    del profiles.profiles[old]
    profiles.profiles[new] = renamed
    if profiles.active == old:
        profiles.active = new
    try:
        profiles.save()
    except BaseException:
        if secret is not None:
            store.delete(new)
        raise
    if secret is not None:
        store.delete(old)
    return renamed


def set_active_profile(name: str | None) -> None:
    """Make `name` (saved or built-in) the active profile; None goes back to the sandbox."""
    profiles = ProfileFile.load()
    if name is not None and name not in profiles.profiles:
        builtins = [b.name for b in builtin_profiles()]
        if name not in builtins:
            raise unknown_profile(name, [*profiles.profiles, *builtins])
    profiles.active = name
    profiles.save()
