"""The TUI's own settings, `tui.toml` in the user config dir: a theme and a keymap.

    theme = "textual-light"

    [keys]                       # binding id = key, or several keys separated by commas
    "identities.new" = "N"
    "app.quit" = "q,ctrl+q"

A setting that cannot be used is left out and named in one warning (the file, the setting,
what is wrong); the app starts either way. Every binding's id is listed by `binding_ids()`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import stat
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from seam_tui.paths import PRIVATE_FILE, config_dir, tighten
from seam_tui.visible import quoted

SETTINGS_FILE = "tui.toml"
# Far larger than any real settings file: a bigger one is not read.
MAX_FILE_BYTES = 1 << 16
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# A key as Textual names it: `n`, `N`, `f5`, `ctrl+n`, `question_mark`, or one printable sign.
_KEY = re.compile(r"^(?:[A-Za-z0-9_]+|[!-~])$")


@dataclass(frozen=True)
class TuiSettings:
    """What `tui.toml` asks for, with the settings that could not be used as `problems`."""

    path: Path
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        """One message naming the file and every setting left out, or None."""
        if not self.problems:
            return None
        return f"{self.path}: {'; '.join(self.problems)}. The app's defaults are used for these."


def settings_path() -> Path:
    """`tui.toml` in the user config dir."""
    return config_dir() / SETTINGS_FILE


def load_settings(themes: Collection[str], ids: Collection[str]) -> TuiSettings:
    """The settings in `tui.toml` (none when there is no file); `themes` and `ids` are the
    theme names and binding ids that exist. Never raises: problems are collected."""
    path = settings_path()
    content, problem = _read(path)
    if problem is not None:
        return TuiSettings(path, problems=(problem,))
    problems: list[str] = []
    theme = content.pop("theme", None)
    if theme is not None and (not isinstance(theme, str) or theme not in themes):
        problems.append(
            f"theme {_shown(theme)} is not a theme (one of: {', '.join(sorted(themes))})"
        )
        theme = None
    keys = content.pop("keys", {})
    if not isinstance(keys, dict):
        problems.append("keys is not a table of binding id = key")
        keys = {}
    for unknown in content:
        problems.append(f"{quoted(unknown)} is not a setting (there are theme and [keys])")
    keymap: dict[str, str] = {}
    for binding_id, value in keys.items():
        wrong = _key_problem(binding_id, value, ids)
        if wrong:
            problems.append(f"keys.{quoted(binding_id)} {wrong}")
        else:
            keymap[binding_id] = ",".join(k.strip() for k in value.split(","))
    return TuiSettings(path, theme, keymap, tuple(problems))


def _shown(value: object) -> str:
    return quoted(value) if isinstance(value, str) else f"{value!r}"


def _key_problem(binding_id: str, value: object, ids: Collection[str]) -> str | None:
    """What is wrong with one `[keys]` entry, or None."""
    if binding_id not in ids:
        return "is not a binding id (the README lists them)"
    if not isinstance(value, str) or not value.strip():
        return 'is not a key name or a comma-separated list of them, like "n" or "ctrl+n,f2"'
    for key in (k.strip() for k in value.split(",")):
        *modifiers, name = key.split("+") if len(key) > 1 else [key]
        if not _KEY.match(name) or not set(modifiers) <= MODIFIERS:
            return f'has {quoted(key)}, which is not a key name (like "n", "ctrl+n" or "f2")'
    return None


def _read(path: Path) -> tuple[dict[str, Any], str | None]:
    """The file's TOML tables, or a problem with the whole file (nothing is used then)."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return {}, "is not a file, so it was not read"
        if st.st_size > MAX_FILE_BYTES:
            return (
                {},
                f"is too large to be a settings file ({st.st_size} bytes), so it was not read",
            )
        tighten(path, PRIVATE_FILE)
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}, None
    except UnicodeDecodeError:
        return {}, "is not UTF-8 text, so it was not read"
    except OSError as exc:
        return {}, f"cannot be read ({exc.strerror or exc})"
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        return {}, f"is not valid TOML ({exc}), so none of it was used"


# ---------------------------------------------------------------------- binding ids


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def app_bindings() -> dict[type[DOMNode], list[Binding]]:
    """Every class of seam-tui that binds keys (the app, screens, widgets), with its bindings."""
    import seam_tui.tui.app  # noqa: F401  (the app's own bindings)
    import seam_tui.tui.screens as screens

    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")
    found: dict[type[DOMNode], list[Binding]] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("seam_tui."):
            continue
        own = [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]
        if own:
            found[cls] = own
    return found


def binding_ids() -> set[str]:
    """The id of every binding in the app: what `[keys]` may rebind."""
    return {b.id for bindings in app_bindings().values() for b in bindings if b.id}
