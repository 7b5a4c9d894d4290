"""What `seam-mcp --transport streamable-http` accepts: bearer tokens, Host and Origin headers.

Decided before the MCP SDK is imported, so a refusal is quick and names the way out:
- tokens come from `SEAM_MCP_TOKEN` or `--token-file PATH`, never argv (argv is visible to every
  user of the machine in `ps`). A line is `TOKEN` (the caller is then `token:default`) or
  `NAME:TOKEN` (`token:NAME`); blank lines and `#` comments are skipped in a file.
- a bind address beyond loopback needs a token; `0.0.0.0`/`::` also need `--allowed-hosts`,
  as no Host header names the wildcard address.
- DNS-rebinding protection is on for every address: the allowed Host headers are the bind
  address (plus `localhost`, `127.0.0.1` and `[::1]` at the port, on loopback or the wildcard
  address) and `--allowed-hosts`; the allowed Origins are those hosts over http and https,
  plus `--allowed-origins`.

No message here ever holds a token: errors name the source (variable, file and line).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("seam-mcp")

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


def _host_patterns(entry: str) -> list[str]:
    """`--allowed-hosts` entry → SDK patterns: `name` allows any port, `name:port` just that."""
    bad = HttpConfigError(
        f"--allowed-hosts: {entry!r} is not HOST or HOST:PORT; "
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
    if not name or (port is not None and not (port.isdigit() or port == "*")):
        raise bad
    return [f"{name}:{port}"] if port is not None else [name, f"{name}:*"]


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
        mode = token_file.stat().st_mode
        text = token_file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise HttpConfigError(
            f"--token-file {str(token_file)!r} cannot be read: {exc.strerror or exc}; "
            "check the path and that this user may read it"
        ) from None
    except UnicodeDecodeError:
        raise HttpConfigError(
            f"--token-file {str(token_file)!r} is not UTF-8 text; write the token as plain text"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning(
            "--token-file %r can be read by other users (mode %o); run: chmod 600 %s",
            str(token_file),
            stat.S_IMODE(mode),
            token_file,
        )
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
    extra = [p for entry in _split(allowed_hosts) for p in _host_patterns(entry)]
    if _is_unspecified(host) and not extra:
        raise HttpConfigError(
            f"--host {host} listens on every address, so no Host header names it: pass "
            "--allowed-hosts with the names clients use (e.g. --allowed-hosts mcp.example.com)"
        )
    port_part = str(port) if port else "*"
    # The wildcard address also listens on loopback, where a proxy on the same machine may be.
    bound = [] if _is_unspecified(host) else [_bracketed(host)]
    if loopback or _is_unspecified(host):
        bound += ["localhost", "127.0.0.1", "[::1]"]
    hosts = list(dict.fromkeys([f"{h}:{port_part}" for h in bound] + extra))
    origins = [f"{scheme}://{h}" for h in hosts for scheme in ("http", "https")]
    origins += [_origin(entry) for entry in _split(allowed_origins)]
    return HttpSettings(
        host=host,
        port=port,
        allowed_hosts=hosts,
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
