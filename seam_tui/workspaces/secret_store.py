"""Where a profile's key or token lives: the OS keyring, or an opt-in unencrypted file.

The keyring is whatever `keyring` selects (its keyringrc.cfg, `PYTHON_KEYRING_BACKEND`, then
the platform's best). When it has no usable backend we raise one clear error instead of falling
back; the file store is used only for a profile added with `--insecure-file-store` (the profile
remembers it), and every use logs a warning.
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

from seam_tui.paths import PRIVATE_FILE, config_dir, private_dir, tighten
from seam_tui.visible import quoted
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


_PLAINTEXT_SCHEMES = ("no encyption", "no encryption", "plaintext", "plain text")


def _stores_plaintext(backend: KeyringBackend) -> bool:
    """Whether `backend` writes secrets unencrypted: keyrings.alt's PlaintextKeyring (or any
    class named so), a backend whose `scheme` says so, or any keyrings.alt file backend that
    is not one of its encrypted ones."""
    classes = type(backend).__mro__
    if any("plaintext" in cls.__name__.casefold() for cls in classes):
        return True
    try:
        scheme = getattr(backend, "scheme", None)
    except Exception:  # keyrings.alt's base class raises for a scheme it does not define
        scheme = None
    if isinstance(scheme, str) and any(s in scheme.casefold() for s in _PLAINTEXT_SCHEMES):
        return True
    alt_file = any(cls.__module__.startswith("keyrings.alt.file") for cls in classes)
    return alt_file and not any("encrypt" in cls.__name__.casefold() for cls in classes)


def plaintext_backend(backend: KeyringBackend) -> str | None:
    """The backend (and its file) when secrets given to `backend` are stored unencrypted, else
    None. A chain of backends stores in its first one."""
    members = getattr(backend, "backends", None)
    if isinstance(members, list | tuple):
        return plaintext_backend(members[0]) if members else None
    if not _stores_plaintext(backend):
        return None
    try:
        path = getattr(backend, "file_path", None)
    except Exception:
        path = None
    name = _backend_name(backend)
    return f"{name} ({path})" if isinstance(path, str | os.PathLike) else name


def keyring_plaintext() -> str | None:
    """The selected keyring backend when it stores secrets unencrypted (see
    `plaintext_backend`); None when it encrypts them or there is none."""
    try:
        return plaintext_backend(_selected_backend())
    except WorkspaceError:
        return None


def plaintext_warning(name: str, where: str) -> str:
    """The warning each use of a plaintext keyring backend gives, as the file store does."""
    return (
        f"profile {quoted(name)}: the keyring backend {where} keeps the key UNENCRYPTED "
        "(--insecure-file-store); anyone who can read its file can use the key"
    )


class KeyringStore:
    """Secrets in the OS keyring: service `seam-tui`, user = profile name.

    A backend that stores them unencrypted (keyrings.alt's PlaintextKeyring) is treated as the
    file store is: refused unless opted in with --insecure-file-store (`allow_plaintext`), and
    a warning on each use. Managing a secret already there (delete, move) needs no opt-in.
    """

    kind: SecretStoreKind = "keyring"

    def __init__(self, *, allow_plaintext: bool = False) -> None:
        self._backend = _selected_backend()
        self.plaintext = plaintext_backend(self._backend)
        if self.plaintext and not allow_plaintext:
            raise no_keyring_backend(
                f"the selected backend {self.plaintext} stores them UNENCRYPTED; seam-tui uses "
                "it only with --insecure-file-store"
            )
        self.warnings: list[str] = []

    @property
    def where(self) -> str:
        plain = ", UNENCRYPTED" if self.plaintext else ""
        return f"the keyring ({_backend_name(self._backend)}{plain})"

    def _warn(self, name: str) -> None:
        if self.plaintext:
            message = plaintext_warning(name, self.plaintext)
            self.warnings.append(message)
            log.warning("%s", message)

    def _failed(self, exc: KeyringError) -> WorkspaceError:
        if isinstance(exc, NoKeyringError | InitError):
            return no_keyring_backend(f"{_backend_name(self._backend)}: {type(exc).__name__}")
        return WorkspaceError(
            f"the keyring ({_backend_name(self._backend)}) refused the request "
            f"({type(exc).__name__}: {exc}); unlock it or check its setup"
        )

    def _get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise self._failed(exc) from None

    def get(self, name: str) -> str | None:
        self._warn(name)
        return self._get(name)

    def set(self, name: str, secret: str) -> None:
        self._warn(name)
        try:
            self._backend.set_password(SERVICE, name, secret)
        except KeyringError as exc:
            raise self._failed(exc) from None

    def delete(self, name: str) -> bool:
        self._warn(name)
        try:
            self._backend.delete_password(SERVICE, name)
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise self._failed(exc) from None
        return True

    def has(self, name: str) -> bool:
        """Whether a secret is stored (not a use, so no warning)."""
        return self._get(name) is not None


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
            f"profile {quoted(name)}: using the UNENCRYPTED secret file {self.path} "
            "(--insecure-file-store); anyone who can read it can use the key"
        )
        self.warnings.append(message)
        log.warning("%s", message)

    def _unusable(self, problem: str) -> WorkspaceError:
        return WorkspaceError(
            f"the insecure secret file {self.path} {problem}; fix it, or move it aside and "
            "store each key again with: seam-tui workspace add NAME --replace "
            "--insecure-file-store"
        )

    def _tighten(self, mode: int) -> None:
        """A file others could read is made 0600, and the user told that the key may be out."""
        if not tighten(self.path, PRIVATE_FILE):
            raise WorkspaceError(
                f"{self.path} is readable by other users (mode {stat.S_IMODE(mode):o}) and "
                f"could not be made private; run: chmod 600 {self.path}"
            )
        message = (
            f"{self.path} was readable by other users (mode {stat.S_IMODE(mode):o}); it is "
            "0600 now, but anyone who read it before may have the keys in it: rotate them"
        )
        self.warnings.append(message)
        log.warning("%s", message)

    def _read(self) -> dict[str, str]:
        try:
            st = self.path.stat()
            if not stat.S_ISREG(st.st_mode):
                raise self._unusable("is not a file")
            if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                self._tighten(st.st_mode)
            data = tomllib.loads(self.path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise self._unusable(f"cannot be read ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise self._unusable("is not valid UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            raise self._unusable(f"is not valid TOML ({exc})") from None
        secrets = data.get("secrets", {})
        if not isinstance(secrets, dict):
            return {}
        return {k: v for k, v in secrets.items() if isinstance(v, str)}

    def _write(self, secrets: dict[str, str]) -> None:
        text = "# seam-tui: UNENCRYPTED secrets (--insecure-file-store). Keep this file 0600.\n"
        text += tomli_w.dumps({"secrets": dict(sorted(secrets.items()))})
        # mkstemp creates the file 0600, so the secret is never readable by others, even briefly.
        try:
            private_dir(self.path.parent)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".secrets-", suffix=".tmp")
        except OSError as exc:
            raise self._unwritten(exc) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise self._unwritten(exc) from None
            raise

    def _unwritten(self, exc: OSError) -> WorkspaceError:
        return WorkspaceError(
            f"the insecure secret file {self.path} could not be written "
            f"({exc.strerror or exc}); nothing was saved. Free some space or make its "
            "directory writable, then try again"
        )

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


def profile_secret_store(kind: SecretStoreKind, *, insecure_file_store: bool) -> SecretStore:
    """The store holding an existing profile's secret. A profile saved to the file store (opted
    in with --insecure-file-store when it was added) remembers that choice, so every front end
    opens it with no flag, with the file store's warning on each use; a plaintext keyring
    backend still needs the flag each time."""
    if kind == "file":
        return FileStore()
    return KeyringStore(allow_plaintext=insecure_file_store)
