"""The client's namespaces: one module per branch of the API's tree, one method per endpoint,
named and parametrised like the API (see `base` for the rules every method follows)."""

from seam_tui.core.resources.acs import AcsNamespace
from seam_tui.core.resources.acs_access_groups import AcsAccessGroupsNamespace
from seam_tui.core.resources.acs_credentials import AcsCredentialsNamespace
from seam_tui.core.resources.acs_entrances import AcsEntrancesNamespace
from seam_tui.core.resources.acs_systems import AcsSystemsNamespace
from seam_tui.core.resources.acs_users import AcsUsersNamespace
from seam_tui.core.resources.base import NULL, Nullable
from seam_tui.core.resources.devices import DevicesNamespace
from seam_tui.core.resources.instant_keys import InstantKeysNamespace
from seam_tui.core.resources.user_identities import UserIdentitiesNamespace
from seam_tui.core.resources.workspaces import WorkspacesNamespace

__all__ = [
    "NULL",
    "AcsAccessGroupsNamespace",
    "AcsCredentialsNamespace",
    "AcsEntrancesNamespace",
    "AcsNamespace",
    "AcsSystemsNamespace",
    "AcsUsersNamespace",
    "DevicesNamespace",
    "InstantKeysNamespace",
    "Nullable",
    "UserIdentitiesNamespace",
    "WorkspacesNamespace",
]
