"""Partial failure: an identity with ACS users in three systems, where the second one fails.

The failure is real as far as our code can tell: a gateway in front of the sandbox answers the
second system's `/acs/users/create` with a 503 (nothing applied), or lets it through and loses
the answer (applied, but the client hears a broken connection). For the service, the TUI form
and the MCP tool, the test checks the report against the sandbox's rows:

- it says, per system, exactly what exists now (a lost answer is looked up, not guessed);
- it offers the way to finish and the way to undo (as tool calls, in order), and both work;
- nothing is left behind: after the undo the identity and all its ACS users are gone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from textual.widgets import Input, SelectionList, Static

from agent_tools.context import ToolContext
from seam_tui.core import SeamClient
from seam_tui.core.audit import AuditLog
from seam_tui.core.identity_create import describe_result
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.agent_tools.conftest import call, connect
from tests.conftest import FAST_RETRY
from tests.reliability.conftest import record
from tests.reliability.misbehave import Failure, Rule, misbehave
from tests.tui.conftest import SIZE, wait_until

FAILURES: list[Failure] = ["503", "drop_after"]


@dataclass
class Rows:
    identities: int
    acs_users: int


def rows(sandbox: Sandbox) -> Rows:
    sandbox.settle_all()  # what remains once Seam has pushed every queued change
    return Rows(sandbox.count("user_identities"), sandbox.count("acs_users"))


def fail_second(sandbox: Sandbox, system_id: str, failure: Failure) -> Rule:
    rule = Rule("/acs/users/create", {"acs_system_id": system_id}, failure)
    misbehave(sandbox).rules.append(rule)
    return rule


async def systems_of(service: SeamService) -> dict[str, str]:
    """Every system of the workspace, id to name, in the API's order."""
    return {s.acs_system_id: s.name for s in (await service.systems_by_id()).values()}


async def acs_systems_of_identity(seam: SeamClient, identity_id: str) -> dict[str, str]:
    """What exists now, asked of the sandbox: system id to ACS user id."""
    users = await seam.user_identities.list_acs_users(user_identity_id=identity_id)
    return {u.acs_system_id: u.acs_user_id for u in users}


@pytest.fixture
async def service(
    sandbox: Sandbox, workspace: SandboxWorkspace, audit_log: AuditLog
) -> AsyncIterator[SeamService]:
    misbehave(sandbox)  # before the client opens its transport
    async with SeamClient(
        api_key=workspace.api_key,
        endpoint=sandbox.base_url,
        transport=sandbox.transport(),
        retry=FAST_RETRY,
    ) as seam:
        yield SeamService(seam, workspace=workspace.name, front_end="script", audit=audit_log)


@pytest.mark.parametrize("failure", FAILURES)
async def test_service_reports_what_exists_and_finishes_or_undoes(
    sandbox: Sandbox, service: SeamService, audit_log: AuditLog, failure: Failure
) -> None:
    first, second, third = list(await systems_of(service))[:3]
    names = await systems_of(service)
    before = rows(sandbox)
    rule = fail_second(sandbox, second, failure)

    result = await service.create_identity(
        UserIdentityCreate(
            full_name="Partial Person",
            email_address=f"partial.{failure}@example.org",
            acs_system_ids=[first, second, third],
        )
    )
    assert rule.hits == 1
    identity_id = result.identity.user_identity_id
    exists = await acs_systems_of_identity(service.client, identity_id)
    reported = {o.acs_system_id: o.acs_user_id for o in result.outcomes if o.status != "failed"}
    # The report is the truth: the same systems, the same ACS users, as the sandbox holds.
    assert reported == exists
    assert sorted(result.identity.acs_user_ids) == sorted(exists.values())
    applied = failure == "drop_after"
    assert (second in exists) is applied
    assert rows(sandbox) == Rows(before.identities + 1, before.acs_users + len(exists))

    summary = describe_result(result)
    assert summary.startswith(f"created user identity {identity_id}")
    if applied:
        assert result.complete
        assert "FAILED" not in summary
    else:
        assert result.failed_system_ids == [second]
        assert f'FAILED to create in "{names[second]}": "503 service_unavailable' in summary
        assert "checked afterwards: it was not created" in summary
        assert [c.tool for c in result.finish_calls()] == ["create_acs_user"]
        assert [c.tool for c in result.undo_calls()] == ["delete_user_identity"]

    operations = [(e.operation, e.outcome) for e in reversed(audit_log.recent())]
    assert operations == [
        ("create_user_identity", "ok"),
        ("create_acs_user", "ok"),
        ("create_acs_user", "error"),  # what the client heard, whatever the sandbox did
        ("create_acs_user", "ok"),
        ("create_user_identity", "ok" if applied else "partial"),  # the whole, recorded last
    ]

    # Finish: retry what failed, once the system answers again. Nothing is created twice.
    misbehave(sandbox).rules.clear()
    finished = await service.finish_identity_creation(result)
    assert [o.status for o in finished.outcomes] == ["created"] * 3
    after = await acs_systems_of_identity(service.client, identity_id)
    assert set(after) == {first, second, third}
    assert rows(sandbox) == Rows(before.identities + 1, before.acs_users + 3)

    # Undo: deleting the identity takes every one of its ACS users (all made by this call).
    report = await service.undo_identity_creation(finished)
    assert report.deleted_identity
    assert set(report.deleted_acs_user_ids) == set(after.values())
    assert rows(sandbox) == before
    record(
        "partial failure",
        **{f"service_{failure}": "reported exactly; finished; undone; 0 orphans"},
    )


async def test_undo_straight_after_the_failure_leaves_nothing(
    sandbox: Sandbox, service: SeamService
) -> None:
    first, second, third = list(await systems_of(service))[:3]
    before = rows(sandbox)
    fail_second(sandbox, second, "503")
    result = await service.create_identity(
        UserIdentityCreate(full_name="Undo Me", acs_system_ids=[first, second, third])
    )
    assert [o.status for o in result.outcomes] == ["created", "failed", "created"]
    await service.undo_identity_creation(result)
    assert rows(sandbox) == before


@pytest.mark.parametrize("failure", FAILURES)
async def test_tui_form_says_what_exists_then_ctrl_s_finishes(failure: Failure) -> None:
    sandbox = local_sandbox()
    misbehave(sandbox)
    app = SeamApp(resolve_workspace())
    before = rows(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: bool(app.screen.query("#acs_system_ids")))
        form = app.screen
        assert isinstance(form, IdentityFormScreen)
        systems = form.query_one("#acs_system_ids", SelectionList)
        await wait_until(pilot, lambda: systems.option_count >= 3)
        first, second, third = (systems.get_option_at_index(i).value for i in range(3))
        names = await systems_of(app.service)
        for system in (first, second, third):
            systems.select(system)
        form.query_one("#full_name", Input).value = "Form Partial"
        message = form.query_one("#form-message", Static)
        await pilot.press("ctrl+s")  # the plan is shown first; nothing is done yet
        await wait_until(pilot, lambda: "Saving creates identity" in str(message.render()))
        rule = fail_second(sandbox, second, failure)

        await pilot.press("ctrl+s")
        if failure == "503":
            await wait_until(pilot, lambda: "was created" in str(message.render()))
            text = str(message.render())
            assert f'in "{names[first]}"' in text.split("✓ created ACS user")[1]
            assert f'✗ "{names[second]}": could not create an ACS user: 503' in text
            assert "checked afterwards: it was not created" in text
            assert f'in "{names[third]}"' in text.split("✓ created ACS user")[2]
            assert "Ctrl+S retries the failed system(s)" in text
            assert 'Ctrl+Z undoes it: delete identity "Form Partial"' in text
            assert rule.hits == 1
            assert rows(sandbox) == Rows(before.identities + 1, before.acs_users + 2)

            misbehave(sandbox).rules.clear()
            await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        assert rule.hits == 1
        page = await app.service.search_identities("Form Partial")
        [identity] = page.items
        exists = await acs_systems_of_identity(app.service.client, identity.user_identity_id)
        assert set(exists) == {first, second, third}
        assert rows(sandbox) == Rows(before.identities + 1, before.acs_users + 3)
    record("partial failure", **{f"tui_{failure}": "reported exactly; finished with Ctrl+S"})


@pytest.mark.parametrize("failure", FAILURES)
async def test_mcp_tool_says_what_exists_and_how_to_finish_or_undo(failure: Failure) -> None:
    sandbox = local_sandbox()
    misbehave(sandbox)
    context = ToolContext.open()
    before = rows(sandbox)
    try:
        async with connect(context) as mcp:
            systems = (await call(mcp, "list_acs_systems"))["acs_systems"]
            first, second, third = (s["acs_system_id"] for s in systems[:3])
            rule = fail_second(sandbox, second, failure)
            created = await call(
                mcp,
                "create_user_identity",
                {
                    "full_name": "Tool Partial",
                    "email_address": f"tool.partial.{failure}@example.org",
                    "acs_system_ids": [first, second, third],
                },
            )
            assert rule.hits == 1
            identity_id = created["user_identity"]["user_identity_id"]
            service = await context.service()
            exists = await acs_systems_of_identity(service.client, identity_id)
            reported = {
                o["acs_system_id"]: o["acs_user_id"]
                for o in created["acs_users"]
                if o["status"] != "failed"
            }
            assert reported == exists
            summary = created["summary"]
            if failure == "503":
                assert set(exists) == {first, third}
                assert "FAILED to create an ACS user" in summary
                assert "checked afterwards: it was not created" in summary
                assert "make the calls in finish" in summary
                assert created["undo"] == [
                    {
                        "tool": "delete_user_identity",
                        "arguments": {
                            "user_identity_id": identity_id,
                            "expected_acs_user_ids": [exists[first], exists[third]],
                        },
                    }
                ]
                misbehave(sandbox).rules.clear()
                for step in created["finish"]:  # follow the result's way to finish
                    await call(mcp, step["tool"], step["arguments"])
            else:
                assert set(exists) == {first, second, third}
                assert "FAILED" not in summary
            exists = await acs_systems_of_identity(service.client, identity_id)
            assert set(exists) == {first, second, third}
            assert rows(sandbox) == Rows(before.identities + 1, before.acs_users + 3)
            # ... and its way to undo.
            deleted = await call(mcp, "delete_user_identity", {"user_identity_id": identity_id})
            assert "and its 3 ACS user(s)" in deleted["summary"]
            assert rows(sandbox) == before
    finally:
        await context.aclose()
    record("partial failure", **{f"mcp_{failure}": "reported exactly; finished; undone"})
