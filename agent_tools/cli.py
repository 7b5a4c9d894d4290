"""`seam-mcp`: serve the tools over MCP (stdio by default), or print their chat schemas.

stdout belongs to the protocol in stdio mode, so everything else (logs, errors) goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import sys
from collections.abc import Sequence
from typing import Any

from agent_tools.chat import tool_definitions
from agent_tools.context import ToolContext
from agent_tools.registry import TOOLS_BY_NAME, select_tools
from agent_tools.tool import Tool
from seam_tui import __version__
from seam_tui.console_text import VisibleFormatter, error, say_json
from seam_tui.core.errors import SeamError

logger = logging.getLogger("seam-mcp")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _names(values: list[str] | None) -> list[str] | None:
    """Tool names from repeated and/or comma-separated options."""
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


class UsageError(Exception):
    """Raised for options that contradict each other or name unknown tools."""


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
    parser = argparse.ArgumentParser(
        prog="seam-mcp",
        description="Seam user identities and ACS users as tools for AI assistants (MCP).",
        epilog=f"Tools: {', '.join(TOOLS_BY_NAME)}.",
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
    parser.add_argument("--host", default="127.0.0.1", help="streamable-http host (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="streamable-http port (8000)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="INFO", help="(INFO)")
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
        "schemas", help="print the tool definitions for a chat API and exit"
    )
    schemas.add_argument("--format", choices=("openai", "anthropic"), default="openai")
    _add_selection(schemas, subcommand=True)
    return parser


def _select(args: argparse.Namespace, read_only: bool) -> list[Tool[Any, Any]]:
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
    context = ToolContext.open(
        args.workspace, read_only=args.read_only, insecure_file_store=args.insecure_file_store
    )
    if context.read_only and not args.read_only:
        logger.info("workspace %r is read-only: exposing read tools only", context.workspace)
    return context, _select(args, context.read_only)


def _serve(args: argparse.Namespace) -> int:
    context, tools = plan(args)
    from agent_tools.mcp_server import build_server  # the MCP SDK costs ~1 s to import

    server = build_server(context, tools, output_schemas=args.output_schemas)
    gc.freeze()  # the ~100k import-time objects need no more GC passes while serving
    logger.info(
        "serving %d tools for workspace %r (%s) over %s",
        len(tools),
        context.workspace,
        context.label,
        args.transport,
    )
    if args.transport == "stdio":
        server.run("stdio")
    else:
        if not _is_loopback(args.host):
            logger.warning(
                "listening on %s without authentication: anyone who can reach it can act in "
                "workspace %r",
                args.host,
                context.workspace,
            )
        server.run("streamable-http", host=args.host, port=args.port)
    return 0


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _print_schemas(args: argparse.Namespace) -> int:
    tools = _select(args, args.read_only)
    say_json(tool_definitions(args.format, tools))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `seam-mcp` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stderr = logging.StreamHandler(sys.stderr)
    # Log lines quote data (workspace labels, server messages): shown, never run.
    stderr.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level, handlers=[stderr])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return _print_schemas(args) if args.command == "schemas" else _serve(args)
    except (SeamError, UsageError) as exc:
        error(exc, prog="seam-mcp")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
