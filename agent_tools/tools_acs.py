"""ACS tools: systems, ACS users, and linking ACS users to user identities."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.outputs import (
    NEXT_CURSOR,
    AcsUserChangeOut,
    AcsUserOut,
    AcsUserPage,
    SuggestedAcsUser,
    SuggestionsOut,
    SystemOut,
    SystemsOut,
)
from agent_tools.plans import (
    acs_user_label,
    field_changes,
    previewed,
    system_name,
)
from agent_tools.tool import (
    ADD,
    CHANGE,
    CREATE,
    MAX_LIMIT,
    READ,
    DryRunInput,
    Tool,
    ToolInput,
    tool,
)
from agent_tools.tools_identities import PageInput, UserIdentityInput
from seam_tui.core.inputs import (
    AcsSystemId,
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
)
from seam_tui.core.models import AcsUser
from seam_tui.core.results import AcsUserFilter
from seam_tui.core.service import SeamService


class SearchAcsUsersInput(PageInput):
    acs_system_id: AcsSystemId | None = Field(None, description="Only this system's ACS users.")
    status: AcsUserFilter = Field(
        "all", description="linked / unlinked (to a user identity), suspended, or all."
    )
    search: str | None = Field(None, description="Text in the name, email or phone.")


class AcsUserInput(ToolInput, AcsUserTarget):
    """Which ACS user: by id, or as an identity's ACS user in one system."""


class CreateAcsUserInput(ToolInput, AcsUserCreate):
    """The API's create arguments, plus the workspace."""


class UpdateAcsUserInput(DryRunInput, AcsUserUpdate):
    """Which ACS user and what to change, plus the workspace and dry_run."""


class SetAcsUserSuspendedInput(DryRunInput, AcsUserTarget):
    not_sent: ClassVar[frozenset[str]] = DryRunInput.not_sent | {"suspended"}

    suspended: bool = Field(description="true suspends (access stops), false restores access.")


class DeleteAcsUserInput(DryRunInput, AcsUserTarget):
    """Which ACS user, plus the workspace and dry_run."""


class LinkAcsUserInput(ToolInput, LinkAcsUser):
    """The identity and the ACS user to link, plus the workspace."""


class UnlinkAcsUserInput(DryRunInput, LinkAcsUser):
    """The identity and the ACS user to unlink, plus the workspace and dry_run."""


_TARGET_FIELDS = ("acs_user_id", "user_identity_id", "acs_system_id")


def _target(data: AcsUserTarget) -> AcsUserTarget:
    """Just the ACS user an update names, to read it as it is now."""
    return AcsUserTarget.model_validate(
        {k: v for k in _TARGET_FIELDS if (v := getattr(data, k)) is not None}
    )


async def _out(service: SeamService, user: AcsUser) -> AcsUserOut:
    return AcsUserOut.of(user, await system_name(service, user.acs_system_id))


def _owner(user: AcsUser) -> str:
    """`Jane Doe (ui_123)`: the identity an ACS user is linked to."""
    name = user.user_identity_full_name or user.user_identity_email_address
    return f"{name} ({user.user_identity_id})" if name else str(user.user_identity_id)


async def _label(service: SeamService, user: AcsUser) -> str:
    return acs_user_label(user, await system_name(service, user.acs_system_id))


@tool(title="List ACS systems", hints=READ)
async def list_acs_systems(context: ToolContext, data: ToolInput) -> SystemsOut:
    """List the access control systems in the workspace with how many ACS users each holds.

    Use it to find the acs_system_id for create_user_identity, create_acs_user or
    search_acs_users. Returns each system's id, name, brand, ACS user count and any errors.
    """
    service = await context.service(data.workspace)
    summaries = await service.list_systems()
    return SystemsOut(acs_systems=[SystemOut.of(s.system, s.acs_user_count) for s in summaries])


@tool(title="Search ACS users", hints=READ)
async def search_acs_users(context: ToolContext, data: SearchAcsUsersInput) -> AcsUserPage:
    """Find ACS users (accounts in access systems) by system, state and text.

    Use status=unlinked to find accounts no user identity owns yet, suspended to review revoked
    access, and search for a name, email or phone. Returns a page of ACS users with their system
    and linked identity; a filtered page can be short and still have a next_cursor.
    """
    service = await context.service(data.workspace)
    page = await service.list_acs_users(
        acs_system_id=data.acs_system_id,
        status=data.status,
        search=data.search,
        limit=data.limit,
        cursor=data.cursor,
    )
    more = page.next_page_cursor if page.has_next_page else None
    return AcsUserPage(
        acs_users=[await _out(service, u) for u in page.items],
        next_cursor=more,
        note=NEXT_CURSOR if more else None,
    )


@tool(title="Get an ACS user", hints=READ)
async def get_acs_user(context: ToolContext, data: AcsUserInput) -> AcsUserOut:
    """Read one ACS user, by acs_user_id or by user_identity_id with acs_system_id.

    Returns its system, names, email, phone, linked identity, suspension, access schedule,
    changes still being pushed to the access system, and any errors Seam reports.
    """
    service = await context.service(data.workspace)
    return await _out(service, await service.get_acs_user(data))


@tool(title="Create an ACS user", hints=CREATE)
async def create_acs_user(context: ToolContext, data: CreateAcsUserInput) -> AcsUserChangeOut:
    """Create an ACS user in one system, optionally linked to a user identity at once.

    Prefer create_user_identity with acs_system_ids for a new person, and link_acs_user when
    suggest_acs_user_links finds an existing account. Returns the new ACS user.
    """
    service = await context.service(data.workspace)
    user = await service.create_acs_user(data)
    linked = f", linked to user identity {user.user_identity_id}" if user.user_identity_id else ""
    return AcsUserChangeOut(
        summary=f"Created ACS user {await _label(service, user)}{linked}.",
        acs_user=await _out(service, user),
    )


@tool(title="Update an ACS user", hints=CHANGE)
async def update_acs_user(context: ToolContext, data: UpdateAcsUserInput) -> AcsUserChangeOut:
    """Change an ACS user's full name, email, phone or access schedule.

    Only the fields given change; access_schedule needs both starts_at and ends_at, and null
    removes the schedule. A dry run's `changes` lists each field as old → new. Returns the ACS user
    as it is now.
    """
    service = await context.service(data.workspace)
    wanted = {name: getattr(data, name) for name in data.to_params() if name not in _TARGET_FIELDS}
    if data.dry_run:
        current = await service.get_acs_user(_target(data))
        changes = field_changes(current, wanted)
        verdict = "would change " + "; ".join(changes) if changes else "nothing would change"
        return AcsUserChangeOut(
            summary=previewed(
                service,
                "update_acs_user",
                {"acs_user_id": current.acs_user_id},
                f"{verdict} on ACS user {await _label(service, current)}",
                would_change=bool(changes),
            ),
            dry_run=True,
            changes=changes,
            acs_user=await _out(service, current),
        )
    user = await service.update_acs_user(data)
    return AcsUserChangeOut(
        summary=f"Updated {', '.join(wanted)} of ACS user {await _label(service, user)}.",
        acs_user=await _out(service, user),
    )


@tool(title="Suspend or unsuspend an ACS user", hints=CHANGE)
async def set_acs_user_suspended(
    context: ToolContext, data: SetAcsUserSuspendedInput
) -> AcsUserChangeOut:
    """Suspend an ACS user (its access stops, the account stays) or restore its access.

    Use suspended=true to revoke access temporarily instead of deleting. Returns the ACS user as it
    is now.
    """
    service = await context.service(data.workspace)
    verb = "suspend" if data.suspended else "unsuspend"
    if data.dry_run:
        current = await service.get_acs_user(data)
        label = await _label(service, current)
        unchanged = bool(current.is_suspended) == data.suspended
        if unchanged:
            state = "suspended" if data.suspended else "not suspended"
            preview = f"ACS user {label} is already {state}; nothing would change"
        else:
            effect = "its access stops" if data.suspended else "its access returns"
            preview = f"would {verb} ACS user {label}: {effect}"
        summary = previewed(
            service,
            f"{verb}_acs_user",
            {"acs_user_id": current.acs_user_id},
            preview,
            would_change=not unchanged,
        )
        return AcsUserChangeOut(
            summary=summary, dry_run=True, acs_user=await _out(service, current)
        )
    user = await service.set_acs_user_suspended(data, data.suspended)
    return AcsUserChangeOut(
        summary=f"{verb.capitalize()}ed ACS user {await _label(service, user)}.",
        acs_user=await _out(service, user),
    )


@tool(title="Delete an ACS user", hints=CHANGE)
async def delete_acs_user(context: ToolContext, data: DeleteAcsUserInput) -> AcsUserChangeOut:
    """Delete an ACS user from its access system; its credentials stop working.

    This cannot be undone; set_acs_user_suspended revokes access reversibly. Call with dry_run=true
    first: it names the ACS user, its system and its linked identity. Returns the ACS user that was
    (or would be) deleted.
    """
    service = await context.service(data.workspace)
    if data.dry_run:
        user = await service.get_acs_user(data)
    else:
        user = await service.delete_acs_user(data)
    removed = f"ACS user {await _label(service, user)}"
    if user.user_identity_id:
        removed += f", linked to user identity {_owner(user)}"
    summary = (
        previewed(
            service, "delete_acs_user", {"acs_user_id": user.acs_user_id}, f"would delete {removed}"
        )
        if data.dry_run
        else f"Deleted {removed}."
    )
    return AcsUserChangeOut(
        summary=summary, dry_run=data.dry_run, acs_user=await _out(service, user)
    )


@tool(title="Link an ACS user to a user identity", hints=ADD)
async def link_acs_user(context: ToolContext, data: LinkAcsUserInput) -> AcsUserChangeOut:
    """Link an existing ACS user to a user identity (the person then owns that account).

    An identity has at most one ACS user per system. Fails, naming the owner, if the ACS user
    is linked to another identity (unlink it there first); linking it again to the same
    identity changes nothing. Returns the linked ACS user.
    """
    service = await context.service(data.workspace)
    user = await service.link_acs_user(data)
    return AcsUserChangeOut(
        summary=f"ACS user {await _label(service, user)} is linked to user identity "
        f"{_owner(user)}.",
        acs_user=await _out(service, user),
    )


@tool(title="Unlink an ACS user from a user identity", hints=CHANGE)
async def unlink_acs_user(context: ToolContext, data: UnlinkAcsUserInput) -> AcsUserChangeOut:
    """Unlink an ACS user from its user identity; the ACS user and its access stay.

    Returns the ACS user, now unlinked.
    """
    service = await context.service(data.workspace)
    current = await service.get_acs_user(AcsUserTarget(acs_user_id=data.acs_user_id))
    label = await _label(service, current)
    if current.user_identity_id != data.user_identity_id:
        holder = (
            f"user identity {current.user_identity_id}"
            if current.user_identity_id
            else "no user identity"
        )
        raise ToolError(
            f"ACS user {label} is not linked to user identity {data.user_identity_id}; "
            f"it is linked to {holder}. Nothing was changed."
        )
    if data.dry_run:
        return AcsUserChangeOut(
            summary=previewed(
                service,
                "unlink_acs_user",
                data.to_params(),
                f"would unlink ACS user {label} from user identity {data.user_identity_id}",
            ),
            dry_run=True,
            acs_user=await _out(service, current),
        )
    user = await service.unlink_acs_user(data)
    return AcsUserChangeOut(
        summary=f"Unlinked ACS user {label} from user identity {data.user_identity_id}.",
        acs_user=await _out(service, user),
    )


@tool(title="Suggest ACS users to link", hints=READ)
async def suggest_acs_user_links(context: ToolContext, data: UserIdentityInput) -> SuggestionsOut:
    """Find unlinked ACS users that look like this identity: same email or phone number.

    Only systems where the identity has no ACS user yet are searched. Use it after creating
    or finding an identity, then link_acs_user the right one. Returns each candidate with the
    fields it matched on; an empty list means no match (create_acs_user makes one).
    """
    service = await context.service(data.workspace)
    suggestions = await service.suggest_acs_user_links(data.user_identity_id)
    note = None
    if len(suggestions) > MAX_LIMIT:
        note = f"Showing {MAX_LIMIT} of {len(suggestions)} matches; search_acs_users narrows them."
    return SuggestionsOut(
        suggestions=[SuggestedAcsUser.of_suggestion(s) for s in suggestions[:MAX_LIMIT]],
        note=note,
    )


TOOLS: tuple[Tool[Any, Any], ...] = (
    list_acs_systems,
    search_acs_users,
    get_acs_user,
    create_acs_user,
    update_acs_user,
    set_acs_user_suspended,
    delete_acs_user,
    link_acs_user,
    unlink_acs_user,
    suggest_acs_user_links,
)
