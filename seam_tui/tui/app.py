"""The seam-tui Textual app: one workspace at a time, every action a key and a palette command."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from collections.abc import Iterable
from typing import ClassVar, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from seam_tui.core.errors import SeamError
from seam_tui.core.service import SeamService
from seam_tui.tui.commands import BindingCommands
from seam_tui.tui.errors import describe_error
from seam_tui.tui.history import History
from seam_tui.tui.literal import clipped
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.settling import SettlingWatch
from seam_tui.tui.user_config import binding_ids, load_settings, settings_path
from seam_tui.workspaces import ResolvedWorkspace, resolve_workspace

# A toast holds a sentence or two; a workspace's name in the header is cut to this many cells.
TOAST_WIDTH = 400
CAPTION_NAME_WIDTH = 40

WorkspaceState = Literal["connecting", "switching", "ready", "unreachable"]


class SeamApp(App[None]):
    """Browse, search, create, edit, link and delete identities and ACS users."""

    CSS_PATH = ["app.tcss", "lists.tcss", "forms.tcss", "access.tcss", "nav.tcss"]
    TITLE = "seam-tui"
    COMMANDS = App.COMMANDS | {BindingCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("1", "go('identities')", "Identities", show=False, id="app.identities"),
        Binding("2", "go('systems')", "Systems", show=False, id="app.systems"),
        Binding("3", "go('acs_users')", "ACS users", show=False, id="app.acs_users"),
        Binding("4", "go('activity')", "Activity", show=False, id="app.activity"),
        Binding("w", "workspaces", "Workspaces", id="app.workspaces"),
        Binding("y", "copy", "Copy…", show=False, id="app.copy"),
        Binding("alt+left", "history_back", "Back (history)", show=False, id="app.history_back"),
        Binding(
            "alt+right",
            "history_forward",
            "Forward (history)",
            show=False,
            id="app.history_forward",
        ),
    ]

    workspace_caption: reactive[str] = reactive("")
    workspace_kind: reactive[str] = reactive("")
    read_only: reactive[bool] = reactive(False)
    # "connecting" at start, "switching" after a switch until the new workspace answers (write
    # keys are off meanwhile), then "ready" or "unreachable" (write keys off until `r` reaches it).
    workspace_state: reactive[WorkspaceState] = reactive[WorkspaceState]("connecting")

    def __init__(
        self,
        workspace: ResolvedWorkspace,
        *,
        force_read_only: bool = False,
        insecure_file_store: bool = False,
    ) -> None:
        super().__init__()
        self._drop_textual_logs()
        self.workspace = workspace
        self._force_read_only = force_read_only
        self.insecure_file_store = insecure_file_store
        self._switch_lock = asyncio.Lock()
        self.service: SeamService = workspace.open_service("tui")
        self.read_only = self.service.read_only
        self.settling = SettlingWatch(self)
        self._warned_clashes: set[frozenset[str]] = set()
        self.history = History(self)

    def get_default_screen(self) -> Screen[None]:
        return IdentitiesScreen()

    def on_mount(self) -> None:
        # Start-up leaves ~100k long-lived objects; freezing them keeps GC pauses off searches.
        self.call_after_refresh(gc.freeze)
        for warning in self.workspace.warnings:
            self.notify(warning, title="Workspace", severity="warning", timeout=10)
        self._tell_dropped_logs()
        self._apply_settings()
        self.describe_workspace()

    @property
    def can_write(self) -> bool:
        """Whether write keys are offered: not in a read-only workspace, nor in one that has
        not answered since a switch (its screens may still be empty)."""
        return not self.read_only and self.workspace_state not in ("switching", "unreachable")

    def watch_workspace_state(self) -> None:
        self.refresh_bindings()

    @work(exclusive=True, group="workspace")
    async def describe_workspace(self) -> None:
        """Ask Seam which workspace this is: its name and kind go to the header."""
        self.workspace_caption = self._caption(self.workspace.label)
        try:
            info = await self.service.current_workspace()
        except SeamError as exc:
            self.workspace_kind = ""
            self.workspace_state = "unreachable"
            self.notify(describe_error(exc), title="Workspace", severity="error", timeout=10)
            return
        self.workspace_caption = self._caption(info.name)
        self.workspace_kind = "SANDBOX" if info.is_sandbox else "PRODUCTION"
        self.workspace_state = "ready"

    # ------------------------------------------------------------- settings

    def _apply_settings(self) -> None:
        """The theme and keymap of `tui.toml`; what cannot be used is named in one warning."""
        settings = load_settings(self.available_themes, binding_ids())
        if settings.theme:
            self.theme = settings.theme
        if settings.keymap:
            self.set_keymap(settings.keymap)
        if settings.warning:
            self.notify(settings.warning, title="Settings", severity="warning", timeout=15)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """A keymap that gives one key to two bindings: said once (Textual keeps one of them)."""
        ids = frozenset(b.id or b.action for b in clashed_bindings)
        if ids in self._warned_clashes:
            return
        self._warned_clashes.add(ids)
        keys = ", ".join(sorted({b.key for b in clashed_bindings}))
        self.notify(
            f"{settings_path()}: [keys] gives {keys} to more than one binding "
            f"({', '.join(sorted(ids))}); give each its own key.",
            title="Settings",
            severity="warning",
            timeout=15,
        )

    def _caption(self, workspace_name: str | None) -> str:
        """`profile · Workspace name`: the profile (which the user chose) first, so a long or
        odd workspace name from the API can neither hide it nor pose as it."""
        name = self.workspace.name
        return f"{name} · {clipped(workspace_name, CAPTION_NAME_WIDTH)}" if workspace_name else name

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app, from any screen: literal, one line per part, never markup."""
        super().notify(
            clipped(message, TOAST_WIDTH),
            title=clipped(title, TOAST_WIDTH),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # ------------------------------------------------------------- navigation

    async def _pop_to_home(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def action_go(self, where: str) -> None:
        """Jump to a top-level screen; Esc from there comes back to Identities."""
        from seam_tui.tui.screens.acs_users import AcsUsersScreen
        from seam_tui.tui.screens.activity import ActivityScreen
        from seam_tui.tui.screens.systems import SystemsScreen

        targets: dict[str, type[SeamScreen]] = {
            "systems": SystemsScreen,
            "acs_users": AcsUsersScreen,
            "activity": ActivityScreen,
        }
        await self._pop_to_home()
        if where in targets:
            await self.push_screen(targets[where]())

    def action_workspaces(self) -> None:
        from seam_tui.tui.screens.workspaces import WorkspacesScreen

        if not isinstance(self.screen, WorkspacesScreen):
            self.push_screen(WorkspacesScreen())

    def action_help(self) -> None:
        from seam_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_copy(self) -> None:
        from seam_tui.tui.clipboard import copy_in_view

        copy_in_view(self)

    async def action_history_back(self) -> None:
        await self.history.back()

    async def action_history_forward(self) -> None:
        await self.history.forward()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "history_back":
            return self.history.can_go_back()
        if action == "history_forward":
            return self.history.can_go_forward()
        if action == "copy":
            from seam_tui.tui.clipboard import values_in_view

            return bool(values_in_view(self.screen))
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands but "Keys": `?` is this app's keys (listed once), and
        Textual's panel would offer ctrl+c as copy, which quits here (`y` copies)."""
        return (c for c in super().get_system_commands(screen) if c.title != "Keys")

    def open_acs_user(self, acs_user_id: str) -> None:
        from seam_tui.tui.screens.acs_user_detail import AcsUserDetailScreen

        self.push_screen(AcsUserDetailScreen(acs_user_id))

    def open_identity(self, user_identity_id: str) -> None:
        from seam_tui.tui.screens.identity_detail import IdentityDetailScreen

        self.push_screen(IdentityDetailScreen(user_identity_id))

    def new_identity(self) -> None:
        from seam_tui.tui.screens.identity_form import IdentityFormScreen

        self.push_screen(IdentityFormScreen())

    def delete_identity(self, user_identity_id: str) -> None:
        from seam_tui.tui.flows import delete_identity_flow

        self.run_worker(delete_identity_flow(self, user_identity_id), exclusive=True)

    def refresh_screens(self) -> None:
        """Reload every screen on the stack (after a change that several of them show)."""
        for screen in self.screen_stack:
            if isinstance(screen, SeamScreen):
                screen.refresh_data()

    # ------------------------------------------------------------- workspaces

    async def switch_workspace(self, name: str) -> None:
        """Bind to another workspace: a new client, no cached data, every screen reloaded.

        Runs as an app worker, so popping the screen that asked for it cannot cut it short.
        """
        worker = self.run_worker(self._switch_workspace(name), group="workspace-rebind")
        await worker.wait()

    async def _switch_workspace(self, name: str) -> None:
        async with self._switch_lock:  # two quick Enters must not pop the stack twice
            if name != self.workspace.name:
                await self._rebind(name)

    async def _rebind(self, name: str) -> None:
        try:
            resolved = resolve_workspace(
                name,
                read_only=self._force_read_only,
                insecure_file_store=self.insecure_file_store,
            )
            service = resolved.open_service("tui")
        except SeamError as exc:
            self.notify(describe_error(exc), title="Workspace", severity="error", timeout=10)
            return
        old = self.service
        self.settling.forget_all()
        self.workspace = resolved
        self.service = service
        self.read_only = service.read_only
        self.workspace_caption = ""
        self.workspace_kind = ""
        self.workspace_state = "switching"
        await old.client.aclose()
        await self._pop_to_home()
        home = self.screen_stack[0]
        if isinstance(home, IdentitiesScreen):
            home.start_over()
        self.refresh_bindings()
        self.describe_workspace()
        self.notify(f"Switched to {resolved.label or resolved.name}", title="Workspace")

    async def on_unmount(self) -> None:
        await self.service.client.aclose()

    # ------------------------------------------------------------- crashes and Textual's logs

    # The line to print on stderr once the terminal is back, after a crash (see run_tui).
    crash_message: str | None = None
    _dropped_logs: tuple[str, ...] = ()

    def _drop_textual_logs(self) -> None:
        """Textual's devtools and its TEXTUAL_LOG file record every message, each key typed
        or pasted included: this app sends nothing to either (and says so once mounted)."""
        from textual import constants

        dropped: list[str] = []
        if self.devtools is not None:
            self.devtools = None
            self._devtools_redirector = None
            dropped.append(
                "Textual devtools are off: they would receive every key typed or pasted, "
                "API keys included."
            )
        if constants.LOG_FILE:  # Textual was imported before `seam-tui` could drop TEXTUAL_LOG
            constants.LOG_FILE = None  # type: ignore[misc]
            dropped.append(
                "TEXTUAL_LOG is ignored: Textual's log would record every key typed or pasted, "
                "API keys included."
            )
        self._dropped_logs = tuple(dropped)

    def _tell_dropped_logs(self) -> None:
        for message in self._dropped_logs:
            self.notify(message, title="Logging off", severity="warning", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        """Every unexpected error (Textual's one exit for them): instead of Textual's traceback
        with locals on screen, a crash report with no locals and no secret, then exit code 1.

        `crash_message` says where the report is; `run_tui` prints it once the terminal is
        restored. The first error is kept in `_exception`, as Textual does, so that Pilot
        (`run_test`) re-raises it and a test sees the failure.
        """
        from textual.worker import WorkerFailed

        from seam_tui.crash import record_crash

        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        if self.crash_message is None:
            failure: BaseException = error
            if isinstance(error, WorkerFailed):  # the worker's own error, with its traceback
                failure = error.error
            self.crash_message = record_crash(failure, secrets=self._secrets_on_hand())
        self._close_messages_no_wait()

    def _secrets_on_hand(self) -> list[str]:
        """What a crash report must not hold: this workspace's key or token, and the value of
        every password field on every screen (e.g. a key being typed into the add form)."""
        found: list[str] = []
        # A half-built or half-closed app: take what can be had.
        with contextlib.suppress(Exception):
            found.append(self.workspace._credentials.credentials.secret())
        with contextlib.suppress(Exception):
            found.append(self.service.client._credentials.secret())
        screens = [screen for stack in self._screen_stacks.values() for screen in stack]
        for screen in screens:
            with contextlib.suppress(Exception):
                for field in screen.query("Input"):  # by CSS type, which subclasses match too
                    if getattr(field, "password", False):
                        found.append(str(getattr(field, "value", "")))
        return [secret for secret in found if secret]


def run_tui(workspace_name: str | None, *, read_only: bool, insecure_file_store: bool) -> int:
    """Resolve the workspace, then run the app until the user quits; the app's return code
    (1 after a crash, whose one line goes to stderr once the terminal is restored)."""
    from seam_tui.console_text import say

    resolved = resolve_workspace(
        workspace_name, read_only=read_only, insecure_file_store=insecure_file_store
    )
    app = SeamApp(resolved, force_read_only=read_only, insecure_file_store=insecure_file_store)
    app.run()
    if app.crash_message:
        say(app.crash_message, file=sys.stderr)
    return app.return_code or 0
