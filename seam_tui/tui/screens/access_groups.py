"""The access groups of one system: how many members and entrances each has, and, for the
highlighted group, who is in it and what it opens. Add a member from a picker of the system's
ACS users, or remove the highlighted one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsAccessGroup, AcsUser, Page
from seam_tui.core.results_access import AccessGroupDetail
from seam_tui.tui.errors import describe_error
from seam_tui.tui.formatting import issue_codes, schedule_text, suspended_text, text_or_dash
from seam_tui.tui.literal import Cell, join, lit, quoted, say, styled
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.identity_acs_users import acs_user_name
from seam_tui.tui.screens.identity_picker import SearchPickerScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen, record
from seam_tui.tui.widgets.key_table import ColumnSpec, KeyTable
from seam_tui.tui.widgets.pane import cursor_key, restore_cursor
from seam_tui.tui.widgets.text import Line
from seam_tui.tui.widgets.workspace_bar import WorkspaceBar

GROUP_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Group", 32),
    ("Members", 7),
    ("Entrances", 9),
    ("Schedule", 35),
    ("Issues", 30),
)
MEMBER_COLUMNS: tuple[tuple[str, int], ...] = (("Name", 26), ("State", 9), ("Email", 28))
ENTRANCE_COLUMNS: tuple[tuple[str, int], ...] = (("Entrance", 28), ("Opens with", 24))
PAGE_SIZE = 50
MEMBER = styled("member", "bold green")


def group_name(group: AcsAccessGroup) -> str:
    return group.display_name or group.name or group.acs_access_group_id


def opens_with(entrance: object) -> str:
    """The ways an entrance can be opened: card, code, mobile key, cloud key."""
    ways = [
        label
        for flag, label in (
            ("can_unlock_with_card", "card"),
            ("can_unlock_with_code", "code"),
            ("can_unlock_with_mobile_key", "mobile key"),
            ("can_unlock_with_cloud_key", "cloud key"),
        )
        if getattr(entrance, flag, None)
    ]
    return ", ".join(ways) or "—"


class AccessGroupsScreen(SeamScreen):
    """A system's access groups; `a` adds a member to the highlighted group, `x` removes one."""

    HELP_TITLE = "Access groups"
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"add_member", "remove_member"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_member", "Add member…", id="access_groups.add_member"),
        Binding("x", "remove_member", "Remove member", id="access_groups.remove_member"),
        Binding("r", "refresh", "Refresh", id="access_groups.refresh"),
    ]

    def __init__(self, acs_system_id: str, system_name: str) -> None:
        super().__init__()
        self.acs_system_id = acs_system_id
        self.system_name = system_name
        self.groups: dict[str, AccessGroupDetail] = {}

    def compose(self) -> ComposeResult:
        yield WorkspaceBar("Access groups")
        yield Line(say("Access groups of {system}", system=self.system_name), id="groups-title")
        groups = KeyTable(id="groups")
        groups.add_column_specs(*GROUP_COLUMNS)
        yield groups
        with Horizontal(id="group-detail"):
            with Vertical(id="group-members"):
                yield Line("Members", id="members-title", classes="section-title")
                members = KeyTable(id="members")
                members.add_column_specs(*MEMBER_COLUMNS)
                yield members
            with Vertical(id="group-entrances-pane"):
                yield Line("Entrances", id="group-entrances-title", classes="section-title")
                entrances = KeyTable(id="group-entrances")
                entrances.add_column_specs(*ENTRANCE_COLUMNS)
                yield entrances
        yield Line("loading…", id="status")
        yield Footer()

    @property
    def groups_table(self) -> KeyTable:
        return self.query_one("#groups", KeyTable)

    @property
    def members_table(self) -> KeyTable:
        return self.query_one("#members", KeyTable)

    def on_mount(self) -> None:
        self.groups_table.focus()
        self.refresh_data()

    # ---------------------------------------------------------------- loading

    def refresh_data(self) -> None:
        self._load()

    @work(exclusive=True, group="access-groups")
    async def _load(self) -> None:
        status = self.query_one("#status", Line)
        status.update("loading…")
        try:
            details = await self.service.access.system_access_groups(self.acs_system_id)
        except SeamError as exc:
            if not self.is_closing:
                status.update("could not load — press r to retry, Esc to go back")
                self.show_error(exc)
            return
        if self.is_closing:
            return
        self.groups = {d.group.acs_access_group_id: d for d in details}
        table = self.groups_table
        keep = cursor_key(table)
        table.clear()
        for detail in details:
            group = detail.group
            table.add_row(
                group_name(group),
                f"{len(detail.members):>7}",
                f"{len(detail.entrances):>9}",
                schedule_text(group.access_schedule),
                issue_codes(group.errors, group.warnings),
                key=group.acs_access_group_id,
            )
        restore_cursor(table, keep)
        self._show_group()
        self.query_one("#group-detail").display = table.display = bool(details)
        template = "Access groups of {system}" if details else "No access groups in {system}"
        self.query_one("#groups-title", Line).update(say(template, system=self.system_name))
        if not details:
            status.update("0 access group(s)")
            return
        members = sum(len(d.members) for d in details)
        keys = "" if self.seam_app.read_only else " · a adds a member, x removes one"
        status.update(f"{len(details)} access group(s) · {members} membership(s){keys}")

    def current_group(self) -> AccessGroupDetail | None:
        key = cursor_key(self.groups_table)
        return self.groups.get(key) if key is not None else None

    @on(KeyTable.RowHighlighted, "#groups")
    def _group_highlighted(self) -> None:
        self._show_group()

    def _show_group(self) -> None:
        detail = self.current_group()
        members, entrances = self.members_table, self.query_one("#group-entrances", KeyTable)
        keep = cursor_key(members)
        members.clear()
        entrances.clear()
        if detail is None:
            self.query_one("#members-title", Line).update("Members")
            self.query_one("#group-entrances-title", Line).update("Entrances")
            return
        for user in detail.members:
            members.add_row(
                acs_user_name(user),
                suspended_text(user),
                text_or_dash(user.email_address),
                key=user.acs_user_id,
            )
        restore_cursor(members, keep)
        for entrance in detail.entrances:
            entrances.add_row(
                entrance.display_name or entrance.acs_entrance_id,
                opens_with(entrance),
                key=entrance.acs_entrance_id,
            )
        title = say("Members of {group}", group=group_name(detail.group))
        self.query_one("#members-title", Line).update(join([title, f" ({len(detail.members)})"]))
        self.query_one("#group-entrances-title", Line).update(
            f"Entrances it opens ({len(detail.entrances)})"
        )

    # ---------------------------------------------------------------- actions

    def action_add_member(self) -> None:
        detail = self.current_group()
        if detail is None:
            self.notify("This system has no access group to add a member to.")
            return
        self._add(detail)

    def action_remove_member(self) -> None:
        detail = self.current_group()
        key = cursor_key(self.members_table)
        user = next((u for u in detail.members if u.acs_user_id == key), None) if detail else None
        how = "Tab to the members table and highlight the member to remove, then press x."
        if detail is None or user is None:
            self.notify(how, severity="warning")
        elif self.members_table.focused_or_say(how):
            self._remove(detail, user)

    @work(exclusive=True, group="group-change")
    async def _add(self, detail: AccessGroupDetail) -> None:
        user = await self.app.push_screen_wait(MemberPicker(detail))
        if user is None:
            return
        said = f"{quoted(acs_user_name(user))} to {quoted(group_name(detail.group))}"
        await self._tell(
            user, "add_acs_user_to_access_group", detail, f"Added {said}", f"Adding {said}"
        )
        self.seam_app.refresh_screens()

    async def _tell(
        self, user: AcsUser, operation: str, detail: AccessGroupDetail, done: str, what: str
    ) -> None:
        """Say a membership change: done, or queued while Seam pushes it (read again to know)."""
        now, system = user, None
        try:
            now = await self.service.get_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
            system = (await self.service.systems_by_id()).get(user.acs_system_id)
        except SeamError:
            pass  # cannot tell: said as done, as before
        self.seam_app.settling.tell(
            now,
            operation=operation,
            ids={
                "acs_user_id": user.acs_user_id,
                "acs_access_group_id": detail.group.acs_access_group_id,
            },
            done=done,
            what=what,
            where=quoted(system.name if system else user.acs_system_id),
            title="Added" if operation.startswith("add") else "Removed",
        )

    @work(exclusive=True, group="group-change")
    async def _remove(self, detail: AccessGroupDetail, user: AcsUser) -> None:
        group = detail.group
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say(
                    "Remove {user} from {group}?",
                    user=acs_user_name(user),
                    group=group_name(group),
                ),
                [
                    say("ACS user: {user}", user=record("", acs_user_name(user), user.acs_user_id)),
                    say(
                        "Access group: {group}",
                        group=record("", group_name(group), group.acs_access_group_id),
                    ),
                    lit(
                        f"They lose the {len(detail.entrances)} entrance(s) this group opens, "
                        "unless another group or a credential opens them. a adds them back."
                    ),
                ],
                confirm_label="Remove",
            )
        )
        if not confirmed:
            return
        try:
            await self.service.access.set_group_membership(
                group.acs_access_group_id, user.acs_user_id, member=False
            )
        except SeamError as exc:
            self.show_error(exc)
            return
        said = f"{quoted(acs_user_name(user))} from {quoted(group_name(group))}"
        await self._tell(
            user, "remove_acs_user_from_access_group", detail, f"Removed {said}", f"Removing {said}"
        )
        self.seam_app.refresh_screens()


class MemberPicker(SearchPickerScreen[AcsUser, AcsUser]):
    """The system's ACS users; Enter adds the highlighted one to the group (the picker stays,
    saying why, if that is refused)."""

    COLUMNS: ClassVar[tuple[ColumnSpec, ...]] = (
        ("", 6),
        ("Name", 28),
        ("State", 9),
        ("Email", 28),
        ("Identity", 24),
    )

    def __init__(self, detail: AccessGroupDetail) -> None:
        super().__init__(
            say("Add a member to {group}", group=group_name(detail.group)),
            "ACS users of this system; those marked member already are.",
        )
        self._detail = detail
        self._members = {u.acs_user_id for u in detail.members}
        self._busy = False

    async def fetch(self, query: str, cursor: str | None) -> Page[AcsUser]:
        return await self.service.list_acs_users(
            acs_system_id=self._detail.group.acs_system_id,
            search=query or None,
            limit=PAGE_SIZE,
            cursor=cursor,
        )

    def cells(self, item: AcsUser) -> Sequence[Cell]:
        return (
            MEMBER if item.acs_user_id in self._members else "",
            acs_user_name(item),
            suspended_text(item),
            text_or_dash(item.email_address),
            text_or_dash(item.user_identity_full_name),
        )

    def key(self, item: AcsUser) -> str:
        return item.acs_user_id

    def picked(self, item: AcsUser) -> AcsUser:
        return item

    def describe(self, total: int, has_more: bool) -> str:
        more = " · scroll for more" if has_more else ""
        return f"{total} ACS user(s) shown{more} · Enter adds the highlighted one"

    def choose(self, item: AcsUser) -> None:
        if not self._busy:
            self._busy = True
            self._add(item)

    @work(exclusive=True, group="member-add")
    async def _add(self, user: AcsUser) -> None:
        status = self.query_one("#picker-status", Line)
        status.update(say("adding {user}…", user=acs_user_name(user)))
        try:
            await self.service.access.set_group_membership(
                self._detail.group.acs_access_group_id, user.acs_user_id, member=True
            )
        except SeamError as exc:
            if self.is_attached:
                status.update(styled(f"Not added: {describe_error(exc)}", "bold red"))
            return
        finally:
            self._busy = False
        self.dismiss(user)
