"""Workspace fixtures: a keyring per test (in memory, or none at all) and the local sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.workspaces import close_local_sandboxes
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.workspaces.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[fail.Keyring]:
    """By default no backend at all, so no test can ever touch the developer's real keyring."""
    previous = keyring.core._keyring_backend
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous
    close_local_sandboxes()


@pytest.fixture
def memory_keyring(no_keyring: fail.Keyring) -> Iterator[MemoryKeyring]:
    MemoryKeyring.passwords = {}
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    MemoryKeyring.passwords = {}


@pytest.fixture
def local() -> Sandbox:
    """The sandbox `sandbox://local` and the built-in profiles use (in this test's data dir)."""
    return local_sandbox()


@pytest.fixture
def acme(local: Sandbox) -> SandboxWorkspace:
    return local.workspaces()[0]


@pytest.fixture
def globex(local: Sandbox) -> SandboxWorkspace:
    return local.workspaces()[1]
