"""User-identity tools: find, read, create, change and delete the people of the customer's app."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.outputs import (
    AcsUserOut,
    IdentityChangeOut,
    IdentityDeletionOut,
    IdentityOut,
    IdentityPage,
)
from agent_tools.outputs_access import IdentityDetailOut
from agent_tools.plans import (
    IDENTITY_SYSTEMS,
    acs_user_label,
    field_changes,
    identity_label,
    previewed,
    queued_text,
    quoted,
    settle_note,
    system_name,
)
from agent_tools.tool import (
    CHANGE,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    READ,
    Count,
    DryRunInput,
    Tool,
    ToolInput,
    tool,
    wait_seconds_field,
)
from agent_tools.tools_identity_create import create_user_identity
from seam_tui.core.inputs import AcsUserIds, UserIdentityId, UserIdentityUpdate
from seam_tui.core.models import UserIdentity
from seam_tui.core.paging import exact_page
from seam_tui.core.results_access import PersonAccess
from seam_tui.core.service import SeamService
from seam_tui.core.settling import is_being_deleted, is_settled


class PageInput(ToolInput):
    """Paging arguments of the search tools (`cursor` is explained in the instructions)."""

    limit: Count = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class SearchUserIdentitiesInput(PageInput):
    search: str | None = None


class UserIdentityInput(ToolInput):
    user_identity_id: UserIdentityId


class GetUserIdentityInput(UserIdentityInput):
    not_sent: ClassVar[frozenset[str]] = ToolInput.not_sent | {"wait_seconds"}

    wait_seconds: Count = wait_seconds_field()


class UpdateUserIdentityInput(DryRunInput, UserIdentityUpdate):
    """Which identity and what to change, plus the workspace and dry_run."""


class DeleteUserIdentityInput(DryRunInput):
    user_identity_id: UserIdentityId
    expected_acs_user_ids: AcsUserIds | None = Field(
        None, description="Refuse unless these are exactly its ACS users."
    )


@tool(title="Search user identities", hints=READ)
async def search_user_identities(
    context: ToolContext, data: SearchUserIdentitiesInput
) -> IdentityPage:
    """Find user identities (people) by name, email, phone or id, or list all.

    Search before create_user_identity to avoid duplicates.
    """
    service = await context.service(data.workspace)
    search = data.search or None
    page = await exact_page(
        lambda cursor, size: service.search_identities(search, limit=size, cursor=cursor),
        limit=data.limit,
        cursor=data.cursor,
        filters={"listing": "user_identities", "workspace": service.workspace, "search": search},
        key=lambda identity: identity.user_identity_id,
    )
    return IdentityPage.of(page, data.limit)


@tool(title="Get a user identity", hints=READ)
async def get_user_identity(context: ToolContext, data: GetUserIdentityInput) -> IdentityDetailOut:
    """Read a user identity: ACS users, entrances and devices it can open and how (opens_now,
    paths), credentials, instant keys.

    Use before changing access.
    """
    service = await context.service(data.workspace)
    identity = await service.get_identity(data.user_identity_id)
    gone, settled, waited = False, True, None
    if data.wait_seconds:
        gone, settled, waited = await _wait_for_identity(service, identity, data.wait_seconds)
    if gone:
        access = PersonAccess(identity=identity, acs_users=[], systems={})
    else:
        access = await service.access.person_access(data.user_identity_id)
        settled = is_settled(access.identity) and all(is_settled(u) for u in access.acs_users)
    note = settle_note(settled=settled, gone=gone, waited=waited, wait_seconds=data.wait_seconds)
    out = IdentityDetailOut.of(access, settled=settled, gone=gone, note=note)
    if gone:
        out.user_identity.pending = []
    return out


async def _wait_for_identity(
    service: SeamService, identity: UserIdentity, wait_seconds: int
) -> tuple[bool, bool, float | None]:
    """Wait, within `wait_seconds` in all, for the identity and then each of its pending ACS
    users to settle: (gone, settled, seconds waited), the seconds None when nothing was
    pending."""
    start = time.monotonic()
    identity_id = identity.user_identity_id
    users = await service.client.user_identities.list_acs_users(user_identity_id=identity_id)
    pending = [u.acs_user_id for u in users if not is_settled(u)]
    if is_settled(identity) and not pending:
        return False, True, None
    first = await service.wait_until_settled("user_identity", identity_id, timeout=wait_seconds)
    if first.obj is None:
        return True, True, first.waited
    settled = first.settled
    for acs_user_id in pending:
        left = max(0.0, wait_seconds - (time.monotonic() - start))
        done = await service.wait_until_settled("acs_user", acs_user_id, timeout=left)
        settled = settled and done.settled
    return False, settled, time.monotonic() - start


@tool(title="Update a user identity", hints=CHANGE)
async def update_user_identity(
    context: ToolContext, data: UpdateUserIdentityInput
) -> IdentityChangeOut:
    """Change a user identity's name, email, phone or key; null clears a field.

    Only fields given change; they stay unique. Returns the identity.
    """
    service = await context.service(data.workspace)
    wanted = {name: getattr(data, name) for name in data.to_params() if name != "user_identity_id"}
    if data.dry_run:
        current = await service.get_identity(data.user_identity_id)
        changes = field_changes(current, wanted)
        verdict = "would change " + "; ".join(changes) if changes else "nothing would change"
        return IdentityChangeOut(
            summary=previewed(
                service,
                "update_user_identity",
                {"user_identity_id": current.user_identity_id},
                f"{verdict} on user identity {identity_label(current)}",
                would_change=bool(changes),
            ),
            dry_run=True,
            changes=changes,
            user_identity=IdentityOut.of(current),
        )
    identity = await service.update_identity(data)
    queued = queued_text(identity, IDENTITY_SYSTEMS, "get_user_identity")
    return IdentityChangeOut(
        summary=f"Updated {', '.join(wanted)} of user identity {identity_label(identity)}."
        + queued,
        user_identity=IdentityOut.of(identity),
    )


@tool(title="Delete a user identity", hints=CHANGE)
async def delete_user_identity(
    context: ToolContext, data: DeleteUserIdentityInput
) -> IdentityDeletionOut:
    """Delete a user identity and its ACS users; their access stops.

    Cannot be undone. Call with dry_run=true first: it names what would go. To keep an ACS user,
    unlink it first.
    """
    service = await context.service(data.workspace)
    if data.dry_run:
        plan = await service.plan_identity_deletion(data.user_identity_id)
    else:
        plan = await service.delete_identity(
            data.user_identity_id, expected_acs_user_ids=data.expected_acs_user_ids
        )
    names = {u.acs_user_id: await system_name(service, u.acs_system_id) for u in plan.acs_users}
    removed = f"user identity {identity_label(plan.identity)}"
    if plan.acs_users:
        labels = [acs_user_label(u, names[u.acs_user_id]) for u in plan.acs_users]
        removed += f" and its {len(labels)} ACS user(s): {'; '.join(labels)}"
    else:
        removed += " (it has no ACS users)"
    if data.dry_run:
        ids = {"user_identity_id": data.user_identity_id}
        summary = previewed(service, "delete_user_identity", ids, f"would delete {removed}")
    elif is_being_deleted(plan.identity):
        where = sorted({names[u.acs_user_id] or u.acs_system_id for u in plan.acs_users})
        to = ", ".join(quoted(w) for w in where) if where else IDENTITY_SYSTEMS
        queued = queued_text(plan.identity, to, "get_user_identity")
        summary = f"Deletion of {removed} is queued, not done yet.{queued}"
    else:
        summary = f"Deleted {removed}."
    return IdentityDeletionOut(
        summary=summary,
        dry_run=data.dry_run,
        user_identity=IdentityOut.of(plan.identity, with_acs_user_ids=False),
        acs_users=[
            AcsUserOut.of(u, names[u.acs_user_id], with_identity=False) for u in plan.acs_users
        ],
    )


TOOLS: tuple[Tool[Any, Any], ...] = (
    search_user_identities,
    get_user_identity,
    create_user_identity,
    update_user_identity,
    delete_user_identity,
)
