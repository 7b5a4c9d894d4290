"""Instant keys: ask how many uses, generate one, then show its link as text and as a QR code.

An instant key is a link that opens a person's mobile keys on a phone until it expires. The
dialog draws the link's QR code in the terminal (scan it with the phone's camera) and copies
the link to the clipboard with `y` (OSC 52, so it works over SSH too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import ValidationError
from segno import DataOverflowError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from seam_tui.core.inputs_access import MAX_INSTANT_KEY_USES, InstantKeyRequest
from seam_tui.core.models import InstantKey, UserIdentity
from seam_tui.tui.access_text import local_datetime, relative_time
from seam_tui.tui.literal import Cell, grid, say, styled
from seam_tui.tui.qr import qr_text
from seam_tui.tui.widgets.form import FormScreen
from seam_tui.tui.widgets.text import ActionButton, Line

# A link longer than this is not drawn: its code would be too dense for a phone to read off
# a screen (an instant key's link is about 30 characters).
MAX_QR_LINK = 300


@dataclass(frozen=True)
class IssuedKey:
    """A key just generated, with the number of uses it was asked for (the API does not
    return it)."""

    key: InstantKey
    max_uses: int


def person_name(identity: UserIdentity) -> str:
    return identity.full_name or identity.display_name or identity.user_identity_id


MAX_USES_ERROR = f"Max uses must be a whole number from 1 to {MAX_INSTANT_KEY_USES}"


class InstantKeyFormScreen(FormScreen[IssuedKey | None]):
    """How many times the key may be used (1 by default); Ctrl+S or Enter generates it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Generate", id="instant_key.submit"),
        Binding("escape", "cancel", "Cancel", id="instant_key.cancel"),
    ]

    def __init__(self, identity: UserIdentity) -> None:
        super().__init__()
        self._identity = identity

    def compose(self) -> ComposeResult:
        name = person_name(self._identity)
        with VerticalScroll(classes="form-dialog", id="instant-key-form"):
            yield Line(say("New instant key for {name}", name=name), classes="form-title")
            yield Line(
                "A link that opens this person's mobile keys on a phone, for 48 hours. "
                "Enter or Ctrl+S generates it; Esc cancels.",
                classes="picker-hint",
            )
            yield Line(id="form-message")
            yield from self.field(
                "max_use_count", f"Max uses (1 to {MAX_INSTANT_KEY_USES})", "1", "1"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#max_use_count").focus()

    def submit(self) -> None:
        typed = self.value_of("max_use_count") or "1"
        try:
            data = InstantKeyRequest.model_validate(
                {"user_identity_id": self._identity.user_identity_id, "max_use_count": typed}
            )
        except ValidationError as exc:
            self.show_problem(exc)
            return
        self.save(lambda: self._generate(data))
        self.set_message("generating…")

    def show_errors(self, errors: dict[str, str]) -> None:
        """The count's error in plain words; the summary says nothing was generated."""
        if "max_use_count" in errors:
            errors = {**errors, "max_use_count": MAX_USES_ERROR}
        super().show_errors(errors)
        if set(errors) == {"max_use_count"}:
            self.set_message(
                "Not generated: fix the field marked below (nothing you typed was lost).",
                error=True,
            )

    async def _generate(self, data: InstantKeyRequest) -> None:
        key = await self.service.access.generate_instant_key(data)
        self.seam_app.refresh_screens()
        self.dismiss(IssuedKey(key, data.max_use_count))


class InstantKeyScreen(ModalScreen[None]):
    """The link, when it expires, how many uses, and its QR code; `y` copies the link."""

    BINDINGS = [
        Binding("y", "copy_link", "Copy link", id="instant_key.copy_link"),
        Binding("escape", "close", "Close", id="instant_key.close"),
    ]

    def __init__(self, key: InstantKey, person: str, *, max_uses: int | None = None) -> None:
        super().__init__()
        self.key = key
        self._person = person
        self._max_uses = max_uses

    def compose(self) -> ComposeResult:
        key = self.key
        now = datetime.now(UTC)
        expired = key.expires_at <= now
        expiry = f"{local_datetime(key.expires_at)} ({relative_time(key.expires_at, now)})"
        facts: list[tuple[Cell, Cell]] = [("Expired" if expired else "Expires", expiry)]
        if self._max_uses is not None:  # known only right after generating: Seam does not say
            facts.append(("Max uses", str(self._max_uses)))
        hint: Cell = (
            styled(
                "This key has expired: the link no longer opens anything. Do not send it; "
                "i makes a new one.",
                "bold yellow",
            )
            if expired
            else "Scan the code with the phone's camera, or copy the link (y) and send it to "
            "the person."
        )
        with VerticalScroll(id="instant-key-dialog"):
            yield Line(say("Instant key for {name}", name=self._person), id="instant-key-title")
            with Horizontal(id="instant-key-body"):
                yield Line(self._qr(), id="instant-key-qr")
                with Vertical(id="instant-key-info"):
                    yield Line("Link", classes="field-label")
                    yield Line(key.instant_key_url, id="instant-key-url")
                    shown = Line(id="instant-key-facts")
                    shown.update(grid(facts))
                    yield shown
                    yield Line(hint, id="instant-key-hint", classes="picker-hint")
                    with Horizontal(id="instant-key-buttons"):
                        yield ActionButton("Copy link (y)", "primary", id="copy-link")
                        yield ActionButton("Close (Esc)", id="close-key")
        yield Footer()

    def _qr(self) -> Cell:
        url = self.key.instant_key_url
        if len(url) > MAX_QR_LINK:
            return "The link is too long for a QR code a phone can read: copy it (y)."
        try:
            return qr_text(url)
        except DataOverflowError:
            return "The link does not fit in a QR code: copy it (y)."

    def on_mount(self) -> None:
        self.query_one("#copy-link", ActionButton).focus()

    @on(ActionButton.Pressed, "#copy-link")
    def _copy_pressed(self) -> None:
        self.action_copy_link()

    @on(ActionButton.Pressed, "#close-key")
    def _close_pressed(self) -> None:
        self.dismiss(None)

    def action_copy_link(self) -> None:
        self.app.copy_to_clipboard(self.key.instant_key_url)
        self.notify(
            "Copied the instant key's link to the clipboard (through the terminal, OSC 52).",
            title="Copied",
        )

    def action_close(self) -> None:
        self.dismiss(None)
