"""The create_user_identity tool: plans before it acts, and says exactly what it did.

Every chosen system is checked first (any problem refuses the call, nothing created); a dry run
returns the plan. After a partial failure the result lists, per system, what was created, what
existing ACS user was linked and what failed, with `finish` and `undo` as tool calls in order.
The undo only ever unlinks what this call linked and deletes what it created.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.outputs import IdentityOut
from agent_tools.plans import id_text, identity_label, previewed, quoted
from agent_tools.tool import CREATE, DryRunInput, ToolOutput, tool
from seam_tui.core.identity_plan import refusal
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.results import (
    CreateIdentityResult,
    CreatePlan,
    PlannedAcsUser,
    SystemOutcome,
    ToolCall,
)
from seam_tui.core.service import SeamService


class CreateUserIdentityInput(DryRunInput, UserIdentityCreate):
    """The API's create arguments, plus acs_system_ids, the workspace and dry_run."""


class CreateStepOut(ToolOutput):
    """One chosen system: what the call would do (create / link) or did."""

    acs_system_id: str
    system_name: str
    status: Literal["create", "link", "created", "linked", "failed"]
    acs_user_id: str | None = None
    acs_user_name: str | None = None
    matched_on: list[str] = Field(default_factory=list)
    error: str | None = None
    pending: list[str] = Field(default_factory=list)

    @classmethod
    def planned(cls, step: PlannedAcsUser) -> CreateStepOut:
        return cls.model_validate(step.model_dump() | {"status": step.action})

    @classmethod
    def done(cls, outcome: SystemOutcome) -> CreateStepOut:
        return cls.model_validate(outcome.model_dump(exclude={"action", "uncertain"}))


class ToolCallOut(ToolOutput):
    tool: str
    arguments: dict[str, Any]

    @classmethod
    def of(cls, call: ToolCall) -> ToolCallOut:
        return cls.model_validate(call.model_dump())


class CreateIdentityOut(ToolOutput):
    summary: str
    dry_run: bool = False
    user_identity: IdentityOut | None = None
    acs_users: list[CreateStepOut] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    undo: list[ToolCallOut] = Field(default_factory=list)
    finish: list[ToolCallOut] = Field(default_factory=list)


@tool(title="Create a user identity", hints=CREATE)
async def create_user_identity(
    context: ToolContext, data: CreateUserIdentityInput
) -> CreateIdentityOut:
    """Create a user identity (a person), with an ACS user in each of acs_system_ids (an
    unlinked one with the same email or phone is linked).

    Email, phone, key are unique. A problem refuses the call. On partial failure follow finish
    or undo.
    """
    service = await context.service(data.workspace)
    if data.dry_run:
        return _dry_run(service, await service.plan_identity_creation(data))
    result = await service.create_identity(data)
    return CreateIdentityOut(
        summary=_summary(result),
        user_identity=IdentityOut.of(result.identity),
        acs_users=[CreateStepOut.done(o) for o in result.outcomes],
        undo=[ToolCallOut.of(c) for c in result.undo_calls()] if result.outcomes else [],
        finish=[ToolCallOut.of(c) for c in result.finish_calls()],
    )


def _dry_run(service: SeamService, plan: CreatePlan) -> CreateIdentityOut:
    data = plan.identity
    name = data.full_name or data.email_address or data.phone_number or data.user_identity_key
    text = f"would create user identity {quoted(name or '')}"
    steps = [_planned_text(step) for step in plan.acs_users]
    if steps:
        text += ", then " + "; ".join(steps)
    if plan.problems:
        text = f"{text}, but it would be refused: {refusal(plan).message.split(': ', 1)[1]}"
    return CreateIdentityOut(
        summary=previewed(service, "create_user_identity", {}, text, would_change=plan.ok),
        dry_run=True,
        acs_users=[CreateStepOut.planned(step) for step in plan.acs_users],
        problems=[f"{p.field}: {p.message}" for p in plan.problems],
    )


def _planned_text(step: PlannedAcsUser) -> str:
    where = quoted(step.system_name)
    if step.action == "create":
        return f"in {where} create an ACS user"
    matched = " and ".join(m.replace("_", " ") for m in step.matched_on)
    why = f"same {matched}" if matched else "chosen"
    name = f"{quoted(step.acs_user_name)} " if step.acs_user_name else ""
    acs_user_id = id_text(step.acs_user_id or "")
    return f"in {where} link existing ACS user {name}({acs_user_id}, {why})"


def _summary(result: CreateIdentityResult) -> str:
    text = f"Created user identity {identity_label(result.identity)}."
    done = []  # per system: `"Acme Tower" created ACS user acs_1`
    for o in result.outcomes:
        acs_user_id = id_text(o.acs_user_id or "")
        if o.status == "created":
            what = f"created ACS user {acs_user_id}"
        elif o.status == "linked":
            what = f"linked existing ACS user {acs_user_id}"
        else:
            tried = "create an ACS user" if o.action == "create" else f"link {acs_user_id}"
            what = f"FAILED to {tried}: {quoted(o.error or 'failed')}"
        done.append(f"{quoted(o.system_name)} {what}")
    if done:
        text += " In " + "; in ".join(done) + "."
    pushing = [quoted(o.system_name) for o in result.outcomes if o.pending]
    if pushing:
        text += (
            f" Queued: Seam is pushing the ACS user(s) to {', '.join(pushing)}; "
            "get_user_identity with wait_seconds waits for them."
        )
    if not result.complete:
        text += (
            " To finish, make the calls in finish; to undo, make the calls in undo, in order "
            "and stopping at a failure."
        )
    if result.outcomes:
        text += " " + _undo_text(result)
    if result.audit_error:
        text += f" Warning: {result.audit_error}"
    return text


def _undo_text(result: CreateIdentityResult) -> str:
    unlink = [id_text(o.acs_user_id or "") for o in result.to_unlink]
    made = [id_text(o.acs_user_id or "") for o in result.created]
    text = "Undo "
    if unlink:
        text += f"first unlinks existing ACS user(s) {', '.join(unlink)} (they stay), then "
    text += "deletes the identity"
    if made:
        text += f" and with it the ACS user(s) this call created ({', '.join(made)})"
    return text + "; nothing else."
