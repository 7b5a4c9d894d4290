"""The operations both front ends call: whole tasks over the client, each change audited.

A TUI key, a palette command and an MCP tool are thin calls into one method here. Writes are
refused up front in a read-only workspace; multi-step operations report exactly what was done.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from seam_tui.core import identity_create, identity_plan
from seam_tui.core.access import AccessService
from seam_tui.core.acs_user_ops import AcsUserOperations, with_context
from seam_tui.core.audit import AuditLog
from seam_tui.core.audit_names import field_changes, names_of
from seam_tui.core.changes import FrontEnd
from seam_tui.core.client import SeamClient
from seam_tui.core.errors import (
    SeamConflictError,
    SeamError,
    refused,
)
from seam_tui.core.inputs import (
    LinkAcsUser,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.models import (
    AcsAccessGroup,
    AcsUser,
    Page,
    UserIdentity,
    Workspace,
)
from seam_tui.core.resources import NULL
from seam_tui.core.results import (
    CreateIdentityResult,
    CreatePlan,
    DeletionPlan,
    IdentityDetail,
    LinkSuggestion,
    SystemSummary,
    UndoReport,
)
from seam_tui.core.settling import (
    Settled,
    SettlingKind,
    is_being_deleted,
    wait_until_settled,
)
from seam_tui.visible import quoted

T = TypeVar("T")

# How many candidates a suggestion search looks at per email or phone.
MAX_SUGGESTION_CANDIDATES = 500

_CONFLICT_FIELDS = ("user_identity_key", "email_address", "phone_number")


class SeamService(AcsUserOperations):
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
        super().__init__(workspace=workspace, front_end=front_end, audit=audit, read_only=read_only)
        self.client = client
        self.audit.add_redactor(client.redact)
        self._systems = None
        self._workspace: Workspace | None = None
        self.access = AccessService(self)

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

    async def wait_until_settled(
        self,
        kind: SettlingKind,
        object_id: str,
        *,
        timeout: float,  # noqa: ASYNC109 (a bound on polling, named by the contract)
        first_delay: float = 0.25,
        max_delay: float = 2.0,
    ) -> Settled:
        """Re-read an ACS user or identity (with backoff) until its pending changes have
        settled, it is gone (`obj` None), or `timeout` seconds have passed (`settled` False).
        A settling it watched is recorded for our change that caused it (`record_seen_settled`)."""
        result = await wait_until_settled(
            self.client,
            kind,
            object_id,
            timeout=timeout,
            first_delay=first_delay,
            max_delay=max_delay,
        )
        if result.settled and result.was_pending:
            error = "; ".join(result.errors) if result.errors else None
            self.record_seen_settled(object_id, error=error)
        return result

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

    async def plan_identity_creation(
        self, data: UserIdentityCreate, *, link_acs_user_id: str | None = None
    ) -> CreatePlan:
        """What creating this identity would do per system, and what stops it (no change)."""
        return await identity_plan.plan_identity_creation(
            self, data, link_acs_user_id=link_acs_user_id
        )

    async def create_identity(self, data: UserIdentityCreate | CreatePlan) -> CreateIdentityResult:
        """Create an identity with an ACS user in each chosen system, after checking them all
        (refused with every problem, nothing done); the result says what was done where."""
        return await identity_create.create_identity(self, data)

    async def finish_identity_creation(self, result: CreateIdentityResult) -> CreateIdentityResult:
        """Retry the systems that failed in `result`; returns the whole result as it now is."""
        return await identity_create.finish_identity_creation(self, result)

    async def undo_identity_creation(self, result: CreateIdentityResult) -> UndoReport:
        """Unlink what `result` linked, then delete the identity and what it created."""
        return await identity_create.undo_identity_creation(self, result)

    async def update_identity(self, data: UserIdentityUpdate) -> UserIdentity:
        """Change an identity's fields (None clears one) and return it as it is now."""
        params = data.to_params()
        identity_id = params.pop("user_identity_id")
        ids = {"user_identity_id": identity_id}
        self.require_writable("update_user_identity", ids)
        before = await self._before(
            lambda: self.client.user_identities.get(user_identity_id=identity_id)
        )

        async def update() -> None:
            try:
                await self.client.user_identities.update(
                    user_identity_id=identity_id,
                    **{k: (NULL if v is None else v) for k, v in params.items()},
                )
            except SeamConflictError as exc:
                raise await self._explain_conflict(exc, params) from None

        await self.change(
            "update_user_identity",
            ids,
            update,
            names=names_of(before),
            changes=field_changes(before, params),
        )
        return await self.client.user_identities.get(user_identity_id=identity_id)

    async def plan_identity_deletion(self, user_identity_id: str) -> DeletionPlan:
        """What deleting this identity would remove (nothing is changed)."""
        identity, acs_users = await asyncio.gather(
            self.client.user_identities.get(user_identity_id=user_identity_id),
            self.client.user_identities.list_acs_users(user_identity_id=user_identity_id),
        )
        return DeletionPlan(identity=identity, acs_users=acs_users)

    async def delete_identity(
        self, user_identity_id: str, *, expected_acs_user_ids: Sequence[str] | None = None
    ) -> DeletionPlan:
        """Delete an identity and, with it, its ACS users; returns what was removed.

        With `expected_acs_user_ids`, refuse (nothing sent) unless those are exactly its ACS
        users now, so an undo never takes an ACS user linked since with it."""
        self.require_writable("delete_user_identity")
        plan = await self.plan_identity_deletion(user_identity_id)
        ids = {"user_identity_id": user_identity_id}
        if plan.acs_users:
            ids["acs_user_ids"] = ",".join(u.acs_user_id for u in plan.acs_users)
        if is_being_deleted(plan.identity):
            raise self._already_deleting("delete_user_identity", ids, "identity", plan.identity)
        if expected_acs_user_ids is not None:
            self._check_expected(plan, set(expected_acs_user_ids), ids)
        await self.change(
            "delete_user_identity",
            ids,
            lambda: self.client.user_identities.delete(user_identity_id=user_identity_id),
            names=names_of(plan.identity, *plan.acs_users),
        )
        # The API may still show it, `being_deleted`, until the deletion reaches every system.
        with contextlib.suppress(SeamError):  # gone (404), or only its state is unknown
            plan.identity = await self.get_identity(user_identity_id)
        return plan

    def _check_expected(self, plan: DeletionPlan, expected: set[str], ids: dict[str, str]) -> None:
        actual = {u.acs_user_id for u in plan.acs_users}
        if actual == expected:
            return
        extra = ", ".join(sorted(actual - expected)) or "none"
        gone = ", ".join(sorted(expected - actual)) or "none"
        message = (
            f"the identity's ACS users are not the expected ones (also linked now: {extra}; "
            f"expected but not linked: {gone}), so deleting it would take other ACS users "
            "with it; nothing was deleted. Unlink any ACS user to keep (link_acs_user with "
            "unlink true), then call again with the ACS user ids it has."
        )
        self.record_refusal("delete_user_identity", ids, message, names=names_of(plan.identity))
        raise refused("expected_acs_user_ids", message)

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
        message = f"{label} {quoted(value)} is already used"
        if owner is not None:
            message += f" by identity {quoted(owner.display_name)} ({owner.user_identity_id})"
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
        if is_being_deleted(user):
            ids = {"user_identity_id": data.user_identity_id, "acs_user_id": data.acs_user_id}
            raise self._already_deleting("link_acs_user", ids, "ACS user", user)
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
        identity = await self._before(
            lambda: self.client.user_identities.get(user_identity_id=data.user_identity_id)
        )
        await self.change(
            "link_acs_user",
            with_context(
                {"user_identity_id": data.user_identity_id, "acs_user_id": data.acs_user_id}, user
            ),
            lambda: self.client.user_identities.add_acs_user(
                user_identity_id=data.user_identity_id, acs_user_id=data.acs_user_id
            ),
            names=await self._names(identity, user),
        )
        return await self.client.acs.users.get(acs_user_id=data.acs_user_id)

    async def unlink_acs_user(self, data: LinkAcsUser) -> AcsUser:
        """Unlink an ACS user from its identity (the ACS user itself stays)."""
        ids = {"user_identity_id": data.user_identity_id, "acs_user_id": data.acs_user_id}
        self.require_writable("unlink_acs_user", ids)
        user = await self._before(lambda: self.client.acs.users.get(acs_user_id=data.acs_user_id))
        await self.change(
            "unlink_acs_user",
            with_context(ids, user),
            lambda: self.client.user_identities.remove_acs_user(
                user_identity_id=data.user_identity_id, acs_user_id=data.acs_user_id
            ),
            names=await self._names(user),
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
                if is_being_deleted(user):
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
