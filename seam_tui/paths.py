"""Where seam-tui keeps its files: the user config and data dirs, overridable by env vars.

Its directories are 0700 and its files 0600: only the user can read profiles, the audit log,
crash reports or the sandbox's keys. A directory made here is made 0700; an existing one is
tightened only when it is the platform's default location (a directory named by
`SEAM_TUI_CONFIG_DIR` / `SEAM_TUI_DATA_DIR` may be shared, e.g. /tmp, and is left as it is:
what seam-tui writes in it is still 0600).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "seam-tui"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def config_dir() -> Path:
    """The directory for non-secret configuration (`SEAM_TUI_CONFIG_DIR` overrides)."""
    override = os.environ.get("SEAM_TUI_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """The directory for the sandbox database and the audit log (`SEAM_TUI_DATA_DIR` overrides)."""
    override = os.environ.get("SEAM_TUI_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME)


def _is_default(path: Path) -> bool:
    defaults = (platformdirs.user_config_path(APP_NAME), platformdirs.user_data_path(APP_NAME))
    return path in defaults


def tighten(path: Path, mode: int) -> bool:
    """Clear the permission bits of `path` outside `mode` (never adding any), when it is a
    regular file or directory of this user's (a symlink is not followed). True if changed."""
    if os.name != "posix":
        return False
    try:
        st = os.lstat(path)
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            return False
        if st.st_uid != os.geteuid() or not stat.S_IMODE(st.st_mode) & ~mode:
            return False
        os.chmod(path, stat.S_IMODE(st.st_mode) & mode, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return False
    return True


def private_dir(path: Path, *, ours: bool = False) -> Path:
    """Make sure the directory `path` exists; every directory made now (its missing parents
    too) is 0700. An existing one is tightened to 0700 when `ours` (or when it is the default
    config or data dir); existing parents are never changed. Raises OSError when it cannot
    be made."""
    made = _make_dirs(path)
    if os.name == "posix":
        for directory in made:
            os.chmod(directory, PRIVATE_DIR)  # whatever the umask left
    if path not in made and (ours or _is_default(path)) and path.is_dir():
        tighten(path, PRIVATE_DIR)
    return path


def _make_dirs(path: Path) -> list[Path]:
    """Create `path` and its missing parents, each with mode 0700 (before the umask); the
    directories this call made, outermost first (none when `path` was there)."""
    missing: list[Path] = []
    current = path
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    made: list[Path] = []
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made by someone else meanwhile: not ours to change
        made.append(directory)
    return made


def private_config_dir() -> Path:
    """The config dir, made (0700) if missing."""
    return private_dir(config_dir())


def private_data_dir() -> Path:
    """The data dir, made (0700) if missing."""
    return private_dir(data_dir())


def tighten_existing_dirs() -> None:
    """Tighten the default config and data dirs, where they exist (on every start)."""
    for path in (config_dir(), data_dir()):
        if path.is_dir() and _is_default(path):
            tighten(path, PRIVATE_DIR)
