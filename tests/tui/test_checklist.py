"""The forms' checklist (access groups): replacing its options while a highlight of the old
ones is still queued must not crash the app (found by tests/reliability/test_bad_input_forms)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from seam_tui.tui.widgets.text import Checklist


class OneList(App[None]):
    def compose(self) -> ComposeResult:
        yield Checklist(id="groups")


async def test_options_replaced_under_a_queued_highlight() -> None:
    app = OneList()
    async with app.run_test() as pilot:
        groups = app.query_one(Checklist)
        groups.add_options([("Staff", "g1"), ("Gym", "g2")])
        groups.focus()
        await pilot.pause()
        groups.highlighted = 1  # queues a highlight of option 1 ...
        groups.clear_options()  # ... whose option is gone when it is handled
        await pilot.pause()
        groups.add_options([("Night shift", "g3")])
        await pilot.pause()
        assert groups.option_count == 1
        assert app.return_code is None  # still running: no crash
