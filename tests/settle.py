"""The suite's settling switch: `SEAM_TUI_TEST_SETTLE_AFTER=0.3 make test-settling` (or any
pytest run with the variable set) runs every test on sandboxes whose writes settle 0.3 s later,
as the real API's do. Read at import, before the autouse fixture hides SEAM_* variables."""

from __future__ import annotations

import os

SETTLE_AFTER = float(os.environ.get("SEAM_TUI_TEST_SETTLE_AFTER", "0") or 0)
