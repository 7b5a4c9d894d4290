"""Bad input, part 3: 1,000 hostile submissions of the TUI's create forms, through the widgets.

One running app (under Pilot, on the built-in sandbox) takes every case: the test types each
value into the form's real `Input` widgets (setting `.value`, as a paste does), picks the
system in the real `Select`, presses Ctrl+S through the driver, and reads what the user sees.
A form that saved is replaced by a fresh one; a form that refused stays and takes the next case.

Every case must end with the app still running, nothing typed reaching the terminal as a
control character, and either:
- the form closed and the record in the sandbox, holding the normalised values; or
- the form open with a message, and every field known to be wrong marked under that field.

The app's default screen here is empty (the identities list is covered elsewhere): re-drawing
it after each save would cost ~0.2 s, and the forms are what is under test.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static

import seam_tui.tui.app
from seam_tui.core.inputs import normalize_email, normalize_phone_number
from seam_tui.core.models import AcsUser, UserIdentity
from seam_tui.tui.app import SeamApp
from seam_tui.tui.screens.acs_user_form import AcsUserFormScreen
from seam_tui.tui.screens.identity_form import IdentityFormScreen
from seam_tui.workspaces import resolve_workspace
from tests.reliability import strategies as S
from tests.reliability.conftest import FULL, SessionThread, record
from tests.reliability.strategies import INVALID, UNKNOWN, VALID, Value
from tests.reliability.test_bad_input_models import CLEAN, HYPOTHESIS
from tests.tui.screen_output import forbidden_in_output, terminal_output

# 700 submissions in all in CI (5,000 with SEAM_TUI_RELIABILITY_FULL=1).
# Hypothesis warns about its own per-thread PRNG when another thread (the app's) is running.
pytestmark = pytest.mark.filterwarnings(
    "ignore:It looks like `register_random` was passed:hypothesis.errors.HypothesisWarning"
)
CASES = {"identity": 400, "acs_user": 300} if not FULL else {"identity": 3000, "acs_user": 2000}
SIZE = (100, 40)
TUI_DIR = Path(seam_tui.tui.app.__file__).parent
# A bound on how long one submission may take to settle (a hang guard, not a speed check).
SETTLE_STEPS = 20_000


class FormsOnly(SeamApp):
    """The real app, with an empty screen under the forms instead of the identities list."""

    CSS_PATH = [TUI_DIR / name for name in SeamApp.CSS_PATH]

    def get_default_screen(self) -> Screen[None]:
        return Screen()


@dataclass
class Session:
    app: FormsOnly
    pilot: Pilot[None]
    systems: list[str]
    results: list[Any] = field(default_factory=list)


@asynccontextmanager
async def tui_session() -> AsyncIterator[Session]:
    app = FormsOnly(resolve_workspace())
    async with app.run_test(size=SIZE) as pilot:
        systems = list(await app.service.systems_by_id())
        yield Session(app, pilot, systems)


# ----------------------------------------------------------------------------- cases

# A terminal Input holds one line of text: no newlines or other line breaks.
_LINE_BREAKS = str.maketrans("", "", "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _typed(value: Value) -> Value:
    """What can be typed or pasted into an Input: text, one line, not absurdly long."""
    text = value.value if isinstance(value.value, str) else str(value.value)
    return Value(text.translate(_LINE_BREAKS)[:300], value.verdict)


def _text(kind: str) -> st.SearchStrategy[Value]:
    strategies: dict[str, st.SearchStrategy[Value]] = {
        "name": S.names,
        "email": S.emails,
        "phone": S.phones,
        "key": S.keys,
        "time": S.times,
    }
    hostile = strategies[kind]
    clean: st.SearchStrategy[Value] = (
        S.tagged(S.valid_times, VALID) if kind == "time" else CLEAN[kind]
    )
    return st.one_of(hostile, clean, clean, S.tagged(st.just(""), VALID)).map(_typed)


@dataclass
class FormCase:
    form: str  # "identity" or "acs_user"
    values: dict[str, str]
    verdicts: dict[str, str]
    system: int | None = None  # index into the sandbox's systems; None leaves it unchosen


IDENTITY_FIELDS = {
    "full_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "user_identity_key": "key",
}
ACS_FIELDS = {
    "full_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "starts_at": "time",
    "ends_at": "time",
}


@st.composite
def form_cases(draw: st.DrawFn, form: str) -> FormCase:
    fields = IDENTITY_FIELDS if form == "identity" else ACS_FIELDS
    values: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for name, kind in fields.items():
        value = draw(_text(kind))
        values[name] = value.value
        verdicts[name] = _verdict(form, name, value)
    # Mostly the same system: choosing another reloads its access groups (a request).
    system = draw(st.sampled_from([0, 0, 0, 1, None])) if form == "acs_user" else None
    return FormCase(form, values, verdicts, system)


def _verdict(form: str, name: str, value: Value) -> str:
    """The verdict on what the form sends: it strips the text and leaves an empty field out."""
    text = value.value.strip()
    if not text:
        # Left out; but an ACS user needs a name, so that form sends it empty, and is refused.
        return INVALID if (form, name) == ("acs_user", "full_name") else VALID
    if name == "full_name":
        return VALID if len(S.model_strip(text)) <= 200 else INVALID
    if name == "user_identity_key":
        return VALID if len(S.model_strip(text)) <= 255 else INVALID
    return value.verdict


# ----------------------------------------------------------------------------- driving


async def _open(session: Session, case: FormCase) -> IdentityFormScreen | AcsUserFormScreen:
    app, pilot = session.app, session.pilot
    screen = app.screen
    wanted = IdentityFormScreen if case.form == "identity" else AcsUserFormScreen
    if isinstance(screen, wanted) and not _is_unfinished(screen):
        return screen
    if isinstance(screen, IdentityFormScreen | AcsUserFormScreen):
        screen.dismiss(None)
        await pilot._wait_for_screen()
        session.results.pop()  # the None it was dismissed with
    form = wanted()
    await app.push_screen(form, session.results.append)
    await pilot._wait_for_screen()
    await app.workers.wait_for_complete()  # the systems it offers are loaded
    await _settle(session, lambda: bool(form.query(".field-error")))
    return form


def _is_unfinished(screen: Screen[Any]) -> bool:
    """An identity form whose identity exists now only retries the rest: start a new one."""
    return isinstance(screen, IdentityFormScreen) and screen.query_one("#full_name", Input).disabled


async def _settle(session: Session, done: Any) -> None:
    """Let the app run (messages, workers, renders) until `done()` holds.

    Polling is enough: the forms set their message last, after marking the fields, and hand
    their result back when they close. (Pilot's own waits drain every widget's queue, which
    costs ~15 ms a step, and 1,000 cases need two steps each.)"""
    for _ in range(SETTLE_STEPS):
        await asyncio.sleep(0.001)
        if done():
            return
    raise AssertionError("the form did not settle")


async def _press(session: Session, key: str) -> None:
    """The key through the driver, as Pilot sends it (without Pilot's idle-CPU waits)."""
    event = events.Key(key, None)
    event.set_sender(session.app)
    driver = session.app._driver
    assert driver is not None
    driver.send_message(event)


@dataclass
class Seen:
    saved: Any = None
    closed: bool = False
    message: str = ""
    marked: dict[str, str] = field(default_factory=dict)


async def submit(session: Session, case: FormCase) -> Seen:
    app = session.app
    form = await _open(session, case)
    for name, text in case.values.items():
        form.query_one(f"#{name}", Input).value = text
    if isinstance(form, AcsUserFormScreen):
        select = form.query_one("#acs_system_id", Select)
        if case.system is None:
            select.clear()
        else:
            select.value = session.systems[case.system % len(session.systems)]
    message = form.query_one("#form-message", Static)
    form.set_message("")
    before = len(session.results)
    await _press(session, "ctrl+s")

    def settled() -> bool:
        if app.screen is not form:
            return len(session.results) > before  # closed, and its result handed back
        text = str(message.render())
        return bool(text) and text != "saving…"

    try:
        await _settle(session, settled)
    except AssertionError:
        state = {
            "screen": repr(app.screen),
            "same": app.screen is form,
            "screen_attached": app.screen.is_attached,
            "screen_children": len(app.screen.query("*")),
            "case": case,
            "stack": [repr(x) for x in app.screen_stack],
            "form_attached": form.is_attached,
            "form_busy": getattr(form, "_busy", None),
            "form_children": [str(w.id) for w in form.query("*") if w.id][:40],
            "message": str(message.render()),
            "results": len(session.results) - before,
            "focused": repr(app.focused),
            "workers": [repr(w) for w in app.workers],
            "app_error": repr(app._exception),
            "crash": _crash_report(app.crash_message),
        }
        raise AssertionError(f"the form did not settle: {state}") from None
    assert app.is_running, "the app stopped"
    if app.screen is not form:
        assert len(session.results) == before + 1
        return Seen(saved=session.results[-1], closed=True)
    # What was typed (markup, escapes, bidi ...) and the messages that quote it stay inert.
    assert not forbidden_in_output(terminal_output(app)), f"the form sends controls: {case}"
    marked = {
        str(line.id).removesuffix("-error"): str(line.render())
        for line in form.query(".field-error").results(Static)
        if line.has_class("-shown")
    }
    return Seen(message=str(message.render()), marked=marked)


def _crash_report(line: str | None) -> str:
    """The app's crash report (the traceback of what broke it), if it crashed."""
    if not line or "crash report: " not in line:
        return ""
    path = Path(line.rsplit("crash report: ", 1)[1].strip())
    return path.read_text(encoding="utf-8")[-3000:] if path.is_file() else line


# ----------------------------------------------------------------------------- the property


def _expected_identity(case: FormCase) -> dict[str, str | None]:
    values = {name: case.values[name].strip() or None for name in IDENTITY_FIELDS}
    if values["email_address"]:
        values["email_address"] = normalize_email(values["email_address"])
    if values["phone_number"]:
        values["phone_number"] = normalize_phone_number(values["phone_number"])
    return {k: S.model_strip(v) if isinstance(v, str) else v for k, v in values.items()}


def check_case(seen: Seen, case: FormCase, outcomes: Counter[str]) -> None:
    invalid = {name for name, verdict in case.verdicts.items() if verdict == INVALID}
    if case.form == "acs_user" and case.system is None:
        invalid.add("acs_system_id")
    if case.form == "identity" and not any(v.strip() for v in case.values.values()):
        invalid.add("")  # nothing typed at all: refused as a whole
    if seen.closed:
        assert not invalid, f"saved although {sorted(invalid)} are invalid: {case}"
        outcomes[f"{case.form}: saved"] += 1
        if case.form == "identity":
            assert isinstance(seen.saved, UserIdentity)
            expected = _expected_identity(case)
            assert {name: getattr(seen.saved, name) for name in expected} == expected
        else:
            assert isinstance(seen.saved, AcsUser)
            assert seen.saved.full_name == S.model_strip(case.values["full_name"].strip())
        return
    outcomes[f"{case.form}: refused"] += 1
    assert seen.message.strip(), "refused without a word"
    assert "Unexpected error" not in seen.message
    assert "Traceback" not in seen.message
    assert "internal_server_error" not in seen.message  # bad input is a 400, never a 500
    for name in invalid - {""}:
        assert seen.marked.get(name, "").strip(), f"{name} not marked: {seen} for {case}"
    if "" in invalid:
        assert "at least one of" in seen.message
    for name, text in seen.marked.items():
        assert text.strip(), f"{name} marked without a message"
    if not invalid:
        # Every field was valid on our side: the server refused, and said why, at a field.
        assert seen.marked or seen.message.startswith("Not saved:"), seen


@pytest.fixture
def quick_handover() -> Iterator[None]:
    """Two threads take turns here (hypothesis, and the app in its loop): hand the GIL over
    every 1 ms instead of 5, or each case waits out the other thread's time slice."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("quick_handover")
@pytest.mark.parametrize("form", list(CASES))
def test_create_form_saves_or_marks_the_field(form: str) -> None:
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    with SessionThread(tui_session) as session:

        @settings(HYPOTHESIS, max_examples=CASES[form])
        @given(case=form_cases(form))
        def check(case: FormCase) -> None:
            try:
                seen = session.run(lambda s: submit(s, case))
            except BaseException as error:
                if not failures:  # what hypothesis reports later may come from its replays
                    failures.append(f"first failure: {case}: {error!r}")
                    print(failures[0])
                raise
            check_case(seen, case, outcomes)

        check()
    tried = sum(outcomes.values())
    assert tried >= CASES[form]
    assert outcomes[f"{form}: saved"]  # both ends were reached
    assert outcomes[f"{form}: refused"]
    record(
        "bad input: TUI forms",
        **{
            f"{form}_form": f"{tried} cases ({outcomes[f'{form}: saved']} saved,"
            f" {outcomes[f'{form}: refused']} refused with the field marked)"
        },
    )


# Values used by hypothesis above, listed so a reader sees the verdict vocabulary in one place.
__all__ = ["INVALID", "UNKNOWN", "VALID"]
