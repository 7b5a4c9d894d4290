"""Crashes and secrets: an unexpected error is a crash report (no locals, no key) and one line,
never a traceback; a key no request could carry is refused beside its field; TEXTUAL_LOG and
Textual's devtools, which record every key typed or pasted, are turned off.

The pseudo-terminal tests run the real program (`tests/tui/crash_harness.py` calls
`seam_tui.cli.main([])`) as a user would, in a 120x36 xterm, on a sandbox served from a
directory outside the config and data dirs (it plays Seam, and holds the key as Seam does).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import fail
from textual.widgets import Input
from textual.worker import WorkerFailed

from seam_tui.core.service import SeamService
from seam_tui.crash import reports_dir
from seam_tui.paths import config_dir, data_dir
from seam_tui.sandbox import Sandbox
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.workspace_form import WorkspaceFormScreen
from seam_tui.workspaces import profiles_path, resolve_workspace
from tests.tui.conftest import SIZE, open_workspace_form, wait_until
from tests.tui.pty_terminal import RUN_LIMIT_S, Terminal, program_env
from tests.workspaces.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("crash_harness.py")
CRASH_LINE = re.compile(r"seam-tui crashed \((\w+)\); crash report: (\S+\.txt)")


pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def cloud(tmp_path: Path) -> tuple[str, str]:
    """(endpoint, API key) of a sandbox outside the config and data dirs."""
    db = tmp_path / "seam-cloud" / "sandbox.sqlite3"
    sandbox = Sandbox(db)
    try:
        key = sandbox.workspaces()[0].api_key
    finally:
        sandbox.close()
    return f"sandbox://{db}", key


def needles(key: str) -> list[bytes]:
    """The key, and its random part alone (a cut or re-prefixed key still leaks that)."""
    return [key.encode(), key.removeprefix("seam_test").encode()]


def leaks(data: bytes, key: str) -> int:
    return sum(data.count(needle) for needle in needles(key))


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_a_crash_in_the_real_program_is_a_report_and_one_line_never_the_key(
    cloud: tuple[str, str],
) -> None:
    endpoint, key = cloud
    terminal = Terminal(
        [str(HARNESS), "crash"], program_env(SEAM_API_KEY=key, SEAM_ENDPOINT=endpoint)
    )
    code = terminal.finish()

    assert code == 1
    assert terminal.seconds < RUN_LIMIT_S
    text = terminal.text()
    found = CRASH_LINE.findall(text)
    assert found == [("RuntimeError", found[0][1])], text[-2000:]
    report = Path(found[0][1])
    assert report.parent == reports_dir()
    assert report.is_file()
    assert "Traceback" not in text  # no traceback
    assert "injected fault" not in text  # nor the message (it may quote data)
    assert text.rstrip().endswith(str(report))  # the last thing written, terminal restored

    content = report.read_text(encoding="utf-8")
    assert "RuntimeError: injected fault: the workspace of [redacted] is unknown" in content
    assert '/tests/tui/crash_harness.py", line ' in content
    assert "in current_workspace" in content
    assert 'raise RuntimeError(f"injected fault: the workspace of {api_key} is unknown")' in content
    assert "local variables are never recorded" in content
    assert report.stat().st_mode & 0o777 == 0o600
    assert report.parent.stat().st_mode & 0o777 == 0o700

    # The key: nowhere on the terminal, in the report or in any file of ours.
    files = files_under(config_dir(), data_dir())
    assert report in files
    found_in = {str(p): n for p in files if (n := leaks(p.read_bytes(), key))}
    assert leaks(terminal.output, key) == 0
    assert found_in == {}


def test_textual_log_is_ignored_and_said_so_while_a_key_is_typed_and_pasted(
    cloud: tuple[str, str], tmp_path: Path
) -> None:
    """The TUI on the built-in sandbox; the add-workspace form gets the key of another sandbox,
    half typed and half pasted, and saves it (proof that the key reached the app)."""
    endpoint, key = cloud
    log = tmp_path / "textual.log"
    env = program_env(
        TEXTUAL_LOG=str(log),
        PYTHON_KEYRING_BACKEND="tests.workspaces.memory_keyring.MemoryKeyring",
    )
    terminal = Terminal([str(HARNESS), "run"], env)
    terminal.wait_for("Workspaces")  # the footer of the first screen
    terminal.send("w")
    terminal.wait_for("profiles in")  # the Workspaces screen, loaded
    terminal.send("a")
    terminal.wait_for("Add a workspace profile")
    # Tab goes to the screen as a binding after the focused input has passed it up, so a key
    # sent right behind a Tab can still land in the field being left: wait after each one.
    terminal.send("leaky")
    terminal.wait_for("leaky")
    terminal.send("\t", pause=0.3)
    terminal.send(endpoint)
    terminal.wait_for("sandbox.sqlite3")
    terminal.send("\t", pause=0.3)  # to the API key / token choice
    terminal.send("\t", pause=0.3)  # to the secret
    half = len(key) // 2
    for char in key[:half]:
        terminal.send(char, pause=0.01)
    terminal.send(f"\x1b[200~{key[half:]}\x1b[201~")  # a bracketed paste
    terminal.wait_for("•" * len(key))  # the password field: one dot per character
    terminal.send("\x13")  # ctrl+s
    terminal.wait_for("Added profile")
    terminal.send("\x1b", pause=0.3)  # back from Workspaces (a lone Esc waits for a sequence)
    terminal.send("q")
    code = terminal.finish()

    assert code == 0, terminal.text()[-2000:]
    text = terminal.text()
    assert text.count("TEXTUAL_LOG is ignored") == 1
    notice = next(line for line in text.splitlines() if "TEXTUAL_LOG" in line)
    assert notice.strip() == (
        "seam-tui: warning: TEXTUAL_LOG is ignored: Textual's log records every key typed or "
        "pasted, API keys included"
    )
    assert "leaky" in profiles_path().read_text(encoding="utf-8")  # the key was verified
    assert not log.exists()  # Textual never had a log file to write
    assert leaks(terminal.output, key) == 0
    files = files_under(config_dir(), data_dir())
    assert {str(p): n for p in files if (n := leaks(p.read_bytes(), key))} == {}
    assert terminal.seconds < RUN_LIMIT_S


# ----------------------------------------------------------------------------- in the app


async def test_a_crash_while_a_key_is_typed_is_a_report_without_it(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault while the form holds a secret that looks like no key: the report scrubs it
    (it is a password field's value); Pilot still sees the failure, as Textual's own does."""
    secret = "hunter2-correct-horse-battery"

    def broken_check(typed: str, workspace_id: str | None = None) -> None:
        raise RuntimeError(f"injected fault while checking {typed}")

    async def type_the_secret_and_save() -> None:
        async with tui_app.run_test(size=SIZE) as pilot:
            form = await open_workspace_form(pilot, tui_app)
            form.query_one("#profile_name", Input).value = "acme"
            form.query_one("#secret", Input).focus()
            await pilot.press(*secret)
            await pilot.press("ctrl+s")
            await pilot.pause()

    monkeypatch.setattr("seam_tui.tui.screens.workspace_form.check_credentials", broken_check)
    with pytest.raises(RuntimeError, match="injected fault"):
        await type_the_secret_and_save()
    assert tui_app.return_code == 1
    content = report_of(tui_app.crash_message, "RuntimeError")
    assert "RuntimeError: injected fault while checking [redacted]" in content
    assert secret not in content
    assert "hunter2" not in content


def report_of(line: str | None, kind: str) -> str:
    """The text of the crash report a crash line names (checking the line's shape)."""
    assert line is not None
    found = CRASH_LINE.fullmatch(line.strip())
    assert found is not None, line
    assert found[1] == kind
    return Path(found[2]).read_text(encoding="utf-8")


async def test_a_crash_in_a_worker_names_the_workers_error(
    tui_app: SeamApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: SeamService) -> None:
        raise LookupError("injected fault")

    async def run() -> None:
        async with tui_app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: tui_app.crash_message is not None)

    monkeypatch.setattr(SeamService, "current_workspace", broken)
    with pytest.raises(WorkerFailed, match="injected fault"):
        await run()
    assert tui_app.return_code == 1
    assert tui_app.crash_message is not None
    assert tui_app.crash_message.startswith("seam-tui crashed (LookupError); crash report: ")
    assert tui_app._exit_renderables == []  # nothing for Textual to print: no traceback


async def test_devtools_and_a_log_file_set_before_the_app_are_dropped_and_said_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Textual imported with TEXTUAL_LOG set (e.g. by a caller other than `seam-tui`), and
    devtools on (`TEXTUAL=devtools`; textual-dev is not installed here, so a stand-in)."""
    from textual import constants

    class DevtoolsClient:
        is_connected = False

        def __init__(self, *args: object) -> None:
            pass

    class StdoutRedirector:
        def __init__(self, *args: object) -> None:
            pass

    fake = types.ModuleType("textual_dev")
    client = types.ModuleType("textual_dev.client")
    redirect = types.ModuleType("textual_dev.redirect_output")
    client.DevtoolsClient = DevtoolsClient  # type: ignore[attr-defined]
    redirect.StdoutRedirector = StdoutRedirector  # type: ignore[attr-defined]
    for name, module in (
        ("textual_dev", fake),
        ("textual_dev.client", client),
        ("textual_dev.redirect_output", redirect),
    ):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setenv("TEXTUAL", "devtools")
    log = tmp_path / "textual.log"
    monkeypatch.setattr(constants, "LOG_FILE", str(log))

    app = SeamApp(resolve_workspace())
    assert app.devtools is None
    assert app._devtools_redirector is None
    assert constants.LOG_FILE is None
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(app._notifications) >= 2)
        told = [n.message for n in app._notifications]
        await pilot.press("w", "a")
        await pilot.press(*"seam_testSomethingSecret123")
    assert any(t.startswith("Textual devtools are off: they would receive every key") for t in told)
    assert any(t.startswith("TEXTUAL_LOG is ignored: Textual's log would record") for t in told)
    assert not log.exists()


def shown(form: WorkspaceFormScreen, widget_id: str) -> str:
    return str(form.query_one(f"#{widget_id}").render())


async def test_a_non_ascii_key_is_refused_beside_the_secret_field(tui_app: SeamApp) -> None:
    key = "seam_testAbc123é456Def789ghi012"
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_workspace_form(pilot, tui_app)
        form.query_one("#profile_name", Input).value = "acme"
        form.query_one("#endpoint", Input).value = "sandbox://local"
        form.query_one("#secret", Input).focus()
        await pilot.press(*key)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "non-ASCII" in shown(form, "secret-error"))

        error = shown(form, "secret-error")
        assert error.startswith("the API key has a non-ASCII character at position 16;")
        assert "copy the key again" in error
        assert not any(part in error for part in ("Abc123", "456Def", "é", key))
        assert "fix the fields marked below" in shown(form, "form-message")
        assert tui_app.screen is form  # still open, nothing crashed
        assert tui_app.is_running
        assert form.query_one("#secret", Input).value == key  # every value kept
        assert form.query_one("#profile_name", Input).value == "acme"
        assert form.query_one("#endpoint", Input).value == "sandbox://local"
        assert tui_app.crash_message is None
    assert not tui_app.return_code  # None: Pilot closed it, no crash set 1


async def test_a_key_with_a_space_or_a_control_character_is_refused_beside_the_field(
    tui_app: SeamApp,
) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_workspace_form(pilot, tui_app)
        secret = form.query_one("#secret", Input)
        for value, kind in (
            ("seam_test abc123", "a space at position 10"),
            ("seam_test\x07abc123", "a control character at position 10"),
        ):
            secret.value = value
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda kind=kind: kind in shown(form, "secret-error"))
            assert "abc123" not in shown(form, "secret-error")
            assert secret.value == value
        assert tui_app.screen is form


async def test_a_non_ascii_workspace_id_is_refused_beside_its_field(tui_app: SeamApp) -> None:
    async with tui_app.run_test(size=SIZE) as pilot:
        form = await open_workspace_form(pilot, tui_app)
        form.query_one("#profile_name", Input).value = "acme"
        form.query_one("#secret", Input).value = "seam_at1_NotARealToken0123456789"
        await pilot.click("#auth-token")
        await wait_until(pilot, lambda: not form.query_one("#workspace_id", Input).disabled)
        form.query_one("#workspace_id", Input).value = "ws_ünïcode"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "non-ASCII" in shown(form, "workspace_id-error"))

        error = shown(form, "workspace_id-error")
        assert error.startswith("the workspace id has a non-ASCII character at position 4;")
        assert "NotARealToken" not in error
        assert shown(form, "secret-error") == ""
        assert form.query_one("#workspace_id", Input).value == "ws_ünïcode"
        assert form.query_one("#secret", Input).value == "seam_at1_NotARealToken0123456789"
        assert tui_app.screen is form
        assert tui_app.crash_message is None


# ----------------------------------------------------------------------------- the command line


def test_a_non_ascii_key_in_the_environment_is_one_line_for_the_tui_and_the_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "seam_testAbc123é456Def789ghi012"
    monkeypatch.setenv("SEAM_API_KEY", key)
    for args in ([], ["workspace", "show", "--check"]):
        run = run_cli(monkeypatch, capsys, *args)
        assert run.code == 1, run
        assert run.out == ""
        assert run.err.count("\n") == 1, run.err
        assert run.err.startswith("seam-tui: error: SEAM_API_KEY: the API key has a non-ASCII")
        assert "non-ASCII character at position 16" in run.err
        assert "Abc123" not in run.err
        assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("seam_testAbc123é456Def789ghi012", "non-ASCII character at position 16"),
        ("seam_testAbc 123456Def789ghi012", "a space at position 13"),
        ("seam_at1_Abc123\u200b456Def789ghi012", "invisible non-ASCII character at position 16"),
    ],
)
def test_workspace_add_with_an_impossible_key_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], secret: str, why: str
) -> None:
    keyring.set_keyring(fail.Keyring())
    args = ["workspace", "add", "acme", "--insecure-file-store"]
    if secret.startswith("seam_at"):
        args += ["--pat-stdin", "--workspace-id", "ws_1"]
    else:
        args += ["--api-key-stdin"]
    run = run_cli(monkeypatch, capsys, *args, stdin=secret + "\n")
    assert run.code == 1
    assert run.err.count("\n") == 1, run.err
    assert why in run.err
    assert "nothing was saved" in run.err
    assert "Abc" not in run.err
    assert "456Def" not in run.err
    assert not profiles_path().exists()


def test_an_unexpected_error_before_the_app_is_a_report_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cloud: tuple[str, str]
) -> None:
    _, key = cloud
    monkeypatch.setenv("SEAM_API_KEY", key)

    def broken(*args: object, **kwargs: object) -> None:
        api_key = os.environ["SEAM_API_KEY"]
        raise OSError(f"injected fault for {api_key}")

    monkeypatch.setattr("seam_tui.tui.app.resolve_workspace", broken)
    run = run_cli(monkeypatch, capsys)
    assert run.code == 1
    assert run.err.count("\n") == 1
    content = report_of(run.err, "OSError")
    assert "OSError: injected fault for [redacted]" in content
    assert leaks(content.encode(), key) == 0
    assert leaks(run.text.encode(), key) == 0


def test_ctrl_c_before_the_app_is_still_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("seam_tui.tui.app.resolve_workspace", interrupted)
    run = run_cli(monkeypatch, capsys)
    assert run.code == 130
    assert not reports_dir().exists()


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_do_not_import_textual(flag: str) -> None:
    code = (
        "import sys\n"
        "from seam_tui.cli import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
