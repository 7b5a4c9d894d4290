"""The identity screen's first tab: its ACS users and unlinked ACS users that look like it.

Link (a suggestion with one key, or any unlinked ACS user from a picker), unlink, and give the
identity an ACS user in another system.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import LinkAcsUser
from seam_tui.core.models import AcsSystem, AcsUser, Page
from seam_tui.core.results import IdentityDetail, LinkSuggestion
from seam_tui.tui.formatting import issues_text, schedule_text, suspended_text, text_or_dash
from seam_tui.tui.literal import Cell, quoted, say
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identity_picker import SearchPickerScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen, record
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable
from seam_tui.tui.widgets.pane import Pane, cursor_key, restore_cursor
from seam_tui.tui.widgets.text import Line

# Who and their state first: at 80 columns the contact details are what scrolls off.
ACS_USER_COLUMNS: tuple[tuple[str, int], ...] = (
    ("System", 24),
    ("Name", 28),
    ("State", 9),
    ("Access schedule", 35),
    ("Issues", 30),
    ("Email", 28),
    ("Phone", 18),
    ("Brand", 16),
)
SUGGESTION_COLUMNS: tuple[tuple[str, int], ...] = (
    ("System", 24),
    ("Name", 28),
    ("Email", 28),
    ("Phone", 18),
    ("Same", 13),
)
PICKER_PAGE_SIZE = 50


def acs_user_name(user: AcsUser) -> str:
    return user.full_name or user.display_name or user.acs_user_id


def brand(system: AcsSystem | None) -> str:
    if system is None:
        return "?"
    return system.external_type_display_name or system.external_type or "?"


class AcsUsersPane(Pane):
    """The identity's ACS users (one per system at most) and suggested links."""

    def __init__(self, user_identity_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.user_identity_id = user_identity_id
        self.detail: IdentityDetail | None = None
        self.suggestions: list[LinkSuggestion] = []

    def compose(self) -> ComposeResult:
        yield Line("ACS users", id="acs-users-title", classes="section-title")
        acs_users = KeyTable(id="acs-users")
        acs_users.add_column_specs(*ACS_USER_COLUMNS)
        yield acs_users
        yield Line("Suggested matches", id="suggestions-title", classes="section-title")
        suggestions = KeyTable(id="suggestions")
        suggestions.add_column_specs(*SUGGESTION_COLUMNS)
        yield suggestions

    @property
    def acs_users_table(self) -> KeyTable:
        return self.query_one("#acs-users", KeyTable)

    @property
    def suggestions_table(self) -> KeyTable:
        return self.query_one("#suggestions", KeyTable)

    # ---------------------------------------------------------------- showing

    def show_detail(self, detail: IdentityDetail) -> None:
        self.detail = detail
        table = self.acs_users_table
        keep = cursor_key(table)
        table.clear()
        for user in sorted(detail.acs_users, key=lambda u: detail.system_name(u.acs_system_id)):
            table.add_row(*self._acs_user_cells(detail, user), key=user.acs_user_id)
        restore_cursor(table, keep)
        self.query_one("#acs-users-title", Line).update(f"ACS users ({len(detail.acs_users)})")

    def show_suggestions(self, suggestions: list[LinkSuggestion]) -> None:
        self.suggestions = suggestions
        table = self.suggestions_table
        keep = cursor_key(table)
        table.clear()
        for s in suggestions:
            user = s.acs_user
            table.add_row(
                s.system_name,
                acs_user_name(user),
                text_or_dash(user.email_address),
                text_or_dash(user.phone_number),
                " + ".join("email" if m == "email_address" else "phone" for m in s.matched_on),
                key=user.acs_user_id,
            )
        restore_cursor(table, keep)
        title = self.query_one("#suggestions-title", Line)
        read_only = self.seam_app.read_only
        if suggestions:
            keys = "" if read_only else ": l links the highlighted one, L picks another"
            title.update(f"Suggested matches ({len(suggestions)}), same email or phone{keys}")
        else:
            keys = "" if read_only else " — l picks any unlinked ACS user to link"
            title.update(f"No suggested matches{keys}")
        table.display = bool(suggestions)

    @staticmethod
    def _acs_user_cells(detail: IdentityDetail, user: AcsUser) -> Sequence[Cell]:
        return (
            detail.system_name(user.acs_system_id),
            acs_user_name(user),
            suspended_text(user),
            schedule_text(user.access_schedule),
            issues_text(user),
            text_or_dash(user.email_address),
            text_or_dash(user.phone_number),
            brand(detail.systems.get(user.acs_system_id)),
        )

    def highlighted_acs_user(self) -> AcsUser | None:
        key = cursor_key(self.acs_users_table)
        detail = self.detail
        if key is None or detail is None:
            return None
        return next((u for u in detail.acs_users if u.acs_user_id == key), None)

    def _highlighted_suggestion(self) -> LinkSuggestion | None:
        key = cursor_key(self.suggestions_table)
        return next((s for s in self.suggestions if s.acs_user.acs_user_id == key), None)

    def _loaded(self) -> IdentityDetail | None:
        if self.detail is None:
            self.notify("Still loading — try again in a moment.", severity="warning")
        return self.detail

    # ---------------------------------------------------------------- actions

    def link(self) -> None:
        detail = self._loaded()
        if detail is None:
            return
        suggestion = self._highlighted_suggestion()
        if suggestion is not None:
            self._link(suggestion.acs_user, suggestion.system_name)
        else:
            self._pick_and_link(detail)

    def link_other(self) -> None:
        detail = self._loaded()
        if detail is not None:
            self._pick_and_link(detail)

    def unlink(self) -> None:
        how = "Tab to the ACS users table and highlight the one to unlink, then press x."
        user = self.highlighted_acs_user()
        if user is None:
            self.notify(how, severity="warning")
        elif self.acs_users_table.focused_or_say(how):
            self._unlink(user)

    def create_acs_user(self) -> None:
        detail = self._loaded()
        if detail is None:
            return

        def created(user: AcsUser | None) -> None:
            if user is not None:
                where = quoted(detail.system_name(user.acs_system_id))
                name = quoted(acs_user_name(user))
                self.seam_app.settling.tell_created(user, name=name, where=where)
                self.seam_app.refresh_screens()

        self.app.push_screen(AcsUserFormScreen(user_identity=detail.identity), created)

    # ---------------------------------------------------------------- workers

    @work(exclusive=True, group="identity-change")
    async def _link(self, user: AcsUser, system_name: str) -> None:
        await self._link_now(user, system_name)

    async def _link_now(self, user: AcsUser, system_name: str) -> None:
        try:
            linked = await self.service.link_acs_user(
                LinkAcsUser(user_identity_id=self.user_identity_id, acs_user_id=user.acs_user_id)
            )
        except (SeamError, ValidationError) as exc:
            self.show_error(exc)
            return
        name, where = quoted(acs_user_name(user)), quoted(system_name)
        self.seam_app.settling.tell(
            linked,
            operation="link_acs_user",
            ids={"user_identity_id": self.user_identity_id, "acs_user_id": user.acs_user_id},
            done=f"Linked ACS user {name} in {where}",
            what=f"Linking ACS user {name}",
            where=where,
            title="Linked",
        )
        self.seam_app.refresh_screens()

    @work(exclusive=True, group="identity-change")
    async def _pick_and_link(self, detail: IdentityDetail) -> None:
        taken = {u.acs_system_id for u in detail.acs_users}
        if detail.systems and taken >= set(detail.systems):
            self.notify("This identity already has an ACS user in every system.")
            return
        user = await self.app.push_screen_wait(UnlinkedAcsUserPicker(detail.systems, taken))
        if user is not None:
            await self._link_now(user, detail.system_name(user.acs_system_id))

    @work(exclusive=True, group="identity-change")
    async def _unlink(self, user: AcsUser) -> None:
        detail = self.detail
        system = detail.system_name(user.acs_system_id) if detail else user.acs_system_id
        owner = detail.identity.display_name if detail else ""
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say("Unlink {name} from its identity?", name=acs_user_name(user)),
                [
                    say("ACS user: {user}", user=record("", acs_user_name(user), user.acs_user_id)),
                    say(
                        "Identity: {identity}",
                        identity=record("", owner or "(no name)", self.user_identity_id),
                    ),
                    say(
                        "The ACS user stays in {system} with its access and credentials; it is "
                        "no longer tied to the identity. You can link it again with l.",
                        system=system,
                    ),
                ],
                confirm_label="Unlink",
            )
        )
        if not confirmed:
            return
        try:
            unlinked = await self.service.unlink_acs_user(
                LinkAcsUser(user_identity_id=self.user_identity_id, acs_user_id=user.acs_user_id)
            )
        except (SeamError, ValidationError) as exc:
            self.show_error(exc)
            return
        name = quoted(acs_user_name(user))
        self.seam_app.settling.tell(
            unlinked,
            operation="unlink_acs_user",
            ids={"user_identity_id": self.user_identity_id, "acs_user_id": user.acs_user_id},
            done=f"Unlinked ACS user {name} ({quoted(system)})",
            what=f"Unlinking ACS user {name}",
            where=quoted(system),
            title="Unlinked",
        )
        self.seam_app.refresh_screens()


class UnlinkedAcsUserPicker(SearchPickerScreen[AcsUser, AcsUser]):
    """Any unlinked ACS user, searched on the server, in a system the identity has none in."""

    COLUMNS: ClassVar[tuple[ColumnSpec, ...]] = (
        ("System", 24),
        ("Name", 28),
        ("Email", 28),
        ("Phone", 18),
        ("Access schedule", 35),
    )

    def __init__(self, systems: dict[str, AcsSystem], taken_system_ids: set[str]) -> None:
        super().__init__(
            "Link an unlinked ACS user to this identity",
            "Only systems where the identity has no ACS user yet (one per system).",
        )
        self._systems = systems
        self._taken = taken_system_ids

    async def fetch(self, query: str, cursor: str | None) -> Page[AcsUser]:
        page = await self.service.list_acs_users(
            status="unlinked", search=query or None, limit=PICKER_PAGE_SIZE, cursor=cursor
        )
        items = [u for u in page.items if u.acs_system_id not in self._taken]
        return Page(items=items, pagination=page.pagination)

    def cells(self, item: AcsUser) -> Sequence[Cell]:
        system = self._systems.get(item.acs_system_id)
        return (
            system.name if system else item.acs_system_id,
            acs_user_name(item),
            text_or_dash(item.email_address),
            text_or_dash(item.phone_number),
            schedule_text(item.access_schedule),
        )

    def key(self, item: AcsUser) -> str:
        return item.acs_user_id

    def picked(self, item: AcsUser) -> AcsUser:
        return item
