"""Add a workspace profile: the key is checked against Seam, then kept in the OS keyring.

The secret is typed into a password field and handed straight to `workspaces.add_profile`;
it is never shown, logged or put in a notification, and a refused key saves nothing.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import RadioSet

from seam_tui.core.auth import DEFAULT_ENDPOINT
from seam_tui.core.errors import SeamConfigurationError, SeamError
from seam_tui.tui.errors import describe_error
from seam_tui.tui.widgets.form import FormScreen, error_line
from seam_tui.tui.widgets.key_footer import KeyFooter
from seam_tui.tui.widgets.text import Choice, Line, LiteralInput, Toggle
from seam_tui.workspaces import AddedProfile, add_profile
from seam_tui.workspaces.manage import check_credentials

API_KEY_LABEL = "API key (seam_…)"
TOKEN_LABEL = "Personal access token (seam_at…)"


class WorkspaceFormScreen(FormScreen[AddedProfile | None]):
    """Dismisses with the saved profile, or None when cancelled; errors keep what was typed."""

    # A key or token that cannot be used is reported under the one secret field.
    FIELD_FOR_ERROR: ClassVar[dict[str, str]] = {
        "api_key": "secret",
        "personal_access_token": "secret",
    }

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-dialog", id="workspace-form"):
            yield Line("Add a workspace profile", classes="form-title")
            yield Line(id="form-message")
            yield from self.field(
                "profile_name", "Profile name", placeholder="letters, digits, . _ -"
            )
            yield from self.field("endpoint", "Endpoint", placeholder=f"empty = {DEFAULT_ENDPOINT}")
            yield Line("Authentication", classes="field-label")
            with RadioSet(id="auth_kind"):
                yield Choice("API key", value=True, id="auth-api-key")
                yield Choice("Personal access token", id="auth-token")
            yield Line(API_KEY_LABEL, classes="field-label", id="secret-label")
            yield LiteralInput(
                password=True, placeholder="never shown or stored in plain text", id="secret"
            )
            yield error_line("secret")
            yield from self.field(
                "workspace_id",
                "Workspace id (for a personal access token)",
                placeholder="the workspace's id",
            )
            yield from self.field(
                "profile_label", "Label (optional; default: the workspace's name)"
            )
            yield Toggle("Read-only: never change data in this workspace", id="read_only")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#workspace_id", LiteralInput).disabled = True
        self.query_one("#profile_name", LiteralInput).focus()

    def _uses_token(self) -> bool:
        pressed = self.query_one("#auth_kind", RadioSet).pressed_button
        return pressed is not None and pressed.id == "auth-token"

    @on(RadioSet.Changed, "#auth_kind")
    def _auth_changed(self) -> None:
        token = self._uses_token()
        self.query_one("#workspace_id", LiteralInput).disabled = not token
        self.query_one("#secret-label", Line).update(TOKEN_LABEL if token else API_KEY_LABEL)

    def submit(self) -> None:
        name = self.value_of("profile_name")
        secret = self.value_of("secret")
        endpoint = self.value_of("endpoint") or None
        workspace_id = (self.value_of("workspace_id") or None) if self._uses_token() else None
        label = self.value_of("profile_label") or None
        read_only = self.query_one("#read_only", Toggle).value
        try:  # a key no request could carry is refused here, beside its field, before any call
            check_credentials(secret, workspace_id)
        except SeamConfigurationError as exc:
            self.show_problem(exc)
            return

        async def add() -> None:
            added = await add_profile(
                name,
                secret,
                endpoint=endpoint,
                workspace_id=workspace_id,
                label=label,
                read_only=read_only,
                insecure_file_store=self.seam_app.insecure_file_store,
            )
            for warning in added.warnings:
                self.notify(warning, title="Workspace", severity="warning", timeout=10)
            self.dismiss(added)

        self.save(add)
        self.set_message(f"checking the key with {endpoint or DEFAULT_ENDPOINT}…")

    def show_problem(self, exc: SeamError | ValidationError) -> None:
        """A problem with the key, token or workspace id goes beside its field; every other
        one to the top of the form; the secret is scrubbed just in case."""
        message = describe_error(exc)
        secret = self.value_of("secret")
        if secret:
            message = message.replace(secret, "[redacted]")
        if isinstance(exc, SeamConfigurationError) and exc.field:
            self.show_errors({exc.field: message})
            return
        self.set_message(f"Not saved: {message}", error=True)
