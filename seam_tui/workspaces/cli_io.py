"""What every `seam-tui workspace` command shares: one-line errors and warnings on stderr
(written by `seam_tui.console_text`), and an exit code instead of a traceback."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable

from seam_tui.console_text import error, warn
from seam_tui.core.errors import SeamError

Command = Callable[[argparse.Namespace], int]


class _StderrWarnings(logging.Handler):
    """Shows the workspaces' warnings (e.g. each use of the file store) on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


def command(run: Command) -> Command:
    """Run a command: warnings to stderr, errors as one line and exit code 1, never a traceback."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        logger = logging.getLogger("seam_tui.workspaces")
        handler = _StderrWarnings(logging.WARNING)
        logger.addHandler(handler)
        try:
            return run(args)
        except SeamError as exc:
            error(str(exc))
            return 1
        except (EOFError, KeyboardInterrupt):
            error("cancelled; nothing was changed")
            return 130
        except BrokenPipeError:
            raise  # the reader has gone (`| head`): `seam-tui` stops quietly
        except OSError as exc:
            error(f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc))
            return 1
        finally:
            logger.removeHandler(handler)

    return wrapper


def interactive() -> bool:
    return sys.stdin.isatty()


def insecure_file_store(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "insecure_file_store", False))


def yes(flag: bool) -> str:
    return "yes" if flag else "no"
