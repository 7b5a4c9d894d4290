"""`seam-mcp config claude-desktop|vscode|cursor`: the snippet that adds this install's
`seam-mcp` to an assistant, with its real absolute path (a clone's .venv, pipx or uv tool).

Only paths and flags go in it, never a key: the server reads its secrets from the profile."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

CLIENTS = ("claude-desktop", "vscode", "cursor")
SERVER_NAME = "seam"
# Where seam-tui keeps profiles and data when moved from the defaults: the assistant starts the
# server with its own environment, so a moved directory must be passed on.
PASSED_ON = ("SEAM_TUI_CONFIG_DIR", "SEAM_TUI_DATA_DIR")

WHERE = {
    "claude-desktop": (
        "Claude Desktop: Settings → Developer → Edit Config opens claude_desktop_config.json "
        "(macOS ~/Library/Application Support/Claude/, Windows %APPDATA%\\Claude\\); merge "
        "this into it and restart Claude Desktop"
    ),
    "vscode": (
        "VS Code: put this in .vscode/mcp.json in the workspace, or run `MCP: Open User "
        "Configuration` for every workspace (the key is `servers`)"
    ),
    "cursor": (
        "Cursor: merge this into ~/.cursor/mcp.json (all projects) or .cursor/mcp.json "
        "(one project)"
    ),
}


def seam_mcp_path() -> str:
    """The absolute path of this install's `seam-mcp`: the script beside the running Python
    (a venv's bin/, as pipx and uv tool make), else the one on PATH."""
    scripts = Path(sys.executable).parent
    for name in ("seam-mcp", "seam-mcp.exe"):
        if (scripts / name).is_file():
            return str((scripts / name).absolute())
    found = shutil.which("seam-mcp")
    return str(Path(found).absolute()) if found else str(scripts / "seam-mcp")


def server_args(
    *,
    workspace: str | None,
    read_only: bool,
    tools: list[str] | None,
    exclude_tools: list[str] | None,
) -> list[str]:
    """The command-line options the assistant should start `seam-mcp` with."""
    args: list[str] = []
    if workspace:
        args += ["--workspace", workspace]
    if read_only:
        args.append("--read-only")
    if tools:
        args += ["--tools", ",".join(tools)]
    if exclude_tools:
        args += ["--exclude-tools", ",".join(exclude_tools)]
    return args


def snippet(client: str, args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON to merge into `client`'s MCP configuration."""
    server: dict[str, Any] = {"command": seam_mcp_path(), "args": args}
    environment = {k: v for k, v in (os.environ if env is None else env).items() if k in PASSED_ON}
    if environment:
        server["env"] = dict(sorted(environment.items()))
    if client == "vscode":
        return {"servers": {SERVER_NAME: {"type": "stdio", **server}}}
    return {"mcpServers": {SERVER_NAME: server}}
