"""Resolution order, isolation between workspaces, read-only, and secrets kept out of logs."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from seam_tui.core import SeamReadOnlyError
from seam_tui.core.audit import AuditLog
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.sandbox import Sandbox, SandboxWorkspace
from seam_tui.workspaces import (
    ResolvedWorkspace,
    WorkspaceError,
    WorkspaceSession,
    add_profile,
    list_profiles,
    normalize_endpoint,
    resolve_workspace,
    set_active_profile,
)
from seam_tui.workspaces.profiles import Profile, ProfileFile
from tests.workspaces.helpers import config_text

pytestmark = pytest.mark.usefixtures("memory_keyring")


async def identity_ids(resolved: ResolvedWorkspace) -> set[str]:
    async with resolved.open_client() as client:
        return {i.user_identity_id async for i in client.user_identities.iterate(limit=100)}


async def test_order_flag_env_profile_sandbox(
    acme: SandboxWorkspace, globex: SandboxWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_workspace().source == "sandbox"
    await add_profile("acme", acme.api_key, endpoint="sandbox://local")
    await add_profile("globex", globex.api_key, endpoint="sandbox://local")
    assert resolve_workspace().name == "sandbox"  # added, not chosen

    set_active_profile("acme")
    assert (resolve_workspace().name, resolve_workspace().source) == ("acme", "profile")

    env = {"SEAM_API_KEY": globex.api_key, "SEAM_ENDPOINT": "sandbox://local"}
    from_env = resolve_workspace(env=env)
    assert (from_env.name, from_env.source, from_env.workspace_id) == ("env", "env", None)
    async with from_env.open_client() as client:
        assert (await client.workspaces.get()).workspace_id == globex.workspace_id

    monkeypatch.setenv("SEAM_API_KEY", globex.api_key)
    assert resolve_workspace().source == "env"  # os.environ is the default

    flagged = resolve_workspace("acme", env=env)
    assert (flagged.name, flagged.source) == ("acme", "flag")
    assert resolve_workspace("sandbox-globex-offices", env=env).is_builtin_sandbox


def test_env_errors_are_clear(acme: SandboxWorkspace) -> None:
    with pytest.raises(WorkspaceError, match="SEAM_WORKSPACE_ID"):
        resolve_workspace(env={"SEAM_PERSONAL_ACCESS_TOKEN": "seam_at_x"})
    with pytest.raises(WorkspaceError, match="not both"):
        resolve_workspace(
            env={
                "SEAM_API_KEY": acme.api_key,
                "SEAM_PERSONAL_ACCESS_TOKEN": "seam_at1",
                "SEAM_WORKSPACE_ID": "w",
            }
        )


async def test_env_pat_with_workspace(local: Sandbox, globex: SandboxWorkspace) -> None:
    env = {
        "SEAM_PERSONAL_ACCESS_TOKEN": local.personal_access_token(),
        "SEAM_WORKSPACE_ID": globex.workspace_id,
        "SEAM_ENDPOINT": "sandbox://local",
    }
    resolved = resolve_workspace(env=env)
    assert resolved.auth_kind == "personal_access_token"
    async with resolved.open_client() as client:
        assert (await client.workspaces.get()).workspace_id == globex.workspace_id


def test_missing_secret_says_how_to_add_it(acme: SandboxWorkspace) -> None:
    saved = ProfileFile.load()
    saved.profiles["acme"] = Profile("acme", "sandbox://local", "api_key")
    saved.save()
    with pytest.raises(WorkspaceError, match=r"no secret in the keyring.*workspace add acme"):
        resolve_workspace("acme")


def test_dangling_active_profile(local: Sandbox) -> None:
    saved = ProfileFile.load()
    saved.active = "gone"
    saved.save()
    with pytest.raises(WorkspaceError, match='active profile "gone" no longer exists'):
        resolve_workspace()


def test_builtin_profiles_one_per_sandbox_workspace(local: Sandbox) -> None:
    third = local.create_workspace("Initech HQ")
    builtins = [s for s in list_profiles() if s.builtin]
    assert [b.workspace_id for b in builtins] == [w.workspace_id for w in local.workspaces()]
    assert builtins[0].name == "sandbox"
    assert builtins[0].active
    assert next(b for b in builtins if b.workspace_id == third.workspace_id).name == (
        "sandbox-initech-hq"
    )
    assert "sandbox" not in config_text()


def test_listing_opens_the_sandbox_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, seam_tui.workspaces, seam_tui.workspaces.cli; "
        "assert 'seam_tui.sandbox' not in sys.modules, 'sandbox imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_each_workspace_sees_its_own_identities_and_keys_never_cross(
    acme: SandboxWorkspace, globex: SandboxWorkspace
) -> None:
    """Two sandbox workspaces side by side: every request carries its own workspace's key."""
    await add_profile("acme", acme.api_key, endpoint="sandbox://local")
    await add_profile("globex", globex.api_key, endpoint="sandbox://local")
    sent: dict[str, list[str]] = {"acme": [], "globex": []}

    def recorder(name: str):  # type: ignore[no-untyped-def]
        async def record(request: httpx.Request) -> None:
            sent[name].append(request.headers["authorization"])

        return record

    seen: dict[str, set[str]] = {}
    for name in ("acme", "globex", "acme"):
        resolved = resolve_workspace(name)
        async with resolved.open_client() as client:
            client._http.event_hooks["request"].append(recorder(name))
            assert (await client.workspaces.get()).workspace_id == resolved.workspace_id
            seen[name] = {i.user_identity_id async for i in client.user_identities.iterate()}
    assert seen["acme"]
    assert seen["globex"]
    assert not seen["acme"] & seen["globex"]
    assert set(sent["acme"]) == {f"Bearer {acme.api_key}"}
    assert set(sent["globex"]) == {f"Bearer {globex.api_key}"}
    assert seen["acme"] == await identity_ids(resolve_workspace("sandbox"))


async def test_switching_builds_a_new_client_and_drops_cached_data(
    acme: SandboxWorkspace, globex: SandboxWorkspace
) -> None:
    session = WorkspaceSession("script")
    first = await session.open("sandbox")
    systems_a = await first.systems_by_id()
    assert (await first.current_workspace()).workspace_id == acme.workspace_id

    second = await session.switch("sandbox-globex-offices")
    assert second is not first
    assert second.client is not first.client
    assert first.client._http.is_closed
    assert (await second.current_workspace()).workspace_id == globex.workspace_id
    assert not set(await second.systems_by_id()) & set(systems_a)

    with pytest.raises(WorkspaceError):
        await session.switch("no-such-profile")
    assert session.service is second
    assert not second.client._http.is_closed
    await session.aclose()
    assert second.client._http.is_closed


async def test_read_only_refuses_writes_whatever_asks(
    acme: SandboxWorkspace, local: Sandbox, tmp_path: Path
) -> None:
    await add_profile("ro", acme.api_key, endpoint="sandbox://local", read_only=True)
    audit = AuditLog(tmp_path / "audit.jsonl")
    before = local.count("user_identities")
    for resolved in (resolve_workspace("ro"), resolve_workspace("sandbox", read_only=True)):
        assert resolved.read_only
        for front_end in ("tui", "mcp"):
            service = resolved.open_service(front_end, audit=audit)
            async with service.client:
                with pytest.raises(SeamReadOnlyError, match="read-only"):
                    await service.create_identity(UserIdentityCreate(full_name="Nope"))
                assert (await service.search_identities(limit=1)).items  # reads still work
    assert local.count("user_identities") == before
    writable = resolve_workspace("sandbox").open_service("script", audit=audit)
    async with writable.client:
        await writable.create_identity(UserIdentityCreate(full_name="Yes"))
    assert local.count("user_identities") == before + 1
    assert resolve_workspace("ro").with_read_only(False).read_only  # a profile's flag stays


async def test_secrets_stay_out_of_repr_logs_audit_and_config(
    acme: SandboxWorkspace,
    globex: SandboxWorkspace,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = "seam_test_not_a_real_key_999"
    with pytest.raises(WorkspaceError) as refused:
        await add_profile("bad", bad, endpoint="sandbox://local")
    assert bad not in str(refused.value)
    await add_profile("acme", acme.api_key, endpoint="sandbox://local")
    resolved = resolve_workspace("acme")
    audit = AuditLog(tmp_path / "audit.jsonl")
    service = resolved.open_service("cli", audit=audit)
    async with service.client:
        await service.create_identity(UserIdentityCreate(full_name="Logged"))
    texts = [
        repr(resolved),
        str(resolved),
        repr(service.client),
        caplog.text,
        audit.path.read_text(),
        config_text(),
    ]
    for secret in (acme.api_key, globex.api_key, bad):
        for text in texts:
            assert secret not in text
    assert resolved.redact(f"x {acme.api_key} y") == "x [redacted] y"


def test_open_client_cannot_rebind_credentials() -> None:
    resolved = resolve_workspace()
    for option in ("api_key", "endpoint", "workspace_id", "personal_access_token"):
        with pytest.raises(TypeError, match="from the profile"):
            resolved.open_client(**{option: "x"})


def test_endpoints() -> None:
    assert normalize_endpoint(None) == "https://connect.getseam.com"
    assert normalize_endpoint("https://staging.example.com/") == "https://staging.example.com"
    assert normalize_endpoint("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert normalize_endpoint("sandbox://local/") == "sandbox://local"
    assert normalize_endpoint("sandbox:///tmp/x.sqlite3") == "sandbox:///tmp/x.sqlite3"
    with pytest.raises(WorkspaceError, match="unencrypted"):
        normalize_endpoint("http://example.com")
    with pytest.raises(WorkspaceError, match="invalid"):
        normalize_endpoint("ftp://example.com")


async def test_sandbox_endpoint_with_a_path(tmp_path: Path) -> None:
    other = Sandbox(tmp_path / "other.sqlite3")
    ws = other.create_workspace("Elsewhere")
    other.close()
    added = await add_profile(
        "elsewhere", ws.api_key, endpoint=f"sandbox://{tmp_path}/other.sqlite3"
    )
    assert added.workspace.name == "Elsewhere"
    assert resolve_workspace("elsewhere").label == "Elsewhere"


def test_resolved_workspace_cannot_be_dumped_with_its_key(local: Sandbox) -> None:
    import dataclasses
    import json

    resolved = resolve_workspace()
    key = local.workspaces()[0].api_key
    dumped = dataclasses.asdict(resolved)
    assert key not in repr(dumped)
    with pytest.raises(TypeError):
        json.dumps(dumped)


def test_a_broken_sandbox_file_is_one_clear_error() -> None:
    from seam_tui.sandbox import default_db_path

    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="could not be opened"):
        resolve_workspace()


async def test_a_refused_key_on_the_default_endpoint_hints_at_the_sandbox() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            401,
            json={"error": {"type": "unauthorized", "message": "Unauthorized"}},
        )
    )
    with pytest.raises(WorkspaceError, match="--endpoint sandbox://local") as info:
        await add_profile(
            "acme", "seam_test_elsewhere_123", client_options={"transport": transport}
        )
    assert "nothing was saved" in str(info.value)
