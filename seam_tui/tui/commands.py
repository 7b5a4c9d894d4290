"""The command palette mirrors the keys: every binding active on the screen is a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from seam_tui.tui.keys import screen_keys
from seam_tui.tui.literal import lit, markup_literal


class BindingCommands(Provider):
    """One palette entry per active key of the current screen (so read-only hides writes too)."""

    async def discover(self) -> Hits:
        for key in screen_keys(self.screen):
            yield DiscoveryHit(
                lit(key.description),
                partial(self.app.run_action, key.action, key.namespace),
                text=key.description,
                help=markup_literal(f"key: {key.display}"),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in screen_keys(self.screen):
            score = matcher.match(key.description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(key.description),
                    partial(self.app.run_action, key.action, key.namespace),
                    help=markup_literal(f"key: {key.display}"),
                )
