"""The identity screen's keys for the ACS user highlighted in its first tab: open the ACS user's
own view (Enter or `o`), suspend (after a confirmation) or unsuspend, edit, delete.

The changes are the ACS users screen's own (`AcsUserChanges`): the same dialogs, the same
words, the same settling watch. After one, the identity is read again: its access follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import on

from seam_tui.core.models import AcsUser
from seam_tui.tui.clipboard import Copyable, acs_user_values, identity_values, instant_key_values
from seam_tui.tui.screens.acs_user_changes import AcsUserChanges
from seam_tui.tui.screens.identity_acs_users import AcsUsersPane
from seam_tui.tui.screens.identity_credentials import CredentialsPane
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.pane import Pane, cursor_key

P = TypeVar("P", bound=Pane)

# Action -> whether it applies to the highlighted ACS user.
ROW_ACTIONS: dict[str, Callable[[AcsUser], bool]] = {
    "open_acs_user": lambda u: True,
    "suspend": lambda u: not u.is_suspended,
    "unsuspend": lambda u: bool(u.is_suspended),
    "edit_acs_user": lambda u: True,
    "delete_acs_user": lambda u: True,
}


class AcsUserRowActions(AcsUserChanges):
    """Acts on the identity's highlighted ACS user; the identity screen builds on it."""

    ROW_WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"suspend", "unsuspend", "edit_acs_user", "delete_acs_user"}
    )

    def row_user(self) -> AcsUser | None:
        """The highlighted ACS user while the identity's ACS users table has the focus."""
        pane = self._pane(AcsUsersPane)
        if pane is None or not pane.acs_users_table.has_focus:
            return None
        return pane.highlighted_acs_user()

    def _pane(self, kind: type[P]) -> P | None:
        """The screen's pane of that kind, once composed (the footer asks for keys before)."""
        found = self.query(kind)
        return found.first() if found else None

    def row_action_applies(self, action: str) -> bool | None:
        """Whether a row action applies now (None: `action` is not one of them)."""
        rule = ROW_ACTIONS.get(action)
        if rule is None:
            return None
        user = self.row_user()
        return user is not None and rule(user)

    # ------------------------------------------------- what AcsUserChanges redraws

    def _user_changed(self, user: AcsUser) -> None:
        self.refresh_data()

    def _user_gone(self, acs_user_id: str) -> None:
        self.refresh_data()

    # ---------------------------------------------------------------- copy (y)

    def copy_values(self) -> list[Copyable]:
        """The highlighted ACS user's (or suggestion's, or instant key's) values, then the
        identity's not already offered."""
        acs_users, credentials = self._pane(AcsUsersPane), self._pane(CredentialsPane)
        if acs_users is None or credentials is None:
            return []
        found: list[Copyable] = []
        focused = self.focused
        if isinstance(focused, KeyTable) and focused.id in ("acs-users", "suggestions"):
            key = cursor_key(focused)
            users = acs_users.detail.acs_users if acs_users.detail else []
            users = users + [s.acs_user for s in acs_users.suggestions]
            user = next((u for u in users if u.acs_user_id == key), None)
            if user is not None:
                found += [c for c in acs_user_values(user) if c.label != "Identity id"]
        elif focused is credentials.instant_keys_table:
            instant_key = credentials.highlighted_key()
            if instant_key is not None:
                found += instant_key_values(instant_key)
        identity = acs_users.detail.identity if acs_users.detail else None
        known = {c.value for c in found}  # the same email twice is one choice
        return found + [
            c for c in (identity_values(identity) if identity else []) if c.value not in known
        ]

    # ---------------------------------------------------------------- actions

    @on(KeyTable.RowSelected, "#acs-users")
    def _acs_user_selected(self) -> None:
        self.action_open_acs_user()

    @on(KeyTable.RowHighlighted, "#acs-users")
    def _acs_user_highlighted(self) -> None:
        self.refresh_bindings()

    def action_open_acs_user(self) -> None:
        user = self.row_user()
        if user is not None:
            self.seam_app.open_acs_user(user.acs_user_id)

    def action_suspend(self) -> None:
        user = self.row_user()
        if user is not None:
            self._set_suspended(user, True)

    def action_unsuspend(self) -> None:
        user = self.row_user()
        if user is not None:
            self._set_suspended(user, False)

    def action_edit_acs_user(self) -> None:
        user = self.row_user()
        if user is not None:
            self._edit(user)

    def action_delete_acs_user(self) -> None:
        user = self.row_user()
        if user is not None:
            self._delete(user)
