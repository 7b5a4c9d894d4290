"""The header line: which workspace, sandbox or production, and read-only when it applies."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from seam_tui.tui.app import SeamApp


class WorkspaceBar(Static):
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
        text = Text()
        text.append(" seam-tui ", style="bold")
        text.append(f"│ {self._title} │ ")
        text.append(app.workspace_caption or "connecting…", style="bold")
        if app.workspace_kind:
            style = "black on yellow" if app.workspace_kind == "SANDBOX" else "white on red"
            text.append(" ")
            text.append(f" {app.workspace_kind} ", style=style)
        if app.read_only:
            text.append(" ")
            text.append(" READ-ONLY ", style="black on cyan")
        self.update(text)
