"""What the service's whole operations return: typed results both front ends render."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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


class SystemOutcome(BaseModel):
    """What happened in one system while creating an identity's ACS users."""

    acs_system_id: str
    system_name: str
    status: Literal["linked", "created", "failed"]
    acs_user_id: str | None = None
    error: str | None = None


class CreateIdentityResult(BaseModel):
    """The identity that now exists and, per chosen system, whether its ACS user does too."""

    identity: UserIdentity
    outcomes: list[SystemOutcome] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    @property
    def failed_system_ids(self) -> list[str]:
        return [o.acs_system_id for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        """One sentence on what exists now and, when a step failed, how to finish or undo."""
        name = self.identity.display_name or self.identity.user_identity_id
        done = [f"{o.status} in {o.system_name}" for o in self.outcomes if o.status != "failed"]
        text = f"Created identity {name}" + (f"; ACS user {', '.join(done)}" if done else "")
        failed = [o for o in self.outcomes if o.status == "failed"]
        if failed:
            text += "; FAILED in " + "; ".join(f"{o.system_name}: {o.error}" for o in failed)
            text += (
                ". Retry the failed systems with add_acs_users_for_identity, or undo by "
                f"deleting identity {self.identity.user_identity_id}."
            )
        return text


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
