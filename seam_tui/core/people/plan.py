"""Plan an import: match each row to what exists and say what applying it would do.

A row is matched by user_identity_key, then email, then phone (and by user_identity_id when an
export carries it). Its action is `create` (a new identity), `update` (fields, ACS users or
groups to change), `link` (only existing unlinked ACS users to link), `nothing`, `conflict`
(its values point at different people, or at one being deleted) or `invalid` (a value is
wrong; its problems say how to fix it). An import only adds: it never removes an ACS user,
a group membership or a field a row leaves blank. Nothing is changed by planning.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from seam_tui.core.people.model import Action, ImportPlan, PlannedRow, Step, plan_token
from seam_tui.core.people.reader import PeopleFileError
from seam_tui.core.people.rows import PersonRow, RowProblem
from seam_tui.core.people.snapshot import KnownAcsUser, KnownIdentity, Snapshot
from seam_tui.visible import quoted

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

# Up to this many rows, only what they can match is read; above, the whole workspace.
TARGETED_MAX_ROWS = 50
_IDENTITY_FIELDS = ("full_name", "email_address", "phone_number", "user_identity_key")


# ----------------------------------------------------------------------------- planning


async def plan_import(service: SeamService, people: Iterable[PersonRow], source: str) -> ImportPlan:
    """Read `people` (stopping at a file problem), match them and plan each row."""
    plan = ImportPlan(workspace=service.workspace, source=source)
    try:
        rows = list(people)
    except PeopleFileError as exc:
        plan.file_problem = exc.problem
        return plan
    valid = [p for p in rows if not p.problems]
    snap = await (
        Snapshot.load_for(service, valid)
        if len(valid) <= TARGETED_MAX_ROWS
        else Snapshot.load_all(service)
    )
    plan.rows = plan_rows(snap, rows, service.workspace)
    plan.token = plan_token(plan)
    return plan


def plan_rows(snap: Snapshot, rows: list[PersonRow], workspace: str) -> list[PlannedRow]:
    """Each row planned against `snap`, repeats within the file refused on the later row."""
    first: dict[tuple[str, str], PersonRow] = {}
    planned: list[PlannedRow] = []
    for person in rows:
        problems = list(person.problems) or _repeats(person, first)
        if problems:
            planned.append(PlannedRow(person, "invalid", problems=problems))
            continue
        planned.append(plan_row(snap, person, workspace))
    return planned


def _repeats(person: PersonRow, first: dict[tuple[str, str], PersonRow]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    values = person.match_values()
    if person.user_identity_id:
        values.append(("user_identity_id", person.user_identity_id))
    for name, value in values:
        key = (name, value.casefold())
        earlier = first.setdefault(key, person)
        if earlier is person:
            continue
        if earlier.content() == person.content():
            message = f"repeats row {earlier.row}; delete one of them"
        else:
            message = (
                f"{quoted(value)} is also in row {earlier.row} ({quoted(earlier.label())}); "
                "one row per person: merge the two rows"
            )
        problems.append(RowProblem(person.row, name, message))
        break
    return problems


def plan_row(snap: Snapshot, person: PersonRow, workspace: str) -> PlannedRow:
    """One valid row against `snap`: its match, conflicts, and the writes it needs."""
    row = person.row
    problems = _unknown_ids(snap, person, workspace)
    if not person.match_values():
        problems.append(
            RowProblem(
                row,
                "user_identity_key",
                "a row needs user_identity_key, email_address or phone_number (so that a "
                "re-run finds the person again); add one",
            )
        )
    if problems:
        return PlannedRow(person, "invalid", problems=problems)
    matched, matched_on, conflicts = match_row(snap, person)
    if conflicts:
        return PlannedRow(person, "conflict", problems=conflicts)
    if matched is None:
        return PlannedRow(person, "create", steps=_create_steps(snap, person))
    steps = _update_steps(snap, person, matched)
    problems = [p for s in steps if isinstance(s, RowProblem) for p in [s]]
    if problems:
        return PlannedRow(person, "invalid", matched.user_identity_id, matched_on, [], problems)
    writes = [s for s in steps if isinstance(s, Step)]
    if not writes:
        action: Action = "nothing"
    elif all(s.kind in ("link_acs_user", "add_to_access_group") for s in writes) and any(
        s.kind == "link_acs_user" for s in writes
    ):
        action = "link"
    else:
        action = "update"
    return PlannedRow(person, action, matched.user_identity_id, matched_on, writes)


def _unknown_ids(snap: Snapshot, person: PersonRow, workspace: str) -> list[RowProblem]:
    problems: list[RowProblem] = []
    for system_id in person.acs_system_ids:
        if system_id not in snap.systems:
            problems.append(
                RowProblem(
                    person.row,
                    "acs_system_ids",
                    f"{quoted(system_id)} is not an ACS system in workspace {quoted(workspace)}"
                    " (another workspace's, or mistyped); use an id the ACS systems screen or "
                    "list_acs_systems shows",
                )
            )
    for group_id in person.acs_access_group_ids:
        group = snap.groups.get(group_id)
        if group is None:
            message = (
                f"{quoted(group_id)} is not an access group in workspace {quoted(workspace)}; "
                "use an id the system's access groups show"
            )
        elif group.acs_system_id not in person.acs_system_ids:
            message = (
                f"access group {quoted(group.name)} ({group_id}) is in ACS system "
                f"{group.acs_system_id}, which the row does not list; add it to acs_system_ids"
            )
        else:
            continue
        problems.append(RowProblem(person.row, "acs_access_group_ids", message))
    return problems


def match_row(
    snap: Snapshot, person: PersonRow
) -> tuple[KnownIdentity | None, str | None, list[RowProblem]]:
    """The identity the row is (first match wins), and every value held by someone else."""
    values = person.match_values()
    if person.user_identity_id and snap.identity_by("user_identity_id", person.user_identity_id):
        values.insert(0, ("user_identity_id", person.user_identity_id))
    matched: KnownIdentity | None = None
    matched_on: str | None = None
    problems: list[RowProblem] = []
    for name, value in values:
        holder = snap.identity_by(name, value)
        if holder is None:
            continue
        if matched is None:
            matched, matched_on = holder, name
        elif holder.user_identity_id != matched.user_identity_id:
            problems.append(
                RowProblem(
                    person.row,
                    name,
                    f"{quoted(value)} belongs to identity {quoted(holder.label())} "
                    f"({holder.user_identity_id}), but the row's {matched_on} matches identity "
                    f"{quoted(matched.label())} ({matched.user_identity_id}); fix one of them",
                )
            )
    if matched is None:
        return None, None, problems
    key = matched.user_identity_key
    if person.user_identity_key and key and key != person.user_identity_key:
        problems.append(
            RowProblem(
                person.row,
                "user_identity_key",
                f"the identity its {matched_on} matches ({matched.user_identity_id}) has key "
                f"{quoted(key)}, not {quoted(person.user_identity_key)}; fix the key or the "
                f"{matched_on}",
            )
        )
    if matched.being_deleted:
        problems.append(
            RowProblem(
                person.row,
                matched_on or "user_identity_key",
                f"matches identity {matched.user_identity_id}, which is being deleted; apply "
                "again once it is gone",
            )
        )
    return matched, matched_on, problems


def _system_name(snap: Snapshot, system_id: str) -> str:
    system = snap.systems.get(system_id)
    return quoted(system.name) if system else system_id


def _group_name(snap: Snapshot, group_id: str) -> str:
    group = snap.groups.get(group_id)
    return quoted(group.name) if group else group_id


def _groups_in(snap: Snapshot, person: PersonRow, system_id: str) -> tuple[str, ...]:
    return tuple(
        g for g in person.acs_access_group_ids if snap.groups[g].acs_system_id == system_id
    )


def _create_steps(snap: Snapshot, person: PersonRow) -> list[Step]:
    fields = ", ".join(
        f"{f.replace('_', ' ')} {quoted(v)}" for f in _IDENTITY_FIELDS if (v := getattr(person, f))
    )
    steps = [Step("create_identity", f"create identity ({fields})")]
    taken: set[str] = set()
    for system_id in person.acs_system_ids:
        steps += _system_steps(snap, person, system_id, None, taken)
    return steps


def _system_steps(
    snap: Snapshot, person: PersonRow, system_id: str, user: KnownAcsUser | None, taken: set[str]
) -> list[Step]:
    """What the person needs in one system: link or create an ACS user, then its groups."""
    where = _system_name(snap, system_id)
    groups = _groups_in(snap, person, system_id)
    steps: list[Step] = []
    if user is None:
        found = snap.unlinked_match(system_id, person.email_address, person.phone_number, taken)
        if found is None:
            named = "".join(f", in group {_group_name(snap, g)}" for g in groups)
            text = f"create an ACS user in {where}{named}"
            return [Step("create_acs_user", text, acs_system_id=system_id, group_ids=groups)]
        user, on = found
        taken.add(user.acs_user_id)
        name = quoted(user.full_name) + " " if user.full_name else ""
        steps.append(
            Step(
                "link_acs_user",
                f"link existing ACS user {name}({user.acs_user_id}) in {where}, same "
                f"{on.replace('_', ' ')}",
                acs_system_id=system_id,
                acs_user_id=user.acs_user_id,
            )
        )
    have = snap.memberships.get(user.acs_user_id, set())
    for group_id in groups:
        if group_id not in have:
            steps.append(
                Step(
                    "add_to_access_group",
                    f"add to access group {_group_name(snap, group_id)} in {where}",
                    acs_system_id=system_id,
                    acs_user_id=user.acs_user_id,
                    acs_access_group_id=group_id,
                )
            )
    return steps


def _update_steps(
    snap: Snapshot, person: PersonRow, identity: KnownIdentity
) -> list[Step | RowProblem]:
    steps: list[Step | RowProblem] = []
    changes: dict[str, str] = {}
    for name in _IDENTITY_FIELDS:
        value = getattr(person, name)
        held = getattr(identity, name)
        if value is None:
            continue
        if name == "email_address":
            same = held is not None and held.casefold() == value.casefold()
        else:
            same = held == value
        if not same:
            changes[name] = value
    if changes:
        text = ", ".join(f"{k.replace('_', ' ')} to {quoted(v)}" for k, v in changes.items())
        steps.append(Step("update_identity", f"change {text}", changes=changes))
    taken: set[str] = set()
    for system_id in person.acs_system_ids:
        user = snap.acs_user_in(identity.user_identity_id, system_id)
        steps += _system_steps(snap, person, system_id, user, taken)
        if user is not None and (person.starts_at or person.ends_at):
            steps += _schedule_step(snap, person, user)
    return steps


def _schedule_step(
    snap: Snapshot, person: PersonRow, user: KnownAcsUser
) -> list[Step | RowProblem]:
    starts = person.starts_at or user.starts_at
    ends = person.ends_at or user.ends_at
    if (starts, ends) == (user.starts_at, user.ends_at):
        return []
    if starts is None or ends is None:
        missing = "starts_at" if starts is None else "ends_at"
        return [
            RowProblem(
                person.row,
                missing,
                "changing an existing ACS user's schedule needs both starts_at and ends_at; "
                f"add {missing}",
            )
        ]
    where = _system_name(snap, user.acs_system_id)
    return [
        Step(
            "update_access_schedule",
            f"set the schedule in {where} to {_iso(starts)} – {_iso(ends)}",
            acs_system_id=user.acs_system_id,
            acs_user_id=user.acs_user_id,
            changes={"starts_at": _iso(starts), "ends_at": _iso(ends)},
        )
    ]


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")
