"""`seam-tui people plan|apply|offboard|export`: people in bulk, from a script or a terminal.

stdout is data (the plan, one result per row as JSON lines, or the export); stderr is the
summary, progress and questions. A change is made only after the plan is shown and confirmed
(on a terminal) or with --yes. Exit codes: 0 done (for `plan`: nothing stops an apply), 1 the
plan has problems, a row failed or the workspace/file refused, 2 a wrong command line,
130 interrupted (rows already done stay done; run the same command again to finish).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TextIO

from seam_tui.console_text import ask, error, note, say, say_json
from seam_tui.core.people import (
    ApplyReport,
    ImportPlan,
    PlanNotReady,
    RowResult,
    apply_import,
    default_result_path,
    plan_import,
    read_people_file,
)
from seam_tui.core.people.export import export_people
from seam_tui.core.people.model import OffboardMode
from seam_tui.core.people.offboard import plan_offboard
from seam_tui.core.service import SeamService
from seam_tui.exit_codes import FAILED, INTERRUPTED, OK, UsageError
from seam_tui.visible import visible
from seam_tui.workspaces.cli_io import command, insecure_file_store, interactive
from seam_tui.workspaces.resolve import resolve_workspace

PROG = "seam-tui people"


def add_people_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `plan`, `apply`, `offboard` and `export` to the `people` parser."""
    sub = parser.add_subparsers(dest="people_command", required=True, metavar="COMMAND")

    plan = sub.add_parser("plan", help="show what importing FILE would do (changes nothing)")
    _file_and_workspace(plan)
    plan.add_argument("--json", action="store_true", help="one JSON object per row on stdout")
    plan.set_defaults(func=command(_plan))

    apply = sub.add_parser("apply", help="plan FILE, confirm, then apply it (resumable)")
    _file_and_workspace(apply)
    _apply_options(apply)
    apply.set_defaults(func=command(_apply))

    offboard = sub.add_parser(
        "offboard", help="take access away from the people in FILE (planned, confirmed first)"
    )
    _file_and_workspace(offboard)
    offboard.add_argument(
        "--mode",
        choices=("suspend", "unlink", "delete"),
        default="suspend",
        help="suspend: leave groups, lose device grants, ACS users suspended (default); "
        "unlink: that, then unlink the ACS users; delete: delete the identities and their "
        "ACS users",
    )
    _apply_options(offboard)
    offboard.set_defaults(func=command(_offboard))

    export = sub.add_parser("export", help="every identity with its ACS users and groups")
    _workspace(export)
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    export.add_argument("--output", "-o", type=Path, help="write to this file (default: stdout)")
    export.set_defaults(func=command(_export))


def _workspace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        dest="profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="act in this workspace profile (default: the one the TUI would open)",
    )


def _file_and_workspace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="CSV or JSON lines, one person per row"
    )
    _workspace(parser)


def _apply_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    parser.add_argument(
        "--skip-invalid", action="store_true", help="apply the other rows when some have problems"
    )
    parser.add_argument(
        "--result", type=Path, metavar="FILE", help="result file (default: FILE.result.jsonl)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, metavar="N", help="rows at once (1-32, default 8)"
    )


def _open(args: argparse.Namespace) -> SeamService:
    resolved = resolve_workspace(
        getattr(args, "profile", None),
        read_only=bool(getattr(args, "read_only", False)),
        insecure_file_store=insecure_file_store(args),
    )
    return resolved.open_service("cli")


# ----------------------------------------------------------------------------- plan


def _plan(args: argparse.Namespace) -> int:
    async def run() -> ImportPlan:
        service = _open(args)
        async with service.client:
            return await plan_import(service, read_people_file(args.file), args.file.name)

    plan = asyncio.run(run())
    _show_plan(plan, as_json=args.json)
    return FAILED if plan.problems() else OK


def _show_plan(plan: ImportPlan, *, as_json: bool) -> None:
    """The plan on stdout (a line per row, or JSON lines); its summary on stderr."""
    for row in plan.rows:
        if as_json:
            say_json(
                {
                    "row": row.person.row,
                    "action": row.action,
                    "user_identity_id": row.user_identity_id,
                    "matched_on": row.matched_on,
                    "steps": [s.text for s in row.steps],
                    "problems": [str(p) for p in row.problems],
                },
                indent=None,
            )
            continue
        what = "; ".join(s.text for s in row.steps) or "; ".join(p.in_row for p in row.problems)
        say(f"row {row.person.row}  {row.action}  {row.person.label()}  {what}")
    if plan.file_problem is not None:
        error(plan.file_problem, prog=PROG)
    else:
        note(f"{plan.summary()} (workspace {plan.workspace}, plan {plan.token})", prog=PROG)


# ---------------------------------------------------------------------------- apply


def _apply(args: argparse.Namespace) -> int:
    return _plan_then_apply(args, None)


def _offboard(args: argparse.Namespace) -> int:
    mode: OffboardMode = args.mode
    return _plan_then_apply(args, mode)


def _plan_then_apply(args: argparse.Namespace, mode: OffboardMode | None) -> int:
    if not 1 <= args.concurrency <= 32:
        raise UsageError(f"--concurrency must be 1 to 32, not {args.concurrency}")
    if not args.yes and not interactive():
        raise UsageError("stdin is not a terminal, so nothing can be confirmed: add --yes")
    result_path = args.result or default_result_path(args.file)
    started = time.monotonic()

    async def run() -> ApplyReport | None:
        service = _open(args)
        async with service.client:
            people = read_people_file(args.file)
            plan = await (
                plan_offboard(service, people, args.file.name, mode)
                if mode
                else plan_import(service, people, args.file.name)
            )
            _show_summary(plan)
            try:
                rows = plan.to_apply(skip_invalid=args.skip_invalid)
            except PlanNotReady as exc:
                error(exc, prog=PROG)
                return None
            if rows and not args.yes and not _confirmed(plan, len(rows)):
                raise _Declined
            report = await apply_import(
                service,
                plan,
                skip_invalid=args.skip_invalid,
                concurrency=args.concurrency,
                result_path=result_path,
                on_row=_progress(),
            )
            return report

    try:
        report = asyncio.run(run())
    except _Declined:
        note("not applied; nothing was changed", prog=PROG)
        return INTERRUPTED
    except KeyboardInterrupt:
        error(
            f"interrupted; the rows done are in {result_path}: run the same command again "
            "to finish (done rows are not done twice)",
            prog=PROG,
        )
        return INTERRUPTED
    if report is None:
        return FAILED
    seconds = time.monotonic() - started
    note(f"{report.summary()} in {seconds:.1f} s; results in {result_path}", prog=PROG)
    return FAILED if report.failed or report.stopped else OK


class _Declined(Exception):
    """The person answered no."""


def _show_summary(plan: ImportPlan) -> None:
    for row in plan.rows:
        for problem in row.problems if row.is_error else ():
            note(f"{problem}", prog=PROG)
    if plan.file_problem is None:
        note(f"plan: {plan.summary()} (workspace {plan.workspace})", prog=PROG)


def _confirmed(plan: ImportPlan, count: int) -> bool:
    verb = f"offboard ({plan.offboard})" if plan.offboard else "apply"
    answer = ask(f"{verb} {count} row(s) in workspace {plan.workspace}? [y/N] ")
    return answer.lower() in ("y", "yes")


def _progress() -> Callable[[RowResult, int, int], None]:
    last = 0.0

    def show(result: RowResult, done: int, total: int) -> None:
        nonlocal last
        say_json(result.to_json(), indent=None)
        now = time.monotonic()
        if done == total or now - last >= 1.0:
            last = now
            say(f"{PROG}: {done}/{total} rows", file=sys.stderr)

    return show


# --------------------------------------------------------------------------- export


def _export(args: argparse.Namespace) -> int:
    fmt: Literal["csv", "jsonl"] = args.format

    async def run() -> int:
        service = _open(args)
        async with service.client:
            if args.output is None:
                out = _Shown(sys.stdout) if sys.stdout.isatty() else sys.stdout
                return await export_people(service, out, fmt, on_page=_export_progress)
            with args.output.open("w", encoding="utf-8", newline="") as out:
                return await export_people(service, out, fmt, on_page=_export_progress)

    count = asyncio.run(run())
    note(f"exported {count} identities", prog=PROG)
    return OK


def _export_progress(count: int) -> None:
    say(f"{PROG}: {count} identities", file=sys.stderr)


class _Shown:
    """stdout on a terminal: data written with its hidden characters made visible."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write("\n".join(visible(part) for part in text.split("\n")))
