"""The keys a screen offers right now, for the help screen and the command palette."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

# The palette itself needs no palette entry.
_SKIP_ACTIONS = {"command_palette"}


@dataclass(frozen=True)
class ScreenKey:
    """One active binding: what to press, what it does, and where the action runs."""

    display: str
    description: str
    action: str
    namespace: DOMNode


def screen_keys(screen: Screen[object]) -> list[ScreenKey]:
    """The screen's and the app's active bindings (check_action applied), one per action.

    Widget bindings (a table's cursor keys, an input's editing keys) are left out: they are
    the same everywhere and the help screen lists them once.
    """
    found: dict[tuple[int, str], ScreenKey] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not isinstance(active.node, (Screen, App)):
            continue
        if not binding.description or binding.action in _SKIP_ACTIONS or not active.enabled:
            continue
        display = binding.key_display or screen.app.get_key_display(binding)
        marker = (id(active.node), binding.action)
        if marker in found:  # one action on several keys (q and ctrl+q): list them together
            earlier = found[marker]
            display = f"{display} / {earlier.display}"
        found[marker] = ScreenKey(display, binding.description, binding.action, active.node)
    return list(found.values())
