"""Which workspace a front end works in, decided the same way for the TUI, the MCP server and
the CLI: the `--workspace` flag, then `SEAM_*` env vars, then the active profile, then the
built-in sandbox.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from seam_tui.core.audit import AuditLog
from seam_tui.core.auth import DEFAULT_ENDPOINT, Credentials, credentials_from_env
from seam_tui.core.changes import FrontEnd
from seam_tui.core.client import SeamClient
from seam_tui.core.errors import SeamConfigurationError
from seam_tui.core.service import SeamService
from seam_tui.visible import quoted
from seam_tui.workspaces.endpoints import (
    LOCAL_SANDBOX,
    is_sandbox_endpoint,
    normalize_endpoint,
    open_bound_client,
)
from seam_tui.workspaces.errors import WorkspaceError, missing_secret, unknown_profile
from seam_tui.workspaces.profiles import (
    ENV_PROFILE,
    AuthKind,
    Profile,
    ProfileFile,
    is_builtin_name,
)
from seam_tui.workspaces.sandbox_profiles import BuiltinProfile, builtin_profiles
from seam_tui.workspaces.secret_store import profile_secret_store

Source = Literal["flag", "env", "profile", "sandbox"]

ENV_CREDENTIAL_VARS = ("SEAM_API_KEY", "SEAM_PERSONAL_ACCESS_TOKEN")
_ENV_VAR_OF = {
    "api_key": "SEAM_API_KEY",
    "personal_access_token": "SEAM_PERSONAL_ACCESS_TOKEN",
    "workspace_id": "SEAM_WORKSPACE_ID",
}


class SealedCredentials:
    """Credentials that `repr`, `dataclasses.asdict` and JSON cannot show (asdict keeps this
    object as is, and json refuses it, rather than spelling out the key)."""

    __slots__ = ("credentials",)

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials

    def __repr__(self) -> str:
        return "SealedCredentials(<hidden>)"

    def __deepcopy__(self, memo: dict[int, Any]) -> SealedCredentials:
        return self


@dataclass(frozen=True)
class ResolvedWorkspace:
    """One workspace with its credentials, ready to open clients bound to exactly those.

    The secret is held privately and never shown by `repr`; every `open_client()` builds a new
    client, so nothing cached for another workspace can leak into this one.
    """

    name: str
    label: str
    source: Source
    endpoint: str
    auth_kind: AuthKind
    workspace_id: str | None
    read_only: bool
    is_builtin_sandbox: bool
    _credentials: SealedCredentials = field(repr=False, compare=False)
    warnings: tuple[str, ...] = ()

    @property
    def is_local_sandbox(self) -> bool:
        """Whether requests go to a sandbox in this process rather than over the network."""
        return is_sandbox_endpoint(self.endpoint)

    def with_read_only(self, read_only: bool = True) -> ResolvedWorkspace:
        """The same workspace, read-only (a profile's own read-only flag cannot be lifted)."""
        return replace(self, read_only=self.read_only or read_only)

    def redact(self, text: str) -> str:
        """`text` with this workspace's secret replaced, for anything shown or logged."""
        secret = self._credentials.credentials.secret()
        return text.replace(secret, "[redacted]") if secret else text

    def open_client(self, **client_options: Any) -> SeamClient:
        """A new client bound to this workspace's credentials (timeout, retry, transport may
        be given; a sandbox endpoint is reached in-process)."""
        return open_bound_client(self._credentials.credentials, self.endpoint, **client_options)

    def open_service(
        self, front_end: FrontEnd, *, audit: AuditLog | None = None, **client_options: Any
    ) -> SeamService:
        """A new client and a service over it, refusing writes when this workspace is read-only."""
        return SeamService(
            self.open_client(**client_options),
            workspace=self.name,
            front_end=front_end,
            audit=audit,
            read_only=self.read_only,
        )


def env_has_credentials(env: Mapping[str, str] | None = None) -> bool:
    """Whether `SEAM_API_KEY` or `SEAM_PERSONAL_ACCESS_TOKEN` is set (they beat the profile)."""
    env = os.environ if env is None else env
    return any(env.get(var) for var in ENV_CREDENTIAL_VARS)


def resolve_workspace(
    name: str | None = None,
    *,
    read_only: bool = False,
    insecure_file_store: bool = False,
    env: Mapping[str, str] | None = None,
) -> ResolvedWorkspace:
    """The workspace to work in: `name` (the --workspace flag), else the `SEAM_*` env vars,
    else the active profile, else the built-in sandbox.

    Raises WorkspaceError with the way out: an unknown name lists the known ones, a missing
    secret says how to store it, no keyring backend lists the three ways out.
    """
    env = os.environ if env is None else env
    if name:
        return _named(name, "flag", read_only, insecure_file_store, None)
    if env_has_credentials(env):
        return _from_env(env, read_only)
    profiles = ProfileFile.load()
    if profiles.active:
        return _named(profiles.active, "profile", read_only, insecure_file_store, profiles)
    return _builtin(builtin_profiles()[0], "sandbox", read_only)


def _named(
    name: str,
    source: Source,
    read_only: bool,
    insecure_file_store: bool,
    profiles: ProfileFile | None,
) -> ResolvedWorkspace:
    if is_builtin_name(name):
        builtins = builtin_profiles()
        for builtin in builtins:
            if builtin.name == name:
                return _builtin(builtin, source, read_only)
        profiles = profiles or ProfileFile.load()
        raise _unknown(name, source, profiles, builtins)
    profiles = profiles or ProfileFile.load()
    profile = profiles.get(name)
    if profile is None:
        raise _unknown(name, source, profiles, builtin_profiles())
    return _from_profile(profile, profiles.path, source, read_only, insecure_file_store)


def _unknown(
    name: str, source: Source, profiles: ProfileFile, builtins: list[BuiltinProfile]
) -> WorkspaceError:
    error = unknown_profile(name, [*profiles.profiles, *(b.name for b in builtins)])
    if source == "profile":
        error = WorkspaceError(
            f"the active profile {quoted(name)} no longer exists; choose one with "
            f"seam-tui workspace use NAME ({error.message})"
        )
    return error


def checked_endpoint(profile: Profile, path: Path) -> str:
    """The profile's endpoint, through the same checks as one given to `workspace add` (a file
    edited by hand skips them): https, http on loopback only, or a sandbox."""
    try:
        return normalize_endpoint(profile.endpoint)
    except WorkspaceError as exc:
        raise WorkspaceError(
            f"profile {quoted(profile.name)} in {path}: {exc.message}. Fix its endpoint in that "
            f"file, or remove the profile (seam-tui workspace remove {profile.name}) and add it "
            "again"
        ) from None


def _from_profile(
    profile: Profile, path: Path, source: Source, read_only: bool, insecure_file_store: bool
) -> ResolvedWorkspace:
    endpoint = checked_endpoint(profile, path)  # before the secret is even read
    store = profile_secret_store(profile.secret_store, insecure_file_store=insecure_file_store)
    secret = store.get(profile.name)
    if not secret:
        raise missing_secret(profile.name, store.where)
    try:
        if profile.auth_kind == "api_key":
            credentials = Credentials(api_key=secret)
        else:
            credentials = Credentials(
                personal_access_token=secret, workspace_id=profile.workspace_id
            )
    except SeamConfigurationError as exc:
        raise WorkspaceError(
            f"profile {quoted(profile.name)}: the stored secret is not usable ({exc.message}); "
            f"store it again with: seam-tui workspace add {profile.name} --replace"
        ) from None
    return ResolvedWorkspace(
        name=profile.name,
        label=profile.label or profile.name,
        source=source,
        endpoint=endpoint,
        auth_kind=profile.auth_kind,
        workspace_id=profile.workspace_id,
        read_only=profile.read_only or read_only,
        is_builtin_sandbox=False,
        warnings=tuple(store.warnings),
        _credentials=SealedCredentials(credentials),
    )


def _builtin(builtin: BuiltinProfile, source: Source, read_only: bool) -> ResolvedWorkspace:
    return ResolvedWorkspace(
        name=builtin.name,
        label=builtin.label,
        source=source,
        endpoint=LOCAL_SANDBOX,
        auth_kind="api_key",
        workspace_id=builtin.workspace_id,
        read_only=read_only,
        is_builtin_sandbox=True,
        _credentials=SealedCredentials(Credentials(api_key=builtin.api_key)),
    )


def _from_env(env: Mapping[str, str], read_only: bool) -> ResolvedWorkspace:
    if env.get("SEAM_PERSONAL_ACCESS_TOKEN") and not env.get("SEAM_WORKSPACE_ID"):
        raise WorkspaceError(
            "SEAM_PERSONAL_ACCESS_TOKEN is set without SEAM_WORKSPACE_ID: set it to the id of "
            "the workspace to act in"
        )
    try:
        credentials, endpoint = credentials_from_env(env)
    except SeamConfigurationError as exc:
        where = _ENV_VAR_OF.get(exc.field or "", "the SEAM_* environment variables")
        raise WorkspaceError(f"{where}: {exc.message}", field=exc.field) from None
    if credentials.kind == "api_key":
        label = "SEAM_API_KEY from the environment"
    else:
        label = f"SEAM_PERSONAL_ACCESS_TOKEN for {credentials.workspace_id} from the environment"
    return ResolvedWorkspace(
        name=ENV_PROFILE,
        label=label,
        source="env",
        endpoint=_env_endpoint(env, endpoint),
        auth_kind="api_key" if credentials.kind == "api_key" else "personal_access_token",
        workspace_id=credentials.workspace_id,
        read_only=read_only,
        is_builtin_sandbox=False,
        _credentials=SealedCredentials(credentials),
    )


def _env_endpoint(env: Mapping[str, str], endpoint: str) -> str:
    """The endpoint from the environment, checked; a refusal names the variable and the fix."""
    try:
        return normalize_endpoint(endpoint)
    except WorkspaceError as exc:
        var = "SEAM_ENDPOINT" if env.get("SEAM_ENDPOINT") else "SEAM_API_URL"
        raise WorkspaceError(
            f"{var} in the environment: {exc.message}. Fix {var}, or unset it to use "
            f"{DEFAULT_ENDPOINT}",
            field=var,
        ) from None
