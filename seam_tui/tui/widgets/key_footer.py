"""The footer: the focused view's keys first, and Quit, Keys and Workspaces always in sight.

Textual's own footer lists every key in one row and cuts what does not fit, which at 80
columns hid `q`, `?` and `w`. This one measures: the app's always-there keys are docked at the
right, the view's keys fill the rest in the order their classes list them (the focused widget's,
then the screen's own, then what it inherits, then the app's; a key moved by the user's keymap
keeps its place), and a key that does not fit is left out with the ones after it (`?` lists
them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.dom import DOMNode
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's key widget is not re-exported

# App actions whose keys are never cut off (when they are bound on the current screen).
PINNED_ACTIONS = ("quit", "help", "workspaces")
# Keys that go after the view's own: Esc (back) is the same everywhere, and the palette is
# listed in the help screen too.
LATE_ACTIONS = ("back", "command_palette")
# A FooterKey is its key and its description, each padded by one cell: " q Quit ".
KEY_PADDING = 3


@cache
def binding_rank(node_class: type[DOMNode], action: str) -> tuple[int, int]:
    """Where `action` is listed in the class's BINDINGS: the class's own before inherited ones."""
    for depth, cls in enumerate(node_class.__mro__):
        own = [b.action for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]
        if action in own:
            return depth, own.index(action)
    return len(node_class.__mro__), 0


@dataclass(frozen=True)
class ShownKey:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    rank: tuple[int, ...]

    @property
    def width(self) -> int:
        return cell_len(self.display) + cell_len(self.description) + KEY_PADDING

    def widget(self) -> FooterKey:
        return FooterKey(
            self.key,
            self.display,
            self.description,
            self.action,
            disabled=not self.enabled,
            tooltip=self.tooltip,
        )


class KeyFooter(Footer):
    """A one-line footer that fits its width: pinned keys right, the view's keys left."""

    DEFAULT_CSS = """
    KeyFooter .footer-pinned {
        dock: right;
        width: auto;
        height: 1;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._composed_width = 0

    def shown_keys(self) -> tuple[list[ShownKey], list[ShownKey]]:
        """The (pinned, other) keys the screen offers now, one per action, in binding order."""
        pinned: dict[str, ShownKey] = {}
        others: dict[str, ShownKey] = {}
        palette = self.app.COMMAND_PALETTE_BINDING
        nodes: list[DOMNode] = []
        for key, active in self.screen.active_bindings.items():
            binding: Binding = active.binding
            is_palette = key == palette and self.app.ENABLE_COMMAND_PALETTE
            if not (binding.show or is_palette) or not binding.description:
                continue
            if active.node not in nodes:
                nodes.append(active.node)
            late = is_palette or binding.action.removeprefix("app.") in LATE_ACTIONS
            shown = ShownKey(
                binding.key,
                self.app.get_key_display(binding),
                "palette" if is_palette else binding.description,
                binding.action,
                active.enabled,
                active.tooltip or binding.tooltip,
                (late, nodes.index(active.node), *binding_rank(type(active.node), binding.action)),
            )
            is_pinned = isinstance(active.node, App) and binding.action in PINNED_ACTIONS
            found = pinned if is_pinned else others
            found.setdefault(binding.action, shown)
        ordered = sorted(others.values(), key=lambda k: k.rank)
        by_action = [pinned[a] for a in PINNED_ACTIONS if a in pinned]
        return by_action, ordered

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.app.size.width
        self._composed_width = width
        pinned, others = self.shown_keys()
        room = width - sum(k.width for k in pinned)
        for shown in others:
            if shown.width > room:
                break
            room -= shown.width
            yield shown.widget().data_bind(compact=Footer.compact)
        if pinned:
            # A class, not an id: two recomposes may overlap (bindings change during a resize).
            with HorizontalGroup(classes="footer-pinned"):
                for shown in pinned:
                    yield shown.widget().data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if self._bindings_ready and self.app.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
