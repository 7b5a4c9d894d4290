"""ACS tools: systems and their access groups, ACS users, and linking them to user identities.

`update_acs_user` lives in `tools_acs_update`."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError
from agent_tools.outputs import (
    AcsUserChangeOut,
    AcsUserPage,
    SuggestedAcsUser,
    SuggestionsOut,
    SystemOut,
    page_note,
)
from agent_tools.outputs_access import AccessGroupOut, AcsUserDetailOut, GroupRefOut, SystemsOut
from agent_tools.plans import (
    acs_user_out,
    acs_user_queued,
    acs_user_text,
    id_text,
    previewed,
    quoted,
    settle_note,
)
from agent_tools.tool import (
    CHANGE,
    CREATE,
    MAX_LIMIT,
    READ,
    Count,
    DryRunInput,
    Flag,
    Tool,
    ToolInput,
    tool,
    wait_seconds_field,
)
from agent_tools.tools_acs_update import update_acs_user
from agent_tools.tools_identities import PageInput, UserIdentityInput
from seam_tui.core.inputs import (
    AcsSystemId,
    AcsUserCreate,
    AcsUserTarget,
    LinkAcsUser,
)
from seam_tui.core.models import AcsUser
from seam_tui.core.results import AcsUserFilter
from seam_tui.core.settling import is_being_deleted, is_settled


class SearchAcsUsersInput(PageInput):
    acs_system_id: AcsSystemId | None = None
    status: AcsUserFilter = "all"
    search: str | None = None


class AcsUserInput(ToolInput, AcsUserTarget):
    """Which ACS user: by id, or as an identity's ACS user in one system."""


class GetAcsUserInput(AcsUserInput):
    not_sent: ClassVar[frozenset[str]] = ToolInput.not_sent | {"wait_seconds"}

    wait_seconds: Count = wait_seconds_field()


class CreateAcsUserInput(ToolInput, AcsUserCreate):
    """The API's create arguments, plus the workspace."""


class DeleteAcsUserInput(DryRunInput, AcsUserTarget):
    """Which ACS user, plus the workspace and dry_run."""


class LinkAcsUserInput(DryRunInput, LinkAcsUser):
    not_sent: ClassVar[frozenset[str]] = DryRunInput.not_sent | {"unlink"}

    unlink: Flag = Field(False, description="true unlinks; the ACS user stays.")


def _owner(user: AcsUser) -> str:
    """`"Jane Doe" (ui_123)`: the identity an ACS user is linked to."""
    name = user.user_identity_full_name or user.user_identity_email_address
    identity_id = id_text(str(user.user_identity_id))
    return f"{quoted(name)} ({identity_id})" if name else identity_id


class SystemsInput(ToolInput):
    acs_system_id: AcsSystemId | None = None


@tool(title="List ACS systems", hints=READ)
async def list_acs_systems(context: ToolContext, data: SystemsInput) -> SystemsOut:
    """List the access control systems; with acs_system_id, its access groups.

    With names, brands, user counts, errors; groups' members and entrances.
    """
    service = await context.service(data.workspace)
    summaries = await service.list_systems()
    if data.acs_system_id is None:
        return SystemsOut(acs_systems=[SystemOut.of(s.system, s.acs_user_count) for s in summaries])
    chosen = [s for s in summaries if s.system.acs_system_id == data.acs_system_id]
    if not chosen:
        raise ToolError(
            f"acs_system_id: no ACS system {id_text(data.acs_system_id)} in this workspace; call "
            "list_acs_systems without it to see them all."
        )
    groups = await service.access.system_access_groups(data.acs_system_id)
    return SystemsOut(
        acs_systems=[SystemOut.of(chosen[0].system, chosen[0].acs_user_count)],
        access_groups=[AccessGroupOut.of(g) for g in groups],
    )


@tool(title="Search ACS users", hints=READ)
async def search_acs_users(context: ToolContext, data: SearchAcsUsersInput) -> AcsUserPage:
    """Find ACS users (accounts in access systems) by system, status and text.

    status=unlinked: accounts no identity owns. A filtered page can be short yet have
    next_cursor.
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
        acs_users=[await acs_user_out(service, u) for u in page.items],
        next_cursor=more,
        note=page_note(len(page.items), data.limit, more),
    )


@tool(title="Get an ACS user", hints=READ)
async def get_acs_user(context: ToolContext, data: GetAcsUserInput) -> AcsUserDetailOut:
    """Read one ACS user (by acs_user_id, or user_identity_id + acs_system_id).

    With its system, identity, access groups, pending changes, errors.
    """
    service = await context.service(data.workspace)
    user = await service.get_acs_user(data)
    gone, waited = False, None
    if data.wait_seconds and not is_settled(user):
        result = await service.wait_until_settled(
            "acs_user", user.acs_user_id, timeout=data.wait_seconds
        )
        gone, waited = result.gone, result.waited
        user = user if result.obj is None else cast(AcsUser, result.obj)
    groups = [] if gone else await service.list_acs_user_access_groups(user.acs_user_id)
    out = dict(await acs_user_out(service, user))
    settled = gone or is_settled(user)
    if gone:
        out["pending"] = []
    return AcsUserDetailOut(
        **out,
        access_groups=[GroupRefOut.of(g) for g in groups],
        settled=settled,
        gone=True if gone else None,
        note=settle_note(settled=settled, gone=gone, waited=waited, wait_seconds=data.wait_seconds),
    )


@tool(title="Create an ACS user", hints=CREATE)
async def create_acs_user(context: ToolContext, data: CreateAcsUserInput) -> AcsUserChangeOut:
    """Create an ACS user in one system, optionally linked to a user identity.

    New person: prefer create_user_identity with acs_system_ids; existing account: link_acs_user.
    """
    service = await context.service(data.workspace)
    user = await service.create_acs_user(data)
    linked = f", linked to user identity {_owner(user)}" if user.user_identity_id else ""
    queued = await acs_user_queued(service, user)
    return AcsUserChangeOut(
        summary=f"Created ACS user {await acs_user_text(service, user)}{linked}.{queued}",
        acs_user=await acs_user_out(service, user),
    )


@tool(title="Delete an ACS user", hints=CHANGE)
async def delete_acs_user(context: ToolContext, data: DeleteAcsUserInput) -> AcsUserChangeOut:
    """Delete an ACS user from its access system; its credentials stop working.

    Cannot be undone (update_acs_user is_suspended=true is reversible). Call with dry_run=true
    first: it names what would go.
    """
    service = await context.service(data.workspace)
    if data.dry_run:
        user = await service.get_acs_user(data)
    else:
        user = await service.delete_acs_user(data)
    removed = f"ACS user {await acs_user_text(service, user)}"
    if user.user_identity_id:
        removed += f", linked to user identity {_owner(user)}"
    summary = (
        previewed(
            service, "delete_acs_user", {"acs_user_id": user.acs_user_id}, f"would delete {removed}"
        )
        if data.dry_run
        else f"Deleted {removed}."
        if not is_being_deleted(user)
        else f"Deletion of {removed} is queued, not done yet.{await acs_user_queued(service, user)}"
    )
    return AcsUserChangeOut(
        summary=summary, dry_run=data.dry_run, acs_user=await acs_user_out(service, user)
    )


@tool(title="Link or unlink an ACS user", hints=CHANGE)
async def link_acs_user(context: ToolContext, data: LinkAcsUserInput) -> AcsUserChangeOut:
    """Link an existing ACS user to a user identity, or unlink it.

    One ACS user per system per identity. Fails, naming the owner, if another identity has it.
    """
    service = await context.service(data.workspace)
    if not data.unlink:
        if data.dry_run:
            current = await service.get_acs_user(AcsUserTarget(acs_user_id=data.acs_user_id))
            return AcsUserChangeOut(
                summary=previewed(
                    service,
                    "link_acs_user",
                    data.to_params(),
                    f"would link ACS user {await acs_user_text(service, current)} to user identity "
                    f"{id_text(data.user_identity_id)}",
                    would_change=current.user_identity_id != data.user_identity_id,
                ),
                dry_run=True,
                acs_user=await acs_user_out(service, current),
            )
        user = await service.link_acs_user(data)
        return AcsUserChangeOut(
            summary=f"ACS user {await acs_user_text(service, user)} is linked to user identity "
            f"{_owner(user)}.{await acs_user_queued(service, user)}",
            acs_user=await acs_user_out(service, user),
        )
    current = await service.get_acs_user(AcsUserTarget(acs_user_id=data.acs_user_id))
    label = await acs_user_text(service, current)
    wanted = id_text(data.user_identity_id)
    if current.user_identity_id != data.user_identity_id:
        holder = f"user identity {_owner(current)}" if current.user_identity_id else "no one"
        raise ToolError(
            f"user_identity_id: ACS user {label} is not linked to user identity {wanted}; "
            f"it is linked to {holder}. Nothing was changed."
        )
    if data.dry_run:
        return AcsUserChangeOut(
            summary=previewed(
                service,
                "unlink_acs_user",
                data.to_params(),
                f"would unlink ACS user {label} from user identity {wanted}",
            ),
            dry_run=True,
            acs_user=await acs_user_out(service, current),
        )
    user = await service.unlink_acs_user(data)
    return AcsUserChangeOut(
        summary=f"Unlinked ACS user {label} from user identity {wanted}."
        + await acs_user_queued(service, user),
        acs_user=await acs_user_out(service, user),
    )


@tool(title="Suggest ACS users to link", hints=READ)
async def suggest_acs_user_links(context: ToolContext, data: UserIdentityInput) -> SuggestionsOut:
    """Find unlinked ACS users with the identity's email or phone in systems where it has none.

    Then link_acs_user the right one; if none, create_acs_user.
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
    delete_acs_user,
    link_acs_user,
    suggest_acs_user_links,
)
