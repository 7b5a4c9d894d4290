"""One identity: its fields and issues, then three tabs — its ACS users, what it can open
(Access), and its credentials and instant keys.

Everything a person does to an identity starts here: edit, link, unlink, give it an ACS user in
another system, act on one of its ACS users (open, suspend, edit, delete: `identity_row_actions`),
grant or revoke a device, generate an instant key, delete. `[` and `]` (or a click on a tab)
switch tabs; the footer offers the keys of the tab in view.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Footer

from seam_tui.core.errors import SeamError
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.results import IdentityDetail
from seam_tui.core.results_access import PersonAccess
from seam_tui.core.settling import SettlingKind, is_settled, pending_of
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import clipped
from seam_tui.tui.screens.identity_access import AccessPane
from seam_tui.tui.screens.identity_acs_users import AcsUsersPane, UnlinkedAcsUserPicker
from seam_tui.tui.screens.identity_credentials import CredentialsPane
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.identity_header import identity_fields, identity_issues
from seam_tui.tui.screens.identity_row_actions import ROW_ACTIONS, AcsUserRowActions
from seam_tui.tui.screens.identity_tabs import TABS, TabBar
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

__all__ = ["IdentityDetailScreen", "UnlinkedAcsUserPicker"]

# Actions that belong to one tab: the footer, help and palette offer them only there.
TAB_OF_ACTION: dict[str, str] = {
    "link": "acs-users-tab",
    "link_other": "acs-users-tab",
    "unlink": "acs-users-tab",
    "create_acs_user": "acs-users-tab",
    **{action: "acs-users-tab" for action in ROW_ACTIONS},
    "grant_device": "access-tab",
    "revoke_device": "access-tab",
    "show_codes": "credentials-tab",
    "hide_codes": "credentials-tab",
    "show_instant_key": "credentials-tab",
    "delete_instant_key": "credentials-tab",
}


class IdentityDetailScreen(AcsUserRowActions):
    """An identity with its ACS users, what it can open, and its credentials."""

    HELP_TITLE = "Identity"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {
            "edit",
            "link",
            "link_other",
            "unlink",
            "create_acs_user",
            "delete",
            "grant_device",
            "revoke_device",
            "instant_key",
            "delete_instant_key",
            *AcsUserRowActions.ROW_WRITE_ACTIONS,
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_square_bracket", "next_tab", "Next tab", key_display="]", id="identity.next_tab"
        ),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Previous tab",
            key_display="[",
            show=False,
            id="identity.previous_tab",
        ),
        Binding("e", "edit", "Edit", id="identity.edit"),
        Binding("l", "link", "Link", id="identity.link"),
        Binding("L", "link_other", "Link other…", id="identity.link_other"),
        Binding("x", "unlink", "Unlink", id="identity.unlink"),
        Binding("c", "create_acs_user", "New ACS user", id="identity.create_acs_user"),
        Binding("o", "open_acs_user", "Open ACS user", id="identity.open_acs_user"),
        Binding("s", "suspend", "Suspend…", id="identity.suspend"),
        Binding("s", "unsuspend", "Unsuspend", id="identity.unsuspend"),
        Binding("E", "edit_acs_user", "Edit ACS user", id="identity.edit_acs_user"),
        Binding("D", "delete_acs_user", "Delete ACS user", id="identity.delete_acs_user"),
        Binding("a", "grant_device", "Grant device…", id="identity.grant_device"),
        Binding("x", "revoke_device", "Revoke device", id="identity.revoke_device"),
        Binding("s", "show_codes", "Show codes", id="identity.show_codes"),
        Binding("s", "hide_codes", "Hide codes", id="identity.hide_codes"),
        Binding("o", "show_instant_key", "QR code", show=False, id="identity.show_instant_key"),
        Binding("x", "delete_instant_key", "Revoke key", id="identity.delete_instant_key"),
        Binding("i", "instant_key", "Instant key…", id="identity.instant_key"),
        Binding("d", "delete", "Delete", id="identity.delete"),
        Binding("r", "refresh", "Refresh", id="identity.refresh"),
    ]

    def __init__(self, user_identity_id: str) -> None:
        super().__init__()
        self.user_identity_id = user_identity_id
        self._detail: IdentityDetail | None = None
        self._access: PersonAccess | None = None
        self._status = {"detail": "loading…", "access": ""}

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Identity")
        # Scrolls when a value is very long: the tabs below always stay in view.
        with VerticalScroll(id="identity-header"):
            yield Line(id="identity-fields")
            yield Line(id="identity-issues")
        yield TabBar(id="identity-tabs")
        with ContentSwitcher(initial=TABS[0][0], id="identity-panes"):
            yield AcsUsersPane(self.user_identity_id, id="acs-users-tab")
            yield AccessPane(id="access-tab")
            yield CredentialsPane(id="credentials-tab")
        yield Line("loading…", id="status")
        yield Footer()

    @property
    def acs_users_pane(self) -> AcsUsersPane:
        return self.query_one(AcsUsersPane)

    @property
    def access_pane(self) -> AccessPane:
        return self.query_one(AccessPane)

    @property
    def credentials_pane(self) -> CredentialsPane:
        return self.query_one(CredentialsPane)

    @property
    def acs_users_table(self) -> KeyTable:
        return self.acs_users_pane.acs_users_table

    @property
    def suggestions_table(self) -> KeyTable:
        return self.acs_users_pane.suggestions_table

    @property
    def tab(self) -> str:
        """The id of the pane in view."""
        return self.query_one(ContentSwitcher).current or TABS[0][0]

    def revisit(self) -> IdentityDetailScreen:
        """This identity again, read afresh (history's forward)."""
        return IdentityDetailScreen(self.user_identity_id)

    def on_mount(self) -> None:
        self._mark_tab()
        self.acs_users_table.focus()
        self.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = TAB_OF_ACTION.get(action)
        if tab is not None and tab != self.tab:
            return False
        if not self._applies(action):
            return False
        return super().check_action(action, parameters)

    def _applies(self, action: str) -> bool:
        """Whether there is something for the action to act on (a device to revoke, ...)."""
        row = self.row_action_applies(action)
        if row is not None:
            return row
        access = self._access
        if action == "revoke_device":
            return bool(access and access.devices)
        if action in ("show_instant_key", "delete_instant_key"):
            return bool(access and access.instant_keys)
        if action in ("show_codes", "hide_codes"):
            if not (access and any(c.credential.code for c in access.credentials)):
                return False
            return self.credentials_pane.reveal_codes == (action == "hide_codes")
        return True

    # ---------------------------------------------------------------- tabs

    def show_tab(self, pane_id: str) -> None:
        """Bring a tab into view and put the focus on its first table."""
        self.query_one(ContentSwitcher).current = pane_id
        self._mark_tab()
        pane = self.query_one(f"#{pane_id}")
        tables = [t for t in pane.query(KeyTable).results(KeyTable) if t.display]
        if tables:
            tables[0].focus()
        self.refresh_bindings()

    def _mark_tab(self) -> None:
        self.query_one(TabBar).mark(self.tab)

    def _step_tab(self, step: int) -> None:
        ids = [pane_id for pane_id, _ in TABS]
        self.show_tab(ids[(ids.index(self.tab) + step) % len(ids)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    @on(TabBar.Chosen)
    def _tab_chosen(self, event: TabBar.Chosen) -> None:
        self.show_tab(event.pane_id)

    def _label_tabs(self) -> None:
        counts: dict[str, str] = {}
        if self._detail is not None:
            counts["acs-users-tab"] = f" ({len(self._detail.acs_users)})"
        access = self._access
        if access is not None:
            counts["access-tab"] = f" ({len(access.entrances)} + {len(access.devices)})"
            counts["credentials-tab"] = f" ({len(access.credentials)} + {len(access.instant_keys)})"
        self.query_one(TabBar).count(counts)

    # ---------------------------------------------------------------- loading

    def refresh_data(self) -> None:
        self._load()
        self._load_access()

    @work(exclusive=True, group="identity-load")
    async def _load(self) -> None:
        self._set_status("detail", "loading…")
        try:
            detail = await self.service.get_identity_detail(self.user_identity_id)
        except SeamError as exc:
            if not self.is_closing:
                self._set_status("detail", "could not load — press r to retry, Esc to go back")
                self.show_error(exc)
            return
        if self.is_closing:
            return
        self._show_detail(detail)
        try:
            suggestions = await self.service.suggest_acs_user_links(self.user_identity_id)
        except SeamError as exc:
            if not self.is_closing:
                self._set_status(
                    "detail", "could not look for matching ACS users — press r to retry"
                )
                self.show_error(exc)
            return
        if self.is_closing:
            return
        self.acs_users_pane.show_suggestions(suggestions)
        self._set_status("detail", self._summary())

    @work(exclusive=True, group="identity-access")
    async def _load_access(self) -> None:
        if self._access is None:
            self._set_status("access", "access: loading…")
        try:
            access = await self.service.access.person_access(self.user_identity_id)
        except SeamError as exc:
            if not self.is_closing:
                self._set_status("access", "could not load access — press r to retry")
                self.access_pane.show_failure(
                    f"Could not read what this person can open: {describe_error(exc)}"
                )
                self.show_error(exc)
            return
        if self.is_closing:
            return
        self._access = access
        self.access_pane.show(access)
        self.credentials_pane.show(access)
        self._label_tabs()
        opens = sum(entry.opens_now for entry in access.entrances)
        self._set_status(
            "access",
            f"opens {opens} of {len(access.entrances)} entrance(s), "
            f"{len(access.devices)} device(s) granted directly",
        )
        self.refresh_bindings()

    def _set_status(self, part: str, text: str) -> None:
        self._status[part] = text
        shown = " · ".join(value for value in self._status.values() if value)
        self.query_one("#status", Line).update(shown)

    def _show_detail(self, detail: IdentityDetail) -> None:
        self._detail = detail
        self._systems = detail.systems
        identity = detail.identity
        self.query_one("#identity-fields", Line).update(identity_fields(identity))
        issues = self.query_one("#identity-issues", Line)
        issues.update(identity_issues(identity, detail.acs_users))
        busy = any(pending_of(u) for u in detail.acs_users)
        issues.display = bool(identity.errors or identity.warnings or busy)
        self.acs_users_pane.show_detail(detail)
        self._label_tabs()
        self.seam_app.settling.watch_pending([identity, *detail.acs_users])

    # ------------------------------------------------------ changes settling later

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool:
        if kind == "user_identity":
            return object_id == self.user_identity_id
        detail = self._detail
        return detail is not None and any(u.acs_user_id == object_id for u in detail.acs_users)

    def show_object(
        self, kind: SettlingKind, object_id: str, obj: AcsUser | UserIdentity | None
    ) -> None:
        """Redraw the identity or one of its ACS users as Seam now has it; once a change has
        settled, read the whole identity again (its warnings and access follow from it)."""
        detail = self._detail
        if detail is None:
            return
        if isinstance(obj, UserIdentity):
            self._show_detail(detail.model_copy(update={"identity": obj}))
        elif isinstance(obj, AcsUser):
            users = [obj if u.acs_user_id == object_id else u for u in detail.acs_users]
            self._show_detail(detail.model_copy(update={"acs_users": users}))
        if obj is None or is_settled(obj):
            if kind == "user_identity" and obj is None:
                self._set_status("detail", "this identity has been deleted — Esc to go back")
                return
            self.refresh_data()

    def _summary(self) -> str:
        detail = self._detail
        if detail is None:
            return ""
        name = clipped(detail.identity.display_name or detail.identity.user_identity_id)
        suggestions = len(self.acs_users_pane.suggestions)
        systems = len({user.acs_system_id for user in detail.acs_users})
        return (
            f"{name}: {len(detail.acs_users)} ACS user(s) in {systems} system(s), "
            f"{suggestions} suggested match(es)"
        )

    def _identity(self) -> UserIdentity | None:
        if self._detail is not None:
            return self._detail.identity
        if self._access is not None:
            return self._access.identity
        self.notify("Still loading — try again in a moment.", severity="warning")
        return None

    # ---------------------------------------------------------------- actions

    def action_edit(self) -> None:
        identity = self._identity()
        if identity is not None:
            self.app.push_screen(IdentityFormScreen(identity))

    def action_link(self) -> None:
        self.acs_users_pane.link()

    def action_link_other(self) -> None:
        self.acs_users_pane.link_other()

    def action_unlink(self) -> None:
        self.acs_users_pane.unlink()

    def action_create_acs_user(self) -> None:
        self.acs_users_pane.create_acs_user()

    def action_grant_device(self) -> None:
        self.access_pane.grant_device()

    def action_revoke_device(self) -> None:
        self.access_pane.revoke_device()

    def action_show_codes(self) -> None:
        self.credentials_pane.set_reveal(True)
        self.refresh_bindings()

    def action_hide_codes(self) -> None:
        self.credentials_pane.set_reveal(False)
        self.refresh_bindings()

    def action_show_instant_key(self) -> None:
        self.credentials_pane.show_key()

    def action_delete_instant_key(self) -> None:
        self.credentials_pane.delete_key()

    def action_instant_key(self) -> None:
        identity = self._identity()
        if identity is not None:
            self.credentials_pane.issue_key(identity)

    def action_delete(self) -> None:
        self.seam_app.delete_identity(self.user_identity_id)
