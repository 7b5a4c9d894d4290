"""An endpoint written into workspaces.toml by hand goes through the checks `workspace add` makes:
https, or http on loopback only. The error names the profile, the file and the fix, and comes
before the secret is even read, so no key is ever sent over plain http to another host.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from seam_tui.core.auth import Credentials
from seam_tui.sandbox import SandboxWorkspace
from seam_tui.workspaces import SERVICE, WorkspaceError, profiles_path, resolve_workspace
from seam_tui.workspaces.endpoints import open_bound_client
from seam_tui.workspaces.profiles import Profile, ProfileFile
from tests.workspaces.helpers import add_workspace, run_cli
from tests.workspaces.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("memory_keyring")

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]
KEY = "seam_test_handedited_0123456789abcdef"

REFUSED = {
    "http://other.example": "refusing plain http to other.example",
    "HTTP://OTHER.EXAMPLE/": "refusing plain http to other.example",
    "http://localhost@evil.example": "refusing plain http to evil.example",
    "http://127.0.0.1.evil.example": "refusing plain http to 127.0.0.1.evil.example",
    "http://10.0.0.8:8080": "refusing plain http to 10.0.0.8",
    "ftp://files.example": 'invalid endpoint "ftp://files.example"',
    "https://": 'invalid endpoint "https://"',
    "sandbox://elsewhere": 'invalid sandbox endpoint "sandbox://elsewhere"',
}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def hand_edit(endpoint: str, *, active: bool = True) -> None:
    """A profile as a person might write it into the file, its key in the keyring."""
    saved = ProfileFile.load()
    saved.profiles["edited"] = Profile("edited", endpoint, "api_key")
    saved.active = "edited" if active else None
    saved.save()
    MemoryKeyring.passwords[(SERVICE, "edited")] = KEY


class Reads(MemoryKeyring):
    """The memory keyring, counting reads of a secret."""

    reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        Reads.reads += 1
        return super().get_password(service, username)


@pytest.mark.parametrize("endpoint", REFUSED)
def test_a_hand_edited_endpoint_is_refused_before_the_key_is_read(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_edit(endpoint)
    import keyring

    Reads.reads = 0
    keyring.set_keyring(Reads())
    for name in ("edited", None):  # by name, and as the active profile
        with pytest.raises(WorkspaceError) as caught:
            resolve_workspace(name)
        message = caught.value.message
        assert message.startswith(f'profile "edited" in {profiles_path()}: {REFUSED[endpoint]}')
        assert "Fix its endpoint in that file, or remove the profile" in message
        assert KEY not in message
    assert Reads.reads == 0


@pytest.mark.parametrize(
    "endpoint", ["http://localhost:8765", "http://127.0.0.1:9/", "http://[::1]:8080"]
)
def test_http_on_loopback_is_still_allowed(endpoint: str) -> None:
    hand_edit(endpoint)
    resolved = resolve_workspace("edited")
    assert resolved.endpoint == endpoint.rstrip("/")


def test_the_one_place_a_client_is_built_refuses_plain_http_too() -> None:
    with pytest.raises(WorkspaceError, match=r"refusing plain http to other\.example"):
        open_bound_client(Credentials(api_key=KEY), "http://other.example")


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A plain TCP server at an address the rule refuses for http (127.0.0.2: only localhost,
    127.0.0.1 and ::1 may have plain http), recording what arrives: where the key would go."""
    server = socket.create_server(("127.0.0.2", 0))
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                received.append(conn.recv(65536))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{server.getsockname()[1]}", received
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_the_tui_the_cli_and_seam_mcp_refuse_it_in_one_line(
    cli: Cli, listener: tuple[str, list[bytes]]
) -> None:
    from agent_tools.cli import main as seam_mcp

    url, received = listener
    hand_edit(url)
    for args in ([], ["workspace", "show", "--check"], ["mcp"]):
        run = run_cli(*cli, *args)
        assert run.code != 0
        [line] = run.err.splitlines()
        assert 'profile "edited" in' in line
        assert "refusing plain http to 127.0.0.2" in line
    _, capsys = cli
    assert seam_mcp(["--workspace", "edited"]) == 1
    assert "refusing plain http" in capsys.readouterr().err
    assert received == []  # nothing, the key least of all, went to the other host

    listed = run_cli(*cli, "workspace", "list")
    assert listed.code == 0
    assert 'profile "edited" cannot be used: refusing plain http' in listed.err


def test_a_good_profile_still_works_beside_a_bad_one(acme: SandboxWorkspace, cli: Cli) -> None:
    hand_edit("http://other.example", active=False)
    run = add_workspace(*cli, "acme", acme.api_key)
    assert run.code == 0, run.err
    assert resolve_workspace("acme").workspace_id == acme.workspace_id
    removed = run_cli(*cli, "workspace", "remove", "edited", "--yes")
    assert removed.code == 0, removed.err
