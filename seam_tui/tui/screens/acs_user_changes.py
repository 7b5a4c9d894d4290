"""The changes made from the ACS users screen: link, unlink, suspend, delete, each said as done,
or as queued while Seam pushes it to the access system (the app's settling watch follows it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import ValidationError
from textual import work

from seam_tui.core.errors import SeamError, SeamNotFoundError
from seam_tui.core.inputs import AcsUserTarget, LinkAcsUser
from seam_tui.core.models import AcsSystem, AcsUser
from seam_tui.tui.formatting import DASH
from seam_tui.tui.literal import Cell, lit, quoted, say
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.identity_picker import IdentityPickerScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen, record
from seam_tui.tui.widgets.paged_table import PagedTable

T = TypeVar("T")


def user_name(user: AcsUser) -> str:
    return user.full_name or user.display_name or user.email_address or user.acs_user_id


def identity_name(user: AcsUser) -> str:
    """The linked identity as people know it: name, else email, else id."""
    return (
        user.user_identity_full_name
        or user.user_identity_email_address
        or user.user_identity_phone_number
        or user.user_identity_id
        or DASH
    )


class AcsUserChanges(SeamScreen):
    """A screen with a table of ACS users that the user changes one at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._systems: dict[str, AcsSystem] = {}
        self._users_table: PagedTable[AcsUser] | None = None

    @property
    def table(self) -> PagedTable[AcsUser]:
        assert self._users_table is not None, "the table exists once the screen is composed"
        return self._users_table

    def _system_name(self, acs_system_id: str) -> str:
        system = self._systems.get(acs_system_id)
        return system.name if system else acs_system_id

    async def _call(self, action: Callable[[], Awaitable[T]]) -> T | None:
        """Run one service call; on failure say why and return None (the screen carries on)."""
        try:
            return await action()
        except (SeamError, ValidationError) as exc:
            self.show_error(exc)
            return None

    def _user_changed(self, user: AcsUser) -> None:
        """Show `user` as it now is (a screen without this table overrides it)."""
        self.table.replace_item(user)

    def _user_gone(self, acs_user_id: str) -> None:
        """Stop showing a deleted ACS user."""
        self.table.remove_item(acs_user_id)

    def _show_changed(self, user: AcsUser, operation: str, done: str, what: str) -> None:
        """Redraw the user's row, say what was done (or that it is queued while Seam pushes
        it to the system), and reload the screens beneath."""
        self._user_changed(user)
        self.refresh_bindings()
        self.seam_app.settling.tell(
            user,
            operation=operation,
            ids={"acs_user_id": user.acs_user_id},
            done=done,
            what=what,
            where=quoted(self._system_name(user.acs_system_id)),
        )
        self._refresh_others()

    def _refresh_others(self) -> None:
        """Reload the screens beneath (identity counts and details show what changed here)."""
        for screen in self.app.screen_stack:
            if isinstance(screen, SeamScreen) and screen is not self:
                screen.refresh_data()

    async def _still_there(self, target: AcsUserTarget) -> AcsUser | None:
        """The ACS user just deleted, if Seam still has it (being deleted); None once gone."""
        try:
            return await self.service.get_acs_user(target)
        except SeamNotFoundError:
            return None

    @work(group="acs-user-change")
    async def _link(self, user: AcsUser) -> None:
        identity_id = await self.app.push_screen_wait(IdentityPickerScreen(user))
        if identity_id is None:
            return
        linked = await self._call(
            lambda: self.service.link_acs_user(
                LinkAcsUser(user_identity_id=identity_id, acs_user_id=user.acs_user_id)
            )
        )
        if linked is not None:
            name, owner = quoted(user_name(linked)), quoted(identity_name(linked))
            self._show_changed(
                linked, "link_acs_user", f"Linked {name} to {owner}", f"Linking {name} to {owner}"
            )

    @work(group="acs-user-change")
    async def _unlink(self, user: AcsUser) -> None:
        identity_id = user.user_identity_id
        if identity_id is None:
            return
        name, owner = user_name(user), identity_name(user)
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say("Unlink {name} from its identity?", name=name),
                [
                    say("ACS user: {user}", user=record("", name, user.acs_user_id)),
                    say("Identity: {identity}", identity=record("", owner, identity_id)),
                    say(
                        "The ACS user stays in {system} with its access; it is no longer tied "
                        "to the identity.",
                        system=self._system_name(user.acs_system_id),
                    ),
                ],
                confirm_label="Unlink",
            )
        )
        if not confirmed:
            return
        unlinked = await self._call(
            lambda: self.service.unlink_acs_user(
                LinkAcsUser(user_identity_id=identity_id, acs_user_id=user.acs_user_id)
            )
        )
        if unlinked is not None:
            said = f"{quoted(name)} from {quoted(owner)}"
            self._show_changed(unlinked, "unlink_acs_user", f"Unlinked {said}", f"Unlinking {said}")

    def _edit(self, user: AcsUser) -> None:
        """The edit form; once saved, the user is redrawn and the change said."""

        def saved(updated: AcsUser | None) -> None:
            if updated is not None:
                name = quoted(user_name(updated))
                self._show_changed(
                    updated, "update_acs_user", f"Saved ACS user {name}", f"Update of {name}"
                )

        self.app.push_screen(AcsUserFormScreen(acs_user=user), saved)

    @work(group="acs-user-change")
    async def _set_suspended(self, user: AcsUser, suspended: bool) -> None:
        """Suspend (after asking: it removes access) or unsuspend (restores it: no question)."""
        if suspended and not await self.app.push_screen_wait(self._suspend_question(user)):
            return
        changed = await self._call(
            lambda: self.service.set_acs_user_suspended(
                AcsUserTarget(acs_user_id=user.acs_user_id), suspended
            )
        )
        if changed is not None:
            name = quoted(user_name(changed))
            verb, noun = (
                ("Suspended", "Suspension") if suspended else ("Unsuspended", "Unsuspension")
            )
            operation = "suspend_acs_user" if suspended else "unsuspend_acs_user"
            self._show_changed(changed, operation, f"{verb} {name}", f"{noun} of {name}")

    def _suspend_question(self, user: AcsUser) -> ConfirmScreen:
        name, system = user_name(user), self._system_name(user.acs_system_id)
        detail: list[Cell] = [
            record("ACS user", name, user.acs_user_id),
            say(
                "loses access in {system} until it is unsuspended: its credentials there stop "
                "working.",
                system=system,
            ),
        ]
        if user.user_identity_id:
            detail.append(
                say(
                    "Identity: {identity}",
                    identity=record("", identity_name(user), user.user_identity_id),
                )
            )
        return ConfirmScreen(
            say("Suspend ACS user {name}?", name=name), detail, confirm_label="Suspend"
        )

    @work(group="acs-user-change")
    async def _delete(self, user: AcsUser) -> None:
        name, system = user_name(user), self._system_name(user.acs_system_id)
        detail: list[Cell] = [
            record("ACS user", name, user.acs_user_id),
            say("is removed from {system} and its credentials there stop working.", system=system),
        ]
        if user.user_identity_id:
            detail.append(
                say(
                    "Its identity {identity} stays, without this ACS user.",
                    identity=record("", identity_name(user), user.user_identity_id),
                )
            )
        detail.append(lit("This cannot be undone."))
        if not await self.app.push_screen_wait(
            ConfirmScreen(say("Delete ACS user {name}?", name=name), detail)
        ):
            return
        target = AcsUserTarget(acs_user_id=user.acs_user_id)
        try:
            await self.service.delete_acs_user(target)
            lingering = await self._still_there(target)
        except SeamNotFoundError as exc:
            self.show_error(exc)  # already gone: its row goes all the same
        except (SeamError, ValidationError) as exc:
            self.show_error(exc)
            return
        else:
            done = f"Deleted ACS user {quoted(name)} (id {user.acs_user_id}) from {quoted(system)}"
            if lingering is not None:  # Seam is still removing it: the row shows it until then
                self._user_changed(lingering)
                self.seam_app.settling.tell(
                    lingering,
                    operation="delete_acs_user",
                    ids={"acs_user_id": user.acs_user_id},
                    done=done,
                    what=f"ACS user {quoted(name)}",
                    where=quoted(system),
                )
                self._refresh_others()
                return
            self.notify(done, title="Deleted")
        self._user_gone(user.acs_user_id)
        self.refresh_bindings()
        self._refresh_others()
