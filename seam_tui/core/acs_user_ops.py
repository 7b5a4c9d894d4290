"""The ACS-user half of `SeamService`: list (with state filters), get, create, update,
suspend, delete, and access-group membership, each write audited with the names of what it
touches (and, for an update, what it changed from and to)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from seam_tui.core.audit_names import Named, field_changes, names_of, suspension_change
from seam_tui.core.changes import AuditedChanges
from seam_tui.core.client import SeamClient
from seam_tui.core.errors import AuditWriteError, SeamConflictError, SeamError, refused
from seam_tui.core.inputs import AcsUserCreate, AcsUserTarget, AcsUserUpdate
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsCredential,
    AcsSystem,
    AcsUser,
    Page,
    UserIdentity,
)
from seam_tui.core.paging import exact_page
from seam_tui.core.resources import NULL
from seam_tui.core.results import AccessGroupChanges, AcsUserFilter
from seam_tui.core.settling import is_being_deleted, pending_of

# How many API pages a filtered ACS-user listing reads before returning a short page, and
# their size (the items are filtered here, so larger pages mean fewer round trips).
MAX_FILTER_PAGES = 20
FILTER_PAGE_SIZE = 100

T = TypeVar("T")


class AcsUserOperations(AuditedChanges):
    """ACS-user operations over `client`, written through the audited change path."""

    client: SeamClient
    _systems: dict[str, AcsSystem] | None = None

    async def systems_by_id(self, *, refresh: bool = False) -> dict[str, AcsSystem]:
        """Every ACS system in the workspace by id (cached; the list is small and unpaginated)."""
        if self._systems is None or refresh:
            systems = await self.client.acs.systems.list()
            self._systems = {s.acs_system_id: s for s in systems}
        return self._systems

    async def _before(self, read: Callable[[], Awaitable[T]]) -> T | None:
        """The object as it is just before a change, for its audit line; None when it cannot
        be read (the change itself then says what is wrong)."""
        try:
            return await read()
        except SeamError:
            return None

    async def _names(
        self, *objects: Named | None, acs_system_id: str | None = None
    ) -> dict[str, str]:
        """Id → name of `objects` and of the system (best effort: a name is never worth
        failing a change for)."""
        names = names_of(*objects)
        system_id = acs_system_id or next(
            (o.acs_system_id for o in objects if isinstance(o, AcsUser)), None
        )
        if system_id:
            systems = await self._before(self.systems_by_id)
            if systems and system_id in systems:
                names |= names_of(systems[system_id])
        return names

    async def list_acs_users(
        self,
        *,
        acs_system_id: str | None = None,
        status: AcsUserFilter = "all",
        search: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[AcsUser]:
        """At most `limit` ACS users, filtered by link or suspension state on our side.

        The API cannot filter by state, so a filtered call reads API pages of FILTER_PAGE_SIZE
        (up to MAX_FILTER_PAGES of them) and may come back short, even empty, with a cursor
        that reads on. The cursor resumes right after the last item returned and is refused
        with other filters (`core.paging`).
        """
        search = search or None
        keep = _ACS_USER_FILTERS.get(status)

        def fetch(api_cursor: str | None, size: int) -> Awaitable[Page[AcsUser]]:
            return self.client.acs.users.list(
                acs_system_id=acs_system_id, search=search, limit=size, page_cursor=api_cursor
            )

        filters: dict[str, str | None] = {"listing": "acs_users", "workspace": self.workspace}
        filters |= {"acs_system_id": acs_system_id, "status": status, "search": search}
        return await exact_page(
            fetch,
            limit=limit,
            cursor=cursor,
            filters=filters,
            key=lambda user: user.acs_user_id,
            keep=keep,
            page_size=None if keep is None else max(limit, FILTER_PAGE_SIZE),
            max_pages=MAX_FILTER_PAGES,
        )

    async def get_acs_user(self, target: AcsUserTarget) -> AcsUser:
        """One ACS user, by id or by identity + system."""
        return await self.client.acs.users.get(**target.to_params())

    async def create_acs_user(self, data: AcsUserCreate) -> AcsUser:
        """Create an ACS user in a system, optionally linked to an identity."""
        ids: dict[str, Any] = {"acs_system_id": data.acs_system_id}
        if data.user_identity_id:
            ids["user_identity_id"] = data.user_identity_id

        self.require_writable("create_acs_user", ids)
        names = await self._names(acs_system_id=data.acs_system_id)

        async def create() -> AcsUser:
            user = await self.client.acs.users.create(**data.to_params())
            ids["acs_user_id"] = user.acs_user_id
            names.update(names_of(user))
            return user

        return await self.change("create_acs_user", ids, create, names=names)

    async def update_acs_user(self, data: AcsUserUpdate) -> AcsUser:
        """Change an ACS user's name, email, phone or schedule and return it as it is now."""
        params = data.to_params()
        target: dict[str, Any] = {
            k: params.pop(k)
            for k in ("acs_user_id", "user_identity_id", "acs_system_id")
            if k in params
        }
        changes: dict[str, Any] = {k: (NULL if v is None else v) for k, v in params.items()}
        self.require_writable("update_acs_user", target)
        before = await self._before(lambda: self.client.acs.users.get(**target))
        await self.change(
            "update_acs_user",
            with_context(target, before),
            lambda: self.client.acs.users.update(**target, **changes),
            names=await self._names(before),
            changes=field_changes(before, params),
        )
        return await self.client.acs.users.get(**target)

    async def set_acs_user_suspended(
        self, target: AcsUserTarget, suspended: bool, *, current: AcsUser | None = None
    ) -> AcsUser:
        """Suspend (temporarily revoke) or unsuspend an ACS user; returns it as it is now.

        `current`, the ACS user as the caller just read it, names it in the audit log without
        reading it again."""
        params = target.to_params()
        action = self.client.acs.users.suspend if suspended else self.client.acs.users.unsuspend
        operation = "suspend_acs_user" if suspended else "unsuspend_acs_user"
        self.require_writable(operation, params)
        before = current or await self._before(lambda: self.client.acs.users.get(**params))
        await self.change(
            operation,
            with_context(params, before),
            lambda: action(**params),
            names=await self._names(before),
            changes=suspension_change(before, suspended),
        )
        return await self.client.acs.users.get(**params)

    async def delete_acs_user(self, target: AcsUserTarget) -> AcsUser:
        """Delete an ACS user (its credentials stop working); returns what was deleted."""
        self.require_writable("delete_acs_user")
        params = target.to_params()
        user = await self.client.acs.users.get(**params)
        ids = with_context({"acs_user_id": user.acs_user_id}, user)
        if is_being_deleted(user):
            raise self._already_deleting("delete_acs_user", ids, "ACS user", user)
        await self.change(
            "delete_acs_user",
            ids,
            lambda: self.client.acs.users.delete(acs_user_id=user.acs_user_id),
            names=await self._names(user),
        )
        # The API may still show it (`deleting`) until the deletion reaches the access system.
        with contextlib.suppress(SeamError):  # gone (404), or only its state is unknown
            user = await self.client.acs.users.get(acs_user_id=user.acs_user_id)
        return user

    def _already_deleting(
        self, operation: str, ids: dict[str, Any], kind: str, obj: AcsUser | UserIdentity
    ) -> SeamConflictError:
        """The refusal (audited) of a write to an object whose deletion is still on its way."""
        since = next((p.since for p in pending_of(obj) if p.since is not None), None)
        when = f" (since {since.isoformat(timespec='seconds')})" if since else ""
        field = "acs_user_id" if kind == "ACS user" else "user_identity_id"
        message = (
            f"the {kind} is already being deleted{when}; nothing was sent. It is gone once "
            "the deletion reaches the access system: read it again later to see it gone"
        )
        self.record_refusal(operation, ids, message, names=names_of(obj))
        return refused(field, message)

    async def list_acs_user_credentials(self, acs_user_id: str) -> list[AcsCredential]:
        """The credentials (mobile keys, PIN codes, cards) the ACS user holds."""
        return [c async for c in self.client.acs.credentials.iterate(acs_user_id=acs_user_id)]

    async def list_acs_user_access_groups(self, acs_user_id: str) -> list[AcsAccessGroup]:
        """The access groups the ACS user is a member of."""
        return await self.client.acs.access_groups.list(acs_user_id=acs_user_id)

    async def change_acs_user_access_groups(
        self, acs_user_id: str, *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> AccessGroupChanges:
        """Add the ACS user to `add` and remove it from `remove`, group by group.

        Refused up front in a read-only workspace; after that a failing group is recorded in
        `failed` and the others still go ahead, one audit entry per group.
        """
        changes = AccessGroupChanges(acs_user_id=acs_user_id)
        users = self.client.acs.users
        steps = [(group_id, True) for group_id in add] + [(group_id, False) for group_id in remove]
        intent = f"add to {len(add)} access group(s), remove from {len(remove)}: " + ", ".join(
            f"{'+' if adding else '-'}{group_id}" for group_id, adding in steps
        )
        self.require_writable("change_acs_user_access_groups", {"acs_user_id": acs_user_id})
        names = await self._group_names(acs_user_id, {*add, *remove})
        async with self.steps(
            "change_acs_user_access_groups", {"acs_user_id": acs_user_id}, intent, names=names
        ) as run:
            for group_id, adding in steps:
                call = partial(
                    users.add_to_access_group if adding else users.remove_from_access_group,
                    acs_user_id=acs_user_id,
                    acs_access_group_id=group_id,
                )
                operation = (
                    "add_acs_user_to_access_group"
                    if adding
                    else "remove_acs_user_from_access_group"
                )
                ids = {"acs_user_id": acs_user_id, "acs_access_group_id": group_id}
                try:
                    await self.change(operation, ids, call, names=names)
                except AuditWriteError:
                    raise
                except SeamError as exc:
                    changes.failed[group_id] = str(exc)
                else:
                    (changes.added if adding else changes.removed).append(group_id)
            done = len(changes.added) + len(changes.removed)
            run.outcome = "ok" if not changes.failed else "partial" if done else "error"
            run.detail = f"{done} done, {len(changes.failed)} failed" if changes.failed else None
        return changes

    async def _group_names(self, acs_user_id: str, group_ids: set[str]) -> dict[str, str]:
        """The names of the ACS user, its identity, its system and the groups in `group_ids`."""
        user = await self._before(lambda: self.client.acs.users.get(acs_user_id=acs_user_id))
        if user is None:
            return {}
        groups = await self._before(
            lambda: self.client.acs.access_groups.list(acs_system_id=user.acs_system_id)
        )
        named = [g for g in groups or [] if g.acs_access_group_id in group_ids]
        return await self._names(user, *named)


def with_context(ids: dict[str, Any], user: AcsUser | None) -> dict[str, Any]:
    """`ids` of a change to `user` with its identity and system added (when known), so its
    audit line says whose account it was and where, and Enter in Activity opens the person."""
    if user is None:
        return ids
    context = {"user_identity_id": user.user_identity_id, "acs_system_id": user.acs_system_id}
    return ids | {k: v for k, v in context.items() if v and k not in ids}


# How link and suspension state are decided ("all" keeps every ACS user: not listed).
_ACS_USER_FILTERS: dict[str, Callable[[AcsUser], bool]] = {
    "linked": lambda u: bool(u.user_identity_id),
    "unlinked": lambda u: not u.user_identity_id,
    "suspended": lambda u: bool(u.is_suspended),
}


def in_filter(user: AcsUser, status: AcsUserFilter) -> bool:
    """Whether `user` belongs under `status` (the rule `list_acs_users` filters by)."""
    keep = _ACS_USER_FILTERS.get(status)
    return keep is None or keep(user)
