"""Bulk suspend, unsuspend, unlink and delete: a plan that says exactly what changes (and what is
skipped, and why), then a run through the service with bounded concurrency that Esc stops.

Each step is one service call, audited by the service like a single change; its result says
whether it was done, is queued while Seam pushes it to the access system, or failed and why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import AcsUserTarget, LinkAcsUser
from seam_tui.core.models import AcsSystem, AcsUser, UserIdentity
from seam_tui.core.service import SeamService
from seam_tui.core.settling import is_being_deleted, is_settled
from seam_tui.tui.errors import describe_error
from seam_tui.tui.screens.acs_user_changes import identity_name, user_name
from seam_tui.tui.settling import deleting

BulkAction = Literal["suspend", "unsuspend", "unlink", "delete"]
# Service calls in flight at once: enough to be quick, few enough not to be rate limited.
CONCURRENCY = 4

Changed = AcsUser | UserIdentity


@dataclass
class Outcome:
    """How one step ended: `ok`, what to say, and the object as it now is (None: gone)."""

    ok: bool
    said: str
    obj: Changed | None = None


@dataclass
class Step:
    """One change: to whom (`name`, literal data), `what` it does, or `skip` (why not)."""

    key: str
    name: str
    what: str
    run: Callable[[], Awaitable[Outcome]] | None = None
    skip: str | None = None
    owner: str = ""  # the row of the list it came from (the identity, for its ACS users)
    operation: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    where: str = ""

    def __post_init__(self) -> None:
        self.owner = self.owner or self.key


@dataclass
class Plan:
    """The steps of one bulk action, as confirmed."""

    action: BulkAction
    noun: str  # what the steps act on: "ACS users" or "identities"
    steps: list[Step]

    @property
    def to_run(self) -> list[Step]:
        return [s for s in self.steps if s.run is not None]


def system_name(systems: dict[str, AcsSystem], acs_system_id: str) -> str:
    system = systems.get(acs_system_id)
    return system.name if system else acs_system_id


QUEUED = "queued — Seam is pushing it"
BEING_DELETED = "being deleted — Seam is removing it"
# What a step accepted but not yet pushed to the access system says (never "done").
QUEUED_SAYINGS = (QUEUED, BEING_DELETED)


def _said(obj: Changed, done: str) -> str:
    if deleting(obj) is not None:
        return BEING_DELETED
    return done if is_settled(obj) else QUEUED


def acs_user_step(
    service: SeamService, user: AcsUser, action: BulkAction, systems: dict[str, AcsSystem]
) -> Step:
    """The step `action` takes on one ACS user (or why it is skipped)."""
    where = system_name(systems, user.acs_system_id)
    name = user_name(user)
    ids = {"acs_user_id": user.acs_user_id}
    target = AcsUserTarget(acs_user_id=user.acs_user_id)
    step = Step(user.acs_user_id, name, f"{action} in {where}", ids=ids, where=where)
    if is_being_deleted(user):
        step.skip = "already being deleted"
    elif action == "suspend" and user.is_suspended:
        step.skip = "already suspended"
    elif action == "unsuspend" and not user.is_suspended:
        step.skip = "not suspended"
    elif action == "unlink" and not user.user_identity_id:
        step.skip = "not linked"
    if step.skip is not None:
        return step
    if action in ("suspend", "unsuspend"):
        suspend = action == "suspend"
        step.operation = f"{action}_acs_user"

        async def set_suspended() -> Outcome:
            changed = await service.set_acs_user_suspended(target, suspend)
            return Outcome(True, _said(changed, f"{action}ed"), changed)

        step.run = set_suspended
    elif action == "unlink":
        identity_id = user.user_identity_id or ""
        step.what = f"unlink from {identity_name(user)} (stays in {where})"
        step.operation, step.ids = "unlink_acs_user", ids | {"user_identity_id": identity_id}
        link = LinkAcsUser(user_identity_id=identity_id, acs_user_id=user.acs_user_id)

        async def unlink() -> Outcome:
            changed = await service.unlink_acs_user(link)
            return Outcome(True, _said(changed, "unlinked"), changed)

        step.run = unlink
    else:
        step.what = f"delete from {where}: its credentials there stop working"
        step.operation = "delete_acs_user"

        async def delete() -> Outcome:
            left = await service.delete_acs_user(target)
            lingering = left if deleting(left) is not None else None
            return Outcome(True, _said(left, "deleted") if lingering else "deleted", lingering)

        step.run = delete
    return step


async def identity_steps(
    service: SeamService,
    identities: Sequence[UserIdentity],
    action: BulkAction,
    read: Callable[[int], None],
) -> list[Step]:
    """The steps `action` takes for each identity: on each of its ACS users (suspend,
    unsuspend, unlink), or on the identity with its ACS users (delete). Reads each identity's
    ACS users as they are now; `read(n)` is told how many identities were read so far."""
    systems = await service.systems_by_id()
    steps: list[Step] = []
    for index, identity in enumerate(identities):
        detail = await service.get_identity_detail(identity.user_identity_id)
        read(index + 1)
        person = detail.identity
        name = person.full_name or person.display_name or person.user_identity_id
        if action == "delete":
            steps.append(_identity_delete(service, person, name, detail.acs_users, systems))
            continue
        if not detail.acs_users:
            steps.append(Step(person.user_identity_id, name, action, skip="has no ACS users"))
        for user in detail.acs_users:
            step = acs_user_step(service, user, action, systems)
            step.name, step.owner = f"{name} · {user_name(user)}", person.user_identity_id
            steps.append(step)
    return steps


def _identity_delete(
    service: SeamService,
    identity: UserIdentity,
    name: str,
    acs_users: list[AcsUser],
    systems: dict[str, AcsSystem],
) -> Step:
    ids = [u.acs_user_id for u in acs_users]
    where = ", ".join(sorted({system_name(systems, u.acs_system_id) for u in acs_users}))
    with_users = (
        f"with its {len(acs_users)} ACS user(s) in {where} (their credentials stop working)"
        if acs_users
        else "(it has no ACS users)"
    )
    step = Step(
        identity.user_identity_id,
        name,
        f"delete identity {with_users}",
        operation="delete_user_identity",
        ids={"user_identity_id": identity.user_identity_id},
        where=where or "its access systems",
    )
    if is_being_deleted(identity):
        step.skip = "already being deleted"
        return step

    async def delete() -> Outcome:
        # Refused (nothing deleted) if its ACS users are no longer those listed here.
        plan = await service.delete_identity(identity.user_identity_id, expected_acs_user_ids=ids)
        lingering = plan.identity if deleting(plan.identity) is not None else None
        return Outcome(True, _said(plan.identity, "deleted") if lingering else "deleted", lingering)

    step.run = delete
    return step


async def run_plan(
    steps: Sequence[Step],
    *,
    stopped: Callable[[], bool],
    finished: Callable[[Step, Outcome], None],
    concurrency: int = CONCURRENCY,
) -> list[Step]:
    """Run the steps, at most `concurrency` at once, telling `finished` each outcome; once
    `stopped()` holds no new step starts. Returns the steps that never started."""
    pending: Iterator[Step] = iter([s for s in steps if s.run is not None])
    left: list[Step] = []

    async def worker() -> None:
        for step in pending:
            if stopped():
                left.append(step)
                continue
            assert step.run is not None
            try:
                outcome = await step.run()
            except (SeamError, ValidationError) as exc:
                outcome = Outcome(False, describe_error(exc))
            finished(step, outcome)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return left
