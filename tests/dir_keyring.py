"""A keyring backend over one JSON file named by $SEAM_TUI_TEST_KEYRING_FILE, for tests that run
the commands as child processes (the README's): it stands for the OS keyring a user has, and
keeps each test's secrets in its own temp dir, never the developer's keyring."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VAR = "SEAM_TUI_TEST_KEYRING_FILE"


class DirKeyring(KeyringBackend):
    """Installed only through PYTHON_KEYRING_BACKEND (never picked on its own)."""

    priority = -2

    @property
    def _path(self) -> Path:
        return Path(os.environ[FILE_VAR])

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._path.read_text())
        except FileNotFoundError:
            return {}
        return data

    def _save(self, data: dict[str, str]) -> None:
        self._path.write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._save({**self._load(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}")
        self._save(data)
