"""Lean results: only the fields a model acts on, built from the core's typed results.

Every optional field defaults to None or an empty list and is left out of the dump while it
holds that default (`ToolOutput.dump`), so a result never spends tokens on nulls.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import Field

from agent_tools.tool import ToolOutput
from seam_tui.core.models import AccessSchedule as ApiSchedule
from seam_tui.core.models import (
    AcsSystem,
    AcsUser,
    Page,
    ResourceError,
    ResourceWarning,
    UserIdentity,
)
from seam_tui.core.results import LinkSuggestion
from seam_tui.core.settling import pending_of

NEXT_CURSOR = (
    "Cut at limit; more results: call again with the same arguments plus cursor=next_cursor, "
    "or narrow the search."
)
READ_ON = (
    "Fewer than limit matched in what this call read; more remain unread: call again with the "
    "same arguments plus cursor=next_cursor."
)


def page_note(shown: int, limit: int, next_cursor: str | None) -> str | None:
    """What a page's note says: nothing at the end, "cut at limit" for a full page, and "read
    on" for a short one that has more (a filtered listing that stopped reading)."""
    if next_cursor is None:
        return None
    return NEXT_CURSOR if shown >= limit else READ_ON


class _Reported(Protocol):
    @property
    def errors(self) -> tuple[ResourceError, ...]: ...
    @property
    def warnings(self) -> tuple[ResourceWarning, ...]: ...


def issues(resource: _Reported) -> list[str]:
    """Errors and warnings Seam reports on a resource, one line each."""
    return [f"error {e.error_code}: {e.message}".rstrip(": ") for e in resource.errors] + [
        f"warning {w.warning_code}: {w.message}".rstrip(": ") for w in resource.warnings
    ]


class PendingOut(ToolOutput):
    """A change Seam is still pushing to the access system, and since when."""

    what: str
    since: datetime | None = None

    @classmethod
    def of(cls, obj: AcsUser | UserIdentity) -> list[PendingOut]:
        return [cls(what=item.what, since=item.since) for item in pending_of(obj)]


class IdentityOut(ToolOutput):
    """A user identity: a person in the customer's app."""

    user_identity_id: str
    full_name: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    user_identity_key: str | None = None
    acs_user_ids: list[str] = Field(default_factory=list)
    pending: list[PendingOut] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, identity: UserIdentity, *, with_acs_user_ids: bool = True) -> IdentityOut:
        return cls(
            user_identity_id=identity.user_identity_id,
            full_name=identity.full_name,
            email_address=identity.email_address,
            phone_number=identity.phone_number,
            user_identity_key=identity.user_identity_key,
            acs_user_ids=identity.acs_user_ids if with_acs_user_ids else [],
            pending=PendingOut.of(identity),
            issues=issues(identity),
        )


class ScheduleOut(ToolOutput):
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class AcsUserOut(ToolOutput):
    """An ACS user: a person's account in one access control system."""

    acs_user_id: str
    acs_system_id: str
    system_name: str | None = None
    full_name: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    is_suspended: Literal[True] | None = Field(None, description="Present only when suspended.")
    user_identity_id: str | None = Field(None, description="The linked identity, if any.")
    user_identity_name: str | None = None
    access_schedule: ScheduleOut | None = None
    pending: list[PendingOut] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(
        cls, user: AcsUser, system_name: str | None = None, *, with_identity: bool = True
    ) -> AcsUserOut:
        """`with_identity=False` inside an identity's own result, where the link is implied."""
        linked = with_identity and user.user_identity_id
        return cls(
            acs_user_id=user.acs_user_id,
            acs_system_id=user.acs_system_id,
            system_name=system_name,
            full_name=user.full_name,
            email_address=user.email_address,
            phone_number=user.phone_number,
            is_suspended=True if user.is_suspended else None,
            user_identity_id=user.user_identity_id if linked else None,
            user_identity_name=(
                user.user_identity_full_name or user.user_identity_email_address if linked else None
            ),
            access_schedule=_schedule(user.access_schedule),
            pending=PendingOut.of(user),
            issues=issues(user),
        )


def _schedule(schedule: ApiSchedule | None) -> ScheduleOut | None:
    if schedule is None or (schedule.starts_at is None and schedule.ends_at is None):
        return None
    return ScheduleOut(starts_at=schedule.starts_at, ends_at=schedule.ends_at)


class SuggestedAcsUser(AcsUserOut):
    """An unlinked ACS user that looks like the same person as the identity."""

    matched_on: list[Literal["email_address", "phone_number"]]

    @classmethod
    def of_suggestion(cls, suggestion: LinkSuggestion) -> SuggestedAcsUser:
        user = AcsUserOut.of(suggestion.acs_user, suggestion.system_name)
        return cls(**dict(user), matched_on=suggestion.matched_on)


class SystemOut(ToolOutput):
    """An access control system (a site or account of one brand)."""

    acs_system_id: str
    name: str
    brand: str | None = None
    acs_user_count: int | None = None
    issues: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, system: AcsSystem, acs_user_count: int | None = None) -> SystemOut:
        return cls(
            acs_system_id=system.acs_system_id,
            name=system.name,
            brand=system.external_type_display_name or system.external_type,
            acs_user_count=acs_user_count,
            issues=issues(system),
        )


class WorkspaceOut(ToolOutput):
    """A workspace profile the tools can act in (pass its name as `workspace`)."""

    name: str
    label: str | None = None
    endpoint: str
    default: Literal[True] | None = Field(None, description="The server's default workspace.")
    read_only: Literal[True] | None = None
    sandbox: Literal[True] | None = Field(None, description="The offline sandbox; test data.")
    unusable: str | None = Field(None, description="Why the profile cannot be opened.")


class WorkspacesOut(ToolOutput):
    workspaces: list[WorkspaceOut]


class IdentityPage(ToolOutput):
    user_identities: list[IdentityOut]
    next_cursor: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, page: Page[UserIdentity], limit: int) -> IdentityPage:
        more = page.next_page_cursor if page.has_next_page else None
        return cls(
            user_identities=[IdentityOut.of(i) for i in page.items],
            next_cursor=more,
            note=page_note(len(page.items), limit, more),
        )


class AcsUserPage(ToolOutput):
    acs_users: list[AcsUserOut]
    next_cursor: str | None = None
    note: str | None = None


class IdentityChangeOut(ToolOutput):
    summary: str
    dry_run: bool = False
    changes: list[str] = Field(default_factory=list)
    user_identity: IdentityOut


class IdentityDeletionOut(ToolOutput):
    summary: str
    dry_run: bool = False
    user_identity: IdentityOut
    acs_users: list[AcsUserOut] = Field(
        default_factory=list, description="ACS users deleted with the identity."
    )


class AcsUserChangeOut(ToolOutput):
    summary: str
    dry_run: bool = False
    changes: list[str] = Field(default_factory=list)
    acs_user: AcsUserOut


class SuggestionsOut(ToolOutput):
    suggestions: list[SuggestedAcsUser]
    note: str | None = None
