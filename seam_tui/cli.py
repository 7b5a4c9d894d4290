"""The `seam-tui` command: the TUI with no command; commands (which never open the TUI) for
workspaces, the sandbox, the MCP server and shell completion.

Each command's arguments are built only when it runs (`seam_tui.cli_support.lazy`), so
`--help` and `--version` import no app code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from seam_tui import __version__
from seam_tui.cli_support import guarded, lazy, new_parser, sub_commands
from seam_tui.exit_codes import FAILED

DESCRIPTION = (
    "Administer Seam user identities and ACS users. With no command, seam-tui opens the TUI "
    "on the workspace in effect; none of the commands below opens the TUI."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered (their arguments added on use)."""
    parser = new_parser("seam-tui", DESCRIPTION)
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
        help="with no keyring: keep a new profile's secret in an unencrypted 0600 file (the "
        "profile remembers it; later runs need no flag), or use a plaintext keyring backend",
    )
    commands = sub_commands(parser, title="commands", metavar="COMMAND")
    lazy(
        commands,
        "workspace",
        "seam_tui.workspaces.cli:add_workspace_arguments",
        help="manage workspace profiles (keys live in the OS keyring)",
    )
    lazy(
        commands,
        "sandbox",
        "seam_tui.sandbox.cli:add_sandbox_arguments",
        help="run the offline Seam API emulator",
        description="The offline emulator of the Seam Connect API.",
    )
    lazy(
        commands,
        "people",
        "seam_tui.people_cli:add_people_arguments",
        help="import, offboard and export people in bulk (plan first, then apply)",
    )
    lazy(
        commands,
        "completion",
        "seam_tui.completion:add_completion_arguments",
        help="print the shell completion script of seam-tui and seam-mcp (bash, zsh or fish)",
    )
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
    """Entry point of the `seam-tui` console script (exit codes: `seam_tui.exit_codes`)."""
    return guarded(lambda: _run(argv), prog="seam-tui")


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    func = getattr(args, "func", None)
    if func is _run_mcp:
        args.mcp_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if func is None:
        return _launch_tui(args)
    code: int = func(args)
    return code


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
        return FAILED
    except Exception as exc:
        from seam_tui.crash import record_crash

        say(record_crash(exc), file=sys.stderr)
        return FAILED


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
