"""What the service's whole operations return: typed results both front ends render."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.models import AcsSystem, AcsUser, UserIdentity

AcsUserFilter = Literal["all", "linked", "unlinked", "suspended"]


class IdentityDetail(BaseModel):
    """An identity with its ACS users and the systems they live in."""

    identity: UserIdentity
    acs_users: list[AcsUser] = Field(default_factory=list)
    systems: dict[str, AcsSystem] = Field(default_factory=dict)

    def system_name(self, acs_system_id: str) -> str:
        """The system's name, or its id when the system is not visible."""
        system = self.systems.get(acs_system_id)
        return system.name if system else acs_system_id


MatchField = Literal["email_address", "phone_number"]


class PlannedAcsUser(BaseModel):
    """What creating an identity would do in one system: create an ACS user, or link one."""

    acs_system_id: str
    system_name: str
    action: Literal["create", "link"]
    acs_user_id: str | None = Field(None, description="link: the existing unlinked ACS user.")
    acs_user_name: str | None = None
    matched_on: list[MatchField] = Field(
        default_factory=list, description="link: why it is the same person (empty: chosen)."
    )


class PlanProblem(BaseModel):
    """Something found before anything is done that refuses the whole creation."""

    field: str
    message: str


class CreatePlan(BaseModel):
    """What creating an identity would do, system by system, and what stops it (nothing done)."""

    identity: UserIdentityCreate
    link_acs_user_id: str | None = None
    acs_users: list[PlannedAcsUser] = Field(default_factory=list)
    problems: list[PlanProblem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> list[PlannedAcsUser]:
        return [p for p in self.acs_users if p.action == "create"]

    @property
    def to_link(self) -> list[PlannedAcsUser]:
        return [p for p in self.acs_users if p.action == "link"]


class SystemOutcome(BaseModel):
    """What happened in one system while creating an identity's ACS users.

    `action` is what was tried; `status` what is true now. A failed step whose effect could not
    be checked afterwards is `uncertain`: it may have been applied.
    """

    acs_system_id: str
    system_name: str
    status: Literal["linked", "created", "failed"]
    action: Literal["create", "link"] = "create"
    acs_user_id: str | None = None
    acs_user_name: str | None = None
    error: str | None = None
    uncertain: bool = False
    pending: list[str] = Field(default_factory=list)
    """What of the ACS user Seam was still pushing to the system when the step ended."""


class ToolCall(BaseModel):
    """One call of a tool (named as the MCP tool and the audited operation) with its arguments."""

    tool: str
    arguments: dict[str, Any]


class CreateIdentityResult(BaseModel):
    """The identity this call created and, per chosen system, exactly what it did there."""

    identity: UserIdentity
    outcomes: list[SystemOutcome] = Field(default_factory=list)
    audit_error: str | None = Field(
        None, description="Set when the audit log could not record part of it."
    )

    @property
    def complete(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    @property
    def failed_system_ids(self) -> list[str]:
        return [o.acs_system_id for o in self.outcomes if o.status == "failed"]

    @property
    def created(self) -> list[SystemOutcome]:
        return [o for o in self.outcomes if o.status == "created"]

    @property
    def linked(self) -> list[SystemOutcome]:
        return [o for o in self.outcomes if o.status == "linked"]

    @property
    def to_unlink(self) -> list[SystemOutcome]:
        """Pre-existing ACS users this call linked (or may have): undo unlinks them first."""
        return [
            o
            for o in self.outcomes
            if o.action == "link"
            and o.acs_user_id
            and (o.status == "linked" or (o.status == "failed" and o.uncertain))
        ]

    def undo_calls(self) -> list[ToolCall]:
        """Undo, in order: unlink each pre-existing ACS user this call linked (it stays), then
        delete the identity with the ACS users this call created, refused if it has any other."""
        identity_id = self.identity.user_identity_id
        calls = [
            ToolCall(
                tool="link_acs_user",
                arguments={
                    "user_identity_id": identity_id,
                    "acs_user_id": o.acs_user_id,
                    "unlink": True,
                },
            )
            for o in self.to_unlink
        ]
        created = [o.acs_user_id for o in self.outcomes if o.status == "created" and o.acs_user_id]
        calls.append(
            ToolCall(
                tool="delete_user_identity",
                arguments={"user_identity_id": identity_id, "expected_acs_user_ids": created},
            )
        )
        return calls

    def finish_calls(self) -> list[ToolCall]:
        """Finish, in order: redo each failed system's step (after reading the identity when a
        failed step may have been applied anyway)."""
        identity = self.identity
        failed = [o for o in self.outcomes if o.status == "failed"]
        calls = []
        if any(o.uncertain for o in failed):
            calls.append(
                ToolCall(
                    tool="get_user_identity",
                    arguments={"user_identity_id": identity.user_identity_id},
                )
            )
        for o in failed:
            if o.action == "link" and o.acs_user_id:
                arguments: dict[str, Any] = {
                    "user_identity_id": identity.user_identity_id,
                    "acs_user_id": o.acs_user_id,
                }
                calls.append(ToolCall(tool="link_acs_user", arguments=arguments))
                continue
            arguments = {
                "acs_system_id": o.acs_system_id,
                "user_identity_id": identity.user_identity_id,
                "full_name": acs_user_name_for(identity),
            }
            for name in ("email_address", "phone_number"):
                if getattr(identity, name):
                    arguments[name] = getattr(identity, name)
            calls.append(ToolCall(tool="create_acs_user", arguments=arguments))
        return calls


def acs_user_name_for(identity: UserIdentity) -> str:
    """The full name a new ACS user of this identity gets."""
    return identity.full_name or identity.display_name or identity.user_identity_id


class UndoReport(BaseModel):
    """What undoing a creation did: which ACS users it unlinked (they stay), whether it deleted
    the identity (and with it the ACS users the creation made), and why it stopped if it did."""

    user_identity_id: str
    unlinked: list[str] = Field(default_factory=list)
    deleted_acs_user_ids: list[str] = Field(default_factory=list)
    deleted_identity: bool = False
    error: str | None = None


class DeletionPlan(BaseModel):
    """What deleting an identity removes: the identity and every ACS user linked to it."""

    identity: UserIdentity
    acs_users: list[AcsUser] = Field(default_factory=list)


class LinkSuggestion(BaseModel):
    """An unlinked ACS user that looks like the same person as an identity."""

    acs_user: AcsUser
    system_name: str
    matched_on: list[Literal["email_address", "phone_number"]]


class SystemSummary(BaseModel):
    """An ACS system with how many ACS users it holds."""

    system: AcsSystem
    acs_user_count: int


class AccessGroupChanges(BaseModel):
    """Which memberships changed and which failed (group id to error), so a retry sends the rest."""

    acs_user_id: str
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.failed
