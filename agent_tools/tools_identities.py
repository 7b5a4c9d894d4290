"""User-identity tools: find, read, create, change and delete the people of the customer's app."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.outputs import (
    AcsUserOut,
    CreateIdentityOut,
    IdentityChangeOut,
    IdentityDeletionOut,
    IdentityOut,
    IdentityPage,
    SystemOutcomeOut,
)
from agent_tools.outputs_access import IdentityDetailOut
from agent_tools.plans import (
    acs_user_label,
    field_changes,
    identity_label,
    previewed,
    quoted,
    system_name,
)
from agent_tools.tool import (
    CHANGE,
    CREATE,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    READ,
    DryRunInput,
    Tool,
    ToolInput,
    tool,
)
from seam_tui.core.inputs import UserIdentityCreate, UserIdentityId, UserIdentityUpdate
from seam_tui.core.results import CreateIdentityResult


class PageInput(ToolInput):
    """Paging arguments of the search tools (`cursor` is explained in the instructions)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class SearchUserIdentitiesInput(PageInput):
    search: str | None = Field(
        None, description="Text in the name, email, phone or id; omit to list everyone."
    )


class UserIdentityInput(ToolInput):
    user_identity_id: UserIdentityId


class CreateUserIdentityInput(ToolInput, UserIdentityCreate):
    """The API's create arguments, plus acs_system_ids and the workspace."""


class UpdateUserIdentityInput(DryRunInput, UserIdentityUpdate):
    """Which identity and what to change, plus the workspace and dry_run."""


class DeleteUserIdentityInput(DryRunInput):
    user_identity_id: UserIdentityId


@tool(title="Search user identities", hints=READ)
async def search_user_identities(
    context: ToolContext, data: SearchUserIdentitiesInput
) -> IdentityPage:
    """Find user identities (the people of the customer's app) by name, email, phone or id.

    Search before create_user_identity to avoid duplicates. Returns a page of identities with their
    ACS user ids.
    """
    service = await context.service(data.workspace)
    page = await service.search_identities(data.search, limit=data.limit, cursor=data.cursor)
    return IdentityPage.of(page)


@tool(title="Get a user identity", hints=READ)
async def get_user_identity(context: ToolContext, data: UserIdentityInput) -> IdentityDetailOut:
    """Read one user identity: its ACS users, and every entrance and device it can open, and why.

    Use it before changing a person's access. Returns its ACS users; entrances and devices with
    opens_now and paths (via access_group, credential, acs_user or device_grant; window;
    blocked); credentials; instant keys.
    """
    service = await context.service(data.workspace)
    return IdentityDetailOut.of(await service.access.person_access(data.user_identity_id))


@tool(title="Create a user identity", hints=CREATE)
async def create_user_identity(
    context: ToolContext, data: CreateUserIdentityInput
) -> CreateIdentityOut:
    """Create a user identity (a person), optionally with an ACS user in each of acs_system_ids.

    Give at least one of full_name, email_address, phone_number, user_identity_key; email, phone
    and key must be unique. In each system an unlinked ACS user with the same email or phone is
    linked, else one is created. Returns the identity and, per system, linked / created / failed
    (the summary says how to finish or undo).
    """
    service = await context.service(data.workspace)
    result = await service.create_identity(data)
    return CreateIdentityOut(
        summary=_creation_summary(result),
        user_identity=IdentityOut.of(result.identity),
        acs_users=[SystemOutcomeOut.of(o) for o in result.outcomes],
    )


def _creation_summary(result: CreateIdentityResult) -> str:
    identity_id = result.identity.user_identity_id
    text = f"Created user identity {identity_label(result.identity)}."
    done = [
        f"{o.status} {o.acs_user_id} in {quoted(o.system_name)}"
        for o in result.outcomes
        if o.status != "failed"
    ]
    if done:
        text += f" ACS users: {'; '.join(done)}."
    failed = [o for o in result.outcomes if o.status == "failed"]
    if failed:
        text += " FAILED in " + "; ".join(f"{quoted(o.system_name)}: {o.error}" for o in failed)
        text += "."
        text += (
            " To finish, call create_acs_user with user_identity_id="
            f"{identity_id} for each failed system (or link_acs_user to a match found by "
            f"suggest_acs_user_links); to undo, call delete_user_identity({identity_id})."
        )
    return text


@tool(title="Update a user identity", hints=CHANGE)
async def update_user_identity(
    context: ToolContext, data: UpdateUserIdentityInput
) -> IdentityChangeOut:
    """Change a user identity's name, email, phone or key; null clears a field.

    Only the fields given change. Email, phone and key must stay unique (the error names the
    identity that has them). A dry run's `changes` lists each field as old → new. Returns the
    identity as it is now.
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
    that would go. To keep an ACS user, unlink it first (link_acs_user, unlink=true). Returns what
    was (or would be) deleted.
    """
    service = await context.service(data.workspace)
    if data.dry_run:
        plan = await service.plan_identity_deletion(data.user_identity_id)
    else:
        plan = await service.delete_identity(data.user_identity_id)
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
