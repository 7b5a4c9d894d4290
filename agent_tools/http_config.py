"""What `seam-mcp --transport streamable-http` accepts: bearer tokens, Host and Origin headers.

Decided before the MCP SDK is imported, so a refusal is quick and names the way out:
- tokens come from `SEAM_MCP_TOKEN` or `--token-file PATH`, never argv (argv is visible to every
  user of the machine in `ps`). A line is `TOKEN` (the caller is then `token:default`) or
  `NAME:TOKEN` (`token:NAME`); blank lines and `#` comments are skipped in a file. As OpenSSH
  does for a private key, a file of another user's, or with any group/other permission, is
  refused.
- a bind address beyond loopback needs a token; `0.0.0.0`/`::` also need `--allowed-hosts`,
  as no Host header names the wildcard address.
- DNS-rebinding protection is on for every address: the allowed Host headers are the bind
  address (plus `localhost`, `127.0.0.1` and `[::1]` at the port, on loopback or the wildcard
  address) and `--allowed-hosts`; the allowed Origins are those hosts over http and https,
  plus `--allowed-origins`. Port 443 (80) also allows the bare name, as clients omit the
  default port, and only https (http) origins.

No message here ever holds a token: errors name the source (variable, file and line).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import shlex
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_ENV = "SEAM_MCP_TOKEN"
DEFAULT_TOKEN_NAME = "default"
MIN_TOKEN_LENGTH = 16
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 6750 b64token: what a Bearer header carries
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_ORIGIN = re.compile(r"https?://[^/\s]+")
GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


class HttpConfigError(Exception):
    """A setting of the HTTP transport that cannot be used; the message names the fix."""


@dataclass(frozen=True)
class HttpSettings:
    """Where to listen, which Host/Origin headers to accept, and the tokens (name → token)."""

    host: str
    port: int
    allowed_hosts: list[str]
    allowed_origins: list[str]
    tokens: Mapping[str, str] = field(repr=False)


def is_loopback(host: str) -> bool:
    """True for a loopback address or `localhost`."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    """An IPv6 address as a Host header spells it."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _split(values: Sequence[str] | None) -> list[str]:
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def _allowed(name: str, port: str | None) -> tuple[list[str], list[str]]:
    """Host patterns and origins for `name` at `port` (None = any port), in the SDK's terms.

    The SDK matches exactly, or `NAME:*` = NAME with any port. A client omits the scheme's
    default port (`Host: NAME` at :443 or :80), so those ports also allow the bare name and
    only that scheme's origins.
    """
    if port is None:
        hosts = [name, f"{name}:*"]
        return hosts, [f"{scheme}://{h}" for h in hosts for scheme in ("http", "https")]
    hosts = [f"{name}:{port}"]
    schemes = {"443": ("https",), "80": ("http",)}.get(port, ("http", "https"))
    origins = [f"{scheme}://{name}:{port}" for scheme in schemes]
    if port in ("443", "80"):
        hosts.append(name)
        origins.insert(0, f"{schemes[0]}://{name}")
    return hosts, origins


def _host_entry(entry: str) -> tuple[str, str | None]:
    """`--allowed-hosts` entry → (name, port): `name` allows any port, `name:port` that one."""
    bad = HttpConfigError(
        f"--allowed-hosts: {entry!r} is not HOST or HOST:PORT (port 1-65535); "
        "e.g. --allowed-hosts mcp.example.com,mcp.example.com:8443"
    )
    entry = entry.lower()
    if "/" in entry or any(c.isspace() for c in entry):
        raise bad
    port: str | None
    if entry.startswith("["):  # [v6] or [v6]:port
        name, bracket, rest = entry.partition("]")
        name += bracket
        port = rest[1:] if rest.startswith(":") else None
        if not bracket or (rest and port is None):
            raise bad
    elif entry.count(":") > 1:  # a bare IPv6 address
        name, port = f"[{entry}]", None
    else:
        name, sep, after = entry.partition(":")
        port = after if sep else None
    if not name:
        raise bad
    if port is None or port == "*":
        return name, port
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise bad
    return name, str(int(port))


def _origin(entry: str) -> str:
    origin = entry.rstrip("/")
    if not _ORIGIN.fullmatch(origin):
        raise HttpConfigError(
            f"--allowed-origins: {entry!r} is not an origin; "
            "give scheme://host[:port], e.g. https://chat.example.com"
        )
    return origin


def parse_tokens(text: str, source: str) -> dict[str, str]:
    """`TOKEN` or `NAME:TOKEN` lines → {name: token}; the errors name `source` and a line only."""
    tokens: dict[str, str] = {}
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source} line {number}" if len(lines) > 1 else source
        name, sep, token = line.partition(":")
        if not sep:
            name, token = DEFAULT_TOKEN_NAME, line
        name, token = name.strip(), token.strip()
        if not _NAME.fullmatch(name):
            raise HttpConfigError(
                f"{where}: the name before ':' must be 1-64 letters, digits, '.', '_' or '-'"
            )
        if not _TOKEN.fullmatch(token) or len(token) < MIN_TOKEN_LENGTH:
            raise HttpConfigError(
                f"{where}: a token must be at least {MIN_TOKEN_LENGTH} characters of "
                f"A-Z a-z 0-9 - . _ ~ + / (no ':' or spaces); generate one with {GENERATE}"
            )
        if name in tokens:
            raise HttpConfigError(f"{where}: the name {name!r} is used twice; names must differ")
        if token in tokens.values():
            raise HttpConfigError(f"{where}: this token is used twice; give each name its own")
        tokens[name] = token
    if not tokens:
        raise HttpConfigError(f"{source} holds no token; put one token (or NAME:TOKEN lines) in it")
    return tokens


def _refuse_unprotected(path: Path, info: os.stat_result) -> None:
    """As OpenSSH does for a private key: the file must be this user's, with no group or other
    permission bits (checked on the open file, so it cannot be swapped in between)."""
    if os.name != "posix":  # Windows has ACLs, not these bits
        return
    import pwd

    named, quoted = f"--token-file {str(path)!r}", shlex.quote(str(path))
    user = os.geteuid()
    if info.st_uid != user:
        try:
            owner = pwd.getpwuid(user).pw_name
        except KeyError:
            owner = str(user)
        raise HttpConfigError(
            f"{named} belongs to another user (uid {info.st_uid}), who can change the tokens; "
            f"make it this user's: chown {shlex.quote(owner)} {quoted} && chmod 600 {quoted}"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        what = "can be read by" if mode & 0o044 else "is open to"
        raise HttpConfigError(
            f"{named} {what} other users (mode {mode:04o}); refusing to use its tokens; "
            f"run: chmod 600 {quoted}"
        )


def load_tokens(env: Mapping[str, str], token_file: Path | None) -> dict[str, str]:
    """The tokens from `--token-file` or `SEAM_MCP_TOKEN` ({} if neither is given)."""
    from_env = env.get(TOKEN_ENV)
    if token_file is not None and from_env is not None:
        raise HttpConfigError(
            f"both {TOKEN_ENV} and --token-file are given; use one (unset {TOKEN_ENV} "
            "or drop --token-file)"
        )
    if from_env is not None:
        return parse_tokens(from_env, TOKEN_ENV)
    if token_file is None:
        return {}
    try:
        with token_file.open("rb") as file:
            _refuse_unprotected(token_file, os.fstat(file.fileno()))
            text = file.read().decode("utf-8")
    except OSError as exc:
        raise HttpConfigError(
            f"--token-file {str(token_file)!r} cannot be read: {exc.strerror or exc}; "
            "check the path and that this user may read it"
        ) from None
    except UnicodeDecodeError:
        raise HttpConfigError(
            f"--token-file {str(token_file)!r} is not UTF-8 text; write the token as plain text"
        ) from None
    return parse_tokens(text, f"--token-file {str(token_file)!r}")


def http_settings(
    *,
    host: str,
    port: int,
    allowed_hosts: Sequence[str] | None,
    allowed_origins: Sequence[str] | None,
    token_file: Path | None,
    env: Mapping[str, str] | None = None,
) -> HttpSettings:
    """Everything the HTTP transport needs, or HttpConfigError saying what to change."""
    tokens = load_tokens(os.environ if env is None else env, token_file)
    loopback = is_loopback(host)
    if not loopback and not tokens:
        raise HttpConfigError(
            f"refusing to listen on {host} without a token: anyone who can reach it could act "
            f"in the workspace; set {TOKEN_ENV} or pass --token-file PATH "
            f"(generate one with {GENERATE})"
        )
    extra = [_host_entry(entry) for entry in _split(allowed_hosts)]
    if _is_unspecified(host) and not extra:
        raise HttpConfigError(
            f"--host {host} listens on every address, so no Host header names it: pass "
            "--allowed-hosts with the names clients use (e.g. --allowed-hosts mcp.example.com)"
        )
    port_part = str(port) if port else "*"
    # The wildcard address also listens on loopback, where a proxy on the same machine may be.
    bound = [] if _is_unspecified(host) else [_bracketed(host.lower())]
    if loopback or _is_unspecified(host):
        bound += ["localhost", "127.0.0.1", "[::1]"]
    hosts: list[str] = []
    origins: list[str] = []
    for name, entry_port in [(h, port_part) for h in bound] + extra:
        more_hosts, more_origins = _allowed(name, entry_port)
        hosts += more_hosts
        origins += more_origins
    origins += [_origin(entry) for entry in _split(allowed_origins)]
    return HttpSettings(
        host=host,
        port=port,
        allowed_hosts=list(dict.fromkeys(hosts)),
        allowed_origins=list(dict.fromkeys(origins)),
        tokens=tokens,
    )


class RedactTokens(logging.Filter):
    """Belt and braces: a log line that somehow holds a token shows `[redacted]` instead."""

    def __init__(self, tokens: Sequence[str]) -> None:
        super().__init__()
        self._tokens = [t for t in tokens if t]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(token in message for token in self._tokens):
            for token in self._tokens:
                message = message.replace(token, "[redacted]")
            record.msg, record.args = message, None
        return True
