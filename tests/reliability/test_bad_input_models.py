"""Bad input, part 1: the request models under 1,000 hostile cases each.

Every case is built from tagged values (see strategies.py), so the test knows which fields are
wrong. Properties, for every model:

- only `ValidationError` ever escapes, and `field_errors` turns it into non-empty messages keyed
  by a real field (or the request as a whole);
- every field known to be invalid (malformed, wrong type, missing when required, not a field at
  all) is named in the errors;
- a case whose every field is valid and which meets the model's documented cross-field rules is
  accepted, and its request body is JSON, stripped, normalised, and validates again to the very
  same body (normalising twice changes nothing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from seam_tui.core.inputs import (
    MODEL_ERROR_KEY,
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
    RequestModel,
    UserIdentityCreate,
    UserIdentityUpdate,
    field_errors,
)
from tests.reliability import strategies as S
from tests.reliability.conftest import FULL, record
from tests.reliability.strategies import INVALID, UNKNOWN, VALID, Value

# Per model: 3,000 cases over the six models in CI (15,000 with SEAM_TUI_RELIABILITY_FULL=1).
CASES = 2500 if FULL else 500
# The MCP and TUI targets take 1,000 in all; they override max_examples.
HYPOTHESIS = settings(
    max_examples=CASES,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI is repeatable
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

E164 = re.compile(r"^\+[1-9]\d{1,14}$")


# ----------------------------------------------------------------------------- value kinds


def _id_list(items: list[Value]) -> Value:
    stripped = [S.model_strip(v.value) if isinstance(v.value, str) else v.value for v in items]
    hashable = [s for s in stripped if isinstance(s, str)]
    if any(v.verdict == INVALID for v in items) or len(set(hashable)) < len(hashable):
        return Value([v.value for v in items], INVALID)
    verdict = VALID if all(v.verdict == VALID for v in items) else UNKNOWN
    return Value([v.value for v in items], verdict)


id_lists = st.one_of(
    st.lists(S.with_wrong_type(S.ids), max_size=4).map(_id_list),
    # the same id twice (with different padding) would make the API act twice
    st.builds(lambda u, pad: [Value(u, VALID), Value(pad + u, VALID)], S.uuids, S.blank).map(
        _id_list
    ),
    S.tagged(st.one_of(st.text(max_size=10), st.integers(), st.booleans()), INVALID),
)


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)


def _schedule(parts: dict[str, Value], extra: str | None) -> Value:
    raw: dict[str, Any] = {k: v.value for k, v in parts.items()}
    verdicts = {v.verdict for v in parts.values()}
    if extra is not None:
        raw[extra] = "x"
        return Value(raw, INVALID)
    if INVALID in verdicts:
        return Value(raw, INVALID)
    if UNKNOWN in verdicts:
        return Value(raw, UNKNOWN)
    both = "starts_at" in raw and "ends_at" in raw
    if both and _parse_time(raw["ends_at"]) <= _parse_time(raw["starts_at"]):
        return Value(raw, INVALID)
    return Value(raw, VALID)


schedules = st.one_of(
    st.builds(
        _schedule,
        st.fixed_dictionaries({}, optional={"starts_at": S.times, "ends_at": S.times}),
        st.one_of(st.none(), st.sampled_from(["timezone", "start", "ends"])),
    ),
    S.tagged(st.one_of(st.text(max_size=10), st.integers(), st.lists(st.integers())), INVALID),
)

KINDS: dict[str, st.SearchStrategy[Value]] = {
    "name": S.with_wrong_type(S.names),
    "email": S.with_wrong_type(S.emails),
    "phone": S.with_wrong_type(S.phones),
    "key": S.with_wrong_type(S.keys),
    "id": S.with_wrong_type(S.ids),
    "ids": id_lists,
    "schedule": schedules,
}
# Only valid values, for the quarter of cases that should go through.
CLEAN: dict[str, st.SearchStrategy[Value]] = {
    "name": S.names.filter(lambda v: v.verdict == VALID),
    "email": S.tagged(S.valid_emails, VALID),
    "phone": S.tagged(S.valid_phones, VALID),
    "key": S.keys.filter(lambda v: v.verdict == VALID),
    "id": S.tagged(S.uuids, VALID),
    "ids": st.lists(S.uuids, max_size=3, unique=True).map(lambda v: Value(v, VALID)),
    "schedule": schedules.filter(lambda v: v.verdict == VALID),
}


# ----------------------------------------------------------------------------- model specs


@dataclass(frozen=True)
class Spec:
    model: type[RequestModel]
    kinds: dict[str, str]
    required: frozenset[str] = frozenset()
    # None for these is an error (not "omit" or "clear").
    none_invalid: frozenset[str] = frozenset()
    # On an update a blank text is refused (null clears); Python's strip decides blankness.
    blank_invalid: frozenset[str] = frozenset()
    rules: Any = None  # (present: dict[str, Any]) -> bool: do the cross-field rules hold?
    clearable: frozenset[str] = field(default_factory=frozenset)


IDENTITY = ("full_name", "email_address", "phone_number", "user_identity_key")
IDENTITY_KINDS = {
    "full_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "user_identity_key": "key",
}


def _target_ok(data: dict[str, Any]) -> bool:
    by_id = data.get("acs_user_id") is not None
    pair = [data.get("user_identity_id") is not None, data.get("acs_system_id") is not None]
    return (by_id and not any(pair)) or (not by_id and all(pair))


def _acs_update_ok(data: dict[str, Any]) -> bool:
    schedule = data.get("access_schedule")
    complete = schedule is None or (
        schedule.get("starts_at") is not None and schedule.get("ends_at") is not None
    )
    changes = {"full_name", "email_address", "phone_number", "access_schedule"} & set(data)
    return _target_ok(data) and bool(changes) and complete


SPECS = [
    Spec(
        UserIdentityCreate,
        {**IDENTITY_KINDS, "acs_system_ids": "ids"},
        none_invalid=frozenset({"acs_system_ids"}),
        rules=lambda d: any(d.get(name) is not None for name in IDENTITY),
    ),
    Spec(
        UserIdentityUpdate,
        {"user_identity_id": "id", **IDENTITY_KINDS},
        required=frozenset({"user_identity_id"}),
        none_invalid=frozenset({"user_identity_id"}),
        blank_invalid=frozenset(IDENTITY),
        rules=lambda d: bool(set(IDENTITY) & set(d)),
        clearable=frozenset(IDENTITY),
    ),
    Spec(
        AcsUserTarget,
        {"acs_user_id": "id", "user_identity_id": "id", "acs_system_id": "id"},
        rules=_target_ok,
    ),
    Spec(
        AcsUserCreate,
        {
            "acs_system_id": "id",
            "full_name": "name",
            "email_address": "email",
            "phone_number": "phone",
            "user_identity_id": "id",
            "acs_access_group_ids": "ids",
            "access_schedule": "schedule",
        },
        required=frozenset({"acs_system_id", "full_name"}),
        none_invalid=frozenset({"acs_system_id", "full_name", "acs_access_group_ids"}),
        rules=lambda d: True,
    ),
    Spec(
        AcsUserUpdate,
        {
            "acs_user_id": "id",
            "user_identity_id": "id",
            "acs_system_id": "id",
            "full_name": "name",
            "email_address": "email",
            "phone_number": "phone",
            "access_schedule": "schedule",
        },
        none_invalid=frozenset({"full_name", "email_address", "phone_number"}),
        rules=_acs_update_ok,
        clearable=frozenset({"access_schedule"}),
    ),
    Spec(
        LinkAcsUser,
        {"user_identity_id": "id", "acs_user_id": "id"},
        required=frozenset({"user_identity_id", "acs_user_id"}),
        none_invalid=frozenset({"user_identity_id", "acs_user_id"}),
        rules=lambda d: True,
    ),
]


@dataclass
class Case:
    data: dict[str, Any]
    invalid: set[str]  # error keys (fields or extra keys) that must be named
    all_valid: bool


@st.composite
def cases(draw: st.DrawFn, spec: Spec) -> Case:
    data: dict[str, Any] = {}
    invalid: set[str] = set()
    all_valid = True
    clean = draw(st.integers(0, 3)) == 0
    for name, kind in spec.kinds.items():
        if clean:
            presence = "value" if name in spec.required or draw(st.booleans()) else "absent"
        else:
            presence = draw(st.sampled_from(["value", "value", "value", "none", "absent"]))
        if presence == "absent":
            if name in spec.required:
                invalid.add(name)
            continue
        if presence == "none":
            data[name] = None
            if name in spec.none_invalid or name in spec.required:
                invalid.add(name)
            continue
        value: Value = draw((CLEAN if clean else KINDS)[kind])
        data[name] = value.value
        verdict = value.verdict
        if name in spec.blank_invalid and isinstance(value.value, str) and not value.value.strip():
            verdict = INVALID
        if verdict == INVALID:
            invalid.add(name)
        elif verdict == UNKNOWN:
            all_valid = False
    if clean:
        return Case(data, invalid, all_valid)
    for extra in draw(st.lists(S.extra_keys, max_size=2)):
        if extra not in spec.kinds:
            data[extra] = draw(st.one_of(st.none(), st.text(max_size=5), st.integers()))
            invalid.add(extra)
    return Case(data, invalid, all_valid)


TRIED: dict[str, int] = {}


def _check_body(spec: Spec, body: dict[str, Any]) -> None:
    assert json.loads(json.dumps(body)) == body
    assert set(body) <= set(spec.kinds)
    for name, value in body.items():
        if value is None:
            assert name in spec.clearable
        elif isinstance(value, str):
            assert S.model_strip(value) == value
            if name == "phone_number":
                assert E164.match(value), value
            if name == "email_address":
                assert "@" in value
                assert " " not in value


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.model.__name__)
def test_models_accept_or_name_the_field(spec: Spec) -> None:
    name = spec.model.__name__
    TRIED[name] = 0
    outcomes = {"accepted": 0, "refused": 0}

    @HYPOTHESIS
    @given(case=cases(spec))
    def check(case: Case) -> None:
        TRIED[name] += 1
        try:
            model = spec.model.model_validate(case.data)
        except ValidationError as exc:
            outcomes["refused"] += 1
            errors = field_errors(exc)
            assert errors
            for key, message in errors.items():
                assert isinstance(message, str)
                assert message.strip()
                root = key.split(".")[0]
                assert key == MODEL_ERROR_KEY or root in spec.kinds or key in case.data, key
            named = {key.split(".")[0] for key in errors} | set(errors)
            missing = case.invalid - named
            assert not missing, f"invalid {sorted(missing)} not named in {errors}"
            if case.all_valid and not case.invalid:
                assert not spec.rules(case.data), f"a valid case was refused: {errors}"
            return
        outcomes["accepted"] += 1
        assert not case.invalid, f"accepted although {sorted(case.invalid)} are invalid"
        body = model.to_params()
        _check_body(spec, body)
        again = spec.model.model_validate(body).to_params()
        assert again == body  # normalising is idempotent

    check()
    assert TRIED[name] >= CASES
    assert outcomes["accepted"]  # both paths were exercised
    assert outcomes["refused"]
    record(
        "bad input: request models",
        **{name: f"{TRIED[name]} cases ({outcomes['accepted']} accepted)"},
    )
