"""`seam-mcp`: serve the tools over MCP (stdio by default), print their chat schemas, or print
the snippet that adds this install to an assistant (`config`).

stdout belongs to the protocol in stdio mode, so everything else (logs, errors) goes to stderr,
in every transport, at the one `--log-level` (ours, the MCP SDK's and uvicorn's loggers).
Over streamable HTTP, `agent_tools.http_config` decides tokens and allowed hosts before the
SDK is imported, so a refusal is immediate. The registry and the SDK are imported only by the
command that needs them, so `--help` and `--version` are instant.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_tools.http_config import (
    TOKEN_ENV,
    HttpConfigError,
    HttpSettings,
    RedactTokens,
    http_settings,
)
from seam_tui import __version__
from seam_tui.cli_support import guarded, new_parser
from seam_tui.exit_codes import FAILED, USAGE, UsageError

if TYPE_CHECKING:
    from agent_tools.context import ToolContext
    from agent_tools.tool import Tool

logger = logging.getLogger("seam-mcp")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _names(values: list[str] | None) -> list[str] | None:
    """Tool names from repeated and/or comma-separated options."""
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _add_selection(parser: argparse.ArgumentParser, *, subcommand: bool = False) -> None:
    # In a subcommand, an option left out must not reset what was given before it.
    unset: dict[str, Any] = {"default": argparse.SUPPRESS} if subcommand else {}
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="expose only tools that change nothing",
        **unset,
    )
    parser.add_argument(
        "--tools",
        action="append",
        metavar="NAMES",
        help="expose only these tools (comma-separated; repeatable)",
        **unset,
    )
    parser.add_argument(
        "--exclude-tools",
        action="append",
        metavar="NAMES",
        help="leave these tools out (comma-separated; repeatable)",
        **unset,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = new_parser(
        "seam-mcp",
        "Seam user identities and ACS users as tools for AI assistants (MCP). With no command, "
        "serve them (stdio by default); `schemas` lists the tools.",
        allow_abbrev=False,  # `--token X` must not be taken for `--token-file X`
    )
    parser.add_argument("--version", action="version", version=f"seam-mcp {__version__}")
    parser.add_argument(
        "--workspace",
        metavar="NAME",
        help="default workspace profile (else SEAM_* env vars, the active profile, the sandbox)",
    )
    _add_selection(parser)
    parser.add_argument(
        "--transport", choices=("stdio", "streamable-http"), default="stdio", help="(stdio)"
    )
    http = parser.add_argument_group(
        "streamable-http",
        f"A token is read from ${TOKEN_ENV} or --token-file (never argv); a host beyond "
        "loopback requires one. Requests without it get 401.",
    )
    http.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    http.add_argument("--port", type=int, default=8000, help="port (8000)")
    http.add_argument(
        "--token-file",
        type=Path,
        metavar="PATH",
        help="bearer token(s): one TOKEN, or NAME:TOKEN lines (caller token:NAME); "
        "yours, mode 600 (else refused)",
    )
    # Refused with the way out (and without echoing the value): argv is visible in `ps`.
    http.add_argument("--token", nargs="?", const="", help=argparse.SUPPRESS)
    http.add_argument(
        "--allowed-hosts",
        action="append",
        metavar="HOSTS",
        help="Host headers to accept besides the bind address, e.g. a reverse proxy's name "
        "(HOST = any port; HOST:PORT = that port, and HOST alone for :443 or :80; "
        "comma-separated; repeatable; required with 0.0.0.0)",
    )
    http.add_argument(
        "--allowed-origins",
        action="append",
        metavar="ORIGINS",
        help="browser Origins to accept besides the allowed hosts' own "
        "(scheme://host[:port]; comma-separated; repeatable)",
    )
    parser.add_argument(
        "--log-level", choices=LOG_LEVELS, default="INFO", help="for all logs, on stderr (INFO)"
    )
    parser.add_argument(
        "--output-schemas",
        action="store_true",
        help="list each tool's outputSchema too (~15 KB more; results are structured either way)",
    )
    parser.add_argument(
        "--insecure-file-store",
        action="store_true",
        help="allow profiles whose secret is in the opt-in 0600 file store",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    schemas = commands.add_parser(
        "schemas", help="print the tool definitions for a chat API and exit", allow_abbrev=False
    )
    schemas.add_argument("--format", choices=("openai", "anthropic"), default="openai")
    schemas.add_argument(
        "--strict",
        action="store_true",
        help="OpenAI strict mode: every property required (optional ones nullable), "
        "additionalProperties false, no constraint keywords; with --format openai",
    )
    _add_selection(schemas, subcommand=True)
    config = commands.add_parser(
        "config",
        help="print the JSON that adds this seam-mcp to an assistant (its absolute path)",
        allow_abbrev=False,
    )
    config.add_argument("client", choices=("claude-desktop", "vscode", "cursor"))
    config.add_argument(
        "--workspace",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="start the server in this workspace profile",
    )
    _add_selection(config, subcommand=True)
    return parser


def _select(args: argparse.Namespace, read_only: bool) -> list[Tool[Any, Any]]:
    from agent_tools.registry import select_tools

    include = _names(args.tools)
    try:
        chosen = select_tools(
            read_only=read_only, include=include, exclude=_names(args.exclude_tools) or ()
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not chosen:
        raise UsageError("no tools left to expose; check --tools and --exclude-tools")
    dropped = sorted(set(include or ()) - {t.name for t in chosen})
    if read_only and dropped:
        logger.warning("read-only: not exposing %s", ", ".join(dropped))
    return chosen


def plan(args: argparse.Namespace) -> tuple[ToolContext, list[Tool[Any, Any]]]:
    """The default workspace and the tools to expose: a read-only profile forces read-only."""
    from agent_tools.context import ToolContext

    context = ToolContext.open(
        args.workspace, read_only=args.read_only, insecure_file_store=args.insecure_file_store
    )
    if context.read_only and not args.read_only:
        logger.info("workspace %r is read-only: exposing read tools only", context.workspace)
    return context, _select(args, context.read_only)


def _http_settings(args: argparse.Namespace) -> HttpSettings | None:
    """The HTTP transport's settings (None for stdio); refuses what would be unsafe."""
    if args.transport == "stdio":
        given = [f for f in ("token_file", "allowed_hosts", "allowed_origins") if getattr(args, f)]
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise UsageError(f"{flag} applies only with --transport streamable-http")
        return None
    settings = http_settings(
        host=args.host,
        port=args.port,
        allowed_hosts=args.allowed_hosts,
        allowed_origins=args.allowed_origins,
        token_file=args.token_file,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactTokens(list(settings.tokens.values())))
    return settings


def _serve(args: argparse.Namespace) -> int:
    http = _http_settings(args)
    context, tools = plan(args)
    context.local_files = http is None
    # The MCP SDK (and uvicorn) cost ~1 s to import: only now, when they are needed.
    from agent_tools.mcp_server import build_server

    verifier = None
    if http is not None and http.tokens:
        from agent_tools.http_server import StaticTokenVerifier

        verifier = StaticTokenVerifier(http.tokens)
    server = build_server(
        context, tools, output_schemas=args.output_schemas, token_verifier=verifier
    )
    gc.freeze()  # the ~100k import-time objects need no more GC passes while serving
    logger.info(
        "serving %d tools for workspace %r (%s) over %s",
        len(tools),
        context.workspace,
        context.label,
        args.transport,
    )
    if http is None:
        server.run("stdio")
        return 0
    from agent_tools.http_server import serve

    if http.tokens:
        logger.info("bearer tokens required; callers: %s", ", ".join(sorted(http.tokens)))
    else:
        logger.warning(
            "no token: any local process or user can call the tools on %s; set %s or pass "
            "--token-file",
            http.host,
            TOKEN_ENV,
        )
    logger.info("accepting Host headers: %s", ", ".join(http.allowed_hosts))
    serve(server, http, args.log_level)
    return 0


def _print_schemas(args: argparse.Namespace) -> int:
    from agent_tools.chat import tool_definitions
    from seam_tui.console_text import say_json

    if args.strict and args.format != "openai":
        raise UsageError("schemas --strict needs --format openai (OpenAI's strict mode)")
    tools = _select(args, args.read_only)
    say_json(tool_definitions(args.format, tools, strict=args.strict))
    return 0


def _print_config(args: argparse.Namespace) -> int:
    from agent_tools.client_config import WHERE, server_args, snippet
    from seam_tui.console_text import note, say_json

    _select(args, args.read_only)  # unknown tool names are refused here, not by the assistant
    chosen = server_args(
        workspace=getattr(args, "workspace", None),
        read_only=args.read_only,
        tools=_names(args.tools),
        exclude_tools=_names(args.exclude_tools),
    )
    say_json(snippet(args.client, chosen))
    note(WHERE[args.client], prog="seam-mcp")
    return 0


COMMANDS = {"schemas": _print_schemas, "config": _print_config}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `seam-mcp` console script (exit codes: `seam_tui.exit_codes`)."""
    return guarded(lambda: _run(argv), prog="seam-mcp")


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from seam_tui.console_text import VisibleFormatter, error
    from seam_tui.core.errors import SeamError

    stderr = logging.StreamHandler(sys.stderr)
    # Log lines quote data (workspace labels, server messages): shown, never run.
    stderr.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level, handlers=[stderr])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        if args.token is not None:
            raise UsageError(
                "--token is not accepted: the command line is visible to every user (ps); "
                f"set {TOKEN_ENV} or pass --token-file PATH"
            )
        return COMMANDS.get(args.command, _serve)(args)
    except SeamError as exc:
        error(exc, prog="seam-mcp")
        return FAILED
    except HttpConfigError as exc:
        error(exc, prog="seam-mcp")
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
