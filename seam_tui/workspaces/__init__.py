"""Workspace profiles: non-secret fields in a TOML file, secrets in the OS keyring.

Front ends resolve the workspace to work in with `resolve_workspace()` (flag, then env vars,
then the active profile, then the built-in sandbox) and manage profiles with the functions
below; they never touch the keyring or the TOML file themselves.
"""

from seam_tui.workspaces.endpoints import LOCAL_SANDBOX, normalize_endpoint
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.manage import (
    AddedProfile,
    RemovedProfile,
    add_profile,
    list_token_workspaces,
    remove_profile,
    rename_profile,
    set_active_profile,
    token_profile_name,
    verify_credentials,
)
from seam_tui.workspaces.profiles import AuthKind, Profile, profiles_path
from seam_tui.workspaces.resolve import (
    ResolvedWorkspace,
    Source,
    env_has_credentials,
    resolve_workspace,
)
from seam_tui.workspaces.sandbox_profiles import close_local_sandboxes
from seam_tui.workspaces.secret_store import SERVICE, insecure_file_path, keyring_problem
from seam_tui.workspaces.session import WorkspaceSession
from seam_tui.workspaces.status import ProfileStatus, list_profiles

__all__ = [
    "LOCAL_SANDBOX",
    "SERVICE",
    "AddedProfile",
    "AuthKind",
    "Profile",
    "ProfileStatus",
    "RemovedProfile",
    "ResolvedWorkspace",
    "Source",
    "WorkspaceError",
    "WorkspaceSession",
    "add_profile",
    "close_local_sandboxes",
    "env_has_credentials",
    "insecure_file_path",
    "keyring_problem",
    "list_profiles",
    "list_token_workspaces",
    "normalize_endpoint",
    "profiles_path",
    "remove_profile",
    "rename_profile",
    "resolve_workspace",
    "set_active_profile",
    "token_profile_name",
    "verify_credentials",
]
