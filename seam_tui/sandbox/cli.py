"""`seam-tui sandbox serve | reset | seed` (also `python -m seam_tui.sandbox ...`).

`serve` listens on 127.0.0.1:8787 by default (`--port 0` picks a free port; the URL is in
the JSON line it prints) and refuses a non-loopback host unless `--allow-remote` is given:
the sandbox's keys are printed and stored in plain text, fine on one machine only.

A database that cannot be used is one line on stderr naming the file and the fix (exit 1);
`reset` repairs a corrupt one by starting the file afresh. A `--db` file that is not a sandbox
database (text, another program's SQLite tables) is refused by every command, untouched.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

from seam_tui.console_text import error, say
from seam_tui.core.errors import SeamError
from seam_tui.exit_codes import FAILED, USAGE
from seam_tui.sandbox.faults import FAULT_KINDS, FaultConfig
from seam_tui.sandbox.limits import BODY_TIMEOUT_S, MAX_BODY_BYTES, RequestLimits
from seam_tui.sandbox.sandbox import Sandbox, default_db_path
from seam_tui.sandbox.serve import (
    KEEP_ALIVE_S,
    MAX_CONCURRENCY,
    ServeLimits,
    bind,
    is_loopback,
    serve,
)
from seam_tui.sandbox.settle_config import SETTLE_AFTER_VAR, parse_settle_after

DEFAULT_PORT = 8787


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seam_tui.sandbox",
        description="The offline emulator of the Seam Connect API.",
    )
    add_sandbox_arguments(parser)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sub-commands (serve, reset, seed) to the `sandbox` parser of `seam-tui`."""
    commands = parser.add_subparsers(dest="sandbox_command", required=True, metavar="COMMAND")
    db_help = f"database file (default: {default_db_path()})"

    serve_parser = commands.add_parser("serve", help="serve the sandbox over HTTP")
    serve_parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve_parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}; 0 = any free"
    )
    serve_parser.add_argument("--db", type=Path, help=db_help)
    serve_parser.add_argument(
        "--allow-remote", action="store_true", help="allow a host other than loopback"
    )
    serve_parser.add_argument(
        "--settle-after",
        type=_settle_seconds,
        metavar="SECONDS",
        help="seconds a write takes to reach the access system, as with the real API: until"
        " then the object shows pending_mutations (deletes: being_deleted); default:"
        f" ${SETTLE_AFTER_VAR}, else 0 (at once)",
    )
    limits = serve_parser.add_argument_group("limits for slow or greedy clients")
    limits.add_argument(
        "--body-timeout",
        type=_seconds,
        metavar="SECONDS",
        default=BODY_TIMEOUT_S,
        help=f"seconds a request's body may take to arrive, else 408 (default: {BODY_TIMEOUT_S:g})",
    )
    limits.add_argument(
        "--keep-alive-timeout",
        type=_positive,
        metavar="SECONDS",
        default=KEEP_ALIVE_S,
        help="whole seconds a connection may wait for (or take to send) its next request's"
        f" head before it is closed (default: {KEEP_ALIVE_S})",
    )
    limits.add_argument(
        "--limit-concurrency",
        type=_positive,
        metavar="N",
        default=MAX_CONCURRENCY,
        help="connections or requests at once beyond which new requests get 503"
        f" (default: {MAX_CONCURRENCY}); bodies are capped at {MAX_BODY_BYTES} bytes (413)",
    )
    faults = serve_parser.add_argument_group("fault injection")
    faults.add_argument(
        "--fault-rate", type=float, default=0.0, help="probability that a request fails"
    )
    faults.add_argument(
        "--fault-kinds",
        type=_fault_kinds,
        default=FAULT_KINDS,
        help="comma-separated, from 500,429,drop,latency (default: all)",
    )
    faults.add_argument("--fault-latency", type=float, default=2.0, help="seconds (latency)")
    faults.add_argument("--fault-retry-after", type=float, default=1.0, help="seconds (429)")
    faults.add_argument("--fault-seed", type=int, help="seed for repeatable faults")
    faults.add_argument(
        "--push-failure-rate",
        type=_probability,
        metavar="P",
        default=0.0,
        help="probability that a change fails to reach the access system when it settles"
        " (with --settle-after): the ACS user then shows failed_to_*_on_acs_system",
    )
    serve_parser.set_defaults(func=_one_line_errors(_serve))

    reset_parser = commands.add_parser("reset", help="wipe the sandbox and re-seed the demo data")
    reset_parser.add_argument("--db", type=Path, help=db_help)
    reset_parser.set_defaults(func=_one_line_errors(_reset))

    seed_parser = commands.add_parser(
        "seed",
        help="bulk-add user identities (scale testing), or add the hostile-data workspace",
    )
    what = seed_parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--identities", type=_count, metavar="N", help="add N user identities")
    what.add_argument(
        "--hostile",
        action="store_true",
        help="add a new workspace full of hostile names, emails and keys (profile"
        " sandbox-hostile), to check that every value is shown literally",
    )
    seed_parser.add_argument(
        "--workspace", metavar="NAME_OR_ID", help="with --identities; default: the first workspace"
    )
    seed_parser.add_argument("--db", type=Path, help=db_help)
    seed_parser.set_defaults(func=_one_line_errors(_seed))


def _one_line_errors(command: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """Run a command; a database or setting that cannot be used is one line on stderr, exit 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except SeamError as exc:
            error(exc)
            return FAILED

    return run


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return value


def _settle_seconds(text: str) -> float:
    try:
        return parse_settle_after(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {text!r}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _fault_kinds(text: str) -> frozenset[str]:
    kinds = frozenset(kind.strip() for kind in text.split(",") if kind.strip())
    unknown = kinds - FAULT_KINDS
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown fault kind(s): {', '.join(sorted(unknown))}")
    return kinds


def _serve(args: argparse.Namespace) -> int:
    if not args.allow_remote and not is_loopback(args.host):
        error(
            f"refusing to serve on {args.host}: not a loopback address"
            " (the sandbox's keys are not secret); pass --allow-remote to do it anyway"
        )
        return USAGE
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        error(f"cannot listen on {args.host}:{args.port}: {exc}")
        return FAILED
    try:
        sandbox = Sandbox(args.db or default_db_path(), settle_after=args.settle_after)
    except SeamError:  # the file or $SEAM_TUI_SANDBOX_SETTLE_AFTER: `_one_line_errors`
        sock.close()
        raise
    sandbox.limits = RequestLimits(body_timeout_s=args.body_timeout)
    sandbox.faults = FaultConfig(
        rate=args.fault_rate,
        kinds=args.fault_kinds,
        latency_s=args.fault_latency,
        retry_after_s=args.fault_retry_after,
        seed=args.fault_seed,
        push_failure_rate=args.push_failure_rate,
    )
    try:
        serve(
            sandbox,
            sock,
            sys.stdout,
            ServeLimits(keep_alive_s=args.keep_alive_timeout, concurrency=args.limit_concurrency),
        )
    finally:
        sandbox.close()
        sock.close()
    return 0


def _reset(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    started = time.perf_counter()
    workspaces, replaced = Sandbox.reset_file(path)
    if replaced:
        say(f"{path} was not a valid database: replaced it with a new one")
    say(f"Reset the sandbox at {path} in {time.perf_counter() - started:.2f}s:")
    for ws in workspaces:
        say(f"  {ws.name}  workspace_id={ws.workspace_id}  api_key={ws.api_key}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    if args.hostile:
        return _seed_hostile(args)
    path = args.db or default_db_path()
    sandbox = Sandbox(path)
    try:
        workspaces = sandbox.workspaces()
        chosen = [ws for ws in workspaces if args.workspace in (None, ws.workspace_id, ws.name)]
        if not chosen:
            names = ", ".join(ws.name for ws in workspaces)
            error(f"no workspace {args.workspace!r}; the sandbox has: {names}")
            return FAILED
        target = chosen[0]
        started = time.perf_counter()
        added = sandbox.seed_identities(target.workspace_id, args.identities)
        took = time.perf_counter() - started
    finally:
        sandbox.close()
    say(f"Added {added} user identities to {target.name} ({target.workspace_id}) in {took:.2f}s")
    return 0


def _seed_hostile(args: argparse.Namespace) -> int:
    """Add the hostile workspace and say so in one ASCII line that quotes no data value."""
    # Imported here: it pulls in the API client, which serve and reset do not need.
    from seam_tui.sandbox.hostile import HostileSeedExists, seed_hostile

    if args.workspace is not None:
        error("--workspace goes with --identities: --hostile adds its own workspace")
        return USAGE
    sandbox = Sandbox(args.db or default_db_path())
    try:
        seeded = asyncio.run(seed_hostile(sandbox))
    except HostileSeedExists as exc:
        error(exc)
        return FAILED
    finally:
        sandbox.close()
    say(
        f"Added the hostile workspace {seeded.workspace_id}: {seeded.identities} user identities,"
        f" {seeded.acs_users} ACS users, {seeded.acs_systems} ACS systems,"
        f" {seeded.access_groups} access groups; open it with: seam-tui --workspace"
        f" {seeded.profile}"
    )
    return 0
