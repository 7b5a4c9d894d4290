"""Profiles and the TOML file that holds their non-secret fields (never a key or token).

active = "acme-prod"

[profiles.acme-prod]
endpoint = "https://connect.getseam.com"
auth = "api_key"                # or "personal_access_token" (then workspace_id is sent)
workspace_id = "..."            # the workspace the key or token acts in
label = "Acme production"
read_only = true
secret_store = "keyring"        # or "file" (opted in with --insecure-file-store)
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w

from seam_tui.paths import config_dir
from seam_tui.workspaces.errors import WorkspaceError

AuthKind = Literal["api_key", "personal_access_token"]
SecretStoreKind = Literal["keyring", "file"]

PROFILES_FILE = "workspaces.toml"
BUILTIN_PREFIX = "sandbox"
ENV_PROFILE = "env"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
_HEADER = (
    "# seam-tui workspace profiles (written by `seam-tui workspace`).\n"
    "# No key or token is ever stored here: secrets live in the OS keyring\n"
    "# (or, only if opted in with --insecure-file-store, in insecure-secrets.toml).\n\n"
)


@dataclass(frozen=True)
class Profile:
    """One saved workspace: where it is and how it authenticates, without the secret."""

    name: str
    endpoint: str
    auth_kind: AuthKind
    workspace_id: str | None = None
    label: str | None = None
    read_only: bool = False
    secret_store: SecretStoreKind = "keyring"

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"endpoint": self.endpoint, "auth": self.auth_kind}
        if self.workspace_id:
            data["workspace_id"] = self.workspace_id
        if self.label:
            data["label"] = self.label
        data["read_only"] = self.read_only
        data["secret_store"] = self.secret_store
        return data

    @classmethod
    def from_toml(cls, name: str, data: Any, path: Path) -> Profile:
        where = f"{path}: [profiles.{name}]"
        if not isinstance(data, dict):
            raise WorkspaceError(f"{where} is not a table; fix or delete it")
        auth = data.get("auth", "api_key")
        if auth not in get_args(AuthKind):
            raise WorkspaceError(f"{where}: auth must be 'api_key' or 'personal_access_token'")
        store = data.get("secret_store", "keyring")
        if store not in get_args(SecretStoreKind):
            raise WorkspaceError(f"{where}: secret_store must be 'keyring' or 'file'")
        endpoint = data.get("endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise WorkspaceError(f"{where}: endpoint is missing")
        workspace_id = _optional_str(data, "workspace_id", where)
        if auth == "personal_access_token" and not workspace_id:
            raise WorkspaceError(f"{where}: a personal access token profile needs workspace_id")
        read_only = data.get("read_only", False)
        if not isinstance(read_only, bool):
            raise WorkspaceError(f"{where}: read_only must be true or false")
        return cls(
            name=name,
            endpoint=endpoint,
            auth_kind=auth,
            workspace_id=workspace_id,
            label=_optional_str(data, "label", where),
            read_only=read_only,
            secret_store=store,
        )

    def renamed(self, name: str) -> Profile:
        return replace(self, name=name)


def _optional_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise WorkspaceError(f"{where}: {key} must be a string")
    return value


def is_builtin_name(name: str) -> bool:
    """Names reserved for the built-in sandbox profiles: `sandbox` and `sandbox-*`."""
    return name == BUILTIN_PREFIX or name.startswith(BUILTIN_PREFIX + "-")


def check_new_name(name: str) -> None:
    """Refuse a name a user profile may not take."""
    if not _NAME.match(name):
        raise WorkspaceError(
            f"invalid profile name {name!r}: use 1-63 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if is_builtin_name(name) or name == ENV_PROFILE:
        raise WorkspaceError(
            f"the name {name!r} is reserved (built-in sandbox profiles are 'sandbox' and "
            "'sandbox-*'; 'env' means the environment variables); choose another"
        )


def profiles_path() -> Path:
    """`workspaces.toml` in the user config dir."""
    return config_dir() / PROFILES_FILE


@dataclass
class ProfileFile:
    """The profiles file loaded into memory; `save()` writes it back atomically."""

    path: Path
    profiles: dict[str, Profile] = field(default_factory=dict)
    active: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> ProfileFile:
        path = path or profiles_path()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise WorkspaceError(f"cannot read {path}: {exc.strerror}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{path} is not valid TOML ({exc}); fix or delete it") from None
        tables = data.get("profiles", {})
        if not isinstance(tables, dict):
            raise WorkspaceError(f"{path}: 'profiles' must be a table; fix or delete it")
        active = data.get("active")
        if active is not None and not isinstance(active, str):
            raise WorkspaceError(f"{path}: 'active' must be a profile name")
        profiles = {name: Profile.from_toml(name, t, path) for name, t in tables.items()}
        return cls(path, profiles, active or None)

    def get(self, name: str) -> Profile | None:
        return self.profiles.get(name)

    def save(self) -> None:
        data: dict[str, Any] = {}
        if self.active:
            data["active"] = self.active
        data["profiles"] = {name: p.to_toml() for name, p in sorted(self.profiles.items())}
        text = _HEADER + tomli_w.dumps(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".workspaces-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def slugify(text: str) -> str:
    """`Globex Corp.` -> `globex-corp`, for profile names made from workspace names."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
