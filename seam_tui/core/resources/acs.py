"""`/acs/*`: the access-control namespaces, grouped as in the official SDK."""

from __future__ import annotations

from seam_tui.core.resources.acs_access_groups import AcsAccessGroupsNamespace
from seam_tui.core.resources.acs_credentials import AcsCredentialsNamespace
from seam_tui.core.resources.acs_entrances import AcsEntrancesNamespace
from seam_tui.core.resources.acs_systems import AcsSystemsNamespace
from seam_tui.core.resources.acs_users import AcsUsersNamespace
from seam_tui.core.resources.base import Requester


class AcsNamespace:
    """`/acs/*`: `users`, `systems`, `access_groups`, `entrances`, `credentials`."""

    def __init__(self, client: Requester) -> None:
        self.users = AcsUsersNamespace(client)
        self.systems = AcsSystemsNamespace(client)
        self.access_groups = AcsAccessGroupsNamespace(client)
        self.entrances = AcsEntrancesNamespace(client)
        self.credentials = AcsCredentialsNamespace(client)
