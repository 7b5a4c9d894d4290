"""What every screen shares: the header, the footer, the service, and write keys that vanish
in a read-only workspace and while the workspace is not reachable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from seam_tui.tui.errors import describe_error
from seam_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService
    from seam_tui.tui.app import SeamApp


class SeamScreen(Screen[None]):
    """Base screen: `WRITE_ACTIONS` are not bound at all when the workspace is read-only, or
    while it cannot be reached (after a switch, until it answers)."""

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    HELP_TITLE: ClassVar[str] = ""
    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    @property
    def seam_app(self) -> SeamApp:
        return cast("SeamApp", self.app)

    @property
    def service(self) -> SeamService:
        return self.seam_app.service

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.WRITE_ACTIONS and not self.seam_app.can_write)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        """A screen yields Textual's `Footer`; it is shown as the app's `KeyFooter`, which
        fits the terminal's width and never cuts off Quit, Keys and Workspaces."""
        swapped = [KeyFooter() if type(widget) is Footer else widget for widget in widgets]
        await super().mount_composed_widgets(swapped)

    @property
    def is_closing(self) -> bool:
        """True once the screen is leaving (its widgets may already be gone): a worker that
        finishes then has nothing to show and must not touch them."""
        return not self.is_attached or not self.display

    def show_error(self, exc: BaseException) -> None:
        """Tell the user what failed and what to do; the app carries on."""
        self.notify(describe_error(exc), title="Error", severity="error", timeout=8)

    def refresh_data(self) -> None:
        """Reload what the screen shows (after a change elsewhere, or a workspace switch)."""

    def action_refresh(self) -> None:
        if self.seam_app.workspace_state == "unreachable":
            self.seam_app.describe_workspace()  # the header and write keys follow when it answers
        self.refresh_data()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def on_screen_resume(self, event: Any) -> None:
        self.seam_app.refresh_bindings()
