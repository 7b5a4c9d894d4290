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
import stat
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast, get_args

import tomli_w

from seam_tui.paths import (
    PRIVATE_FILE,
    config_dir,
    private_dir,
    tighten,
    tighten_existing_dirs,
)
from seam_tui.visible import quoted
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
        """One `[profiles.NAME]` table; a wrong value is a WorkspaceError naming the file, the
        profile and the field. The endpoint is checked when the profile is used."""

        def wrong(problem: str) -> WorkspaceError:
            return corrupt_file(path, f"has profile {quoted(name)} whose {problem}")

        if not isinstance(data, dict):
            raise corrupt_file(path, f"has profile {quoted(name)} that is not a table")
        auth = data.get("auth", "api_key")
        if not isinstance(auth, str) or auth not in get_args(AuthKind):
            raise wrong("auth is not 'api_key' or 'personal_access_token'")
        store = data.get("secret_store", "keyring")
        if not isinstance(store, str) or store not in get_args(SecretStoreKind):
            raise wrong("secret_store is not 'keyring' or 'file'")
        endpoint = data.get("endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise wrong("endpoint is missing or not a string")
        workspace_id = _optional_str(data, "workspace_id", wrong)
        if auth == "personal_access_token" and not workspace_id:
            raise wrong("workspace_id is missing (a personal access token profile needs one)")
        read_only = data.get("read_only", False)
        if not isinstance(read_only, bool):
            raise wrong("read_only is not true or false")
        return cls(
            name=name,
            endpoint=endpoint,
            auth_kind=cast(AuthKind, auth),
            workspace_id=workspace_id,
            label=_optional_str(data, "label", wrong),
            read_only=read_only,
            secret_store=cast(SecretStoreKind, store),
        )

    def renamed(self, name: str) -> Profile:
        return replace(self, name=name)


def _optional_str(
    data: dict[str, Any], key: str, wrong: Callable[[str], WorkspaceError]
) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise wrong(f"{key} is not a string")
    return value


def is_builtin_name(name: str) -> bool:
    """Names reserved for the built-in sandbox profiles: `sandbox` and `sandbox-*`."""
    return name == BUILTIN_PREFIX or name.startswith(BUILTIN_PREFIX + "-")


def check_new_name(name: str) -> None:
    """Refuse a name a user profile may not take."""
    if not _NAME.match(name):
        raise WorkspaceError(
            f"invalid profile name {quoted(name)}: use 1-63 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if is_builtin_name(name) or name == ENV_PROFILE:
        raise WorkspaceError(
            f"the name {quoted(name)} is reserved (built-in sandbox profiles are 'sandbox' and "
            "'sandbox-*'; 'env' means the environment variables); choose another"
        )


def profiles_path() -> Path:
    """`workspaces.toml` in the user config dir."""
    return config_dir() / PROFILES_FILE


# Far larger than any real profile file: a bigger one is refused before it is read.
MAX_FILE_BYTES = 1 << 20
_FRESH = "fix it, or move it aside to start with no saved profiles"


def corrupt_file(path: Path, problem: str, fix: str = _FRESH) -> WorkspaceError:
    """The one-line error for a profile file that cannot be used: the file, what, the fix."""
    return WorkspaceError(f"profile file {path} {problem}; {fix}")


def _read(path: Path) -> bytes | None:
    """The file's bytes (None when there is none), or a WorkspaceError saying what is wrong."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a special file"
            raise corrupt_file(path, f"is {kind}, not a file")
        if st.st_size > MAX_FILE_BYTES:
            raise corrupt_file(path, f"is too large to be a profile file ({st.st_size} bytes)")
        tighten(path, PRIVATE_FILE)
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise corrupt_file(
            path,
            f"cannot be read ({exc.strerror})",
            f"make it readable (chmod 600 {path}), or move it aside to start with no saved "
            "profiles",
        ) from None
    except OSError as exc:
        raise corrupt_file(path, f"cannot be read ({exc.strerror or exc})") from None


def _decode(path: Path, data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise corrupt_file(path, f"is not valid UTF-8 (line {line}: byte {bad})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise corrupt_file(path, f"is not valid TOML ({exc})") from None


@dataclass
class ProfileFile:
    """The profiles file loaded into memory; `save()` writes it back atomically (0600)."""

    path: Path
    profiles: dict[str, Profile] = field(default_factory=dict)
    active: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> ProfileFile:
        """The saved profiles; an unreadable or corrupt file is a WorkspaceError naming it and
        the fix (never a traceback). The default dirs and the file are tightened to 0700/0600."""
        path = path or profiles_path()
        tighten_existing_dirs()
        data = _read(path)
        if data is None:
            return cls(path)
        content = _decode(path, data)
        tables = content.get("profiles", {})
        if not isinstance(tables, dict):
            raise corrupt_file(path, "has 'profiles' that is not a table of profiles")
        active = content.get("active")
        if active is not None and not isinstance(active, str):
            raise corrupt_file(path, "has 'active' that is not a profile name")
        profiles = {name: Profile.from_toml(name, t, path) for name, t in tables.items()}
        return cls(path, profiles, active or None)

    def get(self, name: str) -> Profile | None:
        return self.profiles.get(name)

    def save(self) -> None:
        """Write the file whole (a new 0600 file renamed over the old one) or raise a
        WorkspaceError naming it: nothing is half-written."""
        data: dict[str, Any] = {}
        if self.active:
            data["active"] = self.active
        data["profiles"] = {name: p.to_toml() for name, p in sorted(self.profiles.items())}
        text = _HEADER + tomli_w.dumps(data)
        try:
            private_dir(self.path.parent)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".workspaces-", suffix=".tmp")
        except OSError as exc:
            raise _unsaved(self.path, exc) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _unsaved(self.path, exc) from None
            raise


def _unsaved(path: Path, exc: OSError) -> WorkspaceError:
    return WorkspaceError(
        f"the profile file {path} could not be written ({exc.strerror or exc}); nothing was "
        "saved. Free some space or make its directory writable (or set SEAM_TUI_CONFIG_DIR), "
        "then try again"
    )


def slugify(text: str) -> str:
    """`Globex Corp.` -> `globex-corp`, for profile names made from workspace names."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
