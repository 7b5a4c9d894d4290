"""Create an ACS user in a chosen system, or edit one: name, contact, schedule, access groups.

Dismisses with the ACS user as it now is (or None); the caller says what happened, as it knows
which screen to redraw.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import AcsUserCreate, AcsUserTarget, AcsUserUpdate, field_errors
from seam_tui.core.models import AccessSchedule, AcsSystem, AcsUser, UserIdentity
from seam_tui.core.settling import SettlingKind
from seam_tui.tui.errors import describe_error
from seam_tui.tui.formatting import pending_words
from seam_tui.tui.literal import Cell, clipped, join, say
from seam_tui.tui.widgets.form import FormScreen, error_line, system_label
from seam_tui.tui.widgets.key_footer import KeyFooter
from seam_tui.tui.widgets.text import Checklist, Line, LiteralInput, Picklist

# Placeholders describe what goes in a field: none of them reads as a person's data.
CONTACT_FIELDS = (
    ("full_name", "Full name", "first and last name"),
    ("email_address", "Email", "name@example.com"),
    ("phone_number", "Phone (E.164, with country code)", "+ country code and number"),
)
SCHEDULE_FIELDS = (
    ("starts_at", "Access starts (UTC, YYYY-MM-DD HH:MM; empty = now)"),
    ("ends_at", "Access ends (UTC, YYYY-MM-DD HH:MM; empty = no end)"),
)
SCHEDULE_FIELDS_ON_EDIT = (
    ("starts_at", "Access starts (UTC, YYYY-MM-DD HH:MM)"),
    ("ends_at", "Access ends (UTC, YYYY-MM-DD HH:MM; empty both ends to remove the schedule)"),
)
SCHEDULE_PLACEHOLDERS = {"starts_at": "YYYY-MM-DD HH:MM", "ends_at": "YYYY-MM-DD HH:MM"}
BOTH_ENDS = "give both start and end, or empty both to remove the schedule"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value


def schedule_values(schedule: AccessSchedule | None) -> dict[str, str]:
    """Start and end as the form shows them, both in one format: UTC `YYYY-MM-DD HH:MM`, with
    `:SS` (and fractions) on both when either has them, so nothing is rounded away."""
    ends = {name: getattr(schedule, name, None) for name in SCHEDULE_PLACEHOLDERS}
    times = [_utc(value) for value in ends.values() if value is not None]
    pattern = "%Y-%m-%d %H:%M"
    if any(t.second or t.microsecond for t in times):
        pattern += ":%S"
    if any(t.microsecond for t in times):
        pattern += ".%f"
    return {name: _utc(v).strftime(pattern) if v else "" for name, v in ends.items()}


class AcsUserFormScreen(FormScreen[AcsUser | None]):
    """Create (with `acs_system_id` preselected, or for `user_identity`) or edit `acs_user`."""

    FIELD_FOR_ERROR: ClassVar[dict[str, str]] = {
        "access_schedule": "ends_at",
        "access_schedule.starts_at": "starts_at",
        "access_schedule.ends_at": "ends_at",
        "acs_access_group_ids": "access_groups",
    }

    def __init__(
        self,
        acs_user: AcsUser | None = None,
        *,
        acs_system_id: str | None = None,
        user_identity: UserIdentity | None = None,
    ) -> None:
        super().__init__()
        self._acs_user = acs_user
        self._acs_system_id = acs_user.acs_system_id if acs_user else acs_system_id
        self._identity = user_identity
        self._member_ids: set[str] = set()
        self._group_names: dict[str, str] = {}
        self._saved = False

    def compose(self) -> ComposeResult:
        user, identity = self._acs_user, self._identity
        title: Cell
        if user is not None:
            title = say(
                "Edit ACS user {name}", name=user.full_name or user.display_name or user.acs_user_id
            )
        elif identity is not None:
            title = say("New ACS user for identity {name}", name=identity.display_name)
        else:
            title = "New ACS user"
        with VerticalScroll(classes="form-dialog"):
            yield Line(title, classes="form-title")
            yield Line(id="form-message")
            yield Line(id="form-pending")
            if user is None:
                yield Line("Access system", classes="field-label")
                yield Picklist([], prompt="choose a system", id="acs_system_id")
                yield error_line("acs_system_id")
            source: AcsUser | UserIdentity | None = user or identity
            for name, label, placeholder in CONTACT_FIELDS:
                value = (getattr(source, name) if source else None) or ""
                yield from self.field(name, label, value, placeholder)
            schedule = schedule_values(user.access_schedule if user else None)
            for name, label in SCHEDULE_FIELDS_ON_EDIT if user else SCHEDULE_FIELDS:
                yield from self.field(name, label, schedule[name], SCHEDULE_PLACEHOLDERS[name])
            yield Line("Access groups in the system (space toggles)", classes="field-label")
            yield Checklist(id="access_groups")
            yield error_line("access_groups")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self._acs_user is None:
            self.query_one("#acs_system_id", Picklist).focus()
            self._load_systems()
        else:
            self.query_one("#full_name", LiteralInput).focus()
            self._load_groups(self._acs_user.acs_system_id)
        self._show_pending(self._acs_user)

    # ------------------------------------------------------ changes settling later

    def _show_pending(self, user: AcsUser | None) -> None:
        """Say what of the user Seam is still pushing (the fields show the new values)."""
        line = self.query_one("#form-pending", Line)
        pending = pending_words(user) if user is not None else None
        line.display = pending is not None
        if pending is not None:
            line.update(join(["Seam is still pushing to the access system: ", pending]))
        if user is not None:
            self.seam_app.settling.watch_pending([user])

    def shows_object(self, kind: SettlingKind, object_id: str) -> bool:
        user = self._acs_user
        return kind == "acs_user" and user is not None and user.acs_user_id == object_id

    def show_object(
        self, kind: SettlingKind, object_id: str, obj: AcsUser | UserIdentity | None
    ) -> None:
        """The edited user as Seam now has it: only the pending line changes (what is typed
        stays); gone, the form says so."""
        if obj is None:
            line = self.query_one("#form-pending", Line)
            line.update("This ACS user has been deleted: Esc closes the form.")
            line.display = True
        elif isinstance(obj, AcsUser):
            self._show_pending(obj)

    # ---------------------------------------------------------------- loading

    @work(exclusive=True, group="form-load")
    async def _load_systems(self) -> None:
        """Systems to choose from; those where the identity already has an ACS user are left out."""
        select = self.query_one("#acs_system_id", Picklist)
        try:
            systems = await self.service.systems_by_id()
            taken: set[str] = set()
            if self._identity is not None:
                detail = await self.service.get_identity_detail(self._identity.user_identity_id)
                taken = {u.acs_system_id for u in detail.acs_users}
        except SeamError as exc:
            self.show_errors({"acs_system_id": f"could not load systems: {describe_error(exc)}"})
            return
        choices: list[AcsSystem] = [s for s in systems.values() if s.acs_system_id not in taken]
        select.set_options((system_label(s), s.acs_system_id) for s in choices)
        if not choices:
            self.show_errors(
                {"acs_system_id": "the identity already has an ACS user in every system"}
            )
        elif self._acs_system_id in {s.acs_system_id for s in choices}:
            select.value = self._acs_system_id
        elif len(choices) == 1:
            select.value = choices[0].acs_system_id
        self.remember("acs_system_id")  # chosen by the form, not by the user

    @on(Picklist.Changed, "#acs_system_id")
    def _system_chosen(self, event: Picklist.Changed) -> None:
        groups = self.query_one("#access_groups", Checklist)
        groups.clear_options()
        if isinstance(event.value, str):
            self._load_groups(event.value)

    @work(exclusive=True, group="form-groups")
    async def _load_groups(self, acs_system_id: str) -> None:
        """The system's access groups, ticked where the ACS user (when editing) is a member."""
        groups_list = self.query_one("#access_groups", Checklist)
        groups_list.loading = True
        try:
            groups = await self.service.list_access_groups(acs_system_id)
            if self._acs_user is not None:
                member_of = await self.service.list_acs_user_access_groups(
                    self._acs_user.acs_user_id
                )
                self._member_ids = {g.acs_access_group_id for g in member_of}
        except SeamError as exc:
            self.show_errors({"access_groups": f"could not load groups: {describe_error(exc)}"})
            return
        finally:
            if groups_list.is_attached:  # closing the form cancels this worker mid-request
                groups_list.loading = False
        self._group_names = {
            g.acs_access_group_id: clipped(g.display_name or g.name) for g in groups
        }
        groups_list.clear_options()
        groups_list.add_options(
            (
                clipped(g.display_name or g.name, 60),
                g.acs_access_group_id,
                g.acs_access_group_id in self._member_ids,
            )
            for g in groups
        )
        if groups_list.option_count:
            groups_list.highlighted = 0  # so space ticks at once
        self.remember("access_groups")  # ticked by the form: the user's memberships

    # ----------------------------------------------------------------- submit

    def _schedule_texts(self) -> dict[str, str]:
        return {name: self.value_of(name) for name, _ in SCHEDULE_FIELDS}

    def _selected_groups(self) -> list[str]:
        return list(self.query_one("#access_groups", Checklist).selected)

    def submit(self) -> None:
        if self._acs_user is None:
            self._submit_create()
        else:
            self._submit_update(self._acs_user)

    def _submit_create(self) -> None:
        system = self.query_one("#acs_system_id", Picklist).value
        payload: dict[str, Any] = {
            name: value
            for name, _, _ in CONTACT_FIELDS
            if (value := self.value_of(name)) or name == "full_name"
        }
        if isinstance(system, str):
            payload["acs_system_id"] = system
        if self._identity is not None:
            payload["user_identity_id"] = self._identity.user_identity_id
        schedule = {k: v for k, v in self._schedule_texts().items() if v}
        if schedule:
            payload["access_schedule"] = schedule
        payload["acs_access_group_ids"] = self._selected_groups()
        try:
            data = AcsUserCreate.model_validate(payload)
        except ValidationError as exc:
            errors = field_errors(exc)
            if "acs_system_id" in errors and not isinstance(system, str):
                errors["acs_system_id"] = "choose the access system to create the user in"
            self.show_errors(errors)
            return
        self.save(lambda: self._create(data))

    async def _create(self, data: AcsUserCreate) -> None:
        self.dismiss(await self.service.create_acs_user(data))

    def _submit_update(self, user: AcsUser) -> None:
        changes: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, label, _ in CONTACT_FIELDS:
            new = self.edited(name, getattr(user, name))
            if new is None:
                continue
            if new:
                changes[name] = new
            else:
                errors[name] = f"an ACS user's {label.split(' (')[0].lower()} cannot be cleared"
        schedule = self._schedule_texts()
        if schedule != schedule_values(user.access_schedule):
            given = {k: v for k, v in schedule.items() if v}
            changes["access_schedule"] = given or None  # both emptied: remove the schedule
        chosen = set(self._selected_groups())
        add, remove = sorted(chosen - self._member_ids), sorted(self._member_ids - chosen)
        if not (changes or errors or add or remove):
            self.set_message("Nothing changed: edit a field, or press Esc to close.")
            return
        data = None
        if changes:
            try:
                data = AcsUserUpdate.model_validate({"acs_user_id": user.acs_user_id} | changes)
            except ValidationError as exc:
                errors = field_errors(exc) | errors
                if "access_schedule" in errors:
                    errors["access_schedule"] = BOTH_ENDS
        if errors:
            self.show_errors(errors)
            return
        self.save(lambda: self._update(user.acs_user_id, data, add, remove))

    async def _update(
        self, acs_user_id: str, data: AcsUserUpdate | None, add: list[str], remove: list[str]
    ) -> None:
        """Fields first, then memberships; what succeeded becomes the new baseline for a retry."""
        if data is not None:
            self._acs_user = await self.service.update_acs_user(data)
            self._saved = True
            self.remember(*(name for name, _, _ in CONTACT_FIELDS), *SCHEDULE_PLACEHOLDERS)
        if add or remove:
            result = await self.service.change_acs_user_access_groups(
                acs_user_id, add=add, remove=remove
            )
            self._member_ids = (self._member_ids | set(result.added)) - set(result.removed)
            self._saved = self._saved or bool(result.added or result.removed)
            if not result.complete:
                failed = "; ".join(
                    f"{self._group_names.get(gid, gid)}: {error}"
                    for gid, error in result.failed.items()
                )
                self.set_message(
                    f"{'Fields saved. ' if data is not None else ''}"
                    f"Access groups: {len(result.added)} added, {len(result.removed)} removed; "
                    f"FAILED {failed}. Ctrl+S retries the rest; Esc keeps what was saved.",
                    error=True,
                )
                return
            # Read again so that pending group pushes show (saved either way: a failed read
            # keeps the user as the field update answered).
            with contextlib.suppress(SeamError):
                target = AcsUserTarget(acs_user_id=acs_user_id)
                self._acs_user = await self.service.get_acs_user(target)
        self.dismiss(self._acs_user)

    def close_form(self) -> None:
        # After a partial save the caller still needs the user as it now is.
        self.dismiss(self._acs_user if self._saved else None)
