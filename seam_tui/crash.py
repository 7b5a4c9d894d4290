"""Crash reports: where an unexpected error happened, never the data it happened on.

A report holds the exception's type, its traceback as file, line, function and source line
(never a frame's local variables), the versions of seam-tui, Python and Textual, and a time.
Everything in it is scrubbed first: the secrets the caller names (a workspace's key, a password
field's value, `SEAM_API_KEY`) and anything shaped like a Seam API key or personal access token
become `[redacted]`. The exception's own message is kept only after that scrub, because it may
quote data. Reports go to `data_dir()/crash-reports/` (0700), one new 0600 file per crash.

`crash_line` is what the front end prints: one line naming the exception's type and the
report, never the message. Pure Python, importing nothing from Textual.
"""

from __future__ import annotations

import json
import os
import platform
import re
import traceback
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from seam_tui import __version__
from seam_tui.paths import data_dir, private_data_dir, private_dir

REDACTED = "[redacted]"
# A shorter secret is not scrubbed word by word: replacing every "ab" would leave nothing to read.
MIN_SECRET_LENGTH = 4
# The part after a known prefix is scrubbed on its own too (a shortened key still leaks it).
_SECRET_PREFIXES = ("seam_test", "seam_live", "seam_at", "seam_")
_MIN_RANDOM_PART = 8
# `seam_` and 12 or more key characters (Seam's alphabet, and any non-ASCII character but a
# space, so a pasted key with one bad letter or invisible character in it is caught whole).
# `seam_tui/tui/app.py` and `seam_tui.cli` stop at the `/` or `.`; an identifier is kept
# unless it has a digit, a capital, a `-` or a non-ASCII character, as keys do.
_KEY_SHAPE = re.compile(r"seam_(?:[\w-]|[^\x00-\x7f\s]){12,}")
MAX_MESSAGE_CHARS = 4000
ENV_SECRETS = ("SEAM_API_KEY", "SEAM_PERSONAL_ACCESS_TOKEN")
REPORTS_DIRNAME = "crash-reports"


def _looks_like_key(word: str) -> bool:
    body = word[len("seam_") :]
    return any(c.isdigit() or c.isupper() or c == "-" or not c.isascii() for c in body)


def _forms(secret: str) -> Iterator[str]:
    """The ways a secret can be spelled in text: as is, escaped as in a repr or JSON."""
    yield secret
    yield repr(secret)[1:-1]
    yield ascii(secret)[1:-1]
    yield json.dumps(secret)[1:-1]


def _needles(secrets: Iterable[str | None]) -> list[str]:
    needles: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        for value in {secret, secret.strip()}:
            if len(value) < MIN_SECRET_LENGTH:
                continue
            needles.update(_forms(value))
            for prefix in _SECRET_PREFIXES:
                rest = value.removeprefix(prefix)
                if rest != value:
                    if len(rest) >= _MIN_RANDOM_PART:
                        needles.update(_forms(rest))
                    break
    # Longest first, so a secret that contains another is replaced whole.
    return sorted((n for n in needles if len(n) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with each of `secrets` (as is, or escaped as in a repr or JSON; and the random
    part after a `seam_...` prefix) and every word shaped like a Seam API key or personal
    access token replaced by `[redacted]`."""
    for needle in _needles(secrets):
        text = text.replace(needle, REDACTED)
    return _KEY_SHAPE.sub(lambda m: REDACTED if _looks_like_key(m[0]) else m[0], text)


def _printable(text: str) -> str:
    """Control, bidi and other invisible characters as escapes, so reading a report with
    `cat` cannot act on the terminal; newlines and tabs are kept."""
    return "".join(
        c if c.isprintable() or c in "\n\t" else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def env_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    """The secrets the `SEAM_*` environment variables hold."""
    env = os.environ if env is None else env
    return [value for name in ENV_SECRETS if (value := env.get(name))]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception as error:  # a broken __str__ must not stop the report
        return f"(the message could not be read: {type(error).__name__})"
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + f"… ({len(text) - MAX_MESSAGE_CHARS} more characters)"
    return text


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and the ones it came from, oldest first, each with the line printed
    before it that links it to the one above (as Python's own traceback does)."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        older: BaseException | None = None
        link = ""
        if current.__cause__ is not None:
            older, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            older, link = current.__context__, _CONTEXT
        chain.append((current, link))
        current = older
    chain.reverse()
    return chain


def _describe(exc: BaseException, depth: int = 0) -> list[str]:
    """One exception: its traceback (no locals), type and message; group members indented."""
    lines: list[str] = []
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if frames:
        lines.append("Traceback (most recent call last; local variables are never recorded):")
        for frame in frames:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
    else:
        lines.append("(no traceback: the exception was never raised)")
    name = type(exc).__qualname__
    module = type(exc).__module__
    qualified = name if module in ("builtins", "__main__") else f"{module}.{name}"
    lines.append(f"{qualified}: {_message(exc)}")
    if isinstance(exc, BaseExceptionGroup) and depth < 3:
        for number, member in enumerate(exc.exceptions, 1):
            lines.append(f"+-- sub-exception {number} of {len(exc.exceptions)}:")
            lines.extend("    " + line for line in _describe(member, depth + 1))
    return lines


def report_text(
    exc: BaseException, *, secrets: Iterable[str | None] = (), when: datetime | None = None
) -> str:
    """The text of a crash report for `exc`, already scrubbed."""
    when = when or datetime.now(UTC)
    lines = [
        "seam-tui crash report",
        f"time: {when.isoformat(timespec='seconds')}",
        f"seam-tui: {__version__}",
        f"Python: {platform.python_version()} ({platform.python_implementation()}) "
        f"on {platform.platform()}",
        f"Textual: {_version('textual')}",
        f"exception: {type(exc).__name__}",
        "",
    ]
    for error, link in _chain(exc):
        if link:
            lines += ["", link, ""]
        lines += _describe(error)
    secret_list = [*secrets, *env_secrets()]
    return _printable(scrub("\n".join(lines) + "\n", secret_list))


def reports_dir() -> Path:
    """Where crash reports are written: `crash-reports/` in the data dir."""
    return data_dir() / REPORTS_DIRNAME


def write_crash_report(
    exc: BaseException,
    *,
    secrets: Iterable[str | None] = (),
    directory: Path | None = None,
    when: datetime | None = None,
) -> Path:
    """Write a report for `exc` to a new 0600 file in a 0700 directory; returns its path.

    `secrets` are scrubbed from it, with `SEAM_API_KEY` and `SEAM_PERSONAL_ACCESS_TOKEN` and
    anything shaped like a key. Raises OSError when the file cannot be written.
    """
    when = when or datetime.now(UTC)
    text = report_text(exc, secrets=secrets, when=when)
    if directory is None:
        private_data_dir()
        directory = reports_dir()
    private_dir(directory, ours=True)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        path = directory / f"crash-{stamp}-{os.getpid()}-{os.urandom(4).hex()}.txt"
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:  # pragma: no cover - 32 random bits clashed
            continue
        break
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if os.name == "posix":
                os.fchmod(out.fileno(), 0o600)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # no empty or cut report left behind (disk full)
        raise
    return path


def crash_line(exc: BaseException, report: Path | None, problem: str = "") -> str:
    """The one line to print on stderr: the exception's type and where the report is (never
    the exception's message, which may hold data or a secret)."""
    kind = type(exc).__name__
    if report is not None:
        return f"seam-tui crashed ({kind}); crash report: {report}"
    because = f" ({problem})" if problem else ""
    return f"seam-tui crashed ({kind}); no crash report could be written{because}"


def record_crash(exc: BaseException, *, secrets: Iterable[str | None] = ()) -> str:
    """Write the report for `exc` and return the line to print; never raises (a report that
    cannot be written is said so in the line)."""
    try:
        report: Path | None = write_crash_report(exc, secrets=list(secrets))
        problem = ""
    except Exception as error:
        report = None
        problem = type(error).__name__
        if isinstance(error, OSError) and error.strerror:
            problem = f"{problem}: {error.strerror}"
    return crash_line(exc, report, problem)


__all__ = [
    "REDACTED",
    "crash_line",
    "env_secrets",
    "record_crash",
    "report_text",
    "reports_dir",
    "scrub",
    "write_crash_report",
]
