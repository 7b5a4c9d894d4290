"""update_acs_user: an ACS user's fields, suspension and access groups, checked as a whole
before anything is sent, so a refused part leaves everything as it was."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field, model_validator

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.outputs import AcsUserChangeOut
from agent_tools.plans import (
    acs_user_out,
    acs_user_queued,
    acs_user_text,
    field_changes,
    id_text,
    previewed,
    quoted,
)
from agent_tools.tool import CHANGE, DryRunInput, Flag, tool
from seam_tui.core.inputs import AccessGroupIds, AcsUserTarget, AcsUserUpdate
from seam_tui.core.models import AcsUser
from seam_tui.core.service import SeamService

_FIELDS = ("full_name", "email_address", "phone_number", "access_schedule")


class UpdateAcsUserInput(DryRunInput, AcsUserUpdate):
    """Which ACS user and what to change (fields, suspension, access groups), plus the workspace
    and dry_run."""

    not_sent: ClassVar[frozenset[str]] = DryRunInput.not_sent | {
        "is_suspended",
        "add_access_group_ids",
        "remove_access_group_ids",
    }

    is_suspended: Flag | None = None
    add_access_group_ids: AccessGroupIds = Field(default_factory=list)
    remove_access_group_ids: AccessGroupIds = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_change(self) -> UpdateAcsUserInput:
        groups = self.add_access_group_ids or self.remove_access_group_ids
        if not (self.model_fields_set & set(_FIELDS) or self.is_suspended is not None or groups):
            raise ValueError(
                "nothing to change: give at least one of full_name, email_address, phone_number,"
                " access_schedule (null removes it), is_suspended, add_access_group_ids or"
                " remove_access_group_ids"
            )
        both = sorted(set(self.add_access_group_ids) & set(self.remove_access_group_ids))
        if both:
            raise ValueError(
                f"access group {id_text(both[0])} is in both add_access_group_ids and"
                " remove_access_group_ids; keep it in one"
            )
        return self


_TARGET_FIELDS = ("acs_user_id", "user_identity_id", "acs_system_id")


def _target(data: AcsUserTarget) -> AcsUserTarget:
    """Just the ACS user an update names, to read it as it is now."""
    return AcsUserTarget.model_validate(
        {k: v for k in _TARGET_FIELDS if (v := getattr(data, k)) is not None}
    )


@tool(title="Update an ACS user", hints=CHANGE)
async def update_acs_user(context: ToolContext, data: UpdateAcsUserInput) -> AcsUserChangeOut:
    """Change an ACS user's name, email, phone, schedule, suspension or access groups.

    Only what is given changes; access_schedule needs starts_at and ends_at, null removes it.
    is_suspended=true stops access, keeps the account.
    """
    service = await context.service(data.workspace)
    current = await service.get_acs_user(_target(data))
    plan = await _plan(service, current, data)
    label = await acs_user_text(service, current)
    if data.dry_run:
        verdict = (
            "would change " + "; ".join(plan.changes) if plan.changes else "nothing would change"
        )
        return AcsUserChangeOut(
            summary=previewed(
                service,
                "update_acs_user",
                {"acs_user_id": current.acs_user_id},
                f"{verdict} on ACS user {label}",
                would_change=bool(plan.changes),
            ),
            dry_run=True,
            changes=plan.changes,
            acs_user=await acs_user_out(service, current),
        )
    user = current
    if plan.fields:
        target = {"acs_user_id": current.acs_user_id}
        user = await service.update_acs_user(
            AcsUserUpdate.model_validate({**target, **plan.fields})
        )
    if plan.suspend is not None:
        user = await service.set_acs_user_suspended(
            AcsUserTarget(acs_user_id=user.acs_user_id), plan.suspend
        )
    if plan.add or plan.remove:
        done = await service.change_acs_user_access_groups(
            user.acs_user_id, add=plan.add, remove=plan.remove
        )
        if done.failed:
            failed = "; ".join(f"{id_text(g)}: {quoted(e)}" for g, e in done.failed.items())
            raise ToolError(
                f"ACS user {label}: changing access groups failed for {failed}. "
                f"Done: added {_ids(done.added)}, removed {_ids(done.removed)}; "
                "call get_acs_user, then again for the rest."
            )
    done_text = "; ".join(plan.changes) if plan.changes else "nothing to change, all as asked"
    if plan.add or plan.remove:  # membership changes answer nothing: read the user again
        user = await service.get_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
    queued = await acs_user_queued(service, user)
    return AcsUserChangeOut(
        summary=f"{'Seam accepted the update of' if queued else 'Updated'} ACS user {label}: "
        f"{done_text}.{queued}",
        changes=plan.changes,
        acs_user=await acs_user_out(service, user),
    )


def _ids(ids: list[str]) -> str:
    return ", ".join(id_text(i) for i in ids) or "none"


@dataclass
class _Plan:
    """What an update would change, checked before anything is sent."""

    fields: dict[str, Any]
    suspend: bool | None
    add: list[str]
    remove: list[str]
    changes: list[str]


async def _plan(service: SeamService, current: AcsUser, data: UpdateAcsUserInput) -> _Plan:
    """Check every part of an update against the ACS user as it is (nothing half-done)."""
    fields = {name: getattr(data, name) for name in data.to_params() if name not in _TARGET_FIELDS}
    changes = field_changes(current, fields)
    suspend = data.is_suspended
    if suspend is not None and bool(current.is_suspended) == suspend:
        suspend = None
    elif suspend is not None:
        changes.append("is_suspended: " + ("False → True" if suspend else "True → False"))
    add: list[str] = []
    remove: list[str] = []
    if data.add_access_group_ids or data.remove_access_group_ids:
        system_groups, member_of = await asyncio.gather(
            service.list_access_groups(current.acs_system_id),
            service.list_acs_user_access_groups(current.acs_user_id),
        )
        known = {g.acs_access_group_id for g in system_groups}
        joined = {g.acs_access_group_id for g in member_of}
        for field, ids, adding in (
            ("add_access_group_ids", data.add_access_group_ids, True),
            ("remove_access_group_ids", data.remove_access_group_ids, False),
        ):
            for group_id in ids:
                if group_id not in known:
                    raise ToolError(
                        f"{field}: {id_text(group_id)} is not an access group of the ACS user's "
                        f"system {id_text(current.acs_system_id)}; list_acs_systems with that "
                        "acs_system_id lists its groups. Nothing was changed."
                    )
                if (group_id in joined) != adding:
                    (add if adding else remove).append(group_id)
                    verb = "add" if adding else "remove"
                    changes.append(f"access group {id_text(group_id)}: {verb}")
    return _Plan(
        fields={k: v for k, v in fields.items() if any(c.startswith(f"{k}:") for c in changes)},
        suspend=suspend,
        add=add,
        remove=remove,
        changes=changes,
    )
