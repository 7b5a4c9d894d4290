"""Plan the creation of a user identity with ACS users in chosen systems; nothing is changed.

Per system the plan says whether a new ACS user is created or an existing unlinked one with the
same email or phone is linked, and it lists every problem found before anything is done (a
system not in this workspace, an email, phone or key already taken). Any problem refuses the
whole creation (`refusal`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from seam_tui.core.errors import REFUSED_BY_SERVICE, SeamConflictError, SeamError
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.models import AcsSystem, AcsUser, UserIdentity
from seam_tui.core.results import CreatePlan, MatchField, PlannedAcsUser, PlanProblem
from seam_tui.core.settling import is_being_deleted
from seam_tui.visible import visible

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService

# How many ACS users a match search reads per email or phone before it stops looking.
MAX_MATCH_CANDIDATES = 500
_MATCH_FIELDS: tuple[MatchField, ...] = ("email_address", "phone_number")
_UNIQUE_FIELDS = ("user_identity_key", "email_address", "phone_number")


def quoted(text: str) -> str:
    """A value in our own words: a JSON string with hidden characters made visible."""
    return json.dumps(visible(text), ensure_ascii=False)


# ------------------------------------------------------------------------------------ plan


async def plan_identity_creation(
    service: SeamService, data: UserIdentityCreate, *, link_acs_user_id: str | None = None
) -> CreatePlan:
    """What creating `data` would do and every problem that stops it; nothing is changed.

    `link_acs_user_id` is an ACS user the person chose to link (its system then needs no other).
    """
    plan = CreatePlan(identity=data, link_acs_user_id=link_acs_user_id)
    systems = await service.systems_by_id()
    if any(s not in systems for s in data.acs_system_ids):
        systems = await service.systems_by_id(refresh=True)
    wanted: list[str] = []
    for system_id in data.acs_system_ids:
        if system_id in wanted:
            plan.problems.append(
                PlanProblem(field="acs_system_ids", message=f"{quoted(system_id)} is listed twice")
            )
        elif system_id not in systems:
            plan.problems.append(
                PlanProblem(
                    field="acs_system_ids",
                    message=f"{quoted(system_id)} is not an ACS system in workspace "
                    f"{quoted(service.workspace)}; list_acs_systems gives the valid ids",
                )
            )
        else:
            wanted.append(system_id)
    for field in _UNIQUE_FIELDS:
        value = getattr(data, field)
        if value:
            holder = await service._identity_holding(field, value)
            if holder is not None:
                plan.problems.append(_taken(field, value, holder))
    chosen = await _chosen_acs_user(service, plan, link_acs_user_id)
    if chosen is not None:
        plan.acs_users.append(_planned_link(chosen, systems, []))
        wanted = [s for s in wanted if s != chosen.acs_system_id]
    matches = await _unlinked_matches(service, data, set(wanted))
    for system_id in wanted:
        match = matches.get(system_id)
        if match is not None:
            plan.acs_users.append(_planned_link(match[0], systems, match[1]))
        else:
            plan.acs_users.append(
                PlannedAcsUser(
                    acs_system_id=system_id,
                    system_name=systems[system_id].name,
                    action="create",
                    acs_user_name=_new_acs_user_name(data),
                )
            )
    return plan


def _taken(field: str, value: str, holder: UserIdentity) -> PlanProblem:
    label = field.replace("_", " ")
    name = holder.full_name or holder.display_name or holder.email_address or ""
    owner = f"{quoted(name)} ({holder.user_identity_id})" if name else holder.user_identity_id
    if is_being_deleted(holder):
        return PlanProblem(
            field=field,
            message=f"{label} {quoted(value)} is still held by identity {owner}, which is being "
            "deleted; try again once it is gone",
        )
    return PlanProblem(
        field=field,
        message=f"{label} {quoted(value)} is already used by identity {owner}; choose another "
        f"{label} or update that identity instead",
    )


async def _chosen_acs_user(
    service: SeamService, plan: CreatePlan, acs_user_id: str | None
) -> AcsUser | None:
    if acs_user_id is None:
        return None
    try:
        user = await service.client.acs.users.get(acs_user_id=acs_user_id)
    except SeamError as exc:
        plan.problems.append(PlanProblem(field="acs_user_id", message=str(exc)))
        return None
    if user.user_identity_id:
        plan.problems.append(
            PlanProblem(
                field="acs_user_id",
                message=f"ACS user {acs_user_id} is already linked to identity "
                f"{user.user_identity_id}; unlink it from that identity first",
            )
        )
        return None
    if is_being_deleted(user):
        plan.problems.append(
            PlanProblem(
                field="acs_user_id",
                message=f"ACS user {acs_user_id} is being deleted; choose another ACS user",
            )
        )
        return None
    return user


def _planned_link(
    user: AcsUser, systems: dict[str, AcsSystem], matched_on: list[MatchField]
) -> PlannedAcsUser:
    system = systems.get(user.acs_system_id)
    return PlannedAcsUser(
        acs_system_id=user.acs_system_id,
        system_name=system.name if system else user.acs_system_id,
        action="link",
        acs_user_id=user.acs_user_id,
        acs_user_name=user.full_name or user.display_name or user.email_address,
        matched_on=matched_on,
    )


def _new_acs_user_name(data: UserIdentityCreate) -> str | None:
    return data.full_name or data.email_address or data.phone_number or data.user_identity_key


async def _unlinked_matches(
    service: SeamService, data: UserIdentityCreate, system_ids: set[str]
) -> dict[str, tuple[AcsUser, list[MatchField]]]:
    """Per system, the unlinked ACS user with the same email or phone (one matching both wins,
    then the first found by email, then by phone)."""
    found: dict[str, dict[str, tuple[AcsUser, list[MatchField]]]] = {}
    for field in _MATCH_FIELDS:
        value = getattr(data, field)
        if not value or not system_ids:
            continue
        seen = 0
        async for user in service.client.acs.users.iterate(search=value, limit=100):
            seen += 1
            if seen > MAX_MATCH_CANDIDATES:
                break
            held = getattr(user, field)
            if (
                user.acs_system_id not in system_ids
                or user.user_identity_id
                or is_being_deleted(user)
                or not held
                or held.casefold() != value.casefold()
            ):
                continue
            entry = found.setdefault(user.acs_system_id, {}).setdefault(
                user.acs_user_id, (user, [])
            )
            entry[1].append(field)
    return {
        system_id: max(candidates.values(), key=lambda c: len(c[1]))
        for system_id, candidates in found.items()
    }


def refusal(plan: CreatePlan) -> SeamConflictError:
    """The error that refuses a plan with problems: every problem, by field; nothing was done."""
    errors: dict[str, list[str]] = {}
    for problem in plan.problems:
        errors.setdefault(problem.field, []).append(problem.message)
    text = "; ".join(f"{field}: {'; '.join(messages)}" for field, messages in errors.items())
    return SeamConflictError(
        f"create_user_identity refused, nothing was created: {text}",
        status=409,
        type=REFUSED_BY_SERVICE,
        field_errors=errors,
    )


def describe_plan(plan: CreatePlan) -> str:
    """The plan in words, names quoted and ids bare (the audit log's intent line)."""
    data = plan.identity
    fields = [
        f"{f.replace('_', ' ')} {quoted(getattr(data, f))}"
        for f in ("full_name", *_UNIQUE_FIELDS)
        if getattr(data, f)
    ]
    text = f"create user identity ({', '.join(fields)})"
    for step in plan.acs_users:
        where = f"{quoted(step.system_name)} ({step.acs_system_id})"
        if step.action == "link":
            why = " and ".join(m.replace("_", " ") for m in step.matched_on) or "chosen"
            name = quoted(step.acs_user_name) + " " if step.acs_user_name else ""
            text += f"; in {where} link existing ACS user {name}({step.acs_user_id}, {why})"
        else:
            text += f"; in {where} create an ACS user"
    return text
