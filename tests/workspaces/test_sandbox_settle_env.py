"""SEAM_TUI_SANDBOX_SETTLE_AFTER makes the built-in sandbox settle changes later, as Seam does."""

from __future__ import annotations

import pytest

from seam_tui.workspaces import WorkspaceError
from seam_tui.workspaces.sandbox_profiles import (
    SETTLE_AFTER_VAR,
    close_local_sandboxes,
    local_sandbox,
)


def test_the_built_in_sandbox_settles_after_the_seconds_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SETTLE_AFTER_VAR, "3")
    try:
        assert local_sandbox().settle_after == 3.0
    finally:
        close_local_sandboxes()
    monkeypatch.delenv(SETTLE_AFTER_VAR)
    try:
        assert local_sandbox().settle_after == 0.0
    finally:
        close_local_sandboxes()


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "99999"])
def test_a_bad_value_names_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(SETTLE_AFTER_VAR, value)
    with pytest.raises(WorkspaceError) as caught:
        local_sandbox()
    assert SETTLE_AFTER_VAR in str(caught.value)
    assert "seconds from 0 to 3600" in str(caught.value)
