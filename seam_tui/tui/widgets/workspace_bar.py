"""The header line: which workspace, sandbox or production, and read-only when it applies."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from seam_tui.tui.literal import join, lit, styled
from seam_tui.tui.widgets.text import Line

if TYPE_CHECKING:
    from seam_tui.tui.app import SeamApp


# The most of a workspace's name the bar shows; the rest is cut with an ellipsis.
CAPTION_WIDTH = 60


class WorkspaceBar(Line):
    """Always shows the current workspace, so a change never lands in the wrong one."""

    def __init__(self, title: str) -> None:
        super().__init__(id="workspace-bar")
        self._title = title

    def on_mount(self) -> None:
        app = cast("SeamApp", self.app)
        for attribute in ("workspace_caption", "workspace_kind", "read_only"):
            self.watch(app, attribute, self._show)

    def _show(self) -> None:
        app = cast("SeamApp", self.app)
        # The badges come first: a long workspace name is cut, never the READ-ONLY badge.
        parts = [styled(" seam-tui ", "bold")]
        if app.workspace_kind:
            style = "black on yellow" if app.workspace_kind == "SANDBOX" else "white on red"
            parts.append(styled(f" {app.workspace_kind} ", style))
        if app.read_only:
            parts.append(styled(" READ-ONLY ", "black on cyan"))
        parts.append(lit(f" {self._title} │ "))
        parts.append(lit(app.workspace_caption or "connecting…", style="bold", width=CAPTION_WIDTH))
        self.update(join(parts))
