"""What `seam-mcp --transport streamable-http` refuses before it listens, and which Host and
Origin headers it accepts on each bind address; no message ever holds a token."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request

from agent_tools.cli import main
from agent_tools.http_config import HttpConfigError, http_settings, parse_tokens

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq8rT2vX9mKp4LwB7nYcE1"


def _seam_mcp(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent_tools.cli", *args],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SEAM_TUI_DATA_DIR": str(tmp_path / "data"),
            "SEAM_TUI_CONFIG_DIR": str(tmp_path / "config"),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "mcp.example.com"])
def test_refuses_beyond_loopback_without_a_token(tmp_path: Path, host: str) -> None:
    done = _seam_mcp(tmp_path, "--transport", "streamable-http", "--host", host)
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()  # one line, no traceback
    assert line.startswith(f"seam-mcp: error: refusing to listen on {host} without a token")
    assert "set SEAM_MCP_TOKEN or pass --token-file PATH" in line


def test_the_wildcard_address_needs_allowed_hosts(tmp_path: Path) -> None:
    done = _seam_mcp(
        tmp_path, "--transport", "streamable-http", "--host", "0.0.0.0",
        env={"SEAM_MCP_TOKEN": TOKEN},
    )  # fmt: skip
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "pass --allowed-hosts with the names clients use" in line
    assert TOKEN not in done.stderr


@pytest.mark.parametrize("argv", [["--token", TOKEN], [f"--token={TOKEN}"], ["--token"]])
def test_no_token_on_the_command_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Refused without echoing it, and not taken as --token-file (whose error quotes a path)."""
    assert main(["--transport", "streamable-http", *argv]) == 2
    error = capsys.readouterr().err
    assert "--token is not accepted: the command line is visible to every user" in error
    assert "set SEAM_MCP_TOKEN or pass --token-file PATH" in error
    assert TOKEN not in error


def test_http_options_with_stdio_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--allowed-hosts", "mcp.example.com"]) == 2
    assert (
        "--allowed-hosts applies only with --transport streamable-http" in capsys.readouterr().err
    )


def _from_file(path: Path) -> dict[str, str]:
    done = http_settings(
        host="127.0.0.1", port=8000, allowed_hosts=None, allowed_origins=None,
        token_file=path, env={},
    )  # fmt: skip
    return dict(done.tokens)


def test_token_file_rules(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "token"
    path.write_text(f"  {TOKEN}  \n")
    path.chmod(0o600)
    assert _from_file(path) == {"default": TOKEN}  # whitespace stripped
    assert not caplog.records
    path.write_text("\n# nothing yet\n")
    with pytest.raises(HttpConfigError, match="holds no token"):
        _from_file(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(HttpConfigError, match="is not UTF-8 text"):
        _from_file(path)
    path.unlink()
    with pytest.raises(HttpConfigError, match="cannot be read: No such file or directory"):
        _from_file(path)
    path.write_text(TOKEN)
    path.chmod(0o600)
    with pytest.raises(HttpConfigError, match="both SEAM_MCP_TOKEN and --token-file"):
        http_settings(
            host="127.0.0.1", port=8000, allowed_hosts=None, allowed_origins=None,
            token_file=path, env={"SEAM_MCP_TOKEN": TOKEN},
        )  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        (0o644, "can be read by other users (mode 0644)"),
        (0o640, "can be read by other users (mode 0640)"),
        (0o604, "can be read by other users (mode 0604)"),
        (0o620, "is open to other users (mode 0620)"),
        (0o601, "is open to other users (mode 0601)"),
    ],
)
def test_a_token_file_others_may_use_is_refused(tmp_path: Path, mode: int, says: str) -> None:
    """As OpenSSH refuses such a private key: not a warning, whatever the tokens in it."""
    path = tmp_path / "my tokens"
    path.write_text(f"ops:{TOKEN}\n")
    path.chmod(mode)
    with pytest.raises(HttpConfigError) as refused:
        _from_file(path)
    message = str(refused.value)
    assert message == (
        f"--token-file {str(path)!r} {says}; refusing to use its tokens; run: chmod 600 '{path}'"
    )
    assert TOKEN not in message


@pytest.mark.parametrize("mode", [0o600, 0o400, 0o700])
def test_a_token_file_only_its_owner_may_use_is_accepted(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "tokens"
    path.write_text(f"ops:{TOKEN}\n")
    path.chmod(mode)
    assert _from_file(path) == {"ops": TOKEN}


def test_a_token_pipe_is_accepted() -> None:
    """`--token-file <(pass show seam-mcp)`: the shell's pipe is this user's, mode 0600."""
    read_end, write_end = os.pipe()
    os.write(write_end, TOKEN.encode())
    os.close(write_end)
    try:
        assert _from_file(Path(f"/dev/fd/{read_end}")) == {"default": TOKEN}
    finally:
        os.close(read_end)


def _someone_elses_file(tmp_path: Path) -> Path:
    """A file this user may read but does not own: chowned to `nobody` as root, else one of
    root's (the check refuses on the owner before it reads a byte)."""
    if os.geteuid() != 0:
        return Path("/etc/passwd")
    path = tmp_path / "tokens"
    path.write_text(f"ops:{TOKEN}\n")
    path.chmod(0o600)
    os.chown(path, 65534, 65534)
    return path


def test_a_token_file_of_another_user_is_refused(tmp_path: Path) -> None:
    path = _someone_elses_file(tmp_path)
    owner = path.stat().st_uid
    with pytest.raises(HttpConfigError) as refused:
        _from_file(path)
    message = str(refused.value)
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert message == (
        f"--token-file {str(path)!r} belongs to another user (uid {owner}), who can change the "
        f"tokens; make it this user's: chown {me} {path} && chmod 600 {path}"
    )
    assert TOKEN not in message


def test_the_refusals_are_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text(f"ops:{TOKEN}\n")
    path.chmod(0o644)
    done = _seam_mcp(tmp_path, "--transport", "streamable-http", "--token-file", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        f"seam-mcp: error: --token-file {str(path)!r} can be read by other users (mode 0644); "
        f"refusing to use its tokens; run: chmod 600 {path}"
    ]
    (tmp_path / "other").mkdir()
    other = _someone_elses_file(tmp_path / "other")
    done = _seam_mcp(tmp_path, "--transport", "streamable-http", "--token-file", str(other))
    assert (done.returncode, done.stdout) == (2, "")
    [line] = done.stderr.splitlines()
    assert line.startswith(f"seam-mcp: error: --token-file {str(other)!r} belongs to another user")
    assert TOKEN not in done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("short", "at least 16 characters"),
        (f"{TOKEN} {TOKEN}", "no ':' or spaces"),
        (f"bad name:{TOKEN}", "the name before ':'"),
        (f"a:{TOKEN}\na:{TOKEN}x", "line 2: the name 'a' is used twice"),
        (f"a:{TOKEN}\nb:{TOKEN}", "line 2: this token is used twice"),
        (f"{TOKEN}\n{TOKEN}x", "line 2: the name 'default' is used twice"),
        (f"a:{TOKEN}\x00", "at least 16 characters"),
    ],
)
def test_bad_tokens_are_named_by_place_never_by_value(text: str, message: str) -> None:
    with pytest.raises(HttpConfigError, match=message) as refused:
        parse_tokens(text, "--token-file 't'")
    assert TOKEN not in str(refused.value)
    assert "short" not in str(refused.value)


def test_named_tokens() -> None:
    tokens = parse_tokens(f"# team\nops: {TOKEN}\n\nci:{TOKEN[::-1]}\n", "f")
    assert tokens == {"ops": TOKEN, "ci": TOKEN[::-1]}


def _hosts(host: str, allowed: list[str] | None = None) -> tuple[list[str], list[str]]:
    settings = http_settings(
        host=host, port=8000, allowed_hosts=allowed, allowed_origins=["https://chat.example.com/"],
        token_file=None, env={"SEAM_MCP_TOKEN": TOKEN},
    )  # fmt: skip
    return settings.allowed_hosts, settings.allowed_origins


def test_allowed_hosts_and_origins_per_bind_address() -> None:
    hosts, origins = _hosts("127.0.0.2")
    assert hosts == ["127.0.0.2:8000", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"]
    assert "http://127.0.0.2:8000" in origins
    assert "https://localhost:8000" in origins
    assert "https://chat.example.com" in origins
    assert "http://evil.example" not in origins
    hosts, _ = _hosts("::1")
    assert hosts[0] == "[::1]:8000"
    hosts, _ = _hosts("10.1.2.3")
    assert hosts == ["10.1.2.3:8000"]
    hosts, origins = _hosts("0.0.0.0", ["MCP.example.com,10.1.2.3:8000", "[fd00::1]"])
    assert hosts == [
        "localhost:8000",
        "127.0.0.1:8000",
        "[::1]:8000",
        "mcp.example.com",
        "mcp.example.com:*",
        "10.1.2.3:8000",
        "[fd00::1]",
        "[fd00::1]:*",
    ]
    assert "https://mcp.example.com" in origins
    assert "http://0.0.0.0:8000" not in origins


def _allows(hosts: list[str], origins: list[str], host: str, origin: str | None) -> bool:
    """The SDK's own check (Host, then Origin) on `settings`' lists."""
    check = TransportSecurityMiddleware(
        TransportSecuritySettings(allowed_hosts=hosts, allowed_origins=origins)
    )
    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    request = Request({"type": "http", "method": "GET", "path": "/mcp", "headers": headers})
    return anyio.run(check.validate_request, request) is None


@pytest.mark.parametrize(
    ("entry", "allowed", "refused"),
    [
        (
            "mcp.example.com:443",
            [
                ("mcp.example.com", None),
                ("mcp.example.com:443", None),
                ("mcp.example.com", "https://mcp.example.com"),
                ("mcp.example.com", "https://mcp.example.com:443"),
            ],
            [
                ("mcp.example.com:8000", None),
                ("mcp.example.com", "http://mcp.example.com"),
                ("mcp.example.com", "http://mcp.example.com:443"),
                ("mcp.example.com", "https://mcp.example.com:8443"),
                ("mcp.example.com.evil.example", None),
            ],
        ),
        (
            "MCP.example.com:0080",
            [
                ("mcp.example.com", "http://mcp.example.com"),
                ("mcp.example.com:80", "http://mcp.example.com:80"),
            ],
            [
                ("mcp.example.com:443", None),
                ("mcp.example.com", "https://mcp.example.com"),
            ],
        ),
        (
            "mcp.example.com",
            [
                ("mcp.example.com", "https://mcp.example.com"),
                ("mcp.example.com:8443", "http://mcp.example.com"),
                ("mcp.example.com:443", "https://mcp.example.com:8443"),
                ("mcp.example.com", "http://mcp.example.com:8000"),
            ],
            [
                ("evil.example", None),
                ("mcp.example.com", "https://evil.example"),
                ("mcp.example.com", "https://mcp.example.com.evil.example"),
            ],
        ),
        (
            "mcp.example.com:8443",
            [
                ("mcp.example.com:8443", "https://mcp.example.com:8443"),
                ("mcp.example.com:8443", "http://mcp.example.com:8443"),
            ],
            [
                ("mcp.example.com", None),
                ("mcp.example.com:8443", "https://mcp.example.com"),
            ],
        ),
        (
            "[fd00::1]:443",
            [("[fd00::1]", "https://[fd00::1]"), ("[fd00::1]:443", None)],
            [("[fd00::1]:8000", None), ("fd00::1", None)],
        ),
    ],
)
def test_allowed_hosts_as_clients_send_them(
    entry: str,
    allowed: list[tuple[str, str | None]],
    refused: list[tuple[str, str | None]],
) -> None:
    """HTTPS clients and proxies omit :443 (http ones :80): `NAME:443` accepts `Host: NAME` and
    `Origin: https://NAME`; a bare NAME accepts any port, with or without one."""
    hosts, origins = _hosts("0.0.0.0", [entry])
    assert [pair for pair in allowed if not _allows(hosts, origins, *pair)] == []
    assert [pair for pair in refused if _allows(hosts, origins, *pair)] == []


def test_the_bind_port_443_or_80_also_accepts_the_bare_name() -> None:
    settings = http_settings(
        host="127.0.0.1", port=80, allowed_hosts=None, allowed_origins=None,
        token_file=None, env={},
    )  # fmt: skip
    hosts, origins = settings.allowed_hosts, settings.allowed_origins
    assert _allows(hosts, origins, "127.0.0.1", "http://localhost")
    assert _allows(hosts, origins, "localhost:80", "http://127.0.0.1:80")
    assert not _allows(hosts, origins, "localhost", "https://localhost")
    assert not _allows(hosts, origins, "localhost:8000", None)


@pytest.mark.parametrize(
    "entry",
    ["https://mcp.example.com/", "mcp.example.com:http", "[::1", "mcp.example.com:0", "a:65536"],
)
def test_bad_allowed_hosts(entry: str) -> None:
    with pytest.raises(HttpConfigError, match="--allowed-hosts"):
        _hosts("0.0.0.0", [entry])


def test_bad_allowed_origin() -> None:
    with pytest.raises(HttpConfigError, match=r"--allowed-origins: 'chat\.example\.com'"):
        http_settings(
            host="127.0.0.1", port=8000, allowed_hosts=None, allowed_origins=["chat.example.com"],
            token_file=None, env={},
        )  # fmt: skip


def test_help_and_version_do_not_import_the_sdk() -> None:
    code = (
        "import sys\nfrom agent_tools.cli import main\n"
        "for argv in (['--help'], ['--version']):\n"
        "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('mcp', 'uvicorn', 'starlette')]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "--token-file PATH" in done.stdout
