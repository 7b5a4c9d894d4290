"""When a save cannot be recorded, the TUI keeps the form and everything typed, says what
happened, and keeps running.

The audit log is made unwritable the way a full disk does it: `audit.jsonl` is a symlink to
/dev/full, where every write fails with ENOSPC. "Not done" is the audit log refusing the change's
first line (nothing is sent); "done but not recorded" is the disk filling up while the request
is on its way (a transport in front of the sandbox swaps the file for /dev/full then).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from seam_tui.core.inputs import AcsUserTarget
from seam_tui.core.models import AcsUser
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.workspaces import profiles_path
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.tui.conftest import (
    SIZE,
    open_acs_users,
    open_workspace_form,
    recorded_notes,
    save_globex_profile,
    wait_until,
)
from tests.workspaces.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("no_keyring")

FULL = Path("/dev/full")
ENOSPC = "No space left on device"


def fill_disk(audit: Path) -> None:
    """From now on every write to the audit log fails as on a full disk (what was written is
    kept beside it, in audit.jsonl.kept)."""
    audit.parent.mkdir(parents=True, exist_ok=True)
    if audit.is_file() and not audit.is_symlink():
        audit.rename(audit.with_name("audit.jsonl.kept"))
    audit.unlink(missing_ok=True)
    audit.symlink_to(FULL)


def lines_of(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def notes(tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification's text, in order."""
    return recorded_notes(tui_app, monkeypatch)


async def edit_first_user(pilot: Pilot[None], app: SeamApp, name: str) -> AcsUserFormScreen:
    """Open the first ACS user's edit form and type a new full name into it."""
    screen = await open_acs_users(pilot, app)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, AcsUserFormScreen))
    form = app.screen
    assert isinstance(form, AcsUserFormScreen)
    field = form.query_one("#full_name", Input)
    field.focus()
    field.value = ""
    await pilot.press(*name)
    assert screen.table.current_item() is not None
    return form


def message_of(form: Any) -> str:
    return str(form.query_one("#form-message", Static).content)


async def get_user(app: SeamApp, acs_user_id: str) -> AcsUser:
    return await app.service.get_acs_user(AcsUserTarget(acs_user_id=acs_user_id))


async def test_a_save_the_audit_log_refuses_is_not_made_and_the_form_keeps_what_was_typed(
    tui_app: SeamApp,
) -> None:
    audit = tui_app.service.audit.path
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await edit_first_user(pilot, tui_app, "Renamed While Full")
        user_id = form._acs_user.acs_user_id if form._acs_user else ""
        before = await get_user(tui_app, user_id)
        fill_disk(audit)

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in message_of(form))

        message = message_of(form)
        assert ENOSPC in message
        assert str(audit) in message
        assert "What you typed is kept" in message
        assert tui_app.screen is form  # the form is still open...
        assert form.query_one("#full_name", Input).value == "Renamed While Full"  # ...and full
        assert tui_app.is_running
        assert (await get_user(tui_app, user_id)).full_name == before.full_name  # nothing done

        audit.unlink()  # space again: the same form saves
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: tui_app.screen is not form)
        assert (await get_user(tui_app, user_id)).full_name == "Renamed While Full"
        outcomes = [(e["operation"], e["outcome"]) for e in lines_of(audit)]
        assert outcomes == [("update_acs_user", "started"), ("update_acs_user", "ok")]
    assert tui_app.return_code in (None, 0)


class DiskFillsDuringRequest(httpx.AsyncBaseTransport):
    """The sandbox, with the audit log's disk filling up while a request to `path` is sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport, audit: Path, path: str) -> None:
        self.inner, self.audit, self.path = inner, audit, path
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path:
            self.sent += 1
            fill_disk(self.audit)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_save_made_but_not_recorded_says_so_and_is_never_sent_twice(
    tui_app: SeamApp,
) -> None:
    audit = tui_app.service.audit.path
    gate = DiskFillsDuringRequest(local_sandbox().transport(), audit, "/acs/users/update")
    old = tui_app.service
    tui_app.service = tui_app.workspace.open_service("tui", transport=gate)
    await old.client.aclose()
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await edit_first_user(pilot, tui_app, "Renamed As Disk Fills")
        user_id = form._acs_user.acs_user_id if form._acs_user else ""

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saved at Seam, but not recorded" in message_of(form))

        message = message_of(form)
        assert ENOSPC in message
        assert "Do not save again" in message
        assert tui_app.screen is form
        assert form.query_one("#full_name", Input).value == "Renamed As Disk Fills"
        assert (await get_user(tui_app, user_id)).full_name == "Renamed As Disk Fills"

        await pilot.press("ctrl+s")  # a second save would repeat the change: it only says so
        await pilot.pause()
        assert "Saved at Seam, but not recorded" in message_of(form)
        assert gate.sent == 1
        assert tui_app.is_running

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, AcsUsersScreen))
    # What reached the log before the disk filled: the change's first line, so Activity shows
    # it as unfinished rather than not at all.
    kept = lines_of(audit.with_name("audit.jsonl.kept"))
    assert [(e["operation"], e["outcome"]) for e in kept] == [("update_acs_user", "started")]


async def test_editing_an_identity_when_the_log_refuses_keeps_the_form(tui_app: SeamApp) -> None:
    identity = (await tui_app.service.search_identities(limit=1)).items[0]
    fill_disk(tui_app.service.audit.path)
    async with tui_app.run_test(size=SIZE) as pilot:
        form = IdentityFormScreen(identity)
        await tui_app.push_screen(form)
        await wait_until(pilot, lambda: bool(form.query("#full_name")))
        field = form.query_one("#full_name", Input)
        field.value = ""
        field.focus()
        await pilot.press(*"Kept Name")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in message_of(form))
        assert ENOSPC in message_of(form)
        assert field.value == "Kept Name"
        assert tui_app.screen is form
        again = await tui_app.service.get_identity(identity.user_identity_id)
        assert again.full_name == identity.full_name


async def test_a_confirmed_delete_the_log_refuses_is_said_and_nothing_is_deleted(
    tui_app: SeamApp, notes: list[str]
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        screen = await open_acs_users(pilot, tui_app)
        user = screen.table.current_item()
        assert user is not None
        fill_disk(tui_app.service.audit.path)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: any(ENOSPC in n for n in notes))
        [said] = [n for n in notes if ENOSPC in n]
        assert "was not done" in said
        assert tui_app.is_running
        assert (await get_user(tui_app, user.acs_user_id)).acs_user_id == user.acs_user_id


async def test_a_profile_the_os_will_not_let_us_write_keeps_the_workspace_form(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    MemoryKeyring.passwords = {}
    keyring.set_keyring(MemoryKeyring())
    globex_key = local_sandbox().workspaces()[1].api_key
    # /proc/self is a directory where no file can be made, even by root.
    monkeypatch.setenv("SEAM_TUI_CONFIG_DIR", "/proc/self")
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_workspace_form(pilot, tui_app)
        await save_globex_profile(pilot, form, globex_key)
        await wait_until(pilot, lambda: "Not saved" in message_of(form))

        message = message_of(form)
        assert "the profile file /proc/self/workspaces.toml could not be written" in message
        assert "nothing was saved" in message
        assert globex_key not in message
        assert tui_app.screen is form
        assert form.query_one("#profile_name", Input).value == "globex"
        assert form.query_one("#secret", Input).value == globex_key
        assert MemoryKeyring.passwords == {}  # the key stored for it was taken back
    MemoryKeyring.passwords = {}


async def test_a_profile_file_broken_while_the_tui_runs_is_said_on_the_workspaces_screen(
    tui_app: SeamApp, notes: list[str]
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        profiles_path().parent.mkdir(parents=True, exist_ok=True)
        profiles_path().write_bytes(b"active = \xff\n")
        await pilot.press("w")
        await wait_until(pilot, lambda: any("profile file" in n for n in notes))
        [said] = [n for n in notes if "profile file" in n]
        assert f"profile file {profiles_path()} is not valid UTF-8 (line 1: byte ff)" in said
        assert "move it aside" in said
        assert tui_app.is_running
