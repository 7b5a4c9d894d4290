"""User-identity tools: find, read, create, change and delete the people of the customer's app."""

from __future__ import annotations

from typing import Any

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
    acs_user_label,
    field_changes,
    identity_label,
    previewed,
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
)
from agent_tools.tools_identity_create import create_user_identity
from seam_tui.core.inputs import AcsUserIds, UserIdentityId, UserIdentityUpdate
from seam_tui.core.paging import exact_page


class PageInput(ToolInput):
    """Paging arguments of the search tools (`cursor` is explained in the instructions)."""

    limit: Count = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class SearchUserIdentitiesInput(PageInput):
    search: str | None = Field(
        None, description="Text in the name, email, phone or id; omit to list everyone."
    )


class UserIdentityInput(ToolInput):
    user_identity_id: UserIdentityId


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
    """Find user identities (the people of the customer's app) by name, email, phone or id.

    Search before create_user_identity to avoid duplicates. Returns a page of identities with their
    ACS user ids.
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
async def get_user_identity(context: ToolContext, data: UserIdentityInput) -> IdentityDetailOut:
    """Read one user identity: its ACS users, every entrance and device it can open and why
    (opens_now; paths via access_group, credential, acs_user or device_grant, with window and
    blocked), credentials and instant keys.

    Use it before changing a person's access.
    """
    service = await context.service(data.workspace)
    return IdentityDetailOut.of(await service.access.person_access(data.user_identity_id))


@tool(title="Update a user identity", hints=CHANGE)
async def update_user_identity(
    context: ToolContext, data: UpdateUserIdentityInput
) -> IdentityChangeOut:
    """Change a user identity's name, email, phone or key; null clears a field.

    Only the fields given change; email, phone and key must stay unique. Returns the identity
    as it is now.
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
    return IdentityChangeOut(
        summary=f"Updated {', '.join(wanted)} of user identity {identity_label(identity)}.",
        user_identity=IdentityOut.of(identity),
    )


@tool(title="Delete a user identity", hints=CHANGE)
async def delete_user_identity(
    context: ToolContext, data: DeleteUserIdentityInput
) -> IdentityDeletionOut:
    """Delete a user identity and every ACS user linked to it; their access stops at once.

    This cannot be undone. Call with dry_run=true first: it names the identity and the ACS users
    that would go. To keep an ACS user, unlink it first (link_acs_user, unlink=true).
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
