"""Offline emulator of the Seam Connect API (user identities, ACS users, systems, access
groups, workspaces) over SQLite, for the TUI, the MCP server and tests."""

from seam_tui.sandbox.faults import FaultConfig
from seam_tui.sandbox.sandbox import Sandbox, SandboxWorkspace, default_db_path

__all__ = ["FaultConfig", "Sandbox", "SandboxWorkspace", "default_db_path"]
