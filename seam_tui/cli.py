"""The `seam-tui` command: the TUI with no sub-command; sub-commands for sandbox and workspaces."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from seam_tui import __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from seam_tui.sandbox.cli import add_sandbox_commands
    from seam_tui.workspaces.cli import add_workspace_commands

    parser = argparse.ArgumentParser(
        prog="seam-tui",
        description="Administer Seam user identities and ACS users.",
    )
    parser.add_argument("--version", action="version", version=f"seam-tui {__version__}")
    parser.add_argument(
        "--workspace",
        dest="profile",
        metavar="NAME",
        help="work in this workspace profile (else SEAM_API_KEY etc., the active profile, "
        "or the built-in sandbox)",
    )
    parser.add_argument(
        "--read-only", action="store_true", help="refuse every change, whatever the profile says"
    )
    parser.add_argument(
        "--insecure-file-store",
        action="store_true",
        help="keep secrets in an unencrypted 0600 file when no keyring is available",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_sandbox_commands(commands)
    add_workspace_commands(commands)
    mcp = commands.add_parser(
        "mcp",
        help="run the MCP server (same as `seam-mcp`; options after it go to seam-mcp)",
        add_help=False,
    )
    mcp.set_defaults(func=_run_mcp, mcp_args=[])
    return parser


def _run_mcp(args: argparse.Namespace) -> int:
    """`seam-tui mcp ...`: hand over to seam-mcp, passing the global workspace options on."""
    from agent_tools.cli import main as mcp_main

    forwarded: list[str] = []
    if args.profile:
        forwarded += ["--workspace", args.profile]
    if args.read_only:
        forwarded.append("--read-only")
    if args.insecure_file_store:
        forwarded.append("--insecure-file-store")
    return mcp_main([*forwarded, *args.mcp_args])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `seam-tui` console script."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    func = getattr(args, "func", None)
    if func is _run_mcp:
        args.mcp_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if func is None:
            return _launch_tui(args)
        code: int = func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_left()
    return code


def _reader_left() -> int:
    """The program reading our output (`| head`) has gone: stop quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush cannot fail too
    return 141  # 128 + SIGPIPE


def _launch_tui(args: argparse.Namespace) -> int:
    """No sub-command: open the TUI on the resolved workspace, or say clearly why not.

    An unexpected error before or after the app ran is a crash report and one line (never a
    traceback: its locals and message may hold a key); exit code 1.
    """
    from seam_tui.console_text import error, say
    from seam_tui.core.errors import SeamError

    _ignore_textual_log()
    try:
        from seam_tui.tui.app import run_tui

        return run_tui(
            args.profile, read_only=args.read_only, insecure_file_store=args.insecure_file_store
        )
    except SeamError as exc:
        error(exc)
        return 1
    except Exception as exc:
        from seam_tui.crash import record_crash

        say(record_crash(exc), file=sys.stderr)
        return 1


TEXTUAL_LOG_IGNORED = (
    "TEXTUAL_LOG is ignored: Textual's log records every key typed or pasted, API keys included"
)


def _ignore_textual_log() -> None:
    """Drop TEXTUAL_LOG before Textual is imported (it reads it once, on import), saying so."""
    import os

    from seam_tui.console_text import warn

    if os.environ.pop("TEXTUAL_LOG", None):
        warn(TEXTUAL_LOG_IGNORED)


if __name__ == "__main__":
    sys.exit(main())
