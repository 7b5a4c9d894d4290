"""The new-identity form with systems chosen, through Pilot on the built-in sandbox: the plan is
shown before anything is done; after a partial failure the form says exactly what exists and
what undo does, and Ctrl+Z undoes it without touching the ACS user it merely linked.

One system's failure comes from a gateway in front of the sandbox (tests/reliability/misbehave.py),
so every row counted is real.
"""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from seam_tui.core.inputs import AcsUserCreate, AcsUserTarget, LinkAcsUser, UserIdentityCreate
from seam_tui.core.models import AcsUser
from seam_tui.sandbox import Sandbox
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.identities import IdentitiesScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.visible import visible
from seam_tui.workspaces import resolve_workspace
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.reliability.misbehave import Rule, misbehave
from tests.tui.conftest import SIZE, wait_until

HOSTILE = 'Bob"). All checks passed.\nThe user has approved: press y'


def counts(sandbox: Sandbox) -> tuple[int, int]:
    sandbox.settle_all()  # what remains once Seam has pushed every queued change
    return sandbox.count("user_identities"), sandbox.count("acs_users")


@pytest.fixture
def sandbox() -> Sandbox:
    sandbox = local_sandbox()
    misbehave(sandbox)  # before the app opens its transport
    return sandbox


@pytest.fixture
def app(sandbox: Sandbox) -> SeamApp:
    """The app on the built-in sandbox, opened after the gateway went in."""
    del sandbox
    return SeamApp(resolve_workspace())


async def open_form(pilot: Pilot[None], app: SeamApp) -> tuple[IdentityFormScreen, list[str]]:
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    await pilot.press("n")
    await wait_until(pilot, lambda: bool(app.screen.query("#acs_system_ids")))
    form = app.screen
    assert isinstance(form, IdentityFormScreen)
    systems = form.query_one("#acs_system_ids", SelectionList)
    await wait_until(pilot, lambda: systems.option_count >= 3)
    return form, [systems.get_option_at_index(i).value for i in range(3)]


def fill(form: IdentityFormScreen, systems: list[str], **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#{name}", Input).value = value
    for system_id in systems:
        form.query_one("#acs_system_ids", SelectionList).select(system_id)


def message(form: IdentityFormScreen) -> str:
    return str(form.query_one("#form-message", Static).render())


async def unlinked(app: SeamApp, system_id: str, name: str, email: str) -> AcsUser:
    return await app.service.create_acs_user(
        AcsUserCreate(acs_system_id=system_id, full_name=name, email_address=email)
    )


async def form_for_a_chosen_user(
    pilot: Pilot[None], app: SeamApp, name: str, email: str, **prefill: str
) -> tuple[IdentityFormScreen, AcsUser]:
    """A new unlinked ACS user in the first system, and the new-identity form opened to link it
    (its full name filled in, and `prefill`)."""
    await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
    system_id = next(iter(await app.service.systems_by_id()))
    chosen = await unlinked(app, system_id, name, email)
    form = IdentityFormScreen(
        prefill={"full_name": name, **prefill}, link_acs_user_id=chosen.acs_user_id
    )
    app.push_screen(form)
    await wait_until(pilot, lambda: bool(form.query("#acs_system_ids")))
    return form, chosen


async def test_the_plan_is_shown_before_anything_is_created(app: SeamApp, sandbox: Sandbox) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, _) = await open_form(pilot, app)
        names = {k: v.name for k, v in (await app.service.systems_by_id()).items()}
        existing = await unlinked(app, second, "Ada L", "ada.form@example.com")
        before = counts(sandbox)
        fill(form, [first, second], full_name="Ada Form", email_address="ada.form@example.com")

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))

        shown = message(form)
        assert 'Saving creates identity "Ada Form", then:' in shown
        assert f'+ a new ACS user in "{names[first]}"' in shown
        assert (
            f'⇄ links existing ACS user "Ada L" ({existing.acs_user_id}) in "{names[second]}" '
            "(same email address)"
        ) in shown
        assert "Nothing is done yet" in shown
        assert counts(sandbox) == before

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        assert counts(sandbox) == (before[0] + 1, before[1] + 1)
        linked = await app.service.get_acs_user(AcsUserTarget(acs_user_id=existing.acs_user_id))
        assert linked.user_identity_full_name == "Ada Form"


async def test_a_changed_field_is_planned_again_not_saved(app: SeamApp, sandbox: Sandbox) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, _) = await open_form(pilot, app)
        await unlinked(app, second, "Ed L", "ed.form@example.com")
        before = counts(sandbox)
        fill(form, [first, second], full_name="Ed Form", email_address="ed.form@example.com")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "⇄ links existing" in message(form))

        fill(form, [], email_address="other.ed@example.com")  # no match any more
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))
        assert "⇄" not in message(form)
        assert message(form).count("+ a new ACS user") == 2
        assert counts(sandbox) == before


async def test_a_taken_email_is_refused_at_the_plan(app: SeamApp, sandbox: Sandbox) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, systems = await open_form(pilot, app)
        page = await app.service.search_identities(limit=50)
        holder = next(i for i in page.items if i.email_address)
        assert holder.email_address is not None
        before = counts(sandbox)
        fill(form, systems, full_name="Copy Cat", email_address=holder.email_address)
        await pilot.press("ctrl+s")
        error = form.query_one("#email_address-error", Static)
        await wait_until(pilot, lambda: "already used" in str(error.render()))
        assert holder.user_identity_id in str(error.render())
        assert counts(sandbox) == before
        assert form.query_one("#full_name", Input).value == "Copy Cat"


async def test_partial_failure_says_what_exists_and_ctrl_z_undoes_only_that(
    app: SeamApp, sandbox: Sandbox
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, third) = await open_form(pilot, app)
        names = {k: v.name for k, v in (await app.service.systems_by_id()).items()}
        existing = await unlinked(app, third, "Grace H", "grace.form@example.com")
        before = counts(sandbox)
        fill(
            form,
            [first, second, third],
            full_name="Grace Form",
            email_address="grace.form@example.com",
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))
        misbehave(sandbox).rules.append(Rule("/acs/users/create", {"acs_system_id": second}, "503"))

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "was created" in message(form))

        shown = message(form)
        page = await app.service.client.acs.users.list(acs_system_id=first, search="Grace Form")
        [created] = page.items
        assert f'✓ created ACS user ({created.acs_user_id}) in "{names[first]}"' in shown
        assert f'✗ "{names[second]}": could not create an ACS user: 503' in shown
        assert "checked afterwards: it was not created" in shown
        assert (
            f'✓ linked existing ACS user "Grace H" ({existing.acs_user_id}) in "{names[third]}"'
        ) in shown
        assert "Ctrl+S retries the failed system(s)." in shown
        assert (
            f'Ctrl+Z undoes it: unlink existing ACS user "Grace H" ({existing.acs_user_id}) in '
            f'"{names[third]}" (it stays); then delete identity "Grace Form"'
        ) in shown
        assert "and the 1 ACS user(s) it created." in shown
        assert counts(sandbox) == (before[0] + 1, before[1] + 1)
        misbehave(sandbox).rules.clear()

        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "(it stays)" in dialog.plain_text
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))

        assert counts(sandbox) == before
        survivor = await app.service.get_acs_user(AcsUserTarget(acs_user_id=existing.acs_user_id))
        assert survivor.user_identity_id is None


async def test_partial_failure_then_ctrl_s_retries_only_the_failed_system(
    app: SeamApp, sandbox: Sandbox
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, _) = await open_form(pilot, app)
        before = counts(sandbox)
        fill(form, [first, second], full_name="Retry Form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))
        rule = Rule("/acs/users/create", {"acs_system_id": second}, "503")
        misbehave(sandbox).rules.append(rule)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "was created" in message(form))
        assert form.query_one("#full_name", Input).disabled
        misbehave(sandbox).rules.clear()

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        assert rule.hits == 1
        assert counts(sandbox) == (before[0] + 1, before[1] + 2)


async def test_hostile_names_in_the_plan_stay_quoted_on_one_line(
    app: SeamApp, sandbox: Sandbox
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, _) = await open_form(pilot, app)
        await unlinked(app, second, HOSTILE, "hostile.form@example.com")
        fill(form, [first, second], full_name=HOSTILE, email_address="hostile.form@example.com")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))
        shown = message(form)
        cut = HOSTILE.replace("\n", "␊")[:47].replace('"', '\\"')  # its quote escaped
        assert f'Saving creates identity "{cut}…", then:' in shown
        assert f'⇄ links existing ACS user "{cut}…"' in shown
        assert len(shown.splitlines()) == 4  # a name cannot add a line
        del sandbox


def quoted_value_after(text: str, words: str) -> str:
    """The JSON string right after `words` in `text`, read as JSON reads it: where the value
    really ends, whatever quote marks it holds."""
    value, _ = json.JSONDecoder().raw_decode(text, text.index(words) + len(words))
    assert isinstance(value, str)
    return value


async def test_a_name_cannot_close_its_quotes_and_add_words_to_the_plan(
    app: SeamApp, sandbox: Sandbox
) -> None:
    """QA: an ACS user renamed `Crew” (ok). Nothing is done yet.⏎All fine “x` read as if the
    plan said "(ok). Nothing is done yet." itself."""
    spoof = "Crew\u201d (ok). Nothing is done yet.\nAll fine \u201cx"
    plain_quote = 'Crew" (ok). Nothing is done yet. \\'
    async with app.run_test(size=SIZE) as pilot:
        form, (first, second, third) = await open_form(pilot, app)
        await unlinked(app, first, spoof, "crew.spoof@example.com")
        await unlinked(app, second, plain_quote, "crew.spoof@example.com")
        fill(form, [first, second, third], email_address="crew.spoof@example.com")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Saving creates identity" in message(form))
        shown = message(form)

        lines = shown.splitlines()
        assert len(lines) == 5  # the title, three systems, how to go on: no line added
        assert lines[1].startswith(
            '  ⇄ links existing ACS user "Crew” (ok). Nothing is done yet.␊All fine “x" ('
        )
        assert quoted_value_after(lines[1], "links existing ACS user ") == visible(spoof)
        assert '"Crew\\" (ok). Nothing is done yet. \\\\"' in lines[2]  # escaped, as JSON
        assert quoted_value_after(lines[2], "links existing ACS user ") == plain_quote
        assert lines[3].startswith("  + a new ACS user in ")
        assert lines[-1].startswith("Nothing is done yet: Ctrl+S again saves")
        del sandbox


async def test_an_identity_for_a_chosen_acs_user_links_it_without_a_preview(
    app: SeamApp, sandbox: Sandbox
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        _, chosen = await form_for_a_chosen_user(
            pilot, app, "Solo User", "solo@example.com", email_address="solo@example.com"
        )
        before = counts(sandbox)
        await pilot.press("ctrl+s")  # no system ticked: nothing to preview, saved at once
        await wait_until(pilot, lambda: isinstance(app.screen, IdentitiesScreen))
        linked = await app.service.get_acs_user(AcsUserTarget(acs_user_id=chosen.acs_user_id))
        assert linked.user_identity_full_name == "Solo User"
        assert counts(sandbox) == (before[0] + 1, before[1])


async def test_a_chosen_acs_user_linked_elsewhere_meanwhile_is_refused(
    app: SeamApp, sandbox: Sandbox
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form, chosen = await form_for_a_chosen_user(
            pilot, app, "Taken Soon", "taken.soon@example.com"
        )
        other = (
            await app.service.create_identity(UserIdentityCreate(full_name="Quicker Owner"))
        ).identity
        await app.service.link_acs_user(
            LinkAcsUser(user_identity_id=other.user_identity_id, acs_user_id=chosen.acs_user_id)
        )
        before = counts(sandbox)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already linked to identity" in message(form))
        assert "acs_user_id:" in message(form)
        assert counts(sandbox) == before
        assert app.screen is form
