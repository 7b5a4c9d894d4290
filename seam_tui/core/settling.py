"""Changes that settle later: what of an object is still being pushed to its access system.

The Seam API answers a write at once with the object in its new (desired) state and queues the
change: an ACS user carries `pending_mutations` until the push is done, a deleted ACS user or
identity lingers with a `being_deleted` warning, and an identity whose profile differs from a
linked ACS user's carries `acs_user_profile_does_not_match_user_identity`. A push that fails
ends as a `failed_to_*_on_acs_system` error on the object. This module reads those markers into
plain words; `SeamService.wait_until_settled` polls until they are gone.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from seam_tui.core.errors import SeamNotFoundError
from seam_tui.core.models import AcsUser, PendingMutation, UserIdentity
from seam_tui.visible import quoted

if TYPE_CHECKING:
    from seam_tui.core.client import SeamClient

SettlingKind = Literal["acs_user", "user_identity"]

BEING_DELETED = "being_deleted"
PROFILE_MISMATCH = "acs_user_profile_does_not_match_user_identity"
PUSH_ERROR_CODES = frozenset(
    {
        "failed_to_create_on_acs_system",
        "failed_to_update_on_acs_system",
        "failed_to_delete_on_acs_system",
    }
)

_PLAIN_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PROFILE_FIELDS = {"full_name": "full name", "email_address": "email", "phone_number": "phone"}


@dataclass(frozen=True)
class PendingItem:
    """One change still on its way to the access system: what (plain words), since when, and
    the API's code for it (`mutation_code` or `warning_code`)."""

    what: str
    since: datetime | None
    code: str


def _side(mutation: PendingMutation, key: str) -> dict[str, Any]:
    value = (mutation.model_extra or {}).get(key)
    return value if isinstance(value, dict) else {}


def _code_words(code: str) -> str:
    """An unknown code in words when it is a plain identifier, else quoted (it is API data)."""
    if _PLAIN_CODE.fullmatch(code):
        return code.replace("_", " ")
    return quoted(code)


def describe_mutation(mutation: PendingMutation) -> str:
    """A pending mutation in plain words, e.g. "suspension (to suspended)"."""
    code = mutation.mutation_code
    to = _side(mutation, "to")
    if code == "creating":
        return "creation"
    if code == "deleting":
        return "deletion"
    if code == "deferring_creation":
        return "creation (deferred until a credential is issued)"
    if code == "updating_suspension_state":
        if isinstance(to.get("is_suspended"), bool):
            return "suspension (to suspended)" if to["is_suspended"] else "suspension (to active)"
        return "suspension"
    if code == "updating_user_information":
        changed = [label for key, label in _PROFILE_FIELDS.items() if key in to]
        return f"profile update ({', '.join(changed)})" if changed else "profile update"
    if code == "updating_access_schedule":
        return "schedule"
    if code == "updating_group_membership":
        before = _side(mutation, "from").get("acs_access_group_id")
        if to.get("acs_access_group_id"):
            return "access-group membership (adding)"
        if before:
            return "access-group membership (removing)"
        return "access-group membership"
    if code == "deferring_group_membership_update":
        return "access-group membership (scheduled)"
    if code == "updating_credential_assignment":
        return "credential assignment"
    return _code_words(code)


def pending_of(obj: AcsUser | UserIdentity) -> list[PendingItem]:
    """What of `obj` is still pending: its mutations, its deletion, and (for an identity) a
    linked ACS user whose profile does not match yet. Empty when the object has settled."""
    items: list[PendingItem] = []
    if isinstance(obj, AcsUser):
        items.extend(
            PendingItem(describe_mutation(m), m.created_at, m.mutation_code)
            for m in obj.pending_mutations
        )
    deleting = any(item.code == "deleting" for item in items)
    for warning in obj.warnings:
        if warning.warning_code == BEING_DELETED and not deleting:
            items.append(PendingItem("deletion", warning.created_at, BEING_DELETED))
            deleting = True
        elif warning.warning_code == PROFILE_MISMATCH and isinstance(obj, UserIdentity):
            items.append(
                PendingItem("profile sync to ACS users", warning.created_at, PROFILE_MISMATCH)
            )
    return items


def push_errors(obj: AcsUser | UserIdentity) -> list[str]:
    """The messages of failed pushes (`failed_to_*_on_acs_system` errors) on `obj`."""
    return [
        error.message or error.error_code.replace("_", " ")
        for error in obj.errors
        if error.error_code in PUSH_ERROR_CODES
    ]


def is_settled(obj: AcsUser | UserIdentity) -> bool:
    """True when nothing of `obj` is still being pushed (failed pushes count as settled)."""
    return not pending_of(obj)


def is_being_deleted(obj: AcsUser | UserIdentity) -> bool:
    """True while a deletion of `obj` is on its way (it is still readable until it settles)."""
    return any(item.code in ("deleting", BEING_DELETED) for item in pending_of(obj))


@dataclass
class Settled:
    """The end of `wait_until_settled`: the object as last read (None: it is gone, 404),
    whether it settled in time, how long was waited, any failed pushes on it, and whether a
    read saw it pending (so that its settling was watched, not only read)."""

    obj: AcsUser | UserIdentity | None
    settled: bool
    waited: float
    errors: list[str]
    was_pending: bool = False

    @property
    def gone(self) -> bool:
        return self.obj is None

    @property
    def pending(self) -> list[PendingItem]:
        return pending_of(self.obj) if self.obj is not None else []


async def wait_until_settled(
    client: SeamClient,
    kind: SettlingKind,
    object_id: str,
    *,
    timeout: float,  # noqa: ASYNC109 (a bound on polling, not a cancellation)
    first_delay: float = 0.25,
    max_delay: float = 2.0,
) -> Settled:
    """Read the object until nothing of it is pending, it is gone (404), or `timeout` seconds
    have passed; the pauses between reads double from `first_delay` up to `max_delay`.

    The first read is made at once; other errors than 404 are raised as they come."""
    if kind not in ("acs_user", "user_identity"):
        raise ValueError(f"kind must be 'acs_user' or 'user_identity', not {kind!r}")
    timeout = max(0.0, timeout)
    delay = max(0.01, first_delay)
    start = time.monotonic()
    was_pending = False
    while True:
        try:
            obj: AcsUser | UserIdentity = (
                await client.acs.users.get(acs_user_id=object_id)
                if kind == "acs_user"
                else await client.user_identities.get(user_identity_id=object_id)
            )
        except SeamNotFoundError:
            return Settled(None, True, time.monotonic() - start, [], was_pending)
        waited = time.monotonic() - start
        if is_settled(obj):
            return Settled(obj, True, waited, push_errors(obj), was_pending)
        was_pending = True
        remaining = timeout - waited
        if remaining <= 0:
            return Settled(obj, False, waited, push_errors(obj), was_pending)
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 2, max(max_delay, first_delay))
