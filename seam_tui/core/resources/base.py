"""What every namespace shares: the request body rules, response parsing and cursor following.

As in the official SDK, a parameter left as None is not sent; pass `NULL` to send JSON null
(which clears a nullable field on update). Ok-only endpoints return None.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any, Final, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from seam_tui.core.errors import SeamConfigurationError, SeamInvalidResponseError
from seam_tui.core.models import Page, Pagination, SeamModel


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


class Requester(Protocol):
    """What a namespace needs of `SeamClient`."""

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


def body(**params: Any) -> dict[str, Any]:
    """The JSON body: None means "not given" and is dropped; NULL becomes null."""
    return {k: _encode(v) for k, v in params.items() if v is not None}


def require_one_of(path: str, **alternatives: Any) -> None:
    """Refuse, before sending, a call that gives none or more than one of `alternatives`.

    The API states these "one of" rules only in prose; the official SDK checks them client-side.
    """
    given = [name for name, value in alternatives.items() if value is not None]
    if len(given) == 1:
        return
    names = " or ".join(alternatives)
    if not given:
        raise SeamConfigurationError(f"{path}: give {names}", field=next(iter(alternatives)))
    raise SeamConfigurationError(f"{path}: give only one of {names}", field=given[-1])


def parse_one(model: type[M], data: dict[str, Any], key: str, path: str) -> M:
    """The object under `key` of a decoded response."""
    try:
        return model.model_validate(data[key])
    except (KeyError, ValidationError) as exc:
        raise SeamInvalidResponseError(
            f"{path}: unexpected response shape for {key!r} ({type(exc).__name__})", status=200
        ) from None


def parse_many(model: type[M], data: dict[str, Any], key: str, path: str) -> list[M]:
    """The list under `key` of a decoded (unpaginated) response."""
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


class Namespace:
    """Base of the endpoint namespaces: reads are retried by the client, writes are not."""

    def __init__(self, client: Requester) -> None:
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
