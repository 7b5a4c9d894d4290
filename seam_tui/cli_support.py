"""What `seam-tui` and `seam-mcp` share as command-line programs: sub-commands whose arguments
are built only when used (so `--help` and `--version` import no app code), and one guard that
turns a closed pipe, Ctrl+C and a usage error into the documented exit codes.

Imports only the standard library: everything else is imported by the command that runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from seam_tui.exit_codes import CLOSED_PIPE, INTERRUPTED, USAGE, UsageError, epilog

Builder = Callable[[argparse.ArgumentParser], None]


class LazyParser(argparse.ArgumentParser):
    """A parser whose arguments are added by `build` ("module:function") on first use: the
    top-level `--help` lists the sub-command without importing the module behind it."""

    def __init__(self, *args: Any, build: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._build = build

    def populate(self) -> LazyParser:
        """Add the arguments now (once); returns self."""
        if self._build is not None:
            module, _, name = self._build.partition(":")
            self._build = None
            builder: Builder = getattr(importlib.import_module(module), name)
            builder(self)
        return self

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        self.populate()
        return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        self.populate()
        return super().format_help()

    def format_usage(self) -> str:
        self.populate()
        return super().format_usage()


def new_parser(prog: str, description: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A top-level parser whose `--help` ends with the exit-code table."""
    return argparse.ArgumentParser(
        prog=prog,
        description=textwrap.fill(description, 78),
        epilog=kwargs.pop("epilog", "") + epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kwargs,
    )


def sub_commands(parser: argparse.ArgumentParser, **kwargs: Any) -> Any:
    """`parser.add_subparsers(...)` whose parsers are LazyParsers."""
    return parser.add_subparsers(parser_class=LazyParser, **kwargs)


def lazy(commands: Any, name: str, build: str, **kwargs: Any) -> LazyParser:
    """Register sub-command `name`; `build` ("module:function") adds its arguments when used."""
    parser: LazyParser = commands.add_parser(name, build=build, **kwargs)
    return parser


def populate_all(parser: argparse.ArgumentParser) -> None:
    """Build every lazy sub-command under `parser` (for shell completion)."""
    if isinstance(parser, LazyParser):
        parser.populate()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                populate_all(sub)


def guarded(run: Callable[[], int], *, prog: str) -> int:
    """Run a command: a usage error is one line and exit 2, Ctrl+C exit 130, and a reader that
    went away (`| head`) exit 141 with nothing printed. stdout is flushed here, so a closed
    pipe is met inside the guard rather than at the interpreter's exit."""
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        return reader_left()
    except KeyboardInterrupt:
        return INTERRUPTED
    except UsageError as exc:
        from seam_tui.console_text import error

        error(exc, prog=prog)
        return USAGE
    return code


def reader_left() -> int:
    """The program reading our output has gone: stop quietly, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush cannot fail too
    return CLOSED_PIPE
