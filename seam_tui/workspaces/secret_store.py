"""Where a profile's key or token lives: the OS keyring, or an opt-in unencrypted file.

The keyring is whatever `keyring` selects (its keyringrc.cfg, `PYTHON_KEYRING_BACKEND`, then
the platform's best). When it has no usable backend we raise one clear error instead of falling
back; the file store is used only when asked for with `--insecure-file-store`, and every use
logs a warning.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import tomllib
from pathlib import Path
from typing import Protocol

import tomli_w
from keyring.backend import KeyringBackend
from keyring.errors import InitError, KeyringError, NoKeyringError, PasswordDeleteError

from seam_tui.paths import config_dir
from seam_tui.workspaces.errors import WorkspaceError, no_keyring_backend
from seam_tui.workspaces.profiles import SecretStoreKind

SERVICE = "seam-tui"
INSECURE_FILE = "insecure-secrets.toml"

log = logging.getLogger("seam_tui.workspaces")


class SecretStore(Protocol):
    """Holds one secret per profile name."""

    kind: SecretStoreKind
    warnings: list[str]

    @property
    def where(self) -> str:
        """Where the secrets are, for messages (never the secrets)."""
        ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, secret: str) -> None: ...

    def delete(self, name: str) -> bool: ...

    def has(self, name: str) -> bool: ...


def keyring_problem() -> str | None:
    """Why the keyring cannot hold secrets, or None when a real backend is selected."""
    try:
        _selected_backend()
    except WorkspaceError as exc:
        return exc.message
    return None


def _selected_backend() -> KeyringBackend:
    import keyring
    from keyring.backends import fail, null

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a bad PYTHON_KEYRING_BACKEND or keyringrc.cfg fails here
        raise no_keyring_backend(f"the configured backend could not be loaded: {exc}") from None
    if isinstance(backend, fail.Keyring):
        raise no_keyring_backend("keyring found none on this system")
    if isinstance(backend, null.Keyring):
        raise no_keyring_backend("keyring is configured with the null backend")
    if getattr(backend, "backends", None) == []:
        raise no_keyring_backend("keyring's chain of backends is empty")
    return backend


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class KeyringStore:
    """Secrets in the OS keyring: service `seam-tui`, user = profile name."""

    kind: SecretStoreKind = "keyring"

    def __init__(self) -> None:
        self._backend = _selected_backend()
        self.warnings: list[str] = []

    @property
    def where(self) -> str:
        return f"the keyring ({_backend_name(self._backend)})"

    def _failed(self, exc: KeyringError) -> WorkspaceError:
        if isinstance(exc, NoKeyringError | InitError):
            return no_keyring_backend(f"{_backend_name(self._backend)}: {type(exc).__name__}")
        return WorkspaceError(
            f"the keyring ({_backend_name(self._backend)}) refused the request "
            f"({type(exc).__name__}: {exc}); unlock it or check its setup"
        )

    def get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise self._failed(exc) from None

    def set(self, name: str, secret: str) -> None:
        try:
            self._backend.set_password(SERVICE, name, secret)
        except KeyringError as exc:
            raise self._failed(exc) from None

    def delete(self, name: str) -> bool:
        try:
            self._backend.delete_password(SERVICE, name)
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise self._failed(exc) from None
        return True

    def has(self, name: str) -> bool:
        return self.get(name) is not None


def insecure_file_path() -> Path:
    """The opt-in plaintext store, apart from the profiles file."""
    return config_dir() / INSECURE_FILE


class FileStore:
    """Secrets in an unencrypted TOML file (mode 0600), used only when explicitly asked for."""

    kind: SecretStoreKind = "file"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or insecure_file_path()
        self.warnings: list[str] = []

    @property
    def where(self) -> str:
        return f"the insecure file store ({self.path})"

    def _warn(self, name: str) -> None:
        message = (
            f"profile {name!r}: using the UNENCRYPTED secret file {self.path} "
            "(--insecure-file-store); anyone who can read it can use the key"
        )
        self.warnings.append(message)
        log.warning("%s", message)

    def _read(self) -> dict[str, str]:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return {}
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise WorkspaceError(
                f"{self.path} is readable by other users (mode {stat.S_IMODE(mode):o}); "
                f"run: chmod 600 {self.path}"
            )
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise WorkspaceError(f"cannot read {self.path} ({type(exc).__name__})") from None
        secrets = data.get("secrets", {})
        if not isinstance(secrets, dict):
            return {}
        return {k: v for k, v in secrets.items() if isinstance(v, str)}

    def _write(self, secrets: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "# seam-tui: UNENCRYPTED secrets (--insecure-file-store). Keep this file 0600.\n"
        text += tomli_w.dumps({"secrets": dict(sorted(secrets.items()))})
        # mkstemp creates the file 0600, so the secret is never readable by others, even briefly.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".secrets-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> str | None:
        self._warn(name)
        return self._read().get(name)

    def set(self, name: str, secret: str) -> None:
        self._warn(name)
        secrets = self._read()
        secrets[name] = secret
        self._write(secrets)

    def delete(self, name: str) -> bool:
        self._warn(name)
        secrets = self._read()
        if secrets.pop(name, None) is None:
            return False
        self._write(secrets)
        return True

    def has(self, name: str) -> bool:
        """Whether a secret is stored (reads names only; not a use, so no warning)."""
        return name in self._read()


def new_secret_store(*, insecure_file_store: bool) -> SecretStore:
    """Where a new secret goes: the file store if opted in, else the keyring (or a clear error)."""
    if insecure_file_store:
        return FileStore()
    return KeyringStore()


def profile_secret_store(
    name: str, kind: SecretStoreKind, *, insecure_file_store: bool
) -> SecretStore:
    """The store holding an existing profile's secret; the file store needs the explicit flag."""
    if kind == "keyring":
        return KeyringStore()
    if not insecure_file_store:
        raise WorkspaceError(
            f"profile {name!r} keeps its secret in the insecure file store "
            f"({insecure_file_path()}); pass --insecure-file-store to use it"
        )
    return FileStore()
