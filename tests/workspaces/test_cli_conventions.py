"""`seam-tui` and `seam-mcp` behave like well-made CLIs: one exit-code table, quiet on a closed
pipe, `--help`/`--version` without the app, completion, `python -m seam_tui`, a clear error for
a key that cannot be read, the opt-in file store remembered, and `seam-mcp config`."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_tools.cli import build_parser, plan
from agent_tools.cli import main as mcp_main
from seam_tui.exit_codes import CLOSED_PIPE, FAILED, USAGE
from seam_tui.sandbox import SandboxWorkspace
from seam_tui.workspaces import WorkspaceSession, resolve_workspace
from tests.dir_keyring import FILE_VAR
from tests.workspaces.helpers import add_workspace, run_cli

ROOT = Path(__file__).resolve().parents[2]
Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]
APP_MODULES = ("textual", "pydantic", "httpx", "mcp", "seam_tui.core", "agent_tools.registry")


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def child(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in this test's dirs, stdin at its end, no controlling terminal."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        start_new_session=True,
    )


@pytest.mark.parametrize("module", ["seam_tui.cli", "agent_tools.cli"])
@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_no_app_code(module: str, flag: str) -> None:
    code = (
        f"import sys\nfrom {module} import main\n"
        f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(%r)))" % (APP_MODULES,)
    )
    done = child("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_help_says_no_command_opens_the_tui_and_lists_the_exit_codes() -> None:
    shown = child("-m", "seam_tui", "--help")
    assert shown.returncode == 0
    text = " ".join(shown.stdout.split())
    assert "With no command, seam-tui opens the TUI" in text
    assert "none of the commands below opens the TUI" in text
    for code in ("0", "1", "2", "130", "141"):
        assert f"\n  {code} " in shown.stdout
    assert child("-m", "seam_tui", "--version").stdout == "seam-tui 0.1.0\n"


@pytest.mark.parametrize(
    "argv",
    [["-m", "agent_tools.cli", "schemas"], ["-m", "seam_tui", "workspace", "list", "--json"]],
    ids=["seam-mcp schemas", "seam-tui workspace list"],
)
def test_a_closed_pipe_is_quiet(argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first write
    try:
        done = child(*argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == CLOSED_PIPE
    assert done.stderr == ""


def test_an_unknown_workspace_is_the_same_failure_from_both(cli: Cli) -> None:
    assert run_cli(*cli, "--workspace", "nope", "workspace", "show").code == FAILED
    assert mcp_main(["--workspace", "nope"]) == FAILED
    assert 'no workspace profile named "nope"' in cli[1].readouterr().err


def test_usage_errors_are_2_from_both(cli: Cli) -> None:
    with pytest.raises(SystemExit) as parsed:
        run_cli(*cli, "workspace", "frobnicate")
    assert parsed.value.code == USAGE
    assert mcp_main(["schemas", "--tools", "rm_rf"]) == USAGE
    assert mcp_main(["config", "cursor", "--tools", "rm_rf"]) == USAGE


@pytest.mark.usefixtures("memory_keyring")
@pytest.mark.parametrize("flag", [[], ["--api-key-stdin"]], ids=["no flag", "--api-key-stdin"])
def test_workspace_add_with_nothing_to_read_is_a_usage_error(cli: Cli, flag: list[str]) -> None:
    run = run_cli(*cli, "workspace", "add", "acme", "--endpoint", "sandbox://local", *flag)
    assert run.code == USAGE
    [line] = run.err.splitlines()
    assert line.startswith("seam-tui: error: ")
    assert "--api-key-stdin" in line
    assert "nothing was saved" in line


def test_workspace_add_with_an_empty_stdin_and_no_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case, as a process: no GetPassWarning, no 130, the documented 2."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.dir_keyring.DirKeyring")
    monkeypatch.setenv(FILE_VAR, str(tmp_path / "keyring.json"))
    done = child("-m", "seam_tui", "workspace", "add", "acme")
    assert done.returncode == USAGE, done.stderr
    assert done.stderr.startswith("seam-tui: error: stdin is not a terminal")
    assert "Warning" not in done.stderr


def test_a_file_store_profile_opens_everywhere_without_the_flag(
    cli: Cli, acme: SandboxWorkspace
) -> None:
    """No keyring: added once with --insecure-file-store; then the CLI, seam-mcp and the TUI's
    switcher (WorkspaceSession) open it with no flag, each use warned."""
    added = add_workspace(*cli, "acme", acme.api_key, "--use", insecure_file_store=True)
    assert added.code == 0, added.err
    shown = run_cli(*cli, "workspace", "show", "--check", "--json")
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["checked"]["workspace_id"] == acme.workspace_id
    assert "UNENCRYPTED" in shown.err
    assert resolve_workspace("acme").warnings
    context, _tools = plan(build_parser().parse_args(["--workspace", "acme"]))
    assert context.workspace == "acme"

    async def switch() -> str:
        session = WorkspaceSession("tui")
        try:
            service = await session.open("acme")
            return (await service.client.workspaces.get()).workspace_id
        finally:
            await session.aclose()

    assert asyncio.run(switch()) == acme.workspace_id


def test_config_prints_the_snippet_with_this_install_s_path(cli: Cli) -> None:
    assert mcp_main(["config", "vscode", "--workspace", "acme", "--read-only"]) == 0
    out, err = cli[1].readouterr()
    server = json.loads(out)["servers"]["seam"]
    assert server["type"] == "stdio"
    assert Path(server["command"]).is_absolute()
    assert Path(server["command"]).name == "seam-mcp"
    assert Path(server["command"]).is_file()
    assert server["args"] == ["--workspace", "acme", "--read-only"]
    assert server["env"] == {  # the test's moved dirs are passed on
        "SEAM_TUI_CONFIG_DIR": os.environ["SEAM_TUI_CONFIG_DIR"],
        "SEAM_TUI_DATA_DIR": os.environ["SEAM_TUI_DATA_DIR"],
    }
    assert "VS Code" in err
    assert mcp_main(["config", "claude-desktop", "--tools", "get_acs_user"]) == 0
    claude = json.loads(cli[1].readouterr().out)["mcpServers"]["seam"]
    assert claude["args"] == ["--tools", "get_acs_user"]


def completions(words: str) -> list[str]:
    """What bash offers after `words` (the last one being completed)."""
    script = child("-m", "seam_tui", "completion", "bash").stdout
    parts = words.split(" ")
    program = (
        f"{script}\nCOMP_WORDS=({' '.join(repr(p) for p in parts)}); "
        f"COMP_CWORD={len(parts) - 1}; _seam_tui_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completion_follows_the_parsers() -> None:
    assert completions("seam-tui wo") == ["workspace"]
    workspace = {"--help", "add", "list", "use", "show", "rename", "remove"}
    assert set(completions("seam-tui workspace ")) == workspace
    assert completions("seam-tui --workspace sandbox workspace ad") == ["add"]
    assert completions("seam-mcp --transport ") == ["stdio", "streamable-http"]
    assert completions("seam-mcp config c") == ["claude-desktop", "cursor"]
    assert completions("seam-tui mcp schemas --format ") == ["openai", "anthropic"]
    assert completions("seam-tui sandbox seed --db ") == []  # a file: the shell's own completion


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion_follows_the_parsers(tmp_path: Path) -> None:
    script = tmp_path / "seam-tui.fish"
    script.write_text(child("-m", "seam_tui", "completion", "fish").stdout)
    done = subprocess.run(
        ["fish", "--no-config", "-c", f"source {script}; complete -C 'seam-tui workspace '"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {"add", "list", "use", "show", "rename", "remove"} <= set(done.stdout.split())


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_loads() -> None:
    script = child("-m", "seam_tui", "completion", "zsh").stdout
    done = subprocess.run(
        ["zsh", "-f", "-c", f"{script}\n(( $+functions[_seam_tui_complete] )) && echo ok"],
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "ok", done.stderr
