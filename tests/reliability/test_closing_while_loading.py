"""Found by the form cases: closing a form while it is still loading crashed the app.

The forms show a loading indicator while a worker fetches systems or access groups, and turn
it off in a `finally`. Closing the form cancels the worker, and turning the indicator off on
a widget that has left the screen raised `NoScreen`, which ends the app. Here every request
takes half a second, and the forms are closed while their requests are in flight.
"""

from __future__ import annotations

from textual.widgets import Select

from seam_tui.sandbox import FaultConfig
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import SIZE, wait_until
from tests.tui.test_identity_flows import choose

SLOW = FaultConfig(rate=1.0, kinds=frozenset({"latency"}), latency_s=0.5)


async def test_closing_forms_while_they_load_keeps_the_app_running() -> None:
    sandbox = local_sandbox()
    app = SeamApp(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        systems = list(await app.service.systems_by_id())
        app.service.invalidate()  # so the form has to fetch them
        sandbox.faults = SLOW

        await pilot.press("n")  # the identity form loads the systems...
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityFormScreen))
        await pilot.press("escape")  # ...and is closed before they arrive
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))

        form = AcsUserFormScreen()
        await app.push_screen(form)
        select = form.query_one("#acs_system_id", Select)
        # Once the systems are there, choosing one loads its access groups...
        await wait_until(pilot, lambda: choose(select, systems[0]))
        await pilot.pause(0.1)
        await pilot.press("escape")  # ...and is closed before they arrive (a system was
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # chosen:
        await pilot.press("y")  # the form asks before discarding it)
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        await pilot.pause(0.8)  # the cancelled requests' answers come and go
        assert app.is_running
        sandbox.faults = FaultConfig()
    assert app.return_code in (None, 0)
