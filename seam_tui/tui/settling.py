"""Changes Seam is still pushing to an access system: said as pending, watched until they settle.

The Seam API answers a write at once and pushes the change to Salto, Brivo or Latch later; until
then the object carries pending mutations or a `being_deleted` warning (`core.settling` reads
them into words). A change made here is never said to be done while it is pending: the toast
says it is queued, every screen showing the object shows it pending, and one app-level
`SettlingWatch` re-reads the object by id, with backoff, until it settles. Then the screens are
redrawn, the toast says it was pushed (or why the push failed), and Activity records it.

A watch runs while a change made here waits to settle, or while a screen on the stack shows the
object; it stops once neither holds (the screen closed), and it only ever calls screens still on
the stack and not closing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.worker import Worker, get_current_worker

from seam_tui.core.errors import SeamError, SeamNotFoundError
from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.settling import PendingItem, SettlingKind, is_settled, pending_of
from seam_tui.tui.literal import quoted

if TYPE_CHECKING:
    from seam_tui.tui.app import SeamApp

Watched = AcsUser | UserIdentity
# Pauses between reads of a pending object: 0.5, 1, 2, 4, 8, then every 10 s.
FIRST_DELAY_S = 0.5
MAX_DELAY_S = 10.0
WORKER_GROUP = "settling"


def object_id(obj: Watched) -> str:
    return obj.acs_user_id if isinstance(obj, AcsUser) else obj.user_identity_id


def kind_of(obj: Watched) -> SettlingKind:
    return "acs_user" if isinstance(obj, AcsUser) else "user_identity"


def deleting(obj: Watched) -> PendingItem | None:
    return next((i for i in pending_of(obj) if i.code in ("deleting", "being_deleted")), None)


def error_keys(obj: Watched | None) -> frozenset[tuple[str, str]]:
    if obj is None:
        return frozenset()
    return frozenset((e.error_code, e.message) for e in obj.errors)


def queued(what: str, where: str) -> str:
    """`Suspension of “Jane Doe” queued — Seam is pushing it to “Acme Tower”`."""
    return f"{what} queued — Seam is pushing it to {where}"


def being_deleted(what: str, where: str) -> str:
    return f"{what} is being deleted — Seam is removing it from {where}"


@dataclass
class OwnChange:
    """A change made here, waiting to settle: what to say and record when it does.

    `done` reads as finished ("Suspended “Jane Doe”"), `what` as a noun ("Suspension of “Jane
    Doe”"), `where` is the system as shown ("“Acme Tower”"); `operation` and `ids` go to the
    audit log. Errors already on the object when the change was made are not blamed on it.
    A `quiet` change (one item of a bulk run, whose report said "queued") is recorded when it
    settles without a toast of its own; a failed push is always said.
    """

    operation: str
    ids: dict[str, str]
    done: str
    what: str
    where: str
    known_errors: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    quiet: bool = False


@runtime_checkable
class ShowsObjects(Protocol):
    """A screen that shows ACS users or identities and redraws one when it changes."""

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool: ...

    def show_object(self, kind: SettlingKind, object_id: str, obj: Watched | None) -> None: ...


def _closing(screen: object) -> bool:
    attached = getattr(screen, "is_attached", False)
    return not attached or not getattr(screen, "display", True)


class SettlingWatch:
    """The app's watches of pending objects, one worker per object at most."""

    def __init__(self, app: SeamApp) -> None:
        self._app = app
        self._running: dict[tuple[SettlingKind, str], Worker[None]] = {}
        self._changes: dict[tuple[SettlingKind, str], list[OwnChange]] = {}
        self._last: dict[tuple[SettlingKind, str], Watched] = {}

    def watching(self, kind: SettlingKind, object_id: str) -> bool:
        return (kind, object_id) in self._running

    def watch(self, obj: Watched, change: OwnChange | None = None) -> None:
        """Re-read `obj` until it settles; with `change`, say so and record it when it does."""
        key = (kind_of(obj), object_id(obj))
        if change is not None:
            self._changes.setdefault(key, []).append(change)
        self._last[key] = obj
        running = self._running.get(key)
        if running is not None and change is None:
            return
        if running is not None:  # read soon again: a new change may settle in a moment
            running.cancel()
        self._running[key] = self._app.run_worker(
            self._watch(key), group=WORKER_GROUP, exit_on_error=True
        )

    def watch_pending(self, objects: Sequence[Watched]) -> None:
        """Watch those of `objects` that are pending (a screen calls this after loading them)."""
        for obj in objects:
            if not is_settled(obj):
                self.watch(obj)

    def forget_all(self) -> None:
        """Stop every watch (the workspace changed: another service, other objects)."""
        self._app.workers.cancel_group(self._app, WORKER_GROUP)
        self._running.clear()
        self._changes.clear()
        self._last.clear()

    def _screens(self) -> list[ShowsObjects]:
        return [
            screen
            for screen in self._app.screen_stack
            if isinstance(screen, ShowsObjects) and not _closing(screen)
        ]

    def _wanted(self, key: tuple[SettlingKind, str]) -> bool:
        return bool(self._changes.get(key)) or any(s.shows_object(*key) for s in self._screens())

    async def _read(self, kind: SettlingKind, object_id: str) -> Watched | None:
        service = self._app.service
        try:
            if kind == "acs_user":
                return await service.get_acs_user(AcsUserTarget(acs_user_id=object_id))
            return await service.get_identity(object_id)
        except SeamNotFoundError:
            return None

    async def _watch(self, key: tuple[SettlingKind, str]) -> None:
        delay = FIRST_DELAY_S
        try:
            while True:
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY_S)
                if not self._wanted(key):
                    return
                try:
                    obj = await self._read(*key)
                except SeamError:
                    continue  # offline or rate limited for a moment: read again later
                if obj is None or obj != self._last.get(key):
                    self._show(key, obj)
                if obj is None or is_settled(obj):
                    self._settled(key, obj)
                    return
                self._last[key] = obj
        finally:
            if self._running.get(key) is get_current_worker():
                del self._running[key]
                self._last.pop(key, None)

    def _show(self, key: tuple[SettlingKind, str], obj: Watched | None) -> None:
        for screen in self._screens():
            if screen.shows_object(*key):
                screen.show_object(*key, obj)

    def _settled(self, key: tuple[SettlingKind, str], obj: Watched | None) -> None:
        changes = self._changes.pop(key, [])
        for change in changes:
            self._say_settled(change, obj)
        if changes:  # Activity, if open, shows the new lines at once
            for screen in self._app.screen_stack:
                if getattr(screen, "FOLLOWS_AUDIT", False) and not _closing(screen):
                    screen.refresh_data()  # type: ignore[attr-defined]

    def _say_settled(self, change: OwnChange, obj: Watched | None) -> None:
        failures = [
            message
            for code, message in error_keys(obj) - change.known_errors
            if code.startswith("failed_to_")
        ]
        service = self._app.service
        if failures:
            said = "; ".join(quoted(m or "no reason given", width=120) for m in failures)
            service.record_settled(change.operation, change.ids, error="; ".join(failures))
            self._app.notify(
                f"{change.what} failed: Seam could not push it to {change.where}: {said}",
                title="Push failed",
                severity="error",
                timeout=15,
            )
        else:
            service.record_settled(change.operation, change.ids)
            if change.quiet:
                return
            how = "removed it from" if obj is None else "pushed it to"
            self._app.notify(f"{change.done}: Seam has {how} {change.where}", title="Settled")

    def tell(
        self,
        obj: Watched,
        *,
        operation: str,
        ids: dict[str, str],
        done: str,
        what: str,
        where: str,
        title: str = "Done",
    ) -> bool:
        """Say a change made here: `done` once `obj` (as the write answered) has settled; else
        that it is queued (or being deleted), and watch it until it settles. True if pending."""
        if is_settled(obj):
            self._app.notify(done, title=title)
            return False
        if deleting(obj) is not None and operation.startswith("delete"):
            self._app.notify(being_deleted(what, where), title="Being deleted")
        else:
            self._app.notify(queued(what, where), title="Queued")
        change = OwnChange(operation, ids, done, what, where, error_keys(obj))
        self.watch(obj, change)
        return True

    def tell_created(self, user: AcsUser, *, name: str, where: str) -> bool:
        """`tell` for an ACS user just created here (`name` and `where` already quoted)."""
        return self.tell(
            user,
            operation="create_acs_user",
            ids={"acs_user_id": user.acs_user_id},
            done=f"Created ACS user {name} in {where}",
            what=f"Creation of ACS user {name}",
            where=where,
            title="Created",
        )
