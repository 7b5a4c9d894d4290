"""`y`: copy an id, email, phone or instant-key link of what is in view to the clipboard.

The copy goes through the terminal (OSC 52, `App.copy_to_clipboard`), so it works over SSH
too. With several values in view a small chooser asks which (Enter, or its number); with one
it is copied at once. A value holding hidden characters (controls, bidi overrides) is not
copied: pasted into a shell, such a value could do more than it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen

from seam_tui.core.models import AcsUser, InstantKey, UserIdentity
from seam_tui.tui.literal import quoted
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.paged_table import PagedTable
from seam_tui.tui.widgets.text import Line
from seam_tui.visible import has_hidden

if TYPE_CHECKING:
    from textual.app import App

# The chooser offers at most this many values (one digit picks each).
MOST_CHOICES = 9


@dataclass(frozen=True)
class Copyable:
    """One value that can be copied, with what it is ("Identity email")."""

    label: str
    value: str


@runtime_checkable
class OffersCopies(Protocol):
    """A screen that knows what of its content can be copied (the highlighted row's ids...)."""

    def copy_values(self) -> list[Copyable]: ...


def _offered(pairs: list[tuple[str, str | None]]) -> list[Copyable]:
    return [Copyable(label, value) for label, value in pairs if value]


def identity_values(identity: UserIdentity) -> list[Copyable]:
    return _offered(
        [
            ("Identity id", identity.user_identity_id),
            ("Identity email", identity.email_address),
            ("Identity phone", identity.phone_number),
        ]
    )


def acs_user_values(user: AcsUser) -> list[Copyable]:
    """The ACS user's id, email and phone, then its identity's id (when linked)."""
    return _offered(
        [
            ("ACS user id", user.acs_user_id),
            ("ACS user email", user.email_address),
            ("ACS user phone", user.phone_number),
            ("Identity id", user.user_identity_id),
        ]
    )


def instant_key_values(key: InstantKey) -> list[Copyable]:
    return _offered([("Instant key link", key.instant_key_url)])


def values_in_view(screen: Screen[Any]) -> list[Copyable]:
    """What `y` can copy on `screen`: what the screen offers, else the highlighted row of a
    focused list of identities or ACS users."""
    if isinstance(screen, OffersCopies):
        try:
            return screen.copy_values()[:MOST_CHOICES]
        except NoMatches:  # still composing (the footer asks while the screen mounts)
            return []
    focused = screen.focused
    if isinstance(focused, PagedTable):
        item = focused.current_item()
        if isinstance(item, UserIdentity):
            return identity_values(item)
        if isinstance(item, AcsUser):
            return acs_user_values(item)
    return []


def copy_value(app: App[Any], item: Copyable) -> bool:
    """Copy `item` through the terminal and say so; refuse (and say why) a value with hidden
    characters. True if copied."""
    if has_hidden(item.value):
        app.notify(
            f"Not copied: the {_lowered(item.label)} {quoted(item.value)} holds hidden characters "
            "(shown as placeholders) that a terminal could act on when it is pasted.",
            title="Not copied",
            severity="warning",
        )
        return False
    app.copy_to_clipboard(item.value)
    app.notify(
        f"Copied the {_lowered(item.label)} {quoted(item.value)} to the clipboard "
        "(through the terminal, OSC 52).",
        title="Copied",
    )
    return True


def copy_in_view(app: App[Any]) -> None:
    """`y`: copy the one value in view, or ask which of several."""
    values = values_in_view(app.screen)
    if not values:
        app.notify("Nothing here to copy: highlight a row first.", severity="warning")
    elif len(values) == 1:
        copy_value(app, values[0])
    else:

        def chosen(item: Copyable | None) -> None:
            if item is not None:
                copy_value(app, item)

        app.push_screen(CopyChooser(values), chosen)


class CopyChooser(ModalScreen[Copyable | None]):
    """Which value to copy: Enter on a row, or its number; Esc copies nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="copy.cancel"),
        *(
            Binding(str(n), f"pick({n})", f"Copy value {n}", show=False, id=f"copy.pick_{n}")
            for n in range(1, MOST_CHOICES + 1)
        ),
    ]

    def __init__(self, values: list[Copyable]) -> None:
        super().__init__()
        self.values = values[:MOST_CHOICES]

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-dialog"):
            yield Line("Copy to the clipboard — Enter or a number; Esc cancels", id="copy-title")
            yield KeyTable(id="copy-values")

    def on_mount(self) -> None:
        table = self.query_one("#copy-values", KeyTable)
        table.add_column_specs(("", 2), ("What", 18), ("Value", 60))
        for n, item in enumerate(self.values, 1):
            table.add_row(str(n), item.label, item.value, key=str(n))
        table.focus()

    @on(KeyTable.RowSelected, "#copy-values")
    def _row_selected(self, event: KeyTable.RowSelected) -> None:
        self.action_pick(event.cursor_row + 1)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.values):
            self.dismiss(self.values[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _lowered(label: str) -> str:
    """`Email` → `email` in a sentence; `ACS user id` keeps its acronym."""
    first, _, rest = label.partition(" ")
    word = first if first.isupper() else first.lower()
    return f"{word} {rest}" if rest else word
