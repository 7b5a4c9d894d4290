"""The client's namespaces: one method per endpoint, named and parametrised like the API.

As in the official SDK, a parameter left as None is not sent; pass `NULL` to send JSON null
(which clears a nullable field on update). Ok-only endpoints return None.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from seam_tui.core.errors import SeamInvalidResponseError
from seam_tui.core.models import (
    AccessSchedule,
    AcsAccessGroup,
    AcsSystem,
    AcsUser,
    Page,
    Pagination,
    SeamModel,
    UserIdentity,
    Workspace,
)

if TYPE_CHECKING:
    from seam_tui.core.client import SeamClient


class _Null:
    """Sentinel for an explicit JSON null (clears a nullable field)."""

    _instance: _Null | None = None

    def __new__(cls) -> _Null:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NULL"

    def __bool__(self) -> bool:
        return False


NULL: Final = _Null()

M = TypeVar("M", bound=SeamModel)
Nullable = _Null | None


class _Requester(Protocol):
    async def request(
        self, path: str, params: Mapping[str, Any] | None = None, *, is_write: bool
    ) -> dict[str, Any]: ...

    async def request_content(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        sent: asyncio.Event | None = None,
    ) -> bytes: ...


def _encode(value: Any) -> Any:
    if isinstance(value, _Null):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return {k: _encode(v) for k, v in value.model_dump(exclude_none=True).items()}
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _body(**params: Any) -> dict[str, Any]:
    """The JSON body: None means "not given" and is dropped; NULL becomes null."""
    return {k: _encode(v) for k, v in params.items() if v is not None}


def _one(model: type[M], data: dict[str, Any], key: str, path: str) -> M:
    try:
        return model.model_validate(data[key])
    except (KeyError, ValidationError) as exc:
        raise SeamInvalidResponseError(
            f"{path}: unexpected response shape for {key!r} ({type(exc).__name__})", status=200
        ) from None


def _many(model: type[M], data: dict[str, Any], key: str, path: str) -> list[M]:
    try:
        return [model.model_validate(item) for item in data[key]]
    except (KeyError, TypeError, ValidationError) as exc:
        raise SeamInvalidResponseError(
            f"{path}: unexpected response shape for {key!r} ({type(exc).__name__})", status=200
        ) from None


@cache
def _page_model(model: type[SeamModel], key: str) -> type[BaseModel]:
    """A model of one list response (`key` items plus `pagination`), parsed in one pass."""
    fields: dict[str, Any] = {
        key: (builtins.list[model], ...),  # type: ignore[valid-type]
        "pagination": (Pagination | None, None),
    }
    return create_model(
        f"{model.__name__}ListResponse", __config__=ConfigDict(extra="ignore"), **fields
    )


class _CursorOnly(BaseModel):
    """Just the pagination of a list response: a tenth of the cost of parsing the items."""

    model_config = ConfigDict(extra="ignore")
    pagination: Pagination | None = None


def _next_cursor(content: bytes, path: str) -> str | None:
    try:
        pagination = _CursorOnly.model_validate_json(content).pagination
    except ValidationError:
        raise SeamInvalidResponseError(
            f"{path}: unexpected response shape for 'pagination'", status=200
        ) from None
    if pagination is None or not pagination.has_next_page:
        return None
    return pagination.next_page_cursor


def _page(model: type[M], content: bytes, key: str, path: str) -> Page[M]:
    """Bytes to models straight away: no intermediate dicts, the same checks."""
    try:
        parsed = _page_model(model, key).model_validate_json(content)
    except ValidationError as exc:
        raise SeamInvalidResponseError(
            f"{path}: unexpected response shape for {key!r} ({exc.error_count()} problems)",
            status=200,
        ) from None
    items: list[M] = getattr(parsed, key)
    pagination = getattr(parsed, "pagination", None) or Pagination()
    # Not `Page[M]`: pydantic keeps parametrized classes only weakly, so that would build a new
    # class (~1 ms) whenever the garbage collector had dropped the last one.
    page: Page[M] = Page.model_construct(items=items, pagination=pagination)
    return page


class _Namespace:
    def __init__(self, client: _Requester) -> None:
        self._client = client

    async def _read(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        return await self._client.request(path, params, is_write=False)

    async def _read_page(
        self, path: str, model: type[M], key: str, params: dict[str, Any]
    ) -> Page[M]:
        return _page(model, await self._client.request_content(path, params), key, path)

    async def _write(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        return await self._client.request(path, params, is_write=True)

    async def _iterate(
        self, path: str, model: type[M], key: str, params: dict[str, Any]
    ) -> AsyncIterator[M]:
        """Follow cursors to the end, resending the same filters with each cursor.

        The next page is requested as soon as the current one's cursor is read, and its items
        are parsed only once that request is on the wire, so the server works meanwhile.
        """
        seen: set[str] = set()
        pending: asyncio.Task[bytes] | None = await self._prefetch(path, params)
        try:
            while pending is not None:
                content = await pending
                pending = None
                cursor = _next_cursor(content, path)
                if cursor is not None and cursor not in seen:
                    seen.add(cursor)
                    pending = await self._prefetch(path, {**params, "page_cursor": cursor})
                for item in _page(model, content, key, path).items:
                    yield item
        finally:
            if pending is not None:
                pending.cancel()

    async def _prefetch(self, path: str, params: dict[str, Any]) -> asyncio.Task[bytes]:
        """Start reading a page; return once the request is sent (or already answered)."""
        sent = asyncio.Event()
        task = asyncio.ensure_future(self._client.request_content(path, params, sent=sent))
        waiter = asyncio.ensure_future(sent.wait())
        try:
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            task.cancel()
            raise
        finally:
            waiter.cancel()
        return task


class UserIdentitiesNamespace(_Namespace):
    """`/user_identities/*`."""

    async def create(
        self,
        *,
        user_identity_key: str | None = None,
        email_address: str | None = None,
        phone_number: str | None = None,
        full_name: str | None = None,
        acs_system_ids: Sequence[str] | None = None,
    ) -> UserIdentity:
        path = "/user_identities/create"
        data = await self._write(
            path,
            _body(
                user_identity_key=user_identity_key,
                email_address=email_address,
                phone_number=phone_number,
                full_name=full_name,
                acs_system_ids=acs_system_ids,
            ),
        )
        return _one(UserIdentity, data, "user_identity", path)

    async def get(
        self, *, user_identity_id: str | None = None, user_identity_key: str | None = None
    ) -> UserIdentity:
        path = "/user_identities/get"
        data = await self._read(
            path, _body(user_identity_id=user_identity_id, user_identity_key=user_identity_key)
        )
        return _one(UserIdentity, data, "user_identity", path)

    async def list(
        self,
        *,
        search: str | None = None,
        user_identity_ids: Sequence[str] | None = None,
        credential_manager_acs_system_id: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[UserIdentity]:
        path = "/user_identities/list"
        return await self._read_page(
            path,
            UserIdentity,
            "user_identities",
            _body(
                search=search,
                user_identity_ids=user_identity_ids,
                credential_manager_acs_system_id=credential_manager_acs_system_id,
                created_before=created_before,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        search: str | None = None,
        user_identity_ids: Sequence[str] | None = None,
        credential_manager_acs_system_id: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[UserIdentity]:
        """Every matching identity, page after page."""
        return self._iterate(
            "/user_identities/list",
            UserIdentity,
            "user_identities",
            _body(
                search=search,
                user_identity_ids=user_identity_ids,
                credential_manager_acs_system_id=credential_manager_acs_system_id,
                created_before=created_before,
                limit=limit,
            ),
        )

    async def update(
        self,
        *,
        user_identity_id: str,
        user_identity_key: str | Nullable = None,
        email_address: str | Nullable = None,
        phone_number: str | Nullable = None,
        full_name: str | Nullable = None,
    ) -> None:
        await self._write(
            "/user_identities/update",
            _body(
                user_identity_id=user_identity_id,
                user_identity_key=user_identity_key,
                email_address=email_address,
                phone_number=phone_number,
                full_name=full_name,
            ),
        )

    async def delete(self, *, user_identity_id: str) -> None:
        await self._write("/user_identities/delete", _body(user_identity_id=user_identity_id))

    async def add_acs_user(
        self,
        *,
        acs_user_id: str,
        user_identity_id: str | None = None,
        user_identity_key: str | None = None,
    ) -> None:
        await self._write(
            "/user_identities/add_acs_user",
            _body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                user_identity_key=user_identity_key,
            ),
        )

    async def remove_acs_user(self, *, user_identity_id: str, acs_user_id: str) -> None:
        await self._write(
            "/user_identities/remove_acs_user",
            _body(user_identity_id=user_identity_id, acs_user_id=acs_user_id),
        )

    async def list_acs_users(self, *, user_identity_id: str) -> builtins.list[AcsUser]:
        path = "/user_identities/list_acs_users"
        data = await self._read(path, _body(user_identity_id=user_identity_id))
        return _many(AcsUser, data, "acs_users", path)

    async def list_acs_systems(self, *, user_identity_id: str) -> builtins.list[AcsSystem]:
        path = "/user_identities/list_acs_systems"
        data = await self._read(path, _body(user_identity_id=user_identity_id))
        return _many(AcsSystem, data, "acs_systems", path)


class AcsUsersNamespace(_Namespace):
    """`/acs/users/*`; target a user by `acs_user_id` or `user_identity_id` + `acs_system_id`."""

    async def create(
        self,
        *,
        acs_system_id: str,
        full_name: str,
        email_address: str | None = None,
        phone_number: str | None = None,
        user_identity_id: str | None = None,
        acs_access_group_ids: Sequence[str] | None = None,
        access_schedule: AccessSchedule | Mapping[str, Any] | None = None,
    ) -> AcsUser:
        path = "/acs/users/create"
        data = await self._write(
            path,
            _body(
                acs_system_id=acs_system_id,
                full_name=full_name,
                email_address=email_address,
                phone_number=phone_number,
                user_identity_id=user_identity_id,
                acs_access_group_ids=acs_access_group_ids,
                access_schedule=access_schedule,
            ),
        )
        return _one(AcsUser, data, "acs_user", path)

    async def get(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> AcsUser:
        path = "/acs/users/get"
        data = await self._read(
            path,
            _body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
            ),
        )
        return _one(AcsUser, data, "acs_user", path)

    async def list(
        self,
        *,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        user_identity_email_address: str | Nullable = None,
        user_identity_phone_number: str | Nullable = None,
        search: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
        page_cursor: str | None = None,
    ) -> Page[AcsUser]:
        path = "/acs/users/list"
        return await self._read_page(
            path,
            AcsUser,
            "acs_users",
            _body(
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                user_identity_email_address=user_identity_email_address,
                user_identity_phone_number=user_identity_phone_number,
                search=search,
                created_before=created_before,
                limit=limit,
                page_cursor=page_cursor,
            ),
        )

    def iterate(
        self,
        *,
        acs_system_id: str | None = None,
        user_identity_id: str | None = None,
        user_identity_email_address: str | Nullable = None,
        user_identity_phone_number: str | Nullable = None,
        search: str | None = None,
        created_before: datetime | str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[AcsUser]:
        """Every matching ACS user, page after page."""
        return self._iterate(
            "/acs/users/list",
            AcsUser,
            "acs_users",
            _body(
                acs_system_id=acs_system_id,
                user_identity_id=user_identity_id,
                user_identity_email_address=user_identity_email_address,
                user_identity_phone_number=user_identity_phone_number,
                search=search,
                created_before=created_before,
                limit=limit,
            ),
        )

    async def update(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
        full_name: str | None = None,
        email_address: str | Nullable = None,
        phone_number: str | Nullable = None,
        access_schedule: AccessSchedule | Mapping[str, Any] | Nullable = None,
    ) -> None:
        await self._write(
            "/acs/users/update",
            _body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
                full_name=full_name,
                email_address=email_address,
                phone_number=phone_number,
                access_schedule=access_schedule,
            ),
        )

    async def _target_write(
        self,
        action: str,
        acs_user_id: str | None,
        user_identity_id: str | None,
        acs_system_id: str | None,
    ) -> None:
        await self._write(
            f"/acs/users/{action}",
            _body(
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                acs_system_id=acs_system_id,
            ),
        )

    async def delete(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("delete", acs_user_id, user_identity_id, acs_system_id)

    async def suspend(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("suspend", acs_user_id, user_identity_id, acs_system_id)

    async def unsuspend(
        self,
        *,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        acs_system_id: str | None = None,
    ) -> None:
        await self._target_write("unsuspend", acs_user_id, user_identity_id, acs_system_id)

    async def add_to_access_group(self, *, acs_user_id: str, acs_access_group_id: str) -> None:
        await self._write(
            "/acs/users/add_to_access_group",
            _body(acs_user_id=acs_user_id, acs_access_group_id=acs_access_group_id),
        )

    async def remove_from_access_group(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/users/remove_from_access_group",
            _body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )


class AcsSystemsNamespace(_Namespace):
    """`/acs/systems/*` (lists are not paginated)."""

    async def list(
        self, *, connected_account_id: str | None = None, search: str | None = None
    ) -> builtins.list[AcsSystem]:
        path = "/acs/systems/list"
        data = await self._read(
            path, _body(connected_account_id=connected_account_id, search=search)
        )
        return _many(AcsSystem, data, "acs_systems", path)

    async def get(self, *, acs_system_id: str) -> AcsSystem:
        path = "/acs/systems/get"
        data = await self._read(path, _body(acs_system_id=acs_system_id))
        return _one(AcsSystem, data, "acs_system", path)


class AcsAccessGroupsNamespace(_Namespace):
    """`/acs/access_groups/*` (lists are not paginated)."""

    async def list(
        self,
        *,
        acs_system_id: str | None = None,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
        search: str | None = None,
    ) -> builtins.list[AcsAccessGroup]:
        path = "/acs/access_groups/list"
        data = await self._read(
            path,
            _body(
                acs_system_id=acs_system_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
                search=search,
            ),
        )
        return _many(AcsAccessGroup, data, "acs_access_groups", path)

    async def get(self, *, acs_access_group_id: str) -> AcsAccessGroup:
        path = "/acs/access_groups/get"
        data = await self._read(path, _body(acs_access_group_id=acs_access_group_id))
        return _one(AcsAccessGroup, data, "acs_access_group", path)

    async def list_users(self, *, acs_access_group_id: str) -> builtins.list[AcsUser]:
        path = "/acs/access_groups/list_users"
        data = await self._read(path, _body(acs_access_group_id=acs_access_group_id))
        return _many(AcsUser, data, "acs_users", path)

    async def add_user(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/access_groups/add_user",
            _body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )

    async def remove_user(
        self,
        *,
        acs_access_group_id: str,
        acs_user_id: str | None = None,
        user_identity_id: str | None = None,
    ) -> None:
        await self._write(
            "/acs/access_groups/remove_user",
            _body(
                acs_access_group_id=acs_access_group_id,
                acs_user_id=acs_user_id,
                user_identity_id=user_identity_id,
            ),
        )


class AcsNamespace:
    """`/acs/*`: `users`, `systems`, `access_groups`."""

    def __init__(self, client: SeamClient) -> None:
        self.users = AcsUsersNamespace(client)
        self.systems = AcsSystemsNamespace(client)
        self.access_groups = AcsAccessGroupsNamespace(client)


class WorkspacesNamespace(_Namespace):
    """`/workspaces/*`."""

    async def get(self) -> Workspace:
        path = "/workspaces/get"
        return _one(Workspace, await self._read(path, {}), "workspace", path)

    async def list(self) -> builtins.list[Workspace]:
        path = "/workspaces/list"
        return _many(Workspace, await self._read(path, {}), "workspaces", path)
