"""What every create/edit form shares: an error under each field, one message at the top,
Ctrl+S to save, and the rule that nothing typed is ever lost: not on an error, and not by Esc
(which asks first when the form holds a change)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import RadioSet

from seam_tui.core.errors import AuditWriteError, SeamApiError, SeamError
from seam_tui.core.inputs import field_errors
from seam_tui.core.models import AcsSystem
from seam_tui.tui.errors import save_failure
from seam_tui.tui.literal import Cell, clipped, lines
from seam_tui.tui.widgets.confirm import ConfirmScreen
from seam_tui.tui.widgets.text import Checklist, Line, LiteralInput, Picklist, Toggle
from seam_tui.visible import hidden_note

if TYPE_CHECKING:
    from seam_tui.core.service import SeamService
    from seam_tui.tui.app import SeamApp

ResultT = TypeVar("ResultT")

FIX_FIELDS = "Not saved: fix the fields marked below (nothing you typed was lost)."
SAVED_NOT_RECORDED = (
    "Saved at Seam, but not recorded in the audit log: {message} Do not save again (it is done):"
    " Esc closes the form and the lists show the change."
)
NOT_RECORDED = "Not saved: {message} What you typed is kept: Ctrl+S tries again."
DISCARD_TITLE = "Discard your changes?"
DISCARD_LINES = ("This form holds changes that are not saved. Discarding closes it.",)


def audit_failure(exc: AuditWriteError) -> str:
    """A form's message when the audit log could not be written: whether the change was made."""
    template = SAVED_NOT_RECORDED if exc.done else NOT_RECORDED
    return template.format(message=exc.message)


class FormScreen(ModalScreen[ResultT]):
    """A modal form: `submit` validates and calls `save`; errors land beside their fields."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    # Error keys (API params or model paths) shown under a differently named field.
    FIELD_FOR_ERROR: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        self._busy = False
        # Set when a save was made at Seam but could not be recorded: saving again would
        # repeat it, so Ctrl+S only says so again.
        self._unrecorded: AuditWriteError | None = None
        # What the form held when it opened (or last saved), to tell whether Esc loses a change.
        self._pristine: dict[str, object] = {}

    @property
    def seam_app(self) -> SeamApp:
        return cast("SeamApp", self.app)

    @property
    def service(self) -> SeamService:
        return self.seam_app.service

    # ----------------------------------------------------------------- layout

    @staticmethod
    def field(name: str, label: str, value: str = "", placeholder: str = "") -> ComposeResult:
        """A labelled input whose id is the field name, with its error line beneath."""
        yield Line(label, classes="field-label")
        yield LiteralInput(value, placeholder=placeholder, id=name)
        note = hidden_note(value)
        if note:
            yield Line(note, classes="field-note")
        yield error_line(name)

    def on_mount(self) -> None:
        self._pristine = self.form_values()

    def form_values(self) -> dict[str, object]:
        """What the form holds now, by field id: typed values, ticks, choices and toggles."""
        values: dict[str, object] = {}
        for field in self.query(LiteralInput).results(LiteralInput):
            values[field.id or ""] = field.value
        for ticks in self.query(Checklist).results(Checklist):
            values[ticks.id or ""] = frozenset(ticks.selected)
        for choice in self.query(Picklist).results(Picklist):
            values[choice.id or ""] = choice.value
        for toggle in self.query(Toggle).results(Toggle):
            values[toggle.id or ""] = toggle.value
        for radios in self.query(RadioSet).results(RadioSet):
            values[radios.id or ""] = radios.pressed_index
        return values

    def remember(self, *names: str) -> None:
        """Take these fields' values as unchanged (filled by the form itself, or saved)."""
        now = self.form_values()
        self._pristine.update({name: now.get(name) for name in names})

    def has_changes(self) -> bool:
        """Whether Esc would lose something the user did that is not saved."""
        return self._unrecorded is None and self.form_values() != self._pristine

    def value_of(self, name: str) -> str:
        return self.query_one(f"#{name}", LiteralInput).value.strip()

    def edited(self, name: str, old: str | None) -> str | None:
        """The field's new value (stripped), or None when it still holds `old` exactly.

        A value from the API is compared as it is, so a stored name with a trailing space or
        a control character is not "changed" (and rewritten) by merely opening the form."""
        raw = self.query_one(f"#{name}", LiteralInput).value
        if raw == (old or "") or raw.strip() == (old or ""):
            return None
        return raw.strip()

    # ----------------------------------------------------------------- errors

    def set_message(self, text: Cell, *, error: bool = False) -> None:
        """The line at the top of the form: progress, a result, or an error not about one field."""
        message = self.query_one("#form-message", Line)
        message.update(text)
        message.set_class(error, "-error")
        message.set_class(bool(str(text)), "-shown")

    def clear_errors(self) -> None:
        for line in self.query(".field-error").results(Line):
            line.update("")
            line.remove_class("-shown")
        self.set_message("")

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message under its field; the rest (and a summary) go to the top."""
        unplaced = []
        for key, message in errors.items():
            name = self.FIELD_FOR_ERROR.get(key, key)
            found = list(self.query(f"#{name}-error").results(Line)) if name.isidentifier() else []
            line = found[0] if found else None
            if line is None:
                unplaced.append(f"{key}: {message}" if key else message)
                continue
            line.update(message)
            line.add_class("-shown")
        self.set_message(lines(unplaced) if unplaced else FIX_FIELDS, error=True)

    def show_problem(self, exc: SeamError | ValidationError) -> None:
        """Validation and API field errors go beside fields; anything else to the top."""
        if isinstance(exc, AuditWriteError):
            self.set_message(audit_failure(exc), error=True)
            if exc.done:
                self._unrecorded = exc
                self.seam_app.refresh_screens()
        elif isinstance(exc, ValidationError):
            self.show_errors(field_errors(exc))
        elif isinstance(exc, SeamApiError) and exc.field_errors:
            self.show_errors({k: "; ".join(v) for k, v in exc.field_errors.items()})
        else:
            self.set_message(save_failure(exc), error=True)

    # ----------------------------------------------------------------- saving

    def submit(self) -> None:
        """Validate what was typed and call `save` (subclasses)."""
        raise NotImplementedError

    def save(self, operation: Callable[[], Awaitable[None]]) -> None:
        """Run `operation` in a worker; on an error the form stays open with every value."""
        self._busy = True
        self.set_message("saving…")
        self._run_save(operation)

    @work(exclusive=True, group="form-save")
    async def _run_save(self, operation: Callable[[], Awaitable[None]]) -> None:
        try:
            await operation()
        except (SeamError, ValidationError) as exc:
            self.show_problem(exc)
        finally:
            self._busy = False

    def action_submit(self) -> None:
        # A key that arrives while the form is saving or closing changes nothing.
        if self._busy or not self.is_current:
            return
        if self._unrecorded is not None:
            self.set_message(audit_failure(self._unrecorded), error=True)
            return
        self.clear_errors()
        self.submit()

    def action_cancel(self) -> None:
        """Esc: close, after asking (keep editing is the default) when a change would be lost."""
        if not self.is_current:
            return
        if not self.has_changes():
            self.close_form()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.close_form()

        self.app.push_screen(
            ConfirmScreen(
                DISCARD_TITLE, DISCARD_LINES, confirm_label="Discard", cancel_label="Keep editing"
            ),
            answered,
        )

    def close_form(self) -> None:
        """Close without saving (a form that already saved something hands it back)."""
        self.dismiss(None)

    @on(LiteralInput.Submitted)
    def _next_or_submit(self, event: LiteralInput.Submitted) -> None:
        """Enter moves to the next field; on the last input it saves."""
        event.stop()
        inputs = [i for i in self.query(LiteralInput).results(LiteralInput) if not i.disabled]
        if inputs and event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()


def system_label(system: AcsSystem) -> str:
    """`Acme Tower · Salto KS site`: the name people know, with the brand to tell sites apart."""
    brand = system.external_type_display_name or system.external_type or "?"
    return f"{clipped(system.name, 40)} · {clipped(brand, 24)}"


def error_line(name: str) -> Line:
    """The (normally hidden) line under a field that says what is wrong with it."""
    return Line(id=f"{name}-error", classes="field-error")
