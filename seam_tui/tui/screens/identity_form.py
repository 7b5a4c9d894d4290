"""Create or edit a user identity; on create, also give it ACS users in chosen systems."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import UserIdentityCreate, UserIdentityUpdate
from seam_tui.core.models import UserIdentity
from seam_tui.core.results import CreateIdentityResult, CreatePlan
from seam_tui.tui.errors import describe_error
from seam_tui.tui.literal import DATA_STYLE, Cell, lines, lit, say, styled
from seam_tui.tui.screens.identity_create_text import (
    name_text,
    plan_lines,
    result_lines,
    undo_lines,
)
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.form import FormScreen, error_line, system_label
from seam_tui.tui.widgets.key_footer import KeyFooter
from seam_tui.tui.widgets.text import Checklist, Line, LiteralInput

# Placeholders describe what goes in a field: none of them reads as a person's data.
IDENTITY_FIELDS = (
    ("full_name", "Full name", "first and last name"),
    ("email_address", "Email", "name@example.com"),
    ("phone_number", "Phone (E.164, with country code)", "+ country code and number"),
    ("user_identity_key", "Key (your app's id for this person, optional)", "your app's id"),
)


class IdentityFormScreen(FormScreen[UserIdentity | None]):
    """Create (optionally with ACS users, or linking one) or edit an identity.

    With systems chosen, the first Ctrl+S shows the plan (a new ACS user, or an existing one to
    link, per system) and the second saves it. Dismisses with the identity as it now is, or None
    when nothing was created. If a step after creating the identity fails, the form says exactly
    what exists: Ctrl+S retries the failures, Ctrl+Z undoes (unlinks what was linked, deletes
    what was created).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", id="identity_form.undo")
    ]

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
        self._plan: CreatePlan | None = None  # the plan on show, saved by the next Ctrl+S
        self._result: CreateIdentityResult | None = None  # a partial result: retry or undo

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
        yield KeyFooter()

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
        if self._result is not None:
            result = self._result
            self.save(lambda: self._retry(result))
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
                {k: v for k, v in given.items() if v} | {"acs_system_ids": systems}
            )
        except ValidationError as exc:
            self.show_problem(exc)
            return
        plan = self._plan
        if plan is not None and plan.identity == data:
            self.save(lambda: self._apply(plan))  # exactly the plan that is shown
        else:
            self.save(lambda: self._plan_first(data, preview=bool(systems)))

    async def _plan_first(self, data: UserIdentityCreate, *, preview: bool) -> None:
        """Check everything first; with systems chosen, show the plan and wait for Ctrl+S."""
        self._plan = None
        plan = await self.service.plan_identity_creation(
            data, link_acs_user_id=self._link_acs_user_id
        )
        if plan.problems:
            errors: dict[str, str] = {}
            for problem in plan.problems:
                errors[problem.field] = "; ".join(
                    filter(None, [errors.get(problem.field), problem.message])
                )
            self.show_errors(errors)
        elif preview:
            self._plan = plan
            self.set_message(lines(plan_lines(plan)))
        else:
            await self._apply(plan)

    async def _apply(self, plan: CreatePlan) -> None:
        self._plan = None
        result = await self.service.create_identity(plan)
        self._created = result.identity
        self._after(result)

    async def _retry(self, result: CreateIdentityResult) -> None:
        self._after(await self.service.finish_identity_creation(result))

    def _after(self, result: CreateIdentityResult) -> None:
        """Done: close with a note. Partly done: say exactly what exists, and how to go on."""
        self.seam_app.refresh_screens()
        if not result.complete:
            self._result = result
            for name, _, _ in IDENTITY_FIELDS:
                self.query_one(f"#{name}", LiteralInput).disabled = True
            self.query_one("#acs_system_ids", Checklist).disabled = True
            self.set_message(lines(result_lines(result)), error=True)
            self.refresh_bindings()
            return
        done = [f"{o.status} in {name_text(o.system_name)}" for o in result.outcomes]
        name = name_text(result.identity.display_name or result.identity.user_identity_id)
        detail = f"; ACS user {', '.join(done)}" if done else ""
        self.notify(f"Created identity {name}{detail}", title="Created")
        if result.audit_error:
            self.notify(result.audit_error, title="Not recorded", severity="warning")
        self.dismiss(result.identity)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._result is not None
        return super().check_action(action, parameters)

    def action_undo(self) -> None:
        """Ctrl+Z after a partial failure: confirm, then unlink what was linked and delete
        the identity with the ACS users this form created."""
        result = self._result
        if result is None or self._busy:
            return
        identity = result.identity
        title = say(
            "Undo creating identity {name}?",
            name=styled(name_text(identity.display_name or identity.user_identity_id), DATA_STYLE),
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self._undo(result))

        self.app.push_screen(
            ConfirmScreen(title, undo_lines(result), confirm_label="Undo"), confirmed
        )

    async def _undo(self, result: CreateIdentityResult) -> None:
        report = await self.service.undo_identity_creation(result)
        self.seam_app.refresh_screens()
        if report.deleted_identity and not report.error:
            unlinked = (
                f"; unlinked {len(report.unlinked)} ACS user(s), which stay"
                if report.unlinked
                else ""
            )
            self.notify(
                f"Deleted the identity and {len(report.deleted_acs_user_ids)} ACS user(s) it "
                f"created{unlinked}",
                title="Undone",
            )
            self._created = None
            self.dismiss(None)
            return
        done: list[Cell] = [say("Undo stopped: {error}", error=lit(report.error or "failed"))]
        if report.unlinked:
            done.append(f"Unlinked (they stay): {', '.join(report.unlinked)}.")
        if report.deleted_identity:
            done.append("The identity and the ACS users it created were deleted.")
        self.set_message(lines(done), error=True)

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
        name = name_text(identity.display_name)
        self.seam_app.settling.tell(
            identity,
            operation="update_user_identity",
            ids={"user_identity_id": identity.user_identity_id},
            done=f"Saved identity {name}",
            what=f"Profile of identity {name}",
            where="its ACS users",
            title="Saved",
        )
        self.seam_app.refresh_screens()
        self.dismiss(identity)

    def has_changes(self) -> bool:
        # Partly created: what exists is said on the form, and Esc keeps it (Ctrl+Z undoes).
        return self._result is None and super().has_changes()

    def close_form(self) -> None:
        # Once the identity exists, closing hands it back so callers show it.
        self.dismiss(self._created)
