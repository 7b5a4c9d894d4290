"""Multi-step actions that ask the user something before they change data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seam_tui.core.errors import SeamError
from seam_tui.tui.errors import describe_error
from seam_tui.tui.widgets.confirm import ConfirmScreen

if TYPE_CHECKING:
    from seam_tui.tui.app import SeamApp


async def delete_identity_flow(app: SeamApp, user_identity_id: str) -> bool:
    """Say what goes (the identity and its ACS users), ask, then delete. True when deleted."""
    try:
        plan = await app.service.plan_identity_deletion(user_identity_id)
        systems = await app.service.systems_by_id()
    except SeamError as exc:
        app.notify(describe_error(exc), title="Error", severity="error", timeout=8)
        return False
    name = plan.identity.display_name or plan.identity.user_identity_id
    if plan.acs_users:
        lines = "\n".join(
            f"  • {u.display_name or u.full_name or u.acs_user_id} in "
            f"{systems[u.acs_system_id].name if u.acs_system_id in systems else u.acs_system_id}"
            for u in plan.acs_users
        )
        detail = (
            f"Its {len(plan.acs_users)} ACS user(s) go too, and their credentials stop "
            f"working:\n{lines}"
        )
    else:
        detail = "It has no ACS users."
    confirmed = await app.push_screen_wait(ConfirmScreen(f"Delete identity {name}?", detail))
    if not confirmed:
        return False
    try:
        await app.service.delete_identity(user_identity_id)
    except SeamError as exc:
        app.notify(describe_error(exc), title="Delete failed", severity="error", timeout=8)
        return False
    app.notify(f"Deleted identity {name}", title="Deleted")
    from seam_tui.tui.screens.identity_detail import IdentityDetailScreen

    if isinstance(app.screen, IdentityDetailScreen):
        await app.pop_screen()
    app.refresh_screens()
    return True
