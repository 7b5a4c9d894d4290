"""Importing people from the Identities screen, through Pilot on the sandbox: `i` asks for a
file, Enter shows the plan as a table (row, action, who, what or problems), nothing changes
before `y`, the apply reports each row under a progress bar, and the list follows without `r`."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ProgressBar

from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.people_import import PeopleImportScreen
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.text import Line, LiteralInput
from tests.tui.conftest import SIZE, wait_until
from tests.tui.screen_output import screen_text

# Markup and a hidden character: shown as written (the line break made visible), never run.
HOSTILE = "[bold red]Eve[/] \x1b[2J"


def row(table: KeyTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


async def test_import_from_the_identities_screen(tui_app: SeamApp, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    async with tui_app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        home = tui_app.screen
        assert isinstance(home, IdentitiesScreen)
        await wait_until(pilot, lambda: home.table.row_count > 0)
        systems = " ".join(list(await tui_app.service.systems_by_id())[:2])
        source.write_text(
            "full_name,email_address,user_identity_key,acs_system_ids\n"
            f"Tui Person,tui1@example.com,tui-1,{systems}\n"
            f'"{HOSTILE}",tui2@example.com,tui-2,\n'
            "Bad Row,not-an-email,tui-3,\n",
            encoding="utf-8",
        )

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, PeopleImportScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, PeopleImportScreen)
        dialog.query_one("#people-path", LiteralInput).value = str(source)
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog.phase == "confirm")

        table = dialog.rows_table
        assert list(table.rows) == ["2", "3", "4"]  # CSV rows, the header being row 1
        assert row(table, "2")[:3] == ["2", "create", "Tui Person"]
        assert row(table, "2")[4].startswith('create identity (full name "Tui Person", ')
        hostile = row(table, "3")
        assert hostile[2] == "[bold red]Eve[/] ␛[2J"  # literal, the escape made visible
        assert row(table, "4")[1] == "invalid"
        assert row(table, "4")[4].startswith("email_address: ")  # the column named
        assert "1 row(s) have problems" in dialog.said
        assert "y applies the other rows, skipping them" in dialog.said
        found = await tui_app.service.search_identities("tui", limit=10)
        assert found.items == []  # the plan changed nothing

        await pilot.press("y")
        await wait_until(pilot, lambda: dialog.phase == "done")
        assert row(table, "2")[3] == "created"
        assert row(table, "3")[3] == "created"
        assert "created" in screen_text(tui_app)  # the column grew to show it whole
        assert row(table, "4")[3].startswith("skipped: row 4, ")
        table.move_cursor(row=table.get_row_index("4"))
        await pilot.pause()
        detail = str(dialog.query_one("#people-row-detail", Line).render())
        assert detail.startswith("row 4, ")  # the whole text, which the cells may cut
        assert "skipped: row 4, email_address: " in detail
        bar = dialog.query_one("#people-progress", ProgressBar)
        assert (bar.progress, bar.total) == (3, 3)
        assert dialog.said.startswith("Done: 3 row(s): 2 created, 1 skipped.")
        assert (source.parent / "people.csv.result.jsonl").exists()

        await pilot.press("escape")
        await wait_until(pilot, lambda: tui_app.screen is home)
        listed = home.table
        wanted = {"tui1@example.com", "tui2@example.com"}
        await wait_until(pilot, lambda: wanted <= {i.email_address for i in listed.items})


async def test_a_file_that_cannot_be_read_is_named_and_nothing_is_offered(
    tui_app: SeamApp, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text("full_name;email_address\nAda;ada@example.com\n", encoding="utf-8")
    async with tui_app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, PeopleImportScreen))
        dialog = tui_app.screen
        assert isinstance(dialog, PeopleImportScreen)
        path = dialog.query_one("#people-path", LiteralInput)
        for name in (tmp_path / "missing.csv", source):
            dialog.said = ""
            path.value = str(name)
            await pilot.press("enter")
            await wait_until(pilot, lambda: dialog.said.startswith(("Nothing", "The file")))
            assert dialog.phase == "path"
            assert not dialog.query_one("#people-apply").display
        assert "separated by semicolons" in dialog.said
        await pilot.press("y")  # nothing to apply: y does nothing
        assert dialog.phase == "path"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(tui_app.screen, IdentitiesScreen))
