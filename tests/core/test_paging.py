"""Exact pages against the sandbox: `limit` is a hard maximum, the cursor resumes right after
the last item returned (even when the page it points into changed), it is refused with other
filters, and a filtered listing that runs out of reads says so with a way on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from seam_tui.core import SeamInvalidInputError
from seam_tui.core.inputs import AcsUserCreate, AcsUserTarget
from seam_tui.core.models import AcsUser, Page
from seam_tui.core.paging import exact_page
from seam_tui.core.service import SeamService

STATUSES = ("all", "linked", "unlinked", "suspended")


KEEP: dict[str, Callable[[AcsUser], bool]] = {
    "all": lambda u: True,
    "linked": lambda u: bool(u.user_identity_id),
    "unlinked": lambda u: not u.user_identity_id,
    "suspended": lambda u: bool(u.is_suspended),
}


def _wanted(users: list[AcsUser], status: str) -> list[str]:
    """The ids `status` keeps, worked out here from a listing of everyone."""
    return [u.acs_user_id for u in users if KEEP[status](u)]


async def _walk(service: SeamService, status: str, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = await service.list_acs_users(status=status, limit=limit, cursor=cursor)  # type: ignore[arg-type]
        pages.append([u.acs_user_id for u in page.items])
        if not page.has_next_page:
            return pages
        cursor = page.next_page_cursor


@pytest.mark.parametrize("limit", [1, 3, 7])
async def test_every_status_pages_exactly(service: SeamService, limit: int) -> None:
    everyone = (await service.list_acs_users(limit=200)).items
    assert len(everyone) < 200  # the whole seed in one page: the reference
    for status in STATUSES:
        pages = await _walk(service, status, limit)
        wanted = _wanted(everyone, status)
        assert wanted, status
        assert [i for p in pages for i in p] == wanted, status  # in order, no gap, no repeat
        assert all(len(p) == limit for p in pages[:-1]), (status, [len(p) for p in pages])
        assert 0 < len(pages[-1]) <= limit, (status, [len(p) for p in pages])


async def test_a_cursor_is_bound_to_its_filters(service: SeamService) -> None:
    first = await service.list_acs_users(status="suspended", limit=1)
    cursor = first.next_page_cursor
    assert cursor
    for other in (
        {"status": "linked"},
        {"status": "suspended", "search": "a"},
        {"status": "suspended", "acs_system_id": next(iter(await service.systems_by_id()))},
    ):
        with pytest.raises(SeamInvalidInputError) as caught:
            await service.list_acs_users(limit=1, cursor=cursor, **other)  # type: ignore[arg-type]
        assert caught.value.field_errors.keys() == {"cursor"}
        assert caught.value.message.startswith(
            "cursor was returned by another listing or for other filters"
        )
        assert "leave cursor out" in caught.value.message
    for garbage in ("nonsense", cursor.replace("p1.", "p9."), cursor + ".x"):
        with pytest.raises(SeamInvalidInputError, match="cursor is not one this listing returned"):
            await service.list_acs_users(status="suspended", limit=1, cursor=garbage)
    # The same filters with another limit: allowed, and it goes on right after the first item.
    rest = await service.list_acs_users(status="suspended", limit=50, cursor=cursor)
    everyone = (await service.list_acs_users(limit=200)).items
    assert [u.acs_user_id for u in first.items + rest.items] == _wanted(everyone, "suspended")


async def test_resumes_at_the_right_place_when_the_page_changed(service: SeamService) -> None:
    unlinked = _wanted((await service.list_acs_users(limit=200)).items, "unlinked")
    first = await service.list_acs_users(status="unlinked", limit=2)
    assert [u.acs_user_id for u in first.items] == unlinked[:2]
    # Meanwhile the last item returned (the cursor's anchor) and the one before it are deleted.
    for acs_user_id in unlinked[1::-1]:
        await service.delete_acs_user(AcsUserTarget(acs_user_id=acs_user_id))
    second = await service.list_acs_users(status="unlinked", limit=2, cursor=first.next_page_cursor)
    assert [u.acs_user_id for u in second.items] == unlinked[2:4]
    # One is added meanwhile: it comes once, at the end of the order; nothing is lost.
    system = next(iter((await service.systems_by_id()).values()))
    new = await service.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name="Added Meanwhile")
    )
    rest = await service.list_acs_users(
        status="unlinked", limit=200, cursor=second.next_page_cursor
    )
    assert [u.acs_user_id for u in rest.items] == [*unlinked[4:], new.acs_user_id]
    assert not rest.has_next_page


async def test_a_filtered_listing_that_runs_out_of_reads_says_so(service: SeamService) -> None:
    """Few matches spread over many API pages: each call reads `max_pages` small pages and
    returns what it found (even nothing) with a cursor that reads on; in the end, every match
    exactly once, and only the last page has no cursor."""
    client = service.client
    everyone = (await service.list_acs_users(limit=200)).items
    wanted = _wanted(everyone, "suspended")

    def fetch(api_cursor: str | None, size: int) -> Awaitable[Page[AcsUser]]:
        return client.acs.users.list(limit=size, page_cursor=api_cursor)

    found: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    while True:
        page = await exact_page(
            fetch,
            limit=2,
            cursor=cursor,
            filters={"status": "suspended"},
            key=lambda u: u.acs_user_id,
            keep=lambda u: bool(u.is_suspended),
            page_size=3,
            max_pages=2,
        )
        found += [u.acs_user_id for u in page.items]
        sizes.append(len(page.items))
        if not page.has_next_page:
            break
        cursor = page.next_page_cursor
    assert found == wanted
    assert max(sizes) <= 2
    assert 0 in sizes[:-1]  # a call that found nothing in its reads still has a way on
    assert len(sizes) >= len(everyone) // 6  # 2 reads of 3 per call: it never read ahead


async def test_limit_below_one_is_refused(service: SeamService) -> None:
    with pytest.raises(SeamInvalidInputError, match="limit must be at least 1"):
        await service.list_acs_users(limit=0)
