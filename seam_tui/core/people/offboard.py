"""Plan offboarding: for each person listed, everything that gives them access, taken away.

Modes: `suspend` removes every ACS user from its access groups, revokes devices granted to the
person, and suspends the ACS users (they stay, suspended, linked); `unlink` does the same and
then unlinks the ACS users from the identity; `delete` revokes the devices and deletes the
identity, which deletes its ACS users (their credentials stop working). A person is found by
user_identity_id, key, email or phone. What is already done is not planned again, so a re-run
after an interruption finishes the job. The plan is applied by `apply_import` like an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from seam_tui.core.people.model import (
    Action,
    ImportPlan,
    OffboardMode,
    PlannedRow,
    Step,
    plan_token,
)
from seam_tui.core.people.plan import match_row
from seam_tui.core.people.reader import PeopleFileError
from seam_tui.core.people.rows import PersonRow, RowProblem
from seam_tui.core.people.snapshot import KnownIdentity, Snapshot, bounded
from seam_tui.visible import quoted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

Devices = dict[str, list[tuple[str, str]]]


async def plan_offboard(
    service: SeamService, people: Iterable[PersonRow], source: str, mode: OffboardMode
) -> ImportPlan:
    """What offboarding the listed people would do (nothing is changed)."""
    plan = ImportPlan(workspace=service.workspace, source=source, offboard=mode)
    try:
        rows = list(people)
    except PeopleFileError as exc:
        plan.file_problem = exc.problem
        return plan
    valid = [p for p in rows if not p.problems]
    snap = await Snapshot.load_for(service, valid)
    matched = {m.user_identity_id: m for p in valid if (m := match_row(snap, p)[0]) is not None}
    devices: Devices = {}

    async def load_devices(identity_id: str) -> None:
        found = await service.client.user_identities.list_accessible_devices(
            user_identity_id=identity_id
        )
        devices[identity_id] = [(d.device_id, d.display_name) for d in found]

    await bounded([lambda i=i: load_devices(i) for i in matched])  # type: ignore[misc]
    plan.rows = [offboard_row(snap, devices, p, service.workspace, mode) for p in rows]
    plan.token = plan_token(plan)
    return plan


def offboard_row(
    snap: Snapshot, devices: Devices, person: PersonRow, workspace: str, mode: OffboardMode
) -> PlannedRow:
    """One row's offboarding against `snap` and the devices granted to each identity."""
    if person.problems:
        return PlannedRow(person, "invalid", problems=list(person.problems))
    identity, matched_on, conflicts = match_row(snap, person)
    if conflicts:
        return PlannedRow(person, "conflict", problems=conflicts)
    if identity is None:
        what = person.match_values() or [("user_identity_id", person.user_identity_id or "")]
        named = " or ".join(f"{f} {quoted(v)}" for f, v in what if v)
        problem = RowProblem(
            person.row,
            what[0][0],
            f"no identity in workspace {quoted(workspace)} has {named or 'these values'}; "
            "check the value (or remove the row)",
        )
        return PlannedRow(person, "invalid", problems=[problem])
    steps = _steps(snap, devices.get(identity.user_identity_id, []), identity, mode)
    action: Action = "offboard" if steps else "nothing"
    return PlannedRow(person, action, identity.user_identity_id, matched_on, steps)


def _steps(
    snap: Snapshot, devices: list[tuple[str, str]], identity: KnownIdentity, mode: OffboardMode
) -> list[Step]:
    steps = [
        Step("revoke_device", f"revoke device {quoted(name)} ({device_id})", device_id=device_id)
        for device_id, name in devices
    ]
    users = snap.acs_users_of(identity.user_identity_id)
    if mode == "delete":
        named = ", ".join(u.acs_user_id for u in users) or "none"
        steps.append(
            Step(
                "delete_identity",
                f"delete identity {quoted(identity.label())} and its ACS users ({named})",
                changes={"acs_user_ids": " ".join(sorted(u.acs_user_id for u in users))},
            )
        )
        return steps
    for user in users:
        system = snap.systems.get(user.acs_system_id)
        where = quoted(system.name) if system else user.acs_system_id
        for group_id in sorted(snap.memberships.get(user.acs_user_id, set())):
            group = snap.groups.get(group_id)
            steps.append(
                Step(
                    "remove_from_access_group",
                    f"remove from access group {quoted(group.name) if group else group_id} "
                    f"in {where}",
                    acs_system_id=user.acs_system_id,
                    acs_user_id=user.acs_user_id,
                    acs_access_group_id=group_id,
                )
            )
        if not user.is_suspended:
            steps.append(
                Step(
                    "suspend_acs_user",
                    f"suspend ACS user {user.acs_user_id} in {where}",
                    acs_system_id=user.acs_system_id,
                    acs_user_id=user.acs_user_id,
                )
            )
        if mode == "unlink":
            steps.append(
                Step(
                    "unlink_acs_user",
                    f"unlink ACS user {user.acs_user_id} in {where} (it stays, suspended)",
                    acs_system_id=user.acs_system_id,
                    acs_user_id=user.acs_user_id,
                )
            )
    return steps
