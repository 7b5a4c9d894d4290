"""The README is true line by line: every shell block and Python snippet in it runs as written,
in README order, as a new user's would, but in a temp HOME (config, data, keyring and
`~/.config` all in tmp: never the user's data).

What cannot run inside the suite, and how it is covered instead:
- `make run` / `make test`: `test_make_run_is_runtime_only_and_make_test_adds_the_dev_tools`
  checks their recipes (`make -n`); the installs themselves were run in fresh venvs.
- `pipx install .` / `uv tool install .`: they install from the network into ~/.local; the
  wheel they build is the one `python -m build` makes (checked by hand in /tmp venvs).
- A command that opens the TUI (`seam-tui` with no command) is run as the same command plus
  `workspace show`: the workspace the TUI would open resolves and is shown; tests/tui drive
  the TUI itself.
- A server (`sandbox serve`, `seam-mcp --transport streamable-http`) is started, must say it is
  up, and is stopped at the end; its port is swapped for a free one (only that changes).
- The chat-agent snippet runs against a stand-in for the `anthropic` package (its network
  client), so the loop, the tool definitions and `call_tool` run for real.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agent_tools.client_config import PASSED_ON
from seam_tui.exit_codes import TABLE
from tests.dir_keyring import FILE_VAR

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV_BIN = Path(sys.prefix) / "bin"
NOT_IN_SUITE = ("make ", "pipx ", "uv ")
SERVER_UP = ("Uvicorn running", '"url"', "serving ")

ANTHROPIC_STAND_IN = '''
"""Stands in for Anthropic's client: asks for one tool, then answers with its result."""
import json
from types import SimpleNamespace as Block


class _Messages:
    async def create(self, *, model, max_tokens, system, tools, messages):
        assert system and "search_acs_users" in {tool["name"] for tool in tools}
        if len(messages) == 1:
            use = Block(type="tool_use", id="toolu_1", name="search_acs_users",
                        input={"status": "suspended"})
            return Block(content=[use])
        return Block(content=[Block(type="text", text="ANSWER " + json.dumps(messages[-1]))])


class AsyncAnthropic:
    def __init__(self):
        self.messages = _Messages()
'''


@dataclass
class Block:
    lang: str
    text: str
    line: int


def readme_blocks() -> list[Block]:
    """Every fenced block of the README (indented ones dedented), in order."""
    blocks: list[Block] = []
    lines = README.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^(\s*)```(\S*)\s*$", lines[i])
        if fence:
            indent, start = fence.group(1), i
            i += 1
            body: list[str] = []
            while not lines[i].startswith(indent + "```"):
                body.append(lines[i])
                i += 1
            blocks.append(Block(fence.group(2), textwrap.dedent("\n".join(body)), start + 1))
        i += 1
    return blocks


def shell_commands(text: str) -> list[str]:
    """The commands of a shell block: continuations joined, blank and comment lines dropped."""
    joined = text.replace("\\\n", " ")
    return [c for c in joined.splitlines() if c.strip() and not c.lstrip().startswith("#")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Home:
    """A new user's machine in tmp: HOME, config, data, keyring; cwd has `.venv` (this venv)."""

    tmp: Path
    env: dict[str, str] = field(default_factory=dict)
    servers: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def cwd(self) -> Path:
        return self.tmp / "clone"

    def run(self, command: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=self.cwd,
            env={**self.env, **extra_env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def python(self, code: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return self.run(f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}", **extra_env)

    def serve(self, command: str) -> int:
        """Start a server (its port swapped for a free one); return the port once it is up."""
        port = free_port()
        if "--port" in command:
            command = re.sub(r"--port \d+", f"--port {port}", command)
        else:
            command += f" --port {port}"
        log = self.tmp / f"server-{len(self.servers)}.log"
        log.touch()
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command} > {log} 2>&1"],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.servers.append(server)
        deadline = time.monotonic() + 60
        while not any(up in log.read_text() for up in SERVER_UP):
            assert server.poll() is None, f"{command} exited: {log.read_text()}"
            assert time.monotonic() < deadline, f"{command} never said it was up"
            time.sleep(0.1)
        return port

    def stop_servers(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    (tmp_path / "clone").mkdir()
    (tmp_path / "clone" / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "home").mkdir()
    (tmp_path / "stand-ins" / "anthropic").mkdir(parents=True)
    (tmp_path / "stand-ins" / "anthropic" / "__init__.py").write_text(ANTHROPIC_STAND_IN)
    keep = ("LANG", "LC_ALL", "TERM", "SYSTEMROOT", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(tmp_path / "home"),
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        SEAM_TUI_CONFIG_DIR=str(tmp_path / "home" / "config"),
        SEAM_TUI_DATA_DIR=str(tmp_path / "home" / "data"),
        PYTHON_KEYRING_BACKEND="tests.dir_keyring.DirKeyring",
        PYTHONPATH=str(ROOT),
        **{FILE_VAR: str(tmp_path / "home" / "keyring.json")},
    )
    user = Home(tmp_path, env)
    yield user
    user.stop_servers()


def opens_the_tui(argv: list[str]) -> bool:
    """`seam-tui [--workspace NAME] [--read-only] ...` with no command."""
    if {"--version", "--help", "-h"} & set(argv):
        return False
    words = iter(argv[1:])
    for word in words:
        if word == "--workspace":
            next(words, None)
        elif not word.startswith("-"):
            return False
    return True


def run_shell_block(home: Home, block: Block, mcp: dict[str, str]) -> None:
    for line in shell_commands(block.text):
        command = re.sub(r"\s+# .*$", "", line)
        where = f"README line {block.line}: {command}"
        if command.startswith(NOT_IN_SUITE):
            continue
        argv = command.split()
        program = next((w for w in argv if "=" not in w), "")
        if program.endswith("seam-tui") and opens_the_tui(argv[argv.index(program) :]):
            shown = home.run(f"{command} workspace show --json")
            assert shown.returncode == 0, f"{where}\n{shown.stderr}"
            continue
        serves = "sandbox serve" in command or "streamable-http" in command
        if serves:
            port = home.serve(command)
            if "streamable-http" in command:
                mcp["SEAM_MCP_URL"] = f"http://127.0.0.1:{port}/mcp"
            continue
        done = home.run(command, **(mcp if "SEAM_MCP_URL" in command else {}))
        assert done.returncode == 0, f"{where}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, where
        if "curl" in command:
            assert done.stdout.strip() in {"401", "200"}, where


def check_transcript(home: Home, block: Block) -> None:
    """A `text` block that starts `$ command` shows exactly what the command prints."""
    first, *shown = block.text.splitlines()
    done = home.run(first.removeprefix("$ "))
    assert done.returncode == 2, done.stderr
    assert (done.stdout + done.stderr).splitlines() == shown


@pytest.mark.timeout(900)
def test_every_shell_block_and_python_snippet_runs_as_written(home: Home) -> None:
    mcp: dict[str, str] = {}
    ran = 0
    for block in readme_blocks():
        if block.lang == "sh":
            run_shell_block(home, block, mcp)
            if "seam-mcp/tokens" in block.text:
                tokens = (Path(home.env["HOME"]) / ".config/seam-mcp/tokens").read_text()
                mcp["SEAM_MCP_TOKEN"] = tokens.splitlines()[0].split(":", 1)[1]
        elif block.lang == "text" and block.text.startswith("$ "):
            check_transcript(home, block)
        elif block.lang == "python":
            env = mcp if "SEAM_MCP_URL" in block.text else {}
            if "import anthropic" in block.text:
                env = {"PYTHONPATH": f"{home.tmp / 'stand-ins'}{os.pathsep}{ROOT}"}
            done = home.python(block.text, **env)
            where = f"README line {block.line}"
            assert done.returncode == 0, f"{where}\n{done.stdout}\n{done.stderr}"
            if "import anthropic" in block.text:
                assert done.stdout.startswith("ANSWER "), done.stdout
                assert '"tool_use_id": "toolu_1"' in done.stdout
                assert '"is_error": true' not in done.stdout
        else:
            continue
        ran += 1
    assert ran >= 12
    assert "seam-tui" in (Path(home.env["HOME"]) / ".config/fish/conf.d/seam-tui.fish").read_text()


def test_the_usage_lines_name_only_options_that_exist() -> None:
    """The `text` synopsis of `workspace`: every option in it is one the command takes."""
    [synopsis] = [b for b in readme_blocks() if b.text.startswith("seam-tui workspace add")]
    for line in synopsis.text.splitlines():
        usage = line.split("#")[0]
        command = usage.split()[:3]
        helped = subprocess.run(
            [VENV_BIN / "seam-tui", *command[1:], "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for option in re.findall(r"--[a-z-]+", usage):
            assert option in helped, f"{' '.join(command)}: {option}"


def test_the_mcp_client_snippets_are_what_seam_mcp_config_prints() -> None:
    snippets = [json.loads(b.text) for b in readme_blocks() if b.lang == "json"]
    for client, args in (("claude-desktop", []), ("vscode", ["--read-only"])):
        printed = subprocess.run(
            [VENV_BIN / "seam-mcp", "config", client, *args],
            env={k: v for k, v in os.environ.items() if k not in PASSED_ON},
            capture_output=True,
            text=True,
            check=True,
        )
        made = json.loads(printed.stdout)
        [shown] = [s for s in snippets if s.keys() == made.keys()]
        [(name, server)] = made[next(iter(made))].items()
        assert shown[next(iter(shown))][name] == {**server, "command": server_path(shown)}
        assert Path(server["command"]).is_file()
        assert server["args"] == args


def server_path(snippet: dict[str, dict[str, dict[str, str]]]) -> str:
    [server] = next(iter(snippet.values())).values()
    return server["command"]


def test_the_exit_code_table_is_the_one_the_commands_use() -> None:
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", text, flags=re.MULTILINE)
    assert [(int(code), meaning.replace("\\|", "|")) for code, meaning in rows] == list(TABLE)


def test_the_layout_names_paths_that_exist() -> None:
    [layout] = [b for b in readme_blocks() if b.lang == "" and "seam_tui/core/" in b.text]
    for line in layout.text.splitlines():
        assert (ROOT / line.split()[0]).exists(), line


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_is_runtime_only_and_make_test_adds_the_dev_tools(tmp_path: Path) -> None:
    """`make -n` on a copy of the Makefile with no venv: what each target would run."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")

    # As typed in a shell, also when the suite itself runs under `make test` (a make inside
    # make would add "Entering directory" lines and take the outer make's flags).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}

    def plan(target: str, *extra: str) -> str:
        return subprocess.run(
            ["make", "--no-print-directory", "-n", target, *extra],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout

    run = plan("run")
    assert "pip install --quiet -e .\n" in run
    assert "[dev]" not in run
    assert run.rstrip().endswith(".venv/bin/seam-tui")
    test = plan("test")
    assert "pip install --quiet -e '.[dev]'" in test
    for tool in ("ruff check .", "mypy", "pytest -q -n auto"):
        assert tool in test
    for target, tracked in (("bench", "--update"), ("screenshots", "--update")):
        assert tracked not in plan(target)
        assert tracked in plan(target, "UPDATE=1")
