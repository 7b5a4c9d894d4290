"""Back and forward through the places visited, as in a browser (`alt+left` / `alt+right`).

The screen stack is the way back: a jump to a related object (an ACS user's identity, that
identity's other ACS users, their system) pushes a screen, and back pops it. Back also remembers
how to open the place it left, so forward opens it again. Forward holds only while the user
stays where back brought them: going anywhere else forgets it, as a browser does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.app import App

Reopen = Callable[[], Screen[None]]


@runtime_checkable
class Revisitable(Protocol):
    """A screen that can be opened again as it was (the same object, a fresh read)."""

    def revisit(self) -> Screen[None]: ...


def reopener(screen: Screen[Any]) -> Reopen | None:
    """How to open `screen` again, if it is a place (a list or an object), not a dialog."""
    from seam_tui.tui.screens.access_groups import AccessGroupsScreen
    from seam_tui.tui.screens.acs_users import AcsUsersScreen

    if isinstance(screen, Revisitable):
        return screen.revisit
    if isinstance(screen, AcsUsersScreen):
        system_id = screen.acs_system_id
        return lambda: AcsUsersScreen(acs_system_id=system_id)
    if isinstance(screen, AccessGroupsScreen):
        group_system, name = screen.acs_system_id, screen.system_name
        return lambda: AccessGroupsScreen(group_system, name)
    return None


class History:
    """The places left by going back, to go forward to, newest last."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._forward: list[Reopen] = []
        self._anchor: Screen[Any] | None = None  # where back (or forward) brought the user

    def _still_here(self) -> bool:
        """True while the user is where the last back or forward left them."""
        return self._anchor is not None and self._app.screen is self._anchor

    def can_go_back(self) -> bool:
        return len(self._app.screen_stack) > 1 and not self._app.screen.is_modal

    def can_go_forward(self) -> bool:
        return bool(self._forward) and self._still_here()

    async def back(self) -> None:
        """Leave the screen in view for the one beneath, remembering how to come back."""
        if not self.can_go_back():
            return
        if not self._still_here():
            self._forward.clear()
        reopen = reopener(self._app.screen)
        if reopen is None:
            self._forward.clear()
        else:
            self._forward.append(reopen)
        await self._app.pop_screen()
        self._anchor = self._app.screen

    async def forward(self) -> None:
        """Open again the place the last back left."""
        if not self.can_go_forward():
            return
        screen = self._forward.pop()()
        await self._app.push_screen(screen)
        self._anchor = screen
