"""Changes that settle later, through the service: pending states read into words, bounded
waits with backoff, deletes that linger then go, failed pushes, and the audit lines.

The service talks httpx to an in-process sandbox with `settle_after` = 0.3 s; every wait is
bounded and waits for a condition (no timed asserts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seam_tui.core import SeamConflictError
from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import AcsUserCreate, AcsUserTarget, LinkAcsUser, UserIdentityCreate
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.core.service import SeamService
from seam_tui.core.settling import is_being_deleted, is_settled, pending_of, push_errors
from seam_tui.sandbox import Sandbox
from seam_tui.sandbox.faults import FaultConfig

SETTLE = 0.3
TIMEOUT = 15.0  # generous: the waits end as soon as the condition holds
T0 = "2025-01-02T03:04:05.000Z"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """The shared fixtures' sandbox, settling writes after SETTLE seconds."""
    sb = Sandbox(tmp_path / "settling.sqlite3", settle_after=SETTLE)
    yield sb
    sb.close()


# ------------------------------------------------------------------- pending_of (API shapes)


def _user(**fields: Any) -> AcsUser:
    return AcsUser.model_validate(
        {"acs_user_id": "u1", "acs_system_id": "s1", "created_at": T0, **fields}
    )


def _mutation(code: str, **extra: Any) -> dict[str, Any]:
    return {"mutation_code": code, "message": "m", "created_at": T0, **extra}


@pytest.mark.parametrize(
    ("mutation", "what"),
    [
        (_mutation("creating"), "creation"),
        (_mutation("deleting"), "deletion"),
        (
            _mutation(
                "updating_suspension_state",
                **{"from": {"is_suspended": False}, "to": {"is_suspended": True}},
            ),
            "suspension (to suspended)",
        ),
        (
            _mutation(
                "updating_suspension_state",
                **{"from": {"is_suspended": True}, "to": {"is_suspended": False}},
            ),
            "suspension (to active)",
        ),
        (
            _mutation(
                "updating_user_information",
                **{"from": {"full_name": "A"}, "to": {"full_name": "B", "email_address": "b@x"}},
            ),
            "profile update (full name, email)",
        ),
        (
            _mutation(
                "updating_access_schedule",
                **{"from": {"starts_at": None, "ends_at": None}, "to": {"starts_at": T0}},
            ),
            "schedule",
        ),
        (
            _mutation(
                "updating_group_membership",
                **{"from": {"acs_access_group_id": None}, "to": {"acs_access_group_id": "g1"}},
            ),
            "access-group membership (adding)",
        ),
        (
            _mutation(
                "updating_group_membership",
                **{"from": {"acs_access_group_id": "g1"}, "to": {"acs_access_group_id": None}},
            ),
            "access-group membership (removing)",
        ),
        (
            _mutation("deferring_creation", scheduled_at=T0),
            "creation (deferred until a credential is issued)",
        ),
        (_mutation("some_new_code"), "some new code"),
        (_mutation("Bob\x1b[31m). All done"), '"Bob␛[31m). All done"'),
    ],
)
def test_pending_of_reads_each_mutation_into_words(mutation: dict[str, Any], what: str) -> None:
    user = _user(pending_mutations=[mutation])
    [item] = pending_of(user)
    assert item.what == what
    assert item.code == mutation["mutation_code"]
    assert item.since is not None
    assert item.since.year == 2025
    assert not is_settled(user)


def test_deletion_is_one_item_and_settled_objects_have_none() -> None:
    deleting = _user(
        pending_mutations=[_mutation("deleting")],
        warnings=[{"warning_code": "being_deleted", "message": "", "created_at": T0}],
    )
    assert [i.what for i in pending_of(deleting)] == ["deletion"]
    assert is_being_deleted(deleting)
    plain = _user(warnings=[{"warning_code": "acs_user_inactive", "message": "x"}])
    assert pending_of(plain) == []
    assert is_settled(plain)
    assert not is_being_deleted(plain)


def test_identity_pending_and_push_errors() -> None:
    identity = UserIdentity.model_validate(
        {
            "user_identity_id": "i1",
            "created_at": T0,
            "warnings": [
                {"warning_code": "being_deleted", "message": "", "created_at": T0},
                {"warning_code": "acs_user_profile_does_not_match_user_identity"},
            ],
        }
    )
    assert [i.code for i in pending_of(identity)] == [
        "being_deleted",
        "acs_user_profile_does_not_match_user_identity",
    ]
    failed = _user(
        errors=[
            {"error_code": "failed_to_update_on_acs_system", "message": "Brivo said no"},
            {"error_code": "failed_to_delete_on_acs_system", "message": ""},
            {"error_code": "deleted_externally", "message": "not a push"},
        ]
    )
    assert push_errors(failed) == ["Brivo said no", "failed to delete on acs system"]
    assert is_settled(failed)  # a failed push is over: nothing is pending any more


# ------------------------------------------------------------------- the service, settling


async def _new_user(service: SeamService, name: str, email: str | None = None) -> AcsUser:
    system = next(iter((await service.systems_by_id()).values()))
    return await service.create_acs_user(
        AcsUserCreate(acs_system_id=system.acs_system_id, full_name=name, email_address=email)
    )


async def _settled_user(service: SeamService, name: str, email: str | None = None) -> AcsUser:
    created = await _new_user(service, name, email)
    assert [i.code for i in pending_of(created)] == ["creating"]
    done = await service.wait_until_settled("acs_user", created.acs_user_id, timeout=TIMEOUT)
    assert done.settled
    assert isinstance(done.obj, AcsUser)
    return done.obj


async def test_suspend_is_pending_then_settles(service: SeamService) -> None:
    user = await _settled_user(service, "Ada Pending")
    suspended = await service.set_acs_user_suspended(
        AcsUserTarget(acs_user_id=user.acs_user_id), True
    )
    assert suspended.is_suspended  # the desired state at once ...
    assert [i.what for i in pending_of(suspended)] == ["suspension (to suspended)"]  # ... pending
    now = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=0)
    assert not now.settled
    assert now.obj is not None
    assert now.pending
    done = await service.wait_until_settled(
        "acs_user", user.acs_user_id, timeout=TIMEOUT, first_delay=0.05, max_delay=0.2
    )
    assert done.settled
    assert not done.gone
    assert done.errors == []
    assert isinstance(done.obj, AcsUser)
    assert done.obj.is_suspended
    assert is_settled(done.obj)
    assert done.waited > 0


async def test_a_wait_is_bounded(service: SeamService, sandbox: Sandbox) -> None:
    sandbox.settle_after = 3600.0
    user = await _new_user(service, "Never Soon")
    result = await service.wait_until_settled(
        "acs_user", user.acs_user_id, timeout=0.3, first_delay=0.05, max_delay=0.1
    )
    assert not result.settled
    assert result.obj is not None
    assert [i.code for i in result.pending] == ["creating"]
    with pytest.raises(ValueError, match="kind"):
        await service.wait_until_settled("device", "x", timeout=1)  # type: ignore[arg-type]


async def test_deleted_acs_user_lingers_then_is_gone(service: SeamService) -> None:
    user = await _settled_user(service, "Gone Soon")
    deleted = await service.delete_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
    assert deleted.acs_user_id == user.acs_user_id
    assert is_being_deleted(deleted)
    listed = await service.list_acs_users(acs_system_id=user.acs_system_id, limit=200)
    assert user.acs_user_id in [u.acs_user_id for u in listed.items]  # still listed meanwhile
    with pytest.raises(SeamConflictError, match="already being deleted") as refused:
        await service.delete_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
    assert "acs_user_id" in refused.value.field_errors
    done = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=TIMEOUT)
    assert done.gone
    assert done.settled
    assert done.obj is None


async def test_deleted_identity_is_being_deleted_then_gone(service: SeamService) -> None:
    system = next(iter((await service.systems_by_id()).values()))
    result = await service.create_identity(
        UserIdentityCreate(
            full_name="Lin Ger",
            email_address="linger@example.com",
            acs_system_ids=[system.acs_system_id],
        )
    )
    identity_id = result.identity.user_identity_id
    [outcome] = result.outcomes
    assert outcome.status == "created"
    assert outcome.pending == ["creation"]
    plan = await service.delete_identity(identity_id)
    assert is_being_deleted(plan.identity)  # read back after the delete: it lingers
    assert [u.acs_user_id for u in plan.acs_users] == [outcome.acs_user_id]
    with pytest.raises(SeamConflictError, match="already being deleted"):
        await service.delete_identity(identity_id)
    done = await service.wait_until_settled("user_identity", identity_id, timeout=TIMEOUT)
    assert done.gone
    assert outcome.acs_user_id is not None
    gone_user = await service.wait_until_settled("acs_user", outcome.acs_user_id, timeout=TIMEOUT)
    assert gone_user.gone


async def test_a_dying_acs_user_is_neither_suggested_nor_linked(service: SeamService) -> None:
    user = await _settled_user(service, "Dying Match", "dying@example.com")
    await service.delete_acs_user(AcsUserTarget(acs_user_id=user.acs_user_id))
    plan = await service.plan_identity_creation(
        UserIdentityCreate(email_address="dying@example.com", acs_system_ids=[user.acs_system_id])
    )
    assert [s.action for s in plan.acs_users] == ["create"]  # not a link to the dying one
    created = await service.create_identity(UserIdentityCreate(email_address="dying@example.com"))
    identity_id = created.identity.user_identity_id
    assert await service.suggest_acs_user_links(identity_id) == []
    with pytest.raises(SeamConflictError, match="being deleted"):
        await service.link_acs_user(
            LinkAcsUser(user_identity_id=identity_id, acs_user_id=user.acs_user_id)
        )


async def test_failed_push_ends_as_an_error(service: SeamService, sandbox: Sandbox) -> None:
    user = await _settled_user(service, "Push Fails")
    sandbox.faults = FaultConfig(push_failure_rate=1.0, seed=14)
    await service.set_acs_user_suspended(AcsUserTarget(acs_user_id=user.acs_user_id), True)
    done = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=TIMEOUT)
    assert done.settled
    assert done.obj is not None
    assert done.errors
    assert push_errors(done.obj) == done.errors


async def test_record_settled_lines(service: SeamService, audit_log: AuditLog) -> None:
    ids = {"acs_user_id": "acs_1"}
    service.record_settled("suspend_acs_user", ids)
    service.record_settled("delete_acs_user", ids, error="Brivo refused the delete")
    failed, settled = audit_log.recent(2)
    assert (settled.operation, settled.outcome, settled.ids) == ("suspend_acs_user", "settled", ids)
    assert (failed.outcome, failed.detail) == ("push_failed", "Brivo refused the delete")
    assert settled.change_id
    assert failed.change_id
    assert settled.change_id != failed.change_id


def test_record_settled_never_raises(tmp_path: Path, service: SeamService) -> None:
    folder = tmp_path / "a-directory"  # opening it for writing fails, even as root
    folder.mkdir()
    service.audit = AuditLog(folder)
    service.record_settled("suspend_acs_user", {"acs_user_id": "acs_1"})  # best effort: no raise
    assert list(folder.iterdir()) == []


async def test_a_wait_that_sees_our_change_settle_records_it_once(
    service: SeamService, audit_log: AuditLog
) -> None:
    """As the TUI does for its own changes, a wait (the MCP tools' `wait_seconds`) that watched
    an object settle records `settled` for the change of ours that made it pending."""
    user = await _settled_user(service, "Watched Once")
    created_settled = [e for e in audit_log.recent(20) if e.outcome == "settled"]
    assert [e.operation for e in created_settled] == ["create_acs_user"]
    target = AcsUserTarget(acs_user_id=user.acs_user_id)
    await service.set_acs_user_suspended(target, True)
    done = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=TIMEOUT)
    assert done.settled
    assert done.was_pending
    newest = audit_log.recent(1)[0]
    assert (newest.operation, newest.outcome) == ("suspend_acs_user", "settled")
    assert newest.ids["acs_user_id"] == user.acs_user_id
    assert newest.names.get(user.acs_user_id) == "Watched Once"

    again = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=TIMEOUT)
    assert not again.was_pending  # settled at the first read: nothing watched, nothing added
    assert len([e for e in audit_log.recent(20) if e.outcome == "settled"]) == 2


async def test_a_wait_on_an_object_we_never_changed_records_nothing(
    service: SeamService, audit_log: AuditLog, sandbox: Sandbox
) -> None:
    other = await _new_user(service, "Made Elsewhere")
    # Not ours: the audit log does not name it (a change made by another tool or person).
    audit_log.path.unlink()
    done = await service.wait_until_settled("acs_user", other.acs_user_id, timeout=TIMEOUT)
    assert done.settled
    assert done.was_pending
    assert audit_log.recent(10) == []


async def test_a_wait_that_sees_a_push_fail_records_it(
    service: SeamService, audit_log: AuditLog, sandbox: Sandbox
) -> None:
    user = await _settled_user(service, "Push Fails Watched")
    sandbox.faults = FaultConfig(push_failure_rate=1.0, seed=14)
    await service.set_acs_user_suspended(AcsUserTarget(acs_user_id=user.acs_user_id), True)
    done = await service.wait_until_settled("acs_user", user.acs_user_id, timeout=TIMEOUT)
    assert done.errors
    newest = audit_log.recent(1)[0]
    assert (newest.operation, newest.outcome) == ("suspend_acs_user", "push_failed")
    assert newest.detail == "; ".join(done.errors)
