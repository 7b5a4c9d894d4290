"""Create a user identity with ACS users in chosen systems, as planned (`identity_plan`).

Doing it is one audited multi-step operation: its intent is recorded before the first step, so
an interrupted run shows in Activity. The result says exactly what was done in each system; its
undo unlinks the pre-existing ACS users this call linked (they stay) before deleting the
identity, which deletes with it only the ACS users this call created.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from seam_tui.core.audit_names import names_of
from seam_tui.core.errors import (
    AuditWriteError,
    SeamConflictError,
    SeamError,
    SeamServerError,
    SeamTransportError,
)
from seam_tui.core.identity_plan import describe_plan, plan_identity_creation, quoted, refusal
from seam_tui.core.inputs import AcsUserCreate, LinkAcsUser, UserIdentityCreate
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.results import (
    CreateIdentityResult,
    CreatePlan,
    PlannedAcsUser,
    SystemOutcome,
    UndoReport,
    acs_user_name_for,
)
from seam_tui.core.settling import pending_of

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

OPERATION = "create_user_identity"

# ----------------------------------------------------------------------------------- apply


async def create_identity(
    service: SeamService, data: UserIdentityCreate | CreatePlan
) -> CreateIdentityResult:
    """Plan (unless given a plan), refuse on any problem, then create as planned.

    Raises before anything is created (read-only, a problem in the plan, the identity itself
    refused); after that, the result says what was done in each system.
    """
    service.require_writable(OPERATION)
    plan = data if isinstance(data, CreatePlan) else await plan_identity_creation(service, data)
    if plan.problems:
        service.record_refusal(OPERATION, {}, str(refusal(plan)))
        raise refusal(plan)
    if not plan.acs_users:
        return CreateIdentityResult(identity=await _create_bare(service, plan.identity))
    ids: dict[str, Any] = {}  # the outcome line names the identity once it exists
    names: dict[str, str] = {}

    async def create() -> CreateIdentityResult:
        identity = await _create_bare(service, plan.identity)
        ids["user_identity_id"] = identity.user_identity_id
        names.update(names_of(identity))
        outcomes = await _apply(service, identity, plan.acs_users, look_first=False)
        return CreateIdentityResult(
            identity=await _refreshed(service, identity, outcomes), outcomes=outcomes
        )

    return await _recorded(service, ids, describe_plan(plan), create, names)


async def _recorded(
    service: SeamService,
    ids: dict[str, Any],
    intent: str,
    work: Callable[[], Awaitable[CreateIdentityResult]],
    names: dict[str, str],
) -> CreateIdentityResult:
    """Run `work` as one audited multi-step operation. Once it has a result, a failure to
    record the outcome is reported in `audit_error` rather than raised: what was made stays
    known to the caller."""
    result: CreateIdentityResult | None = None
    try:
        async with service.steps(OPERATION, ids, intent, names=names) as run:
            result = await work()
            run.outcome = "ok" if result.complete else "partial"
            run.detail = describe_result(result)
    except AuditWriteError as exc:
        if result is None:
            raise
        result.audit_error = str(exc)
    assert result is not None
    return result


async def _create_bare(service: SeamService, data: UserIdentityCreate) -> UserIdentity:
    params = data.to_params()
    params.pop("acs_system_ids", None)
    ids: dict[str, Any] = {}
    names: dict[str, str] = {}

    async def create() -> UserIdentity:
        try:
            identity = await service.client.user_identities.create(**params)
        except SeamConflictError as exc:
            raise await service._explain_conflict(exc, params) from None
        ids["user_identity_id"] = identity.user_identity_id
        names.update(names_of(identity))
        return identity

    return await service.change(OPERATION, ids, create, names=names)


async def _refreshed(
    service: SeamService, identity: UserIdentity, outcomes: list[SystemOutcome]
) -> UserIdentity:
    """The identity as it is now; if it cannot be read, as the outcomes say it is."""
    try:
        return await service.client.user_identities.get(user_identity_id=identity.user_identity_id)
    except SeamError:
        ids = [o.acs_user_id for o in outcomes if o.status != "failed" and o.acs_user_id]
        return identity.model_copy(update={"acs_user_ids": (*identity.acs_user_ids, *ids)})


async def _apply(
    service: SeamService, identity: UserIdentity, steps: list[PlannedAcsUser], *, look_first: bool
) -> list[SystemOutcome]:
    """Each step in turn; once the audit log cannot be written, the rest are not tried."""
    outcomes: list[SystemOutcome] = []
    stopped: str | None = None
    for step in steps:
        if stopped is not None:
            outcomes.append(_outcome(step, "failed", error=f"not tried: {stopped}"))
            continue
        try:
            outcomes.append(await _apply_step(service, identity, step, look_first=look_first))
        except AuditWriteError as exc:
            stopped = "the audit log could not be written"
            outcomes.append(await _after_audit_error(service, identity, step, exc))
    return outcomes


def _outcome(step: PlannedAcsUser, status: str, **fields: Any) -> SystemOutcome:
    return SystemOutcome.model_validate(
        {
            "acs_system_id": step.acs_system_id,
            "system_name": step.system_name,
            "action": step.action,
            "acs_user_id": step.acs_user_id,
            "acs_user_name": step.acs_user_name,
            "status": status,
            **fields,
        }
    )


def _done(step: PlannedAcsUser, user: AcsUser) -> SystemOutcome:
    status = "linked" if step.action == "link" else "created"
    name = user.full_name or user.display_name or step.acs_user_name
    pending = [item.what for item in pending_of(user)]
    return _outcome(step, status, acs_user_id=user.acs_user_id, acs_user_name=name, pending=pending)


async def _apply_step(
    service: SeamService, identity: UserIdentity, step: PlannedAcsUser, *, look_first: bool
) -> SystemOutcome:
    identity_id = identity.user_identity_id
    try:
        if look_first:
            found = await _look(service, identity_id, step)
            if found is not None:
                return _done(step, found)
        if step.action == "link":
            assert step.acs_user_id is not None
            user = await service.link_acs_user(
                LinkAcsUser(user_identity_id=identity_id, acs_user_id=step.acs_user_id)
            )
        else:
            user = await service.create_acs_user(
                AcsUserCreate(
                    acs_system_id=step.acs_system_id,
                    full_name=acs_user_name_for(identity),
                    email_address=identity.email_address,
                    phone_number=identity.phone_number,
                    user_identity_id=identity_id,
                )
            )
    except AuditWriteError:
        raise
    except (SeamServerError, SeamTransportError) as exc:
        return await _checked(service, identity_id, step, _text(exc))
    except (SeamError, ValidationError) as exc:
        return _outcome(step, "failed", error=_text(exc))
    return _done(step, user)


async def _after_audit_error(
    service: SeamService, identity: UserIdentity, step: PlannedAcsUser, exc: AuditWriteError
) -> SystemOutcome:
    if not exc.done:
        return _outcome(step, "failed", error=str(exc))
    return await _checked(service, identity.user_identity_id, step, str(exc), applied=True)


async def _checked(
    service: SeamService,
    identity_id: str,
    step: PlannedAcsUser,
    error: str,
    *,
    applied: bool = False,
) -> SystemOutcome:
    """After a 5xx or a lost answer the step may have been applied: look, so the outcome says
    what exists (and whether it could be checked)."""
    verb = "linked" if step.action == "link" else "created"
    try:
        found = await _look(service, identity_id, step)
    except SeamError as check:
        note = f"could not check afterwards whether it was {verb}: {_text(check)}"
        return _outcome(step, "failed", error=f"{error} ({note})", uncertain=True)
    if found is not None:
        return _done(step, found)
    if applied:
        return _outcome(step, "failed", error=error)
    return _outcome(step, "failed", error=f"{error} (checked afterwards: it was not {verb})")


async def _look(service: SeamService, identity_id: str, step: PlannedAcsUser) -> AcsUser | None:
    """The identity's ACS user that this step makes, if it exists now."""
    if step.action == "link":
        assert step.acs_user_id is not None
        user = await service.client.acs.users.get(acs_user_id=step.acs_user_id)
        return user if user.user_identity_id == identity_id else None
    page = await service.client.acs.users.list(
        user_identity_id=identity_id, acs_system_id=step.acs_system_id, limit=1
    )
    return page.items[0] if page.items else None


def _text(exc: SeamError | ValidationError) -> str:
    return " ".join([str(exc), *getattr(exc, "__notes__", ())])


def describe_result(result: CreateIdentityResult) -> str:
    """What was done, system by system (the audit log's outcome detail)."""
    parts = [f"created user identity {result.identity.user_identity_id}"]
    for o in result.outcomes:
        where = quoted(o.system_name)
        if o.status == "created":
            parts.append(f"created ACS user {o.acs_user_id} in {where}")
        elif o.status == "linked":
            parts.append(f"linked existing ACS user {o.acs_user_id} in {where}")
        else:
            parts.append(f"FAILED to {o.action} in {where}: {quoted(o.error or 'failed')}")
    return "; ".join(parts)


# ----------------------------------------------------------------------- finish and undo


async def finish_identity_creation(
    service: SeamService, result: CreateIdentityResult
) -> CreateIdentityResult:
    """Retry each failed system of `result` (a step that was applied after all is not redone);
    returns the whole result as it now stands."""
    failed = [o for o in result.outcomes if o.status == "failed"]
    if not failed:
        return result
    steps = [
        PlannedAcsUser(
            acs_system_id=o.acs_system_id,
            system_name=o.system_name,
            action=o.action,
            acs_user_id=o.acs_user_id if o.action == "link" else None,
            acs_user_name=o.acs_user_name,
        )
        for o in failed
    ]
    identity_id = result.identity.user_identity_id
    intent = f"finish creating user identity {identity_id}: " + "; ".join(
        f"{s.action} in {quoted(s.system_name)} ({s.acs_system_id})" for s in steps
    )

    async def finish() -> CreateIdentityResult:
        redone = await _apply(service, result.identity, steps, look_first=True)
        by_system = {o.acs_system_id: o for o in redone}
        outcomes = [by_system.get(o.acs_system_id, o) for o in result.outcomes]
        identity = await _refreshed(service, result.identity, redone)
        return CreateIdentityResult(identity=identity, outcomes=outcomes)

    ids = {"user_identity_id": identity_id}
    return await _recorded(service, ids, intent, finish, names_of(result.identity))


async def undo_identity_creation(service: SeamService, result: CreateIdentityResult) -> UndoReport:
    """Unlink the pre-existing ACS users `result` linked (they stay), then delete the identity
    and the ACS users it created. Stops before deleting if an unlink fails or the identity has
    an ACS user this creation did not make, so nothing else is ever deleted."""
    identity_id = result.identity.user_identity_id
    report = UndoReport(user_identity_id=identity_id)
    to_unlink = [o.acs_user_id for o in result.to_unlink if o.acs_user_id]
    intent = f"undo creating user identity {identity_id}: " + "".join(
        f"unlink ACS user {u} (it stays); " for u in to_unlink
    )
    intent += "delete the identity and the ACS users this creation made"
    ids = {"user_identity_id": identity_id}
    try:
        names = names_of(result.identity)
        async with service.steps("undo_create_user_identity", ids, intent, names=names) as run:
            await _undo(service, result, to_unlink, report)
            run.outcome = "ok" if report.deleted_identity else "error"
            if report.unlinked and not report.deleted_identity:
                run.outcome = "partial"
            run.detail = report.error
    except AuditWriteError as exc:
        if not (report.unlinked or report.deleted_identity):
            raise
        report.error = f"{report.error}; {exc}" if report.error else str(exc)
    return report


async def _undo(
    service: SeamService, result: CreateIdentityResult, to_unlink: list[str], report: UndoReport
) -> None:
    identity_id = result.identity.user_identity_id
    # ACS users in systems where a create may have been applied unseen are this creation's too.
    unseen = {o.acs_system_id for o in result.outcomes if o.uncertain and o.action == "create"}
    made = {o.acs_user_id for o in result.created}
    unsure = {o.acs_user_id for o in result.outcomes if o.uncertain and o.action == "link"}
    try:
        for acs_user_id in to_unlink:
            if acs_user_id in unsure:  # a link that may not have happened: look first
                user = await service.client.acs.users.get(acs_user_id=acs_user_id)
                if user.user_identity_id != identity_id:
                    continue
            await service.unlink_acs_user(
                LinkAcsUser(user_identity_id=identity_id, acs_user_id=acs_user_id)
            )
            report.unlinked.append(acs_user_id)
        plan = await service.plan_identity_deletion(identity_id)
        others = [
            u.acs_user_id
            for u in plan.acs_users
            if u.acs_user_id not in made and u.acs_system_id not in unseen
        ]
        if others:
            report.error = (
                f"identity {identity_id} not deleted: it now also has ACS user(s) "
                f"{', '.join(others)} that this creation did not make, and deleting it would "
                "delete them too; unlink them first, then delete the identity"
            )
            return
        deleted = await service.delete_identity(identity_id)
    except SeamError as exc:
        report.error = _text(exc)
        return
    report.deleted_identity = True
    report.deleted_acs_user_ids = [u.acs_user_id for u in deleted.acs_users]
