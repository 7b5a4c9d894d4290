"""Multi-step actions that ask the user something before they change data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seam_tui.core.errors import SeamError
from seam_tui.core.models import UserIdentity
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import Cell, lit, quoted, say, styled
from seam_tui.tui.widgets.confirm import ConfirmScreen, record

if TYPE_CHECKING:
    from seam_tui.tui.app import SeamApp


async def _still_there(app: SeamApp, user_identity_id: str) -> UserIdentity | None:
    """The identity just deleted, while Seam still has it (being deleted); None once gone (or
    when it cannot be read: the lists then show what Seam has)."""
    try:
        return await app.service.get_identity(user_identity_id)
    except SeamError:
        return None


async def delete_identity_flow(app: SeamApp, user_identity_id: str) -> bool:
    """Say what goes (the identity and its ACS users), ask, then delete. True when deleted."""
    try:
        plan = await app.service.plan_identity_deletion(user_identity_id)
        systems = await app.service.systems_by_id()
    except SeamError as exc:
        app.notify(describe_error(exc), title="Error", severity="error", timeout=8)
        return False
    identity = plan.identity
    name = identity.display_name or identity.full_name or "(no name)"
    detail: list[Cell] = [record("Identity", name, identity.user_identity_id)]
    if plan.acs_users:
        detail.append(
            lit(
                f"Its {len(plan.acs_users)} ACS user(s) go too, and their credentials stop working:"
            )
        )
        for user in plan.acs_users:
            system = systems.get(user.acs_system_id)
            detail.append(
                say(
                    "  • {user} in {system} {id}",
                    user=user.display_name or user.full_name or "",
                    system=system.name if system else user.acs_system_id,
                    id=styled(f"(id {user.acs_user_id})", "dim"),
                )
            )
    else:
        detail.append(lit("It has no ACS users."))
    confirmed = await app.push_screen_wait(
        ConfirmScreen(say("Delete identity {name}?", name=name), detail)
    )
    if not confirmed:
        return False
    try:
        await app.service.delete_identity(user_identity_id)
    except SeamError as exc:
        app.notify(describe_error(exc), title="Delete failed", severity="error", timeout=8)
        return False
    done = f"Deleted identity {quoted(name)} (id {user_identity_id})"
    lingering = await _still_there(app, user_identity_id)
    if lingering is None:
        app.notify(done, title="Deleted")
    else:  # Seam is still removing it (and its ACS users): the lists show it until then
        names = {
            quoted(systems[u.acs_system_id].name if u.acs_system_id in systems else u.acs_system_id)
            for u in plan.acs_users
        }
        app.settling.tell(
            lingering,
            operation="delete_user_identity",
            ids={"user_identity_id": user_identity_id},
            done=done,
            what=f"Identity {quoted(name)}",
            where=", ".join(sorted(names)) or "its access systems",
        )
    from seam_tui.tui.screens.identity_detail import IdentityDetailScreen

    if isinstance(app.screen, IdentityDetailScreen):
        await app.pop_screen()
    app.refresh_screens()
    return True
