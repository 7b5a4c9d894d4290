"""One ACS user: its fields, issues and pending changes, its access groups, its credentials, and
its identity's other ACS users.

Act on it as on the ACS users screen (suspend after a confirmation, unsuspend, edit, link,
unlink, delete: the same `AcsUserChanges` flows), and jump to what it is tied to: `i` its
identity, `S` its system's ACS users, Enter on another ACS user of the identity opens that one,
Enter on a group its system's access groups. Alt+left / alt+right go back and forward.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from seam_tui.core.errors import SeamError, SeamNotFoundError
from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsAccessGroup, AcsCredential, AcsUser, UserIdentity
from seam_tui.core.results import IdentityDetail
from seam_tui.core.results_access import CredentialInfo
from seam_tui.core.settling import SettlingKind, is_settled
from seam_tui.tui.access_text import credential_cells
from seam_tui.tui.clipboard import Copyable, acs_user_values, identity_values
from seam_tui.tui.literal import quoted
from seam_tui.tui.screens.access_groups import AccessGroupsScreen
from seam_tui.tui.screens.acs_user_changes import AcsUserChanges, user_name
from seam_tui.tui.screens.acs_user_header import (
    GROUP_COLUMNS,
    SIBLING_COLUMNS,
    acs_user_fields,
    acs_user_issues,
    group_cells,
    sibling_cells,
)
from seam_tui.tui.screens.identity_credentials import CREDENTIAL_COLUMNS
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.pane import cursor_key, restore_cursor
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

# Actions that need the ACS user loaded, and when each applies to it.
_RULES: dict[str, Callable[[AcsUser], bool]] = {
    "open_identity": lambda u: bool(u.user_identity_id),
    "open_system": lambda u: True,
    "link": lambda u: not u.user_identity_id,
    "unlink": lambda u: bool(u.user_identity_id),
    "suspend": lambda u: not u.is_suspended,
    "unsuspend": lambda u: bool(u.is_suspended),
    "edit": lambda u: True,
    "delete": lambda u: True,
}


class AcsUserDetailScreen(AcsUserChanges):
    """An ACS user with its groups, credentials and its identity's other ACS users."""

    HELP_TITLE = "ACS user"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"link", "unlink", "suspend", "unsuspend", "edit", "delete"}
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "open_identity", "Identity", id="acs_user.open_identity"),
        Binding("S", "open_system", "System", id="acs_user.open_system"),
        Binding("s", "suspend", "Suspend…", id="acs_user.suspend"),
        Binding("s", "unsuspend", "Unsuspend", id="acs_user.unsuspend"),
        Binding("e", "edit", "Edit", id="acs_user.edit"),
        Binding("l", "link", "Link…", id="acs_user.link"),
        Binding("x", "unlink", "Unlink", id="acs_user.unlink"),
        Binding("d", "delete", "Delete", id="acs_user.delete"),
        Binding("r", "refresh", "Refresh", id="acs_user.refresh"),
    ]

    def __init__(self, acs_user_id: str) -> None:
        super().__init__()
        self.acs_user_id = acs_user_id
        self.user: AcsUser | None = None
        self.identity: IdentityDetail | None = None
        self.groups: list[AcsAccessGroup] = []
        self.credentials: list[AcsCredential] = []

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("ACS user")
        with VerticalScroll(id="acs-user-header"):
            yield Line(id="acs-user-fields")
            yield Line(id="acs-user-issues")
        with VerticalScroll(id="acs-user-tables"):
            for table_id, title, columns in (
                ("acs-user-groups", "Access groups", GROUP_COLUMNS),
                ("acs-user-credentials", "Credentials", CREDENTIAL_COLUMNS),
                ("acs-user-siblings", "Other ACS users of its identity", SIBLING_COLUMNS),
            ):
                yield Line(title, id=f"{table_id}-title", classes="section-title")
                table = KeyTable(id=table_id)
                table.add_column_specs(*columns)
                yield table
        yield Line("loading…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#acs-user-issues", Line).display = False
        self.query_one("#acs-user-groups", KeyTable).focus()
        self.refresh_data()

    def revisit(self) -> Screen[None]:
        """This ACS user again, read afresh (history's forward)."""
        return AcsUserDetailScreen(self.acs_user_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        rule = _RULES.get(action)
        if rule is None:
            return True
        return self.user is not None and rule(self.user)

    # ---------------------------------------------------------------- loading

    def refresh_data(self) -> None:
        self._load()

    @work(exclusive=True, group="acs-user-load")
    async def _load(self) -> None:
        self._set_status("loading…")
        service = self.service
        try:
            user = await service.get_acs_user(AcsUserTarget(acs_user_id=self.acs_user_id))
            self._systems = await service.systems_by_id()
            identity_id = user.user_identity_id
            groups, credentials, identity = await asyncio.gather(
                service.list_acs_user_access_groups(self.acs_user_id),
                service.list_acs_user_credentials(self.acs_user_id),
                service.get_identity_detail(identity_id) if identity_id else _nothing(),
            )
        except SeamNotFoundError:
            if not self.is_closing:
                self._gone()
            return
        except SeamError as exc:
            if not self.is_closing:
                self._set_status("could not load — press r to retry, Esc to go back")
                self.show_error(exc)
            return
        if self.is_closing:
            return
        self.identity, self.groups, self.credentials = identity, groups, credentials
        self._show_user(user)
        self._fill_groups()
        self._fill_credentials()
        self._fill_siblings()
        self._set_status(self._summary())
        self.seam_app.settling.watch_pending([user, *self._siblings()])

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Line).update(text)

    def _summary(self) -> str:
        user = self.user
        if user is None:
            return ""
        return (
            f"{quoted(user_name(user))} in {quoted(self._system_name(user.acs_system_id))}: "
            f"{len(self.groups)} access group(s), {len(self.credentials)} credential(s)"
        )

    def _gone(self) -> None:
        self.user = None
        self._set_status("this ACS user no longer exists — Esc to go back")
        self.refresh_bindings()

    # ---------------------------------------------------------------- showing

    def _show_user(self, user: AcsUser) -> None:
        self.user = user
        identity = self.identity.identity if self.identity else None
        system = self._systems.get(user.acs_system_id)
        self.query_one("#acs-user-fields", Line).update(acs_user_fields(user, system, identity))
        issues = self.query_one("#acs-user-issues", Line)
        said = acs_user_issues(user)
        issues.update(said or "")
        issues.display = said is not None
        self.refresh_bindings()

    def _fill_groups(self) -> None:
        table = self.query_one("#acs-user-groups", KeyTable)
        keep = cursor_key(table)
        table.clear()
        for group in sorted(self.groups, key=lambda g: g.name.casefold()):
            table.add_row(*group_cells(group), key=group.acs_access_group_id)
        restore_cursor(table, keep)
        hint = "" if self.groups or self.seam_app.read_only else " — e adds it to one"
        self.query_one("#acs-user-groups-title", Line).update(
            f"Access groups ({len(self.groups)}){hint}"
        )

    def _fill_credentials(self) -> None:
        table = self.query_one("#acs-user-credentials", KeyTable)
        keep = cursor_key(table)
        table.clear()
        user = self.user
        person = user_name(user) if user else ""
        for credential in self.credentials:
            info = CredentialInfo(
                credential=credential,
                system_name=self._system_name(credential.acs_system_id),
                acs_user=user,
            )
            cells = credential_cells(info, reveal=False, person=person)
            table.add_row(*cells, key=credential.acs_credential_id)
        restore_cursor(table, keep)
        self.query_one("#acs-user-credentials-title", Line).update(
            f"Credentials ({len(self.credentials)})"
        )

    def _siblings(self) -> list[AcsUser]:
        if self.identity is None:
            return []
        return [u for u in self.identity.acs_users if u.acs_user_id != self.acs_user_id]

    def _fill_siblings(self) -> None:
        table = self.query_one("#acs-user-siblings", KeyTable)
        keep = cursor_key(table)
        table.clear()
        detail = self.identity
        siblings = sorted(
            self._siblings(), key=lambda u: self._system_name(u.acs_system_id).casefold()
        )
        for user in siblings:
            table.add_row(
                *sibling_cells(user, self._system_name(user.acs_system_id)), key=user.acs_user_id
            )
        restore_cursor(table, keep)
        title = self.query_one("#acs-user-siblings-title", Line)
        if detail is None:
            title.update("Other ACS users — none: this ACS user is not linked to an identity")
        else:
            owner = quoted(detail.identity.full_name or detail.identity.display_name or "")
            title.update(
                f"Other ACS users of {owner} ({len(siblings)})"
                + (" — Enter opens one" if siblings else "")
            )
        table.display = bool(siblings)

    # ------------------------------------------------- what AcsUserChanges redraws

    def _user_changed(self, user: AcsUser) -> None:
        """Show the change at once, then read again what follows from it (groups, identity)."""
        self._show_user(user)
        self.refresh_data()

    def _user_gone(self, acs_user_id: str) -> None:
        if acs_user_id == self.acs_user_id and self.is_current:
            self.app.pop_screen()

    # ------------------------------------------------------ changes settling later

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool:
        if kind == "user_identity":
            return self.user is not None and object_id == self.user.user_identity_id
        return object_id == self.acs_user_id or any(
            u.acs_user_id == object_id for u in self._siblings()
        )

    def show_object(
        self, kind: SettlingKind, object_id: str, obj: AcsUser | UserIdentity | None
    ) -> None:
        """Redraw what changed; once it has settled, read everything again."""
        if kind == "acs_user" and object_id == self.acs_user_id:
            if obj is None:
                self._gone()
                return
            if isinstance(obj, AcsUser):
                self._show_user(obj)
        if obj is None or is_settled(obj):
            self.refresh_data()

    # ---------------------------------------------------------------- copy (y)

    def copy_values(self) -> list[Copyable]:
        """The ACS user's id, email, phone, then its identity's."""
        if self.user is None:
            return []
        found = acs_user_values(self.user)
        if self.identity is not None:
            known = {c.value for c in found}
            found += [c for c in identity_values(self.identity.identity) if c.value not in known]
        return found

    # ---------------------------------------------------------------- jumps

    @on(KeyTable.RowSelected, "#acs-user-siblings")
    def _sibling_selected(self, event: KeyTable.RowSelected) -> None:
        if event.row_key.value:
            self.seam_app.open_acs_user(event.row_key.value)

    @on(KeyTable.RowSelected, "#acs-user-groups")
    def _group_selected(self) -> None:
        self.action_open_groups()

    def action_open_identity(self) -> None:
        if self.user is not None and self.user.user_identity_id:
            self.seam_app.open_identity(self.user.user_identity_id)

    def action_open_system(self) -> None:
        from seam_tui.tui.screens.acs_users import AcsUsersScreen

        if self.user is not None:
            self.app.push_screen(AcsUsersScreen(acs_system_id=self.user.acs_system_id))

    def action_open_groups(self) -> None:
        if self.user is not None:
            system_id = self.user.acs_system_id
            self.app.push_screen(AccessGroupsScreen(system_id, self._system_name(system_id)))

    # ---------------------------------------------------------------- changes

    def action_suspend(self) -> None:
        if self.user is not None:
            self._set_suspended(self.user, True)

    def action_unsuspend(self) -> None:
        if self.user is not None:
            self._set_suspended(self.user, False)

    def action_edit(self) -> None:
        if self.user is not None:
            self._edit(self.user)

    def action_link(self) -> None:
        if self.user is not None:
            self._link(self.user)

    def action_unlink(self) -> None:
        if self.user is not None:
            self._unlink(self.user)

    def action_delete(self) -> None:
        if self.user is not None:
            self._delete(self.user)


async def _nothing() -> None:
    """No identity to read (the ACS user is not linked)."""
