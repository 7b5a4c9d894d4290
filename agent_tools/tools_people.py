"""People in bulk: plan an import (or an offboarding) of many people, then apply that plan.

The plan is the preview: `apply_people_plan` takes only its token. The rows (or the file's path)
stay with the server for the session; applying plans them again and refuses, changing nothing,
when the result differs from the plan the token names (the workspace or the file changed), so
a model can never apply what the user was not shown.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.plans import id_text, quoted
from agent_tools.tool import READ, Count, Flag, Hints, ToolInput, ToolOutput, tool
from seam_tui.core.people import (
    ImportPlan,
    PlanNotReady,
    RowResult,
    apply_import,
    default_result_path,
    plan_import,
    read_people_file,
    read_people_text,
)
from seam_tui.core.people.model import OffboardMode, PlannedRow
from seam_tui.core.people.offboard import plan_offboard
from seam_tui.core.service import SeamService
from seam_tui.visible import visible

# Rows listed per call; the counts cover every row.
MAX_ROWS = 50
# Plans kept per server for apply_people_plan (the oldest is forgotten first).
KEPT_PLANS = 20
# What `path` may name: a people file, not any file the server can read.
FILE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")
INLINE_SOURCE = "rows given inline"


@dataclass(frozen=True)
class _Source:
    """What a token was planned from: where, which rows, and what kind of plan."""

    workspace: str | None
    rows: str | None
    path: Path | None
    offboard: OffboardMode | None


_plans: weakref.WeakKeyDictionary[ToolContext, OrderedDict[str, _Source]] = (
    weakref.WeakKeyDictionary()
)


class PlanPeopleInput(ToolInput):
    rows: str | None = None
    path: str | None = Field(None, description="Or a file on the server.")
    offboard: OffboardMode | None = None
    offset: Count = Field(0, ge=0)


class ApplyPeoplePlanInput(ToolInput):
    token: str
    skip_invalid: Flag = False


class PlanRowOut(ToolOutput):
    """One row of a plan: what it matched and the writes it needs, or its problems."""

    row: int
    action: str
    who: str
    user_identity_id: str | None = None
    matched_on: str | None = None
    steps: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, row: PlannedRow) -> PlanRowOut:
        return cls(
            row=row.person.row,
            action=row.action,
            who=row.person.label(),
            user_identity_id=row.user_identity_id,
            matched_on=row.matched_on,
            steps=[s.text for s in row.steps],
            problems=[str(p) for p in row.problems],
        )


class PeoplePlanOut(ToolOutput):
    summary: str
    token: str
    counts: dict[str, int]
    rows: list[PlanRowOut] = Field(default_factory=list)
    next_offset: int | None = None


class RowResultOut(ToolOutput):
    """What applying one row did: its status, the ids made or used, and its error."""

    row: int
    status: str
    user_identity_id: str | None = None
    acs_user_ids: list[str] = Field(default_factory=list)
    error: str | None = None

    @classmethod
    def of(cls, result: RowResult) -> RowResultOut:
        return cls.model_validate(result.to_json())


class PeopleApplyOut(ToolOutput):
    summary: str
    counts: dict[str, int]
    rows: list[RowResultOut] = Field(default_factory=list)
    result_file: str | None = None


@tool(title="Plan a people import", hints=READ)
async def plan_people(context: ToolContext, data: PlanPeopleInput) -> PeoplePlanOut:
    """Plan importing (or offboarding) people from rows (CSV or JSON lines): full_name,
    email_address, phone_number, user_identity_key, acs_system_ids, acs_access_group_ids
    (space-separated), starts_at, ends_at.

    Show the user, then apply_people_plan.
    """
    source = _source(data, local_files=context.local_files)
    service = await context.service(data.workspace)
    plan = await _plan(service, source)
    if plan.file_problem is not None:
        raise ToolError(
            visible(f"The rows cannot be read: {plan.file_problem}. Fix them and call again.")
        )
    operation = "offboard_people" if plan.offboard else "import_people"
    ids = {"source": plan.source, "rows": str(len(plan.rows)), "plan": plan.token}
    service.record_dry_run(operation, ids, plan.summary())
    kept = _plans.setdefault(context, OrderedDict())
    kept[plan.token] = source
    kept.move_to_end(plan.token)
    while len(kept) > KEPT_PLANS:
        kept.popitem(last=False)
    listed = [r for r in plan.rows if r.action != "nothing"]
    shown = listed[data.offset : data.offset + MAX_ROWS]
    more = data.offset + len(shown) < len(listed)
    return PeoplePlanOut(
        summary=_plan_summary(plan, more=more, read_only=context.read_only),
        token=plan.token,
        counts={a: n for a, n in plan.counts().items() if n},
        rows=[PlanRowOut.of(r) for r in shown],
        next_offset=data.offset + len(shown) if more else None,
    )


@tool(title="Apply a people plan", hints=Hints(destructive=True))
async def apply_people_plan(context: ToolContext, data: ApplyPeoplePlanInput) -> PeopleApplyOut:
    """Apply a plan_people plan by its token; refused if anything changed since.

    Never makes a person twice.
    """
    source = _plans.get(context, OrderedDict()).get(data.token)
    if source is None:
        raise ToolError(
            f"No plan has token {quoted(data.token)} on this server; nothing was applied. "
            "Call plan_people, show the user the plan, then apply it with its token."
        )
    service = await context.service(source.workspace)
    if data.workspace is not None:
        named = await context.service(data.workspace)
        if named.workspace != service.workspace:
            raise ToolError(
                f"That plan is for workspace {quoted(service.workspace)}, not "
                f"{quoted(named.workspace)}; nothing was applied. Plan again in the workspace "
                "you mean."
            )
    plan = await _plan(service, source)
    if plan.token != data.token:
        now = str(plan.file_problem) if plan.file_problem else plan.summary()
        raise ToolError(
            visible(
                "The workspace or the rows changed since that plan; nothing was applied. It "
                f"would now do: {now}. Plan again: call plan_people, show the user the new "
                "plan, and apply it with its token."
            )
        )
    try:
        plan.to_apply(skip_invalid=data.skip_invalid)
    except PlanNotReady:
        errors = sum(1 for r in plan.rows if r.is_error)
        raise ToolError(
            f"{errors} row(s) of the plan have problems (plan_people lists them); nothing was "
            "applied. Fix the rows and plan again, or call again with skip_invalid=true to "
            "apply the other rows."
        ) from None
    result_path = default_result_path(source.path) if source.path else None
    results: list[RowResult] = []
    report = await apply_import(
        service,
        plan,
        skip_invalid=data.skip_invalid,
        result_path=result_path,
        on_row=lambda result, _done, _total: results.append(result),
    )
    results.sort(key=lambda r: (r.status != "failed", r.row))
    summary = f"Applied in workspace {quoted(plan.workspace)}: {report.summary()}."
    if report.failed:
        summary += (
            " The failed rows come first in rows, with their error; plan again to see what is "
            "left (done rows are not done twice)."
        )
    if len(results) > MAX_ROWS:
        summary += f" rows lists {MAX_ROWS} of {len(results)}; counts cover them all."
    return PeopleApplyOut(
        summary=summary,
        counts={s: n for s, n in report.counts.items() if n},
        rows=[RowResultOut.of(r) for r in results[:MAX_ROWS]],
        result_file=str(result_path) if result_path else None,
    )


def _source(data: PlanPeopleInput, *, local_files: bool) -> _Source:
    """Exactly one of rows and path; a path must name a people file, and only a server that
    runs on the caller's machine (stdio) reads one."""
    if (data.rows is None) == (data.path is None):
        raise ToolError(
            "Invalid arguments for plan_people: give exactly one of rows (the CSV or JSON-lines "
            "text) and path (a file on the server). Fix them and call again."
        )
    path = None
    if data.path is not None and not local_files:
        raise ToolError(
            "Invalid arguments for plan_people: path: this server is reached over HTTP, so it "
            "reads no file of its machine; pass the people as rows (CSV or JSON-lines text)."
        )
    if data.path is not None:
        path = Path(data.path).expanduser()
        if path.suffix.lower() not in FILE_SUFFIXES:
            raise ToolError(
                f"Invalid arguments for plan_people: path: {quoted(data.path)} is not a people "
                f"file; name a {'/'.join(FILE_SUFFIXES)} file, or pass the rows inline."
            )
    return _Source(data.workspace, data.rows, path, data.offboard)


async def _plan(service: SeamService, source: _Source) -> ImportPlan:
    if source.path is not None:
        people = read_people_file(source.path)
        name = source.path.name
    else:
        people = read_people_text(source.rows or "")
        name = INLINE_SOURCE
    if source.offboard:
        return await plan_offboard(service, people, name, source.offboard)
    return await plan_import(service, people, name)


def _plan_summary(plan: ImportPlan, *, more: bool, read_only: bool) -> str:
    what = f"offboarding ({plan.offboard})" if plan.offboard else "import"
    text = (
        f"Planned {what} of {quoted(plan.source)} in workspace {quoted(plan.workspace)}: "
        f"{plan.summary()}. Nothing has changed."
    )
    errors = sum(1 for r in plan.rows if r.is_error)
    if errors:
        text += (
            f" {errors} row(s) have problems: fix them and plan again, or apply with "
            "skip_invalid=true to apply only the others."
        )
    if more:
        text += " More rows: call again with offset=next_offset."
    if read_only:
        return f"{text} This server is read-only: it cannot apply the plan."
    return (
        f"{text} Show the user the plan; to apply it, call apply_people_plan with token "
        f"{id_text(plan.token)}."
    )


TOOLS = (plan_people, apply_people_plan)
