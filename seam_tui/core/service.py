"""The operations both front ends call: whole tasks over the client, each change audited.

A TUI key, a palette command and an MCP tool are thin calls into one method here. Writes are
refused up front in a read-only workspace; multi-step operations report exactly what was done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from seam_tui.core.access import AccessService
from seam_tui.core.audit import AuditLog, Outcome
from seam_tui.core.client import SeamClient
from seam_tui.core.errors import (
    SeamConflictError,
    SeamError,
    SeamReadOnlyError,
    SeamServerError,
    SeamTransportError,
)
from seam_tui.core.inputs import (
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsSystem,
    AcsUser,
    Page,
    Pagination,
    UserIdentity,
    Workspace,
)
from seam_tui.core.resources import NULL
from seam_tui.core.results import (
    AccessGroupChanges,
    AcsUserFilter,
    CreateIdentityResult,
    DeletionPlan,
    IdentityDetail,
    LinkSuggestion,
    SystemOutcome,
    SystemSummary,
)

T = TypeVar("T")
FrontEnd = Literal["tui", "mcp", "cli", "script"]

# How many API pages a filtered ACS-user listing reads before returning a short page.
MAX_FILTER_PAGES = 20
# How many candidates a suggestion search looks at per email or phone.
MAX_SUGGESTION_CANDIDATES = 500

_CONFLICT_FIELDS = ("user_identity_key", "email_address", "phone_number")


class SeamService:
    """Whole operations on one workspace, bound to one client (one set of credentials)."""

    def __init__(
        self,
        client: SeamClient,
        *,
        workspace: str,
        front_end: FrontEnd,
        audit: AuditLog | None = None,
        read_only: bool = False,
    ) -> None:
        self.client = client
        self.workspace = workspace
        self.front_end = front_end
        self.audit = audit or AuditLog()
        self.audit.add_redactor(client.redact)
        self.read_only = read_only
        self._systems: dict[str, AcsSystem] | None = None
        self._workspace: Workspace | None = None
        self.access = AccessService(self)

    # ----------------------------------------------------------------- plumbing

    def require_writable(self, operation: str) -> None:
        if self.read_only:
            raise SeamReadOnlyError(
                f"{operation} refused: workspace {self.workspace!r} is read-only. "
                "Switch to a writable profile (or drop --read-only) to make changes."
            )

    def _record(
        self, operation: str, ids: dict[str, Any], outcome: Outcome, detail: str | None = None
    ) -> None:
        self.audit.record(
            front_end=self.front_end,
            workspace=self.workspace,
            operation=operation,
            ids=ids,
            outcome=outcome,
            detail=detail,
        )

    async def change(
        self, operation: str, ids: dict[str, Any], action: Callable[[], Awaitable[T]]
    ) -> T:
        """Run one write: refuse it when read-only, audit its outcome either way."""
        self.require_writable(operation)
        try:
            result = await action()
        except SeamError as exc:
            self._record(operation, ids, "error", str(exc))
            raise
        self._record(operation, ids, "ok")
        return result

    def record_dry_run(self, operation: str, ids: dict[str, Any], preview: str) -> None:
        """Audit a previewed change (outcome `dry_run`): what it would have done, nothing done."""
        self._record(operation, ids, "dry_run", preview)

    def invalidate(self) -> None:
        """Forget cached systems and workspace (after a change elsewhere)."""
        self._systems = None
        self._workspace = None

    # ---------------------------------------------------------------- workspace

    async def current_workspace(self) -> Workspace:
        """The workspace the client's credentials act in (cached)."""
        if self._workspace is None:
            self._workspace = await self.client.workspaces.get()
        return self._workspace

    async def systems_by_id(self, *, refresh: bool = False) -> dict[str, AcsSystem]:
        """Every ACS system in the workspace by id (cached; the list is small and unpaginated)."""
        if self._systems is None or refresh:
            systems = await self.client.acs.systems.list()
            self._systems = {s.acs_system_id: s for s in systems}
        return self._systems

    async def list_systems(self) -> list[SystemSummary]:
        """ACS systems with their user counts (counted by listing when the API omits them)."""
        systems = await self.systems_by_id(refresh=True)
        summaries = []
        for system in systems.values():
            count = system.acs_user_count
            if count is None:
                count = 0
                async for _ in self.client.acs.users.iterate(acs_system_id=system.acs_system_id):
                    count += 1
            summaries.append(SystemSummary(system=system, acs_user_count=count))
        return summaries

    async def list_access_groups(self, acs_system_id: str | None = None) -> list[AcsAccessGroup]:
        """Access groups, all or in one system."""
        return await self.client.acs.access_groups.list(acs_system_id=acs_system_id)

    # --------------------------------------------------------------- identities

    async def search_identities(
        self, search: str | None = None, *, limit: int = 50, cursor: str | None = None
    ) -> Page[UserIdentity]:
        """One page of identities whose name, email, phone or id contains `search`."""
        return await self.client.user_identities.list(
            search=search or None, limit=limit, page_cursor=cursor
        )

    async def get_identity(self, user_identity_id: str) -> UserIdentity:
        """One identity as it is now."""
        return await self.client.user_identities.get(user_identity_id=user_identity_id)

    async def get_identity_detail(self, user_identity_id: str) -> IdentityDetail:
        """An identity with its ACS users and their systems: two requests plus a cached list."""
        identity, acs_users, systems = await asyncio.gather(
            self.client.user_identities.get(user_identity_id=user_identity_id),
            self.client.user_identities.list_acs_users(user_identity_id=user_identity_id),
            self.systems_by_id(),
        )
        return IdentityDetail(identity=identity, acs_users=acs_users, systems=systems)

    async def create_identity(self, data: UserIdentityCreate) -> CreateIdentityResult:
        """Create an identity, then an ACS user in each chosen system (linking a match if any).

        Systems are handled one by one so that a failure in one is reported without hiding what
        already exists; the result says how to finish (retry) or undo (delete).
        """
        params = data.to_params()
        system_ids: list[str] = params.pop("acs_system_ids", None) or []
        ids: dict[str, Any] = {}

        async def create() -> UserIdentity:
            try:
                identity = await self.client.user_identities.create(**params)
            except SeamConflictError as exc:
                raise await self._explain_conflict(exc, params) from None
            ids["user_identity_id"] = identity.user_identity_id
            return identity

        identity = await self.change("create_user_identity", ids, create)
        outcomes = await self.add_acs_users_for_identity(identity, system_ids)
        if outcomes:
            identity = await self.client.user_identities.get(
                user_identity_id=identity.user_identity_id
            )
        return CreateIdentityResult(identity=identity, outcomes=outcomes)

    async def add_acs_users_for_identity(
        self, identity: UserIdentity, acs_system_ids: list[str]
    ) -> list[SystemOutcome]:
        """Give the identity an ACS user in each system: link an unlinked match, else create one."""
        self.require_writable("add_acs_users_for_identity")
        systems = await self.systems_by_id()
        outcomes = []
        for system_id in acs_system_ids:
            name = systems[system_id].name if system_id in systems else system_id
            try:
                outcomes.append(await self._ensure_acs_user(identity, system_id, name))
            except (SeamError, ValidationError) as exc:
                error = " ".join([str(exc), *getattr(exc, "__notes__", ())])
                outcomes.append(
                    SystemOutcome(
                        acs_system_id=system_id, system_name=name, status="failed", error=error
                    )
                )
        return outcomes

    async def _ensure_acs_user(
        self, identity: UserIdentity, system_id: str, system_name: str
    ) -> SystemOutcome:
        existing = await self.client.acs.users.list(
            user_identity_id=identity.user_identity_id, acs_system_id=system_id, limit=1
        )
        if existing.items:
            user = existing.items[0]
            return SystemOutcome(
                acs_system_id=system_id,
                system_name=system_name,
                status="linked",
                acs_user_id=user.acs_user_id,
            )
        matches = await self._unlinked_matches(identity, acs_system_id=system_id)
        if matches:
            match = matches[0]
            try:
                await self.link_acs_user(
                    LinkAcsUser(
                        user_identity_id=identity.user_identity_id,
                        acs_user_id=match.acs_user.acs_user_id,
                    )
                )
            except (SeamServerError, SeamTransportError) as exc:
                await self._applied_anyway(identity, system_id, exc)
            return SystemOutcome(
                acs_system_id=system_id,
                system_name=system_name,
                status="linked",
                acs_user_id=match.acs_user.acs_user_id,
            )
        try:
            created = await self.create_acs_user(
                AcsUserCreate(
                    acs_system_id=system_id,
                    full_name=identity.full_name
                    or identity.display_name
                    or identity.user_identity_id,
                    email_address=identity.email_address,
                    phone_number=identity.phone_number,
                    user_identity_id=identity.user_identity_id,
                )
            )
        except (SeamServerError, SeamTransportError) as exc:
            created = await self._applied_anyway(identity, system_id, exc)
        return SystemOutcome(
            acs_system_id=system_id,
            system_name=system_name,
            status="created",
            acs_user_id=created.acs_user_id,
        )

    async def _applied_anyway(
        self, identity: UserIdentity, system_id: str, exc: SeamError
    ) -> AcsUser:
        """After a 5xx or a lost answer, the write may have been applied: look, so the outcome
        says what exists. Returns the identity's ACS user in the system, or re-raises `exc`
        with a note saying whether it was checked."""
        try:
            page = await self.client.acs.users.list(
                user_identity_id=identity.user_identity_id, acs_system_id=system_id, limit=1
            )
        except SeamError as check:
            exc.add_note(f"(could not check afterwards whether it was applied: {check})")
            raise exc from None
        if page.items:
            return page.items[0]
        exc.add_note("(checked afterwards: it was not created)")
        raise exc

    async def update_identity(self, data: UserIdentityUpdate) -> UserIdentity:
        """Change an identity's fields (None clears one) and return it as it is now."""
        params = data.to_params()
        identity_id = params.pop("user_identity_id")

        async def update() -> None:
            try:
                await self.client.user_identities.update(
                    user_identity_id=identity_id,
                    **{k: (NULL if v is None else v) for k, v in params.items()},
                )
            except SeamConflictError as exc:
                raise await self._explain_conflict(exc, params) from None

        await self.change("update_user_identity", {"user_identity_id": identity_id}, update)
        return await self.client.user_identities.get(user_identity_id=identity_id)

    async def plan_identity_deletion(self, user_identity_id: str) -> DeletionPlan:
        """What deleting this identity would remove (nothing is changed)."""
        identity, acs_users = await asyncio.gather(
            self.client.user_identities.get(user_identity_id=user_identity_id),
            self.client.user_identities.list_acs_users(user_identity_id=user_identity_id),
        )
        return DeletionPlan(identity=identity, acs_users=acs_users)

    async def delete_identity(self, user_identity_id: str) -> DeletionPlan:
        """Delete an identity and, with it, its ACS users; returns what was removed."""
        self.require_writable("delete_user_identity")
        plan = await self.plan_identity_deletion(user_identity_id)
        ids = {"user_identity_id": user_identity_id}
        if plan.acs_users:
            ids["acs_user_ids"] = ",".join(u.acs_user_id for u in plan.acs_users)
        await self.change(
            "delete_user_identity",
            ids,
            lambda: self.client.user_identities.delete(user_identity_id=user_identity_id),
        )
        return plan

    async def _explain_conflict(
        self, exc: SeamConflictError, params: dict[str, Any]
    ) -> SeamConflictError:
        """Name the field and the identity that already holds the value, when it can be found."""
        field = next((f for f in _CONFLICT_FIELDS if f in exc.type or f in exc.message), None)
        if field is None:
            field = next((f for f in _CONFLICT_FIELDS if f.split("_")[0] in exc.type), None)
        value = params.get(field) if field else None
        if not field or not isinstance(value, str):
            return exc
        owner = await self._identity_holding(field, value)
        label = field.replace("_", " ")
        message = f"{label} {value} is already used"
        if owner is not None:
            message += f" by identity {owner.display_name} ({owner.user_identity_id})"
        message += f"; choose another {label} or update that identity instead"
        return SeamConflictError(
            message,
            status=exc.status,
            type=exc.type,
            request_id=exc.request_id,
            field_errors={field: [message]},
            data={"user_identity_id": owner.user_identity_id} if owner else exc.data,
        )

    async def _identity_holding(self, field: str, value: str) -> UserIdentity | None:
        try:
            if field == "user_identity_key":
                return await self.client.user_identities.get(user_identity_key=value)
            page = await self.client.user_identities.list(search=value, limit=50)
        except SeamError:
            return None
        wanted = value.casefold()
        for identity in page.items:
            held = getattr(identity, field)
            if isinstance(held, str) and held.casefold() == wanted:
                return identity
        return None

    # ------------------------------------------------------------------ linking

    async def link_acs_user(self, data: LinkAcsUser) -> AcsUser:
        """Link an ACS user to an identity; linking it to its own identity again is a no-op."""
        self.require_writable("link_acs_user")
        user = await self.client.acs.users.get(acs_user_id=data.acs_user_id)
        if user.user_identity_id == data.user_identity_id:
            return user
        if user.user_identity_id:
            owner = user.user_identity_full_name or user.user_identity_email_address or ""
            raise SeamConflictError(
                f"ACS user {user.display_name or user.acs_user_id} is already linked to identity "
                f"{owner} ({user.user_identity_id}); unlink it from that identity first",
                status=409,
                type="acs_user_already_linked",
                field_errors={"acs_user_id": ["already linked to another identity"]},
                data={"user_identity_id": user.user_identity_id},
            )
        await self.change(
            "link_acs_user",
            {"user_identity_id": data.user_identity_id, "acs_user_id": data.acs_user_id},
            lambda: self.client.user_identities.add_acs_user(
                user_identity_id=data.user_identity_id, acs_user_id=data.acs_user_id
            ),
        )
        return await self.client.acs.users.get(acs_user_id=data.acs_user_id)

    async def unlink_acs_user(self, data: LinkAcsUser) -> AcsUser:
        """Unlink an ACS user from its identity (the ACS user itself stays)."""
        await self.change(
            "unlink_acs_user",
            {"user_identity_id": data.user_identity_id, "acs_user_id": data.acs_user_id},
            lambda: self.client.user_identities.remove_acs_user(
                user_identity_id=data.user_identity_id, acs_user_id=data.acs_user_id
            ),
        )
        return await self.client.acs.users.get(acs_user_id=data.acs_user_id)

    async def suggest_acs_user_links(self, user_identity_id: str) -> list[LinkSuggestion]:
        """Unlinked ACS users with the identity's email or phone, in systems it has no user in."""
        identity, linked = await asyncio.gather(
            self.client.user_identities.get(user_identity_id=user_identity_id),
            self.client.user_identities.list_acs_users(user_identity_id=user_identity_id),
        )
        taken = {u.acs_system_id for u in linked}
        return [
            s
            for s in await self._unlinked_matches(identity)
            if s.acs_user.acs_system_id not in taken
        ]

    async def _unlinked_matches(
        self, identity: UserIdentity, *, acs_system_id: str | None = None
    ) -> list[LinkSuggestion]:
        found: dict[str, tuple[AcsUser, list[Literal["email_address", "phone_number"]]]] = {}
        fields: tuple[Literal["email_address", "phone_number"], ...] = (
            "email_address",
            "phone_number",
        )
        for field in fields:
            value = getattr(identity, field)
            if not value:
                continue
            seen = 0
            async for user in self.client.acs.users.iterate(
                search=value, acs_system_id=acs_system_id, limit=100
            ):
                seen += 1
                if seen > MAX_SUGGESTION_CANDIDATES:
                    break
                held = getattr(user, field)
                if user.user_identity_id or not held or held.casefold() != value.casefold():
                    continue
                entry = found.setdefault(user.acs_user_id, (user, []))
                entry[1].append(field)
        systems = await self.systems_by_id()
        return [
            LinkSuggestion(
                acs_user=user,
                system_name=systems[user.acs_system_id].name
                if user.acs_system_id in systems
                else user.acs_system_id,
                matched_on=matched,
            )
            for user, matched in found.values()
        ]

    # ---------------------------------------------------------------- ACS users

    async def list_acs_users(
        self,
        *,
        acs_system_id: str | None = None,
        status: AcsUserFilter = "all",
        search: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[AcsUser]:
        """A page of ACS users, filtered by link or suspension state on our side.

        The API cannot filter by state, so filtered pages are gathered from up to
        MAX_FILTER_PAGES API pages and may come back shorter than `limit`; follow the cursor.
        """
        if status == "all":
            return await self.client.acs.users.list(
                acs_system_id=acs_system_id, search=search or None, limit=limit, page_cursor=cursor
            )
        keep = _ACS_USER_FILTERS[status]
        items: list[AcsUser] = []
        for _ in range(MAX_FILTER_PAGES):
            page = await self.client.acs.users.list(
                acs_system_id=acs_system_id, search=search or None, limit=limit, page_cursor=cursor
            )
            items.extend(u for u in page.items if keep(u))
            cursor = page.next_page_cursor if page.has_next_page else None
            if cursor is None or len(items) >= limit:
                break
        return Page(
            items=items,
            pagination=Pagination(has_next_page=cursor is not None, next_page_cursor=cursor),
        )

    async def get_acs_user(self, target: AcsUserTarget) -> AcsUser:
        """One ACS user, by id or by identity + system."""
        return await self.client.acs.users.get(**target.to_params())

    async def create_acs_user(self, data: AcsUserCreate) -> AcsUser:
        """Create an ACS user in a system, optionally linked to an identity."""
        ids: dict[str, Any] = {"acs_system_id": data.acs_system_id}
        if data.user_identity_id:
            ids["user_identity_id"] = data.user_identity_id

        async def create() -> AcsUser:
            user = await self.client.acs.users.create(**data.to_params())
            ids["acs_user_id"] = user.acs_user_id
            return user

        return await self.change("create_acs_user", ids, create)

    async def update_acs_user(self, data: AcsUserUpdate) -> AcsUser:
        """Change an ACS user's name, email, phone or schedule and return it as it is now."""
        params = data.to_params()
        target: dict[str, Any] = {
            k: params.pop(k)
            for k in ("acs_user_id", "user_identity_id", "acs_system_id")
            if k in params
        }
        changes: dict[str, Any] = {k: (NULL if v is None else v) for k, v in params.items()}
        await self.change(
            "update_acs_user",
            target,
            lambda: self.client.acs.users.update(**target, **changes),
        )
        return await self.client.acs.users.get(**target)

    async def set_acs_user_suspended(self, target: AcsUserTarget, suspended: bool) -> AcsUser:
        """Suspend (temporarily revoke) or unsuspend an ACS user; returns it as it is now."""
        params = target.to_params()
        action = self.client.acs.users.suspend if suspended else self.client.acs.users.unsuspend
        operation = "suspend_acs_user" if suspended else "unsuspend_acs_user"
        await self.change(operation, params, lambda: action(**params))
        return await self.client.acs.users.get(**params)

    async def delete_acs_user(self, target: AcsUserTarget) -> AcsUser:
        """Delete an ACS user (its credentials stop working); returns what was deleted."""
        self.require_writable("delete_acs_user")
        params = target.to_params()
        user = await self.client.acs.users.get(**params)
        await self.change(
            "delete_acs_user",
            {"acs_user_id": user.acs_user_id},
            lambda: self.client.acs.users.delete(acs_user_id=user.acs_user_id),
        )
        return user

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
        self.require_writable("change_acs_user_access_groups")
        changes = AccessGroupChanges(acs_user_id=acs_user_id)
        users = self.client.acs.users
        steps = [(group_id, True) for group_id in add] + [(group_id, False) for group_id in remove]
        for group_id, adding in steps:
            call = partial(
                users.add_to_access_group if adding else users.remove_from_access_group,
                acs_user_id=acs_user_id,
                acs_access_group_id=group_id,
            )
            operation = (
                "add_acs_user_to_access_group" if adding else "remove_acs_user_from_access_group"
            )
            ids = {"acs_user_id": acs_user_id, "acs_access_group_id": group_id}
            try:
                await self.change(operation, ids, call)
            except SeamError as exc:
                changes.failed[group_id] = str(exc)
            else:
                (changes.added if adding else changes.removed).append(group_id)
        return changes


_ACS_USER_FILTERS: dict[str, Callable[[AcsUser], bool]] = {
    "linked": lambda u: bool(u.user_identity_id),
    "unlinked": lambda u: not u.user_identity_id,
    "suspended": lambda u: bool(u.is_suspended),
}
