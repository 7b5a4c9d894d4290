"""The core tests' sandbox: settling writes after SEAM_TUI_TEST_SETTLE_AFTER seconds when set
(e.g. 0.3), so the whole suite can be run once with changes that settle later."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from seam_tui.sandbox import Sandbox

# Read at import, before the autouse fixture hides SEAM_* variables from the tests.
SETTLE_AFTER = float(os.environ.get("SEAM_TUI_TEST_SETTLE_AFTER", "0") or 0)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(tmp_path / "sandbox.sqlite3", settle_after=SETTLE_AFTER)
    yield sb
    sb.close()
