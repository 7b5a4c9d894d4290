"""The registry: one list, selection by flags, no MCP import, and errors mapped for the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent_tools.errors import from_seam_error
from agent_tools.registry import TOOLS, select_tools
from seam_tui.core.errors import (
    SeamConflictError,
    SeamConnectError,
    SeamInvalidInputError,
    SeamNotFoundError,
    SeamRateLimitedError,
    SeamReadOnlyError,
    SeamUnauthorizedError,
)

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_tools_does_not_import_the_mcp_sdk() -> None:
    code = (
        "import sys, agent_tools, agent_tools.registry, agent_tools.chat; "
        "assert not [m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'mcp_'))]"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_lean_toolset_with_one_description_each() -> None:
    assert len(TOOLS) == 19
    assert len({t.name for t in TOOLS}) == 19
    for tool in TOOLS:
        assert tool.description.split("\n\n")[0].endswith(".")
        assert "\n\n" in tool.description  # what it does, then when to use it / what it returns


def test_selection() -> None:
    read = select_tools(read_only=True)
    assert read
    assert all(t.hints.read_only for t in read)
    assert [t.name for t in select_tools(include=["get_acs_user", "list_workspaces"])] == [
        "list_workspaces",
        "get_acs_user",
    ]
    assert "delete_acs_user" not in [t.name for t in select_tools(exclude=["delete_acs_user"])]
    with pytest.raises(ValueError, match="unknown tool"):
        select_tools(include=["nope"])


def test_core_errors_become_messages_with_a_next_step() -> None:
    conflict = SeamConflictError(
        "email address a@b.co is already used by identity Ann (ui_1); choose another",
        status=409,
        type="user_identity_email_address_taken",
        request_id="req_1",
        field_errors={"email_address": ["email address a@b.co is already used"]},
    )
    assert str(from_seam_error(conflict)) == (  # what Seam said is quoted, as data
        'Seam API error 409 user_identity_email_address_taken: "email address a@b.co is already '
        'used by identity Ann (ui_1); choose another" [request_id req_1].'
    )
    invalid = SeamInvalidInputError(
        "Invalid input", status=400, type="invalid_input", field_errors={"limit": ["too big"]}
    )
    assert '(limit: "too big")' in str(from_seam_error(invalid))
    refused = SeamUnauthorizedError("Unauthorized", status=401, type="unauthorized")
    assert "Nothing was changed" in str(from_seam_error(refused))
    limited = SeamRateLimitedError("Slow down", status=429, type="rate_limited", retry_after=3)
    assert "wait 3 s" in str(from_seam_error(limited))
    down = SeamConnectError("could not connect to https://connect.getseam.com")
    assert "the change may have been applied" in str(from_seam_error(down))
    refused = SeamConflictError(
        "device_id: Front Door is already granted to Ann; revoke it first",
        status=409,
        type="refused_by_service",
    )
    assert str(from_seam_error(refused)) == (
        "device_id: Front Door is already granted to Ann; revoke it first. Nothing was changed."
    )
    no_device = SeamNotFoundError("device not found", status=404, type="device_not_found")
    assert "search_devices returns valid device ids" in str(from_seam_error(no_device))
    read_only = SeamReadOnlyError("create_user_identity refused: workspace 'x' is read-only.")
    assert str(from_seam_error(read_only)) == read_only.message
