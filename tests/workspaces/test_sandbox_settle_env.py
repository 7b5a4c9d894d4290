"""SEAM_TUI_SANDBOX_SETTLE_AFTER makes every sandbox a process opens settle changes later, as
Seam does: the built-in one and `sandbox serve` (unless --settle-after says otherwise)."""

from __future__ import annotations

import pytest

from seam_tui.cli import main
from seam_tui.sandbox.settle_config import SETTLE_AFTER_VAR
from seam_tui.workspaces import WorkspaceError
from seam_tui.workspaces.sandbox_profiles import close_local_sandboxes, local_sandbox


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
    assert "seconds from 0 to 86400" in str(caught.value)


def test_sandbox_serve_refuses_a_bad_value_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SETTLE_AFTER_VAR, "soon")
    assert main(["sandbox", "serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert SETTLE_AFTER_VAR in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
