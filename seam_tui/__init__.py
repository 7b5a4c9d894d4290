"""seam-tui: administer Seam user identities and ACS users from a TUI or an MCP server."""

__version__ = "0.1.0"
