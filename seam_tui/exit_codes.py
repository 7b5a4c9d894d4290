"""The exit codes of `seam-tui` and `seam-mcp`: one table, documented in the README and in
each command's `--help`. Imports nothing, so `--help` stays fast."""

from __future__ import annotations

OK = 0
"""Done."""
FAILED = 1
"""It could not be done: a workspace, profile, keyring, file, the sandbox database or the API
refused it; one line on stderr says why and the fix. Also a crash (with its report's path)."""
USAGE = 2
"""The command line is wrong: an unknown command or option, a missing or invalid argument,
options that contradict each other, input a command needs that was not given (an empty
stdin), or a server that would be unsafe to start as asked."""
INTERRUPTED = 130
"""Stopped by Ctrl+C, or a prompt was cancelled; nothing more was changed."""
CLOSED_PIPE = 141
"""The program reading stdout went away (`| head`): stopped quietly, as Unix tools do."""

TABLE = (
    (OK, "done"),
    (FAILED, "could not be done (workspace, keyring, file, sandbox or API); stderr says why"),
    (USAGE, "wrong command line or missing input (e.g. an empty stdin); nothing was done"),
    (INTERRUPTED, "interrupted (Ctrl+C) or a prompt cancelled"),
    (CLOSED_PIPE, "the reader of stdout went away (e.g. `| head`); nothing more is printed"),
)


class UsageError(Exception):
    """A wrong command line or missing input: one line on stderr, exit code USAGE."""


def epilog() -> str:
    """The exit-code table as `--help` shows it."""
    return "exit codes:\n" + "\n".join(f"  {code:<5}{meaning}" for code, meaning in TABLE)
