"""Run the real `seam-tui` (no arguments: the TUI), for tests/tui/test_crash.py, in a terminal.

    python crash_harness.py crash   the service's `current_workspace` (called as the app
                                    mounts) raises an error whose message, and whose frame's
                                    locals, hold the API key in SEAM_API_KEY
    python crash_harness.py run     no fault: the program as shipped

Nothing else is changed: the workspace comes from SEAM_API_KEY / SEAM_ENDPOINT, the data and
config dirs from SEAM_TUI_DATA_DIR / SEAM_TUI_CONFIG_DIR, all set by the test. Textual is not
imported here before `seam_tui.cli.main` runs (TEXTUAL_LOG must still be in the environment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def inject_fault() -> None:
    from seam_tui.core.service import SeamService

    async def current_workspace(self: SeamService, *args: Any, **kwargs: Any) -> Any:
        api_key = os.environ["SEAM_API_KEY"]  # a local holding the key, as a real bug's might
        raise RuntimeError(f"injected fault: the workspace of {api_key} is unknown")

    SeamService.current_workspace = current_workspace  # type: ignore[method-assign]


def main() -> int:
    if sys.argv[1:] == ["crash"]:
        inject_fault()
    elif sys.argv[1:] != ["run"]:
        print("usage: crash_harness.py crash|run", file=sys.stderr)
        return 2
    assert "textual" not in sys.modules, "the harness must not import Textual itself"
    from seam_tui.cli import main as seam_tui

    return seam_tui([])


if __name__ == "__main__":
    sys.exit(main())
