"""How long the sandbox takes to settle a write: one rule for `--settle-after` and the
`SEAM_TUI_SANDBOX_SETTLE_AFTER` variable that sets it for every sandbox a process opens."""

from __future__ import annotations

import math
import os

from seam_tui.core.errors import SeamConfigurationError
from seam_tui.visible import quoted

SETTLE_AFTER_VAR = "SEAM_TUI_SANDBOX_SETTLE_AFTER"
MAX_SETTLE_AFTER = 86400.0
SETTLE_AFTER_RULE = f"a number of seconds from 0 to {MAX_SETTLE_AFTER:.0f}; 0 settles at once"


def parse_settle_after(text: str) -> float:
    """`text` as seconds; ValueError (naming the rule) when it is not one."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= MAX_SETTLE_AFTER:
        raise ValueError(f"must be {SETTLE_AFTER_RULE}, not {quoted(text)}")
    return value


def settle_after_from_env() -> float:
    """`SEAM_TUI_SANDBOX_SETTLE_AFTER` in seconds (unset or empty: 0, at once)."""
    raw = os.environ.get(SETTLE_AFTER_VAR, "").strip()
    if not raw:
        return 0.0
    try:
        return parse_settle_after(raw)
    except ValueError as exc:
        raise SeamConfigurationError(
            f"{SETTLE_AFTER_VAR} {exc}: set it to e.g. 3, or unset it", field=SETTLE_AFTER_VAR
        ) from None
