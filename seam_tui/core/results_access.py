"""What the access operations return: who can open what, and by which path."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from seam_tui.core.models import (
    AcsAccessGroup,
    AcsCredential,
    AcsEntrance,
    AcsSystem,
    AcsUser,
    Device,
    InstantKey,
    UserIdentity,
)

PathKind = Literal["access_group", "credential", "acs_user", "device_grant"]
# Why a path does not open the door right now (None: it does).
Blocked = Literal["suspended", "not_started", "ended"]


class AccessPath(BaseModel):
    """One way a person reaches an entrance or a device, and the window it is valid in.

    - `access_group`: ACS user → access group → entrance
    - `credential`: ACS user → credential (mobile key, code, card) → entrance
    - `acs_user`: the system reports the entrance for the ACS user, through neither of the above
    - `device_grant`: the device was granted to the identity directly
    `starts_at`/`ends_at` are the narrowest window along the path; `blocked` says why it does
    not open now.
    """

    kind: PathKind
    acs_user_id: str | None = None
    acs_system_id: str | None = None
    acs_access_group_id: str | None = None
    acs_access_group_name: str | None = None
    acs_credential_id: str | None = None
    access_method: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    blocked: Blocked | None = None


class Reached(BaseModel):
    """Something the person can open, with every path that grants it."""

    paths: list[AccessPath] = Field(default_factory=list)

    @property
    def opens_now(self) -> bool:
        return any(path.blocked is None for path in self.paths)


class EntranceAccess(Reached):
    """An entrance the person can open, with every path that grants it."""

    entrance: AcsEntrance
    system_name: str


class DeviceAccess(Reached):
    """A device the person can open, with the path that grants it."""

    device: Device


class CredentialInfo(BaseModel):
    """A credential of one of the person's ACS users, with where it lives."""

    credential: AcsCredential
    system_name: str
    acs_user: AcsUser | None = None


class PersonAccess(BaseModel):
    """Everything one person can open, and how: the answer to "what can this person open?".

    `problems` lists what could not be read (one line each, e.g. a system that did not answer);
    the rest of the answer is still true, but may be incomplete when it is not empty.
    """

    identity: UserIdentity
    acs_users: list[AcsUser] = Field(default_factory=list)
    systems: dict[str, AcsSystem] = Field(default_factory=dict)
    entrances: list[EntranceAccess] = Field(default_factory=list)
    devices: list[DeviceAccess] = Field(default_factory=list)
    credentials: list[CredentialInfo] = Field(default_factory=list)
    instant_keys: list[InstantKey] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


class AccessGroupDetail(BaseModel):
    """An access group with its members and the entrances it opens."""

    group: AcsAccessGroup
    system_name: str
    members: list[AcsUser] = Field(default_factory=list)
    entrances: list[AcsEntrance] = Field(default_factory=list)
