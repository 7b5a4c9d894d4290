"""The keys a screen offers right now, for the help screen and the command palette."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

# Textual's own plumbing (the palette itself, focus cycling, copying a mouse selection with
# ctrl+c, which this app does not offer: `y` copies): never listed as keys of a screen.
_SKIP_ACTIONS = {"command_palette", "focus_next", "focus_previous", "copy_text"}


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
    found: dict[str, ScreenKey] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not isinstance(active.node, (Screen, App)):
            continue
        plumbing = binding.action.rpartition(".")[2] in _SKIP_ACTIONS  # `screen.copy_text` too
        if not binding.description or plumbing or not active.enabled:
            continue
        display = binding.key_display or screen.app.get_key_display(binding)
        marker = binding.action.removeprefix("app.")
        earlier = found.get(marker)
        if earlier is not None:  # one action on several keys (q and ctrl+q): list them together
            if display not in earlier.display.split(" / "):
                found[marker] = ScreenKey(
                    f"{earlier.display} / {display}",
                    earlier.description,
                    earlier.action,
                    earlier.namespace,
                )
            continue
        found[marker] = ScreenKey(display, binding.description, binding.action, active.node)
    return list(found.values())
