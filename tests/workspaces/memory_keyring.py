"""An in-memory keyring backend, installed through keyring's own API in tests."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Holds passwords in a dict; `PYTHON_KEYRING_BACKEND` can name it too."""

    # Below fail.Keyring (0), so keyring never picks it on its own: only set_keyring() or
    # PYTHON_KEYRING_BACKEND install it.
    priority = -2
    # Shared by every instance so that a backend keyring loads from the env var sees the same data.
    passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}")
