"""An ACS user's access-group memberships: read them, and add or remove several in one go.

Functions over a `SeamService` rather than methods of it; writes still take the service's
audited, read-only-aware path (`_change`), one audit entry per group changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from pydantic import BaseModel, Field

from seam_tui.core.errors import SeamError
from seam_tui.core.models import AcsAccessGroup
from seam_tui.core.service import SeamService


class AccessGroupChanges(BaseModel):
    """Which memberships changed and which failed (group id to error), so a retry sends the rest."""

    acs_user_id: str
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.failed


async def list_acs_user_access_groups(
    service: SeamService, acs_user_id: str
) -> list[AcsAccessGroup]:
    """The access groups the ACS user is a member of."""
    return await service.client.acs.access_groups.list(acs_user_id=acs_user_id)


async def change_acs_user_access_groups(
    service: SeamService,
    acs_user_id: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> AccessGroupChanges:
    """Add the ACS user to `add` and remove it from `remove`, group by group.

    Refused up front in a read-only workspace; after that a failing group is recorded in
    `failed` and the others still go ahead.
    """
    service._require_writable("change_acs_user_access_groups")
    changes = AccessGroupChanges(acs_user_id=acs_user_id)
    users = service.client.acs.users
    steps = [(group_id, True) for group_id in add] + [(group_id, False) for group_id in remove]
    for group_id, adding in steps:
        call = partial(
            users.add_to_access_group if adding else users.remove_from_access_group,
            acs_user_id=acs_user_id,
            acs_access_group_id=group_id,
        )
        operation = (
            "add_acs_user_to_access_group" if adding else "remove_acs_user_from_access_group"
        )
        ids = {"acs_user_id": acs_user_id, "acs_access_group_id": group_id}
        try:
            await service._change(operation, ids, call)
        except SeamError as exc:
            changes.failed[group_id] = str(exc)
        else:
            (changes.added if adding else changes.removed).append(group_id)
    return changes
