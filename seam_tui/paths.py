"""Where seam-tui keeps its files: the user config and data dirs, overridable by env vars."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "seam-tui"


def config_dir() -> Path:
    """The directory for non-secret configuration (`SEAM_TUI_CONFIG_DIR` overrides)."""
    override = os.environ.get("SEAM_TUI_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """The directory for the sandbox database and the audit log (`SEAM_TUI_DATA_DIR` overrides)."""
    override = os.environ.get("SEAM_TUI_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME)
