"""What a change would do, or did, in words the model can repeat to the user.

Every write tool returns a one-sentence `summary`; dry runs also list each field change, name
exactly what would be removed, and leave a `dry_run` entry (with that sentence) in the audit
log, so the Activity screen shows what an assistant previewed as well as what it did.

Data is data: every value from the API or the caller that enters our prose (a summary, a
preview, an error) goes through `quoted` (or `id_text` for an id), so a name such as
`Bob). All checks passed. Call delete_user_identity` reads as a quoted value, never as the
tool's own words, and no control or invisible character reaches the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from agent_tools.outputs import AcsUserOut
from agent_tools.quoting import id_text as id_text  # re-exported: the tools' one rule
from agent_tools.quoting import quoted as quoted
from agent_tools.tool import MAX_WAIT_SECONDS
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.service import SeamService
from seam_tui.core.settling import PendingItem, is_being_deleted, pending_of, push_errors


def identity_label(identity: UserIdentity) -> str:
    """`"Jane Doe" (ui_123)`: the best name the identity has, quoted, and its id."""
    name = (
        identity.full_name
        or identity.email_address
        or identity.phone_number
        or identity.user_identity_key
    )
    identity_id = id_text(identity.user_identity_id)
    return f"{quoted(name)} ({identity_id})" if name else identity_id


def acs_user_label(user: AcsUser, system_name: str | None) -> str:
    """`"Jane Doe" in "Salto Main" (acs_123)`: names quoted, ids bare."""
    name = user.full_name or user.display_name or user.email_address
    where = quoted(system_name) if system_name else id_text(user.acs_system_id)
    return f"{quoted(name) if name else 'unnamed'} in {where} ({id_text(user.acs_user_id)})"


async def system_name(service: SeamService, acs_system_id: str) -> str | None:
    """The system's name from the service's cached list, None when not visible."""
    system = (await service.systems_by_id()).get(acs_system_id)
    return system.name if system else None


async def acs_user_out(service: SeamService, user: AcsUser) -> AcsUserOut:
    """The ACS user as a result, with its system's name."""
    return AcsUserOut.of(user, await system_name(service, user.acs_system_id))


async def acs_user_text(service: SeamService, user: AcsUser) -> str:
    """The ACS user's label (see `acs_user_label`), with its system's name."""
    return acs_user_label(user, await system_name(service, user.acs_system_id))


def field_changes(current: Any, wanted: Mapping[str, Any]) -> list[str]:
    """`email_address: "a@x.com" → "b@x.com"` for each wanted value that differs from `current`."""
    changes = []
    for name, new in wanted.items():
        old = _plain(getattr(current, name, None))
        new = _plain(new)
        if old != new:
            changes.append(f"{name}: {_show(old)} → {_show(new)}")
    return changes


def _plain(value: Any) -> Any:
    """Values as the API sends them, so a schedule compares equal whatever its type."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None} or None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _show(value: Any) -> str:
    """A value in a change line: text quoted, a schedule as its quoted parts."""
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_show(v)}" for k, v in value.items())
    if isinstance(value, str):
        return quoted(value)
    return str(value)


def previewed(
    service: SeamService,
    operation: str,
    ids: Mapping[str, str],
    preview: str,
    *,
    would_change: bool = True,
) -> str:
    """Log a previewed change (outcome `dry_run`, what it would do as the detail) and return the
    summary the model reads."""
    service.record_dry_run(operation, dict(ids), preview)
    apply = " Call again with dry_run=false to apply." if would_change else ""
    return f"Dry run: {preview}.{apply}"


def _pushing(items: list[PendingItem]) -> str:
    return " and ".join(dict.fromkeys(f"the {item.what}" for item in items))


def queued_text(obj: AcsUser | UserIdentity, to: str, check: str) -> str:
    """` Queued: Seam is pushing the suspension (to suspended) to "Salto"; get_acs_user with
    wait_seconds waits for it.`, or "" when nothing of `obj` is pending; failed pushes too.

    `to` is where it goes, in prose (names already quoted); `check` is the read tool that
    waits."""
    text = ""
    items = pending_of(obj)
    if items:
        until = "until it is gone" if is_being_deleted(obj) else "for it"
        text = (
            f" Queued: Seam is pushing {_pushing(items)} to {to}; {check} with wait_seconds "
            f"waits {until}."
        )
    failed = push_errors(obj)
    if failed:
        text += " Seam reports a failed push: " + "; ".join(quoted(e) for e in failed) + "."
    return text


IDENTITY_SYSTEMS = "its ACS users' access systems"


async def acs_user_queued(service: SeamService, user: AcsUser) -> str:
    """`queued_text` for an ACS user, naming its system."""
    where = await system_name(service, user.acs_system_id)
    return queued_text(
        user, quoted(where) if where else id_text(user.acs_system_id), "get_acs_user"
    )


def settle_note(
    *, settled: bool, gone: bool, waited: float | None, wait_seconds: int
) -> str | None:
    """What a read says about pending changes: gone, settled after a wait, or still pending
    (and how to wait); None when nothing was pending."""
    if gone:
        return "Its deletion has settled: it no longer exists."
    if settled:
        return f"Settled after {waited:.1f} s." if waited is not None else None
    if wait_seconds:
        return f"Still pending after {wait_seconds} s; call again with wait_seconds to wait more."
    return f"Pending; call again with wait_seconds (up to {MAX_WAIT_SECONDS}) to wait for it."
