"""The header line: which workspace, sandbox or production, and read-only when it applies.

It fits its width: the badges (SANDBOX or PRODUCTION, or whether the workspace is still being
reached, and READ-ONLY) come first and are never cut; the view's title and the workspace's name
share what is left, the name cut first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.cells import cell_len

from seam_tui.tui.literal import join, lit, styled
from seam_tui.tui.widgets.text import Line

if TYPE_CHECKING:
    from rich.style import StyleType

    from seam_tui.tui.app import SeamApp


# The most of a workspace's name the bar shows; the rest is cut with an ellipsis.
CAPTION_WIDTH = 60
BRAND = " seam-tui "
# The badge while the workspace's kind is not known, by the app's workspace state.
STATE_BADGES = {
    "connecting": ("connecting…", "reverse"),
    "switching": ("connecting…", "reverse"),
    "unreachable": ("NOT REACHED · r retries", "white on red"),
}
KIND_STYLES = {"SANDBOX": "black on yellow", "PRODUCTION": "white on red"}


class WorkspaceBar(Line):
    """Always shows the current workspace, so a change never lands in the wrong one."""

    def __init__(self, title: str) -> None:
        super().__init__(id="workspace-bar")
        self._title = title

    def on_mount(self) -> None:
        app = cast("SeamApp", self.app)
        for attribute in ("workspace_caption", "workspace_kind", "read_only", "workspace_state"):
            self.watch(app, attribute, self._show)

    def on_resize(self) -> None:
        self._show()

    def badges(self) -> list[tuple[str, StyleType]]:
        """The badges as (words, style), in the order shown."""
        app = cast("SeamApp", self.app)
        found: list[tuple[str, StyleType]] = []
        if app.workspace_kind:
            found.append((app.workspace_kind, KIND_STYLES.get(app.workspace_kind, "reverse")))
        elif app.workspace_state in STATE_BADGES:
            found.append(STATE_BADGES[app.workspace_state])
        if app.read_only:
            found.append(("READ-ONLY", "black on cyan"))
        return found

    def _show(self) -> None:
        app = cast("SeamApp", self.app)
        width = self.size.width or app.size.width
        badges = [styled(f" {words} ", style) for words, style in self.badges()]
        used = sum(cell_len(b.plain) for b in badges)
        parts = badges
        if used + cell_len(BRAND) + 40 <= width:  # the brand only where there is room to spare
            parts = [styled(BRAND, "bold"), *badges]
            used += cell_len(BRAND)
        title = f" {self._title} │ "
        room = max(width - used, 0)
        if room:
            parts.append(lit(title, width=min(cell_len(title), room)))
        caption_room = min(max(room - cell_len(title), 0), CAPTION_WIDTH)
        if caption_room:
            caption = app.workspace_caption or "…"
            parts.append(lit(caption, style="bold", width=caption_room))
        self.update(join(parts))
