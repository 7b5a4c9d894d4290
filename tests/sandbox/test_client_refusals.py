"""A sandbox refusal (400, 413, ...) reaches the service, the model and the user after exactly one
request: the client retries only 429 and 5xx. Requests are counted at the sandbox (its own log
of answered requests), never by replacing any of our code."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from mcp import Client

from agent_tools.context import ToolContext
from agent_tools.errors import from_seam_error
from agent_tools.mcp_server import build_server
from seam_tui.core import SeamApiError, SeamClient, SeamInvalidInputError, SeamServerError
from seam_tui.core.audit import AuditLog
from seam_tui.core.retry import should_retry_status
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.sandbox.faults import FaultConfig
from seam_tui.sandbox.params import MAX_STRING_LENGTH, NUL_MESSAGE
from seam_tui.workspaces import close_local_sandboxes
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.conftest import FAST_RETRY


@pytest.fixture
async def seam_service(
    sandbox: Sandbox, acme: SandboxWorkspace, tmp_path: Path
) -> AsyncIterator[SeamService]:
    """The service as the front ends build it, on the sandbox in-process."""
    async with SeamClient(
        api_key=acme.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as client:
        yield SeamService(
            client, workspace=acme.name, front_end="script", audit=AuditLog(tmp_path / "a.jsonl")
        )


def answered(sandbox: Sandbox) -> list[int]:
    return [request.status for request in sandbox.requests]


async def test_a_nul_in_a_search_is_one_400_naming_search(
    seam_service: SeamService, sandbox: Sandbox
) -> None:
    sandbox.requests.clear()
    with pytest.raises(SeamInvalidInputError) as caught:
        await seam_service.search_identities("Jane\x00")
    assert answered(sandbox) == [400]
    assert caught.value.field_errors == {"search": [NUL_MESSAGE]}
    text = str(from_seam_error(caught.value))
    assert NUL_MESSAGE in text  # the server's words, quoted as data
    assert "search" in text
    assert "call again later" not in text
    assert "Fix the request" in text


async def test_a_nul_in_an_acs_user_search_is_one_400(
    seam_service: SeamService, sandbox: Sandbox
) -> None:
    sandbox.requests.clear()
    with pytest.raises(SeamInvalidInputError) as caught:
        await seam_service.list_acs_users(search="\x00")
    assert answered(sandbox) == [400]
    assert list(caught.value.field_errors) == ["search"]


@pytest.mark.parametrize(
    ("search", "status"),
    [("x" * (MAX_STRING_LENGTH + 1), 400), ("x" * (2 * 1024 * 1024), 413)],
    ids=["over the length cap", "over the body cap"],
)
async def test_a_search_too_long_is_refused_once(
    seam_service: SeamService, sandbox: Sandbox, search: str, status: int
) -> None:
    sandbox.requests.clear()
    with pytest.raises(SeamApiError) as caught:
        await seam_service.search_identities(search)
    assert caught.value.status == status
    assert answered(sandbox) == [status]


async def test_the_count_sees_retries_of_a_server_error(
    seam_service: SeamService, sandbox: Sandbox
) -> None:
    """The counter itself: a 500 on a read is retried (three times, as the policy says)."""
    sandbox.requests.clear()
    sandbox.faults = FaultConfig(rate=1.0, kinds=frozenset({"500"}))
    with pytest.raises(SeamServerError):
        await seam_service.search_identities("Jane")
    assert answered(sandbox) == [500, 500, 500, 500]


def test_no_4xx_but_429_is_ever_retried() -> None:
    for status in range(400, 500):
        for is_write in (False, True):
            assert should_retry_status(status, is_write=is_write) is (status == 429)


@pytest.fixture
def _built_in_sandbox_closed() -> Iterator[None]:
    yield
    close_local_sandboxes()


@pytest.mark.usefixtures("_built_in_sandbox_closed")
async def test_the_model_reads_a_400_naming_search_after_one_request() -> None:
    """Over a real MCP client session, on the built-in sandbox as `seam-mcp` opens it."""
    context = ToolContext.open()
    try:
        sandbox = local_sandbox()
        sandbox.requests.clear()
        async with Client(build_server(context)) as client:
            result = await client.call_tool(
                "search_user_identities", {"search": "Jane\x00Doe", "limit": 5}
            )
        assert result.is_error
        text = result.content[0].text  # type: ignore[union-attr]
        assert "Seam API error 400 invalid_input" in text
        assert NUL_MESSAGE in text
        assert "search" in text
        assert "call again later" not in text
        assert [(r.path, r.status) for r in sandbox.requests] == [("/user_identities/list", 400)]
    finally:
        await context.aclose()
