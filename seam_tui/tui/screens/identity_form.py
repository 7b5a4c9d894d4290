"""Create or edit a user identity; on create, also give it ACS users in chosen systems."""

from __future__ import annotations

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import (
    LinkAcsUser,
    UserIdentityCreate,
    UserIdentityUpdate,
)
from seam_tui.core.models import UserIdentity
from seam_tui.core.results import SystemOutcome
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import Cell, lines, lit, quoted, say
from seam_tui.tui.widgets.form import FormScreen, error_line, system_label
from seam_tui.tui.widgets.text import Checklist, Line, LiteralInput

IDENTITY_FIELDS = (
    ("full_name", "Full name", "Jane Doe"),
    ("email_address", "Email", "jane@example.com"),
    ("phone_number", "Phone (E.164, with country code)", "+15555550100"),
    ("user_identity_key", "Key (your app's id for this person, optional)", "user-1234"),
)


class IdentityFormScreen(FormScreen[UserIdentity | None]):
    """Create (optionally with ACS users, or linking one) or edit an identity.

    Dismisses with the identity as it now is, or None when nothing was created. If a step after
    creating the identity fails, the form says what exists and Ctrl+S retries what is left.
    """

    def __init__(
        self,
        identity: UserIdentity | None = None,
        *,
        prefill: dict[str, str] | None = None,
        link_acs_user_id: str | None = None,
    ) -> None:
        super().__init__()
        self._identity = identity
        self._prefill = prefill or {}
        self._link_acs_user_id = link_acs_user_id
        self._created: UserIdentity | None = None
        self._pending_link: str | None = None

    def compose(self) -> ComposeResult:
        identity = self._identity
        title: Cell
        if identity is None:
            title = "New identity"
            if self._link_acs_user_id:
                source = self._prefill.get("full_name") or self._link_acs_user_id
                title = say("New identity, linked to ACS user {source}", source=source)
        else:
            title = say(
                "Edit identity {name}", name=identity.display_name or identity.user_identity_id
            )
        with VerticalScroll(classes="form-dialog"):
            yield Line(title, classes="form-title")
            yield Line(id="form-message")
            for name, label, placeholder in IDENTITY_FIELDS:
                value = (getattr(identity, name) if identity else self._prefill.get(name)) or ""
                yield from self.field(name, label, value, placeholder)
            if identity is None:
                yield Line("Create ACS users in (space toggles)", classes="field-label")
                yield Checklist(id="acs_system_ids")
                yield error_line("acs_system_ids")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#full_name", LiteralInput).focus()
        if self._identity is None:
            self._load_systems()

    @work(exclusive=True, group="form-load")
    async def _load_systems(self) -> None:
        systems_list = self.query_one("#acs_system_ids", Checklist)
        systems_list.loading = True
        try:
            systems = await self.service.systems_by_id()
        except SeamError as exc:
            self.show_errors({"acs_system_ids": f"could not load systems: {describe_error(exc)}"})
            return
        finally:
            if systems_list.is_attached:  # closing the form cancels this worker mid-request
                systems_list.loading = False
        systems_list.add_options((system_label(s), s.acs_system_id) for s in systems.values())
        if systems_list.option_count:
            systems_list.highlighted = 0  # so space ticks at once

    # ----------------------------------------------------------------- submit

    def submit(self) -> None:
        if self._created is not None:
            created, systems = self._created, self._selected_systems()
            self.save(lambda: self._finish(created, systems))
        elif self._identity is None:
            self._submit_create()
        else:
            self._submit_update(self._identity)

    def _selected_systems(self) -> list[str]:
        return list(self.query_one("#acs_system_ids", Checklist).selected)

    def _submit_create(self) -> None:
        given = {name: self.value_of(name) for name, _, _ in IDENTITY_FIELDS}
        systems = self._selected_systems()
        try:
            data = UserIdentityCreate.model_validate(
                {k: v for k, v in given.items() if v}
                # With an ACS user to link, systems wait until it is linked (it may be in one).
                | {"acs_system_ids": [] if self._link_acs_user_id else systems}
            )
        except ValidationError as exc:
            self.show_problem(exc)
            return
        self.save(lambda: self._create(data, systems))

    async def _create(self, data: UserIdentityCreate, systems: list[str]) -> None:
        result = await self.service.create_identity(data)
        self._created = result.identity
        self._pending_link = self._link_acs_user_id
        if self._link_acs_user_id:
            await self._finish(result.identity, systems)
        else:
            await self._done(result.identity, result.outcomes)

    async def _finish(self, identity: UserIdentity, systems: list[str]) -> None:
        """The steps after creating: link the ACS user (if asked), then the chosen systems."""
        if self._pending_link:
            try:
                await self.service.link_acs_user(
                    LinkAcsUser(
                        user_identity_id=identity.user_identity_id,
                        acs_user_id=self._pending_link,
                    )
                )
            except SeamError as exc:
                self._show_unfinished(identity, [], f"linking ACS user failed: {exc.message}")
                return
            self._pending_link = None
        outcomes = await self.service.add_acs_users_for_identity(identity, systems)
        await self._done(identity, outcomes)

    async def _done(self, identity: UserIdentity, outcomes: list[SystemOutcome]) -> None:
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            self._show_unfinished(identity, outcomes, None)
            return
        done = [f"{o.status} in {o.system_name}" for o in outcomes]
        linked = " and linked the chosen ACS user" if self._link_acs_user_id else ""
        name = quoted(identity.display_name or identity.user_identity_id)
        detail = f"; ACS user {', '.join(done)}" if done else ""
        self.notify(f"Created identity {name}{linked}{detail}", title="Created")
        self.seam_app.refresh_screens()
        self.dismiss(identity)

    def _show_unfinished(
        self, identity: UserIdentity, outcomes: list[SystemOutcome], link_error: str | None
    ) -> None:
        """Say what exists, what failed, and how to finish: the form now only retries."""
        for name, _, _ in IDENTITY_FIELDS:
            self.query_one(f"#{name}", LiteralInput).disabled = True
        systems_list = self.query_one("#acs_system_ids", Checklist)
        if outcomes:  # tick just the systems left to do (after a failed link, all still are)
            systems_list.deselect_all()
        report: list[Cell] = [
            say(
                "Identity {name} was created ({id}).",
                name=identity.display_name or identity.user_identity_id,
                id=identity.user_identity_id,
            )
        ]
        if link_error:
            report.append(f"  ✗ {link_error}")
        for outcome in outcomes:
            if outcome.status == "failed":
                systems_list.select(outcome.acs_system_id)
                report.append(
                    say(
                        "  ✗ {system}: {error}",
                        system=outcome.system_name,
                        error=lit(outcome.error or "failed"),
                    )
                )
            else:
                report.append(
                    say(f"  ✓ ACS user {outcome.status} in {{system}}", system=outcome.system_name)
                )
        report.append(
            "Ctrl+S retries what failed (for the systems ticked below); Esc closes and keeps "
            "the identity — delete it with d on its screen to undo."
        )
        self.set_message(lines(report), error=True)
        self.seam_app.refresh_screens()

    def _submit_update(self, identity: UserIdentity) -> None:
        changes: dict[str, str | None] = {}
        for name, _, _ in IDENTITY_FIELDS:
            new = self.edited(name, getattr(identity, name))
            if new is not None:
                changes[name] = new or None  # an emptied field is cleared on the server
        if not changes:
            self.set_message("Nothing changed: edit a field, or press Esc to close.")
            return
        try:
            data = UserIdentityUpdate.model_validate(
                {"user_identity_id": identity.user_identity_id} | changes
            )
        except ValidationError as exc:
            self.show_problem(exc)
            return
        self.save(lambda: self._update(data))

    async def _update(self, data: UserIdentityUpdate) -> None:
        identity = await self.service.update_identity(data)
        self.notify(f"Saved identity {quoted(identity.display_name)}", title="Saved")
        self.seam_app.refresh_screens()
        self.dismiss(identity)

    def action_cancel(self) -> None:
        # Once the identity exists, closing hands it back so callers show it.
        self.dismiss(self._created)
