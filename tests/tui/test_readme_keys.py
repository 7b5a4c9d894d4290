"""README's TUI key table and binding-id list say what the app binds: every key a screen binds
is in its row, every key a row names is bound there, and every binding id is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from seam_tui.tui.app import SeamApp
from seam_tui.tui.marks import MarkingScreen
from seam_tui.tui.screens.access_groups import AccessGroupsScreen
from seam_tui.tui.screens.acs_user_detail import AcsUserDetailScreen
from seam_tui.tui.screens.acs_users import AcsUsersScreen
from seam_tui.tui.screens.activity import ActivityScreen
from seam_tui.tui.screens.base import SeamScreen
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_detail import IdentityDetailScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.screens.identity_picker import SearchPickerScreen
from seam_tui.tui.screens.systems import SystemsScreen
from seam_tui.tui.screens.workspaces import WorkspacesScreen
from seam_tui.tui.user_config import binding_ids
from seam_tui.tui.widgets.form import FormScreen
from seam_tui.tui.widgets.key_table import KeyTable

README = Path(__file__).parents[2] / "README.md"

# The table's first column (without its key) -> the classes whose bindings that row lists.
ROWS: dict[str, tuple[type[DOMNode], ...]] = {
    "Everywhere": (SeamApp, KeyTable, SeamScreen),
    "Identities (home)": (IdentitiesScreen, MarkingScreen),
    "Identity detail": (IdentityDetailScreen,),
    "ACS user": (AcsUserDetailScreen,),
    "ACS systems": (SystemsScreen,),
    "Access groups": (AccessGroupsScreen,),
    "ACS users": (AcsUsersScreen, MarkingScreen),
    "Activity": (ActivityScreen,),
    "Workspaces": (WorkspacesScreen,),
    "Forms": (FormScreen, IdentityFormScreen),
    "Pickers": (SearchPickerScreen,),
}
# Keys a row may name that Textual binds itself.
TEXTUAL_KEYS = {"ctrl+p"}
# How the README writes a key -> Textual's name for it.
NAMES = {
    "/": "slash",
    "?": "question_mark",
    "]": "right_square_bracket",
    "[": "left_square_bracket",
}
KEY = re.compile(r"^(?:[^\s]|[A-Za-z]+\+[A-Za-z0-9]+|Enter|Esc|space|down|up)$")


def key_name(written: str) -> str:
    if written in NAMES:
        return NAMES[written]
    if written == "Esc":
        return "escape"
    if "+" in written:
        return written.lower()
    return written.lower() if len(written) > 1 else written


def table_rows() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Screen | Keys |") :].split("\n\n", 1)[0]
    rows: dict[str, str] = {}
    for line in table.splitlines()[2:]:
        first, keys = (cell.strip() for cell in line.strip("|").split("|", 1))
        rows[re.sub(r"^`[^`]+` ", "", first)] = keys
    return rows


def bound_keys(classes: tuple[type[DOMNode], ...]) -> set[str]:
    found: set[str] = set()
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description:
                found.update(key.strip() for key in binding.key.split(","))
    return found


def test_the_table_has_a_row_for_each_screen() -> None:
    assert set(table_rows()) == set(ROWS)


@pytest.mark.parametrize("row", list(ROWS))
def test_each_row_names_exactly_the_keys_its_screen_binds(row: str) -> None:
    tokens = re.findall(r"`([^`]+)`", table_rows()[row])
    written = {key_name(token) for token in tokens if KEY.match(token)}
    bound = bound_keys(ROWS[row])
    if row != "Everywhere":
        bound -= bound_keys(ROWS["Everywhere"])  # listed once, in that row
    assert sorted(bound - written) == [], "bound but not in the README"
    allowed = bound | bound_keys(ROWS["Everywhere"]) | TEXTUAL_KEYS
    assert sorted(written - allowed) == [], "in the README but not bound"


def test_every_binding_id_is_listed() -> None:
    text = README.read_text(encoding="utf-8")
    text = text[text.index("Every binding id") :].split("\n\n", 2)[1]
    listed: set[str] = set()
    for prefix, names in re.findall(r"^- `([a-z_]+\.)`: (.+)$", text, flags=re.MULTILINE):
        listed.update(prefix + name for name in re.findall(r"`([a-z_0-9]+)`", names))
    listed.update(re.findall(r"^- `([a-z_]+)`", text, flags=re.MULTILINE))
    assert sorted(binding_ids() - listed) == [], "ids missing from the README"
    assert sorted(listed - binding_ids()) == [], "README ids the app does not have"
