"""Tests for the request models: normalisation, validation messages and request bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from seam_tui.core.inputs import (
    MODEL_ERROR_KEY,
    AccessSchedule,
    AcsUserCreate,
    AcsUserTarget,
    AcsUserUpdate,
    LinkAcsUser,
    RequestModel,
    UserIdentityCreate,
    UserIdentityUpdate,
    field_errors,
    normalize_email,
    normalize_phone_number,
)


def errors_of(model: type[BaseModel], **data: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return field_errors(info.value)


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+15555550100", "+15555550100"),
        ("+1 (555) 555-0100", "+15555550100"),
        ("  +1 555.555.0100 ", "+15555550100"),
        ("+1-555-555-0199", "+15555550199"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+44 (0) 20 7946 0958", "+442079460958"),
        ("+39 06 1234 5678", "+390612345678"),
        ("\t+61 2 9876 5432\n", "+61298765432"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw: str, expected: str) -> None:
    assert normalize_phone_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("555-555-0100", "must be in E.164 form with a country code"),
        ("(555) 555-0100", "start with + or 00"),
        ("+1 800 FLOWERS", "contains 'F'"),
        ("+1 555 555 0100 ext 2", "contains 'e'"),
        ("+1 555 0100", "missing its area code"),
        ("+1555555010", "too short for country code +1"),
        ("+155555501000", "too long for country code +1"),
        ("+1234567890123456", "16 digits, more than the 15"),
        ("+999 1234 5678", "unknown country code"),
        ("+", "not a possible number"),
        ("+1+5555550100", "contains '+'"),
        ("   ", "phone number cannot be empty"),
    ],
)
def test_bad_phone_numbers_are_rejected_with_the_expected_form(raw: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="phone number") as info:
        normalize_phone_number(raw)
    message = str(info.value)
    assert fragment in message
    if "empty" not in fragment:
        assert "e.g. +15555550100" in message


def test_fictional_555_numbers_pass_although_not_valid() -> None:
    # is_valid_number rejects these; Seam's docs use them, so only possibility is checked.
    assert normalize_phone_number("+1 555 555 0142") == "+15555550142"


# --- email -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jane@example.com", "jane@example.com"),
        ("  Jane.Doe@Example.COM ", "Jane.Doe@example.com"),
        ("ops+seam@sub.example.co.uk", "ops+seam@sub.example.co.uk"),
    ],
)
def test_emails_are_normalised(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("jane.example.com", "@-sign"),
        ("jane@localhost", "should have a period"),
        ("jane doe@example.com", "invalid characters"),
        ("jane@", "after the @-sign"),
    ],
)
def test_bad_emails_give_a_reason_and_an_example(raw: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=r"^email address is not valid: ") as info:
        normalize_email(raw)
    assert fragment in str(info.value)
    assert str(info.value).endswith("; expected a form like jane@example.com")


def test_empty_email_is_named_as_empty() -> None:
    with pytest.raises(ValueError, match=r"^email address cannot be empty$"):
        normalize_email("  ")


# --- names, keys, ids ------------------------------------------------------------------------


def test_names_and_keys_are_stripped() -> None:
    model = UserIdentityCreate(full_name="  Jane Doe ", user_identity_key=" k-1 ")
    assert model.full_name == "Jane Doe"
    assert model.user_identity_key == "k-1"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("full_name", "full name cannot be empty"),
        ("user_identity_key", "user identity key cannot be empty"),
        ("email_address", "email address cannot be empty"),
        ("phone_number", "phone number cannot be empty"),
    ],
)
def test_blank_text_is_rejected_on_create(field: str, message: str) -> None:
    assert errors_of(UserIdentityCreate, **{field: "   "}) == {field: message}


def test_blank_text_on_update_explains_how_to_clear() -> None:
    errors = errors_of(UserIdentityUpdate, user_identity_id="ui_1", full_name=" ")
    assert errors == {"full_name": "full name cannot be empty; to clear it, send null"}


def test_length_limits_name_the_limit() -> None:
    errors = errors_of(UserIdentityCreate, full_name="x" * 201, user_identity_key="k" * 256)
    assert errors == {
        "full_name": "full name is 201 characters long; the limit is 200",
        "user_identity_key": "user identity key is 256 characters long; the limit is 255",
    }
    assert UserIdentityCreate(full_name="x" * 200).full_name == "x" * 200


def test_ids_are_plain_strings_not_uuids() -> None:
    link = LinkAcsUser(user_identity_id="identity-1", acs_user_id="  acs-user-7 ")
    assert link.to_params() == {"user_identity_id": "identity-1", "acs_user_id": "acs-user-7"}


def test_link_needs_both_ids() -> None:
    assert errors_of(LinkAcsUser, user_identity_id="", acs_user_id=None) == {
        "user_identity_id": "user identity id cannot be empty",
        "acs_user_id": "acs_user_id must be text",
    }


# --- user identities -------------------------------------------------------------------------


def test_identity_create_needs_something_to_identify_the_person() -> None:
    errors = errors_of(UserIdentityCreate, acs_system_ids=["sys_1"])
    assert errors == {
        MODEL_ERROR_KEY: "a user identity needs at least one of full_name, email_address,"
        " phone_number or user_identity_key"
    }


def test_identity_create_rejects_duplicate_systems() -> None:
    errors = errors_of(
        UserIdentityCreate, full_name="Jane", acs_system_ids=["sys_b", "sys_a", "sys_b", " sys_a"]
    )
    assert errors == {
        "acs_system_ids": (
            'ACS system id listed more than once: "sys_a", "sys_b"; list each one once'
        )
    }


def test_identity_create_params_are_normalised_and_omit_unset_fields() -> None:
    model = UserIdentityCreate(
        full_name="Jane Doe", phone_number="+1 (555) 555-0100", email_address=None
    )
    assert model.to_params() == {"full_name": "Jane Doe", "phone_number": "+15555550100"}


def test_identity_create_sends_systems_when_given() -> None:
    model = UserIdentityCreate(email_address="Jane@Example.com", acs_system_ids=["sys_1"])
    assert model.to_params() == {
        "email_address": "Jane@example.com",
        "acs_system_ids": ["sys_1"],
    }


def test_identity_update_sends_null_for_explicit_clears_only() -> None:
    model = UserIdentityUpdate(user_identity_id="ui_1", email_address=None, full_name="Jane")
    assert model.to_params() == {
        "user_identity_id": "ui_1",
        "full_name": "Jane",
        "email_address": None,
    }


def test_identity_update_needs_a_change() -> None:
    errors = errors_of(UserIdentityUpdate, user_identity_id="ui_1")
    assert errors[MODEL_ERROR_KEY].startswith("nothing to change: give at least one of full_name")


def test_identity_update_requires_the_id() -> None:
    assert errors_of(UserIdentityUpdate, full_name="Jane") == {
        "user_identity_id": "user_identity_id is required"
    }


# --- access schedules ------------------------------------------------------------------------


def test_schedule_end_must_follow_start() -> None:
    errors = errors_of(
        AccessSchedule, starts_at="2025-03-01T10:00:00Z", ends_at="2025-03-01T09:00:00Z"
    )
    assert errors == {
        "ends_at": "ends_at (2025-03-01T09:00:00+00:00) must be later than"
        " starts_at (2025-03-01T10:00:00+00:00)"
    }
    assert "ends_at" in errors_of(
        AccessSchedule, starts_at="2025-03-01T10:00:00Z", ends_at="2025-03-01T10:00:00Z"
    )


def test_schedule_compares_across_timezones() -> None:
    # 10:00+02:00 is 08:00 UTC, so an end of 09:00 UTC is later.
    schedule = AccessSchedule(
        starts_at=datetime(2025, 3, 1, 10, tzinfo=timezone(timedelta(hours=2))),
        ends_at=datetime(2025, 3, 1, 9),
    )
    assert schedule.to_params() == {
        "starts_at": "2025-03-01T10:00:00+02:00",
        "ends_at": "2025-03-01T09:00:00+00:00",
    }


def test_naive_datetimes_are_sent_as_utc() -> None:
    schedule = AccessSchedule(starts_at="2025-03-01T10:00:00")
    assert schedule.starts_at == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert schedule.to_params() == {"starts_at": "2025-03-01T10:00:00+00:00"}


def test_schedule_open_end_is_sent_as_null_but_missing_start_is_omitted() -> None:
    assert AccessSchedule(starts_at=None, ends_at=None).to_params() == {"ends_at": None}
    assert AccessSchedule().to_params() == {}


def test_bad_datetime_says_which_form() -> None:
    assert errors_of(AccessSchedule, starts_at="next tuesday") == {
        "starts_at": "starts_at must be an ISO 8601 date and time, e.g. 2025-01-31T09:00:00Z"
    }


# --- ACS user targets ------------------------------------------------------------------------


def test_target_by_acs_user_id() -> None:
    assert AcsUserTarget(acs_user_id="au_1").to_params() == {"acs_user_id": "au_1"}


def test_target_by_identity_and_system() -> None:
    target = AcsUserTarget(user_identity_id="ui_1", acs_system_id="sys_1")
    assert target.to_params() == {"user_identity_id": "ui_1", "acs_system_id": "sys_1"}


def test_target_needs_one_form() -> None:
    assert errors_of(AcsUserTarget) == {
        MODEL_ERROR_KEY: "identify the ACS user by either acs_user_id alone,"
        " or user_identity_id together with acs_system_id"
    }


@pytest.mark.parametrize(
    ("data", "removable"),
    [
        (
            {"user_identity_id": "ui_1", "acs_system_id": "sys_1"},
            "user_identity_id and acs_system_id",
        ),
        ({"acs_system_id": "sys_1"}, "acs_system_id"),
    ],
)
def test_target_forms_are_exclusive(data: dict[str, str], removable: str) -> None:
    message = errors_of(AcsUserTarget, acs_user_id="au_1", **data)[MODEL_ERROR_KEY]
    assert "not both" in message
    assert f"remove {removable} or acs_user_id" in message


@pytest.mark.parametrize(
    ("given_field", "missing_field"),
    [("user_identity_id", "acs_system_id"), ("acs_system_id", "user_identity_id")],
)
def test_half_an_identity_target_names_the_missing_half(
    given_field: str, missing_field: str
) -> None:
    assert errors_of(AcsUserTarget, **{given_field: "x"}) == {
        MODEL_ERROR_KEY: f"{given_field} also needs {missing_field} (or give acs_user_id instead)"
    }


def test_target_treats_none_as_not_given() -> None:
    target = AcsUserTarget(acs_user_id="au_1", user_identity_id=None, acs_system_id=None)
    assert target.to_params() == {"acs_user_id": "au_1"}


# --- ACS users -------------------------------------------------------------------------------


def test_acs_user_create_requires_system_and_name() -> None:
    assert errors_of(AcsUserCreate) == {
        "acs_system_id": "acs_system_id is required",
        "full_name": "full_name is required",
    }


def test_acs_user_create_params() -> None:
    model = AcsUserCreate(
        acs_system_id="sys_1",
        full_name="Jane",
        phone_number="+44 20 7946 0958",
        email_address=None,
        acs_access_group_ids=["g1", "g2"],
        access_schedule=AccessSchedule(ends_at=datetime(2030, 1, 1, tzinfo=UTC)),
    )
    params = model.to_params()
    assert params == {
        "acs_system_id": "sys_1",
        "full_name": "Jane",
        "phone_number": "+442079460958",
        "acs_access_group_ids": ["g1", "g2"],
        "access_schedule": {"ends_at": "2030-01-01T00:00:00+00:00"},
    }
    assert json.loads(json.dumps(params)) == params


def test_acs_user_create_rejects_duplicate_groups() -> None:
    errors = errors_of(
        AcsUserCreate, acs_system_id="s", full_name="J", acs_access_group_ids=["g", "g"]
    )
    assert errors == {
        "acs_access_group_ids": 'access group id listed more than once: "g"; list each one once'
    }


def test_acs_user_update_params_with_target_and_cleared_schedule() -> None:
    model = AcsUserUpdate(user_identity_id="ui_1", acs_system_id="sys_1", access_schedule=None)
    assert model.to_params() == {
        "user_identity_id": "ui_1",
        "acs_system_id": "sys_1",
        "access_schedule": None,
    }


def test_acs_user_update_sends_full_schedule() -> None:
    model = AcsUserUpdate(
        acs_user_id="au_1",
        access_schedule={"starts_at": "2025-03-01T09:00:00-05:00", "ends_at": "2025-04-01"},
    )
    assert model.to_params() == {
        "acs_user_id": "au_1",
        "access_schedule": {
            "starts_at": "2025-03-01T09:00:00-05:00",
            "ends_at": "2025-04-01T00:00:00+00:00",
        },
    }


def test_acs_user_update_schedule_needs_both_ends() -> None:
    errors = errors_of(
        AcsUserUpdate, acs_user_id="au_1", access_schedule={"starts_at": "2025-03-01T09:00:00Z"}
    )
    assert errors == {
        "access_schedule": "access_schedule on an update needs both starts_at and ends_at"
        " (ends_at missing); send access_schedule: null to remove it"
    }


def test_acs_user_update_cannot_clear_name() -> None:
    assert errors_of(AcsUserUpdate, acs_user_id="au_1", full_name=None) == {
        "full_name": "full_name cannot be cleared on an ACS user;"
        " leave it out to keep the current value"
    }


def test_acs_user_update_needs_a_change_and_a_target() -> None:
    no_change = errors_of(AcsUserUpdate, acs_user_id="au_1")
    assert no_change[MODEL_ERROR_KEY].startswith("nothing to change")
    no_target = errors_of(AcsUserUpdate, full_name="Jane")
    assert no_target[MODEL_ERROR_KEY].startswith("identify the ACS user by")


def test_nested_error_paths_are_dotted() -> None:
    errors = errors_of(
        AcsUserCreate,
        acs_system_id="s",
        full_name="J",
        access_schedule={"starts_at": "2025-03-02T00:00:00Z", "ends_at": "2025-03-01T00:00:00Z"},
    )
    assert list(errors) == ["access_schedule.ends_at"]


# --- field_errors message kinds --------------------------------------------------------------


def test_extra_fields_list_the_allowed_ones() -> None:
    assert errors_of(LinkAcsUser, user_identity_id="a", acs_user_id="b", acs_user="c") == {
        "acs_user": "unknown field acs_user; allowed: user_identity_id, acs_user_id"
    }


def test_extra_nested_fields_list_the_nested_allowed_ones() -> None:
    errors = errors_of(
        AcsUserCreate, acs_system_id="s", full_name="J", access_schedule={"start": "2025-01-01"}
    )
    assert errors == {
        "access_schedule.start": "unknown field access_schedule.start; allowed: starts_at, ends_at"
    }


def test_wrong_types_say_what_is_expected() -> None:
    errors = errors_of(
        AcsUserCreate, acs_system_id=5, full_name="J", acs_access_group_ids="g1", access_schedule=3
    )
    assert errors == {
        "acs_system_id": "acs_system_id must be text",
        "acs_access_group_ids": "acs_access_group_ids must be a list",
        "access_schedule": "access_schedule must be an object with fields starts_at, ends_at",
    }


def test_list_item_errors_report_under_the_list_with_the_index() -> None:
    errors = errors_of(UserIdentityCreate, full_name="J", acs_system_ids=["ok", "", 7])
    assert errors == {"acs_system_ids": "acs_system_ids[1]: ACS system id cannot be empty"}


def test_value_error_prefix_is_stripped() -> None:
    errors = errors_of(UserIdentityCreate, phone_number="555 0100")
    assert not errors["phone_number"].startswith("Value error")
    assert errors["phone_number"].startswith("phone number must be in E.164 form")


def test_non_object_body_is_a_model_level_error() -> None:
    with pytest.raises(ValidationError) as info:
        LinkAcsUser.model_validate(["a", "b"])
    assert field_errors(info.value) == {
        MODEL_ERROR_KEY: "the request must be an object with fields user_identity_id, acs_user_id"
    }


# --- property: any input gives a model or usable messages, never another exception -----------

_offsets = st.integers(-23 * 60, 23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_datetimes = st.datetimes(timezones=st.none() | _offsets)
_timestamps = _datetimes | _datetimes.map(datetime.isoformat)
_ids = st.text(alphabet="ab-12 ", max_size=6)
_phones = st.from_regex(r"(\+|00)?[0-9 ().\-]{0,22}", fullmatch=True)
# Values that often pass, so both outcomes get exercised.
_plausible: dict[str, st.SearchStrategy[Any]] = {
    "full_name": st.text(max_size=12),
    "user_identity_key": st.text(max_size=12),
    "email_address": st.emails(),
    "phone_number": _phones | st.sampled_from(["+15555550100", "+44 20 7946 0958"]),
    "starts_at": _timestamps,
    "ends_at": st.none() | _timestamps,
    "access_schedule": st.none()
    | st.fixed_dictionaries({}, optional={"starts_at": _timestamps, "ends_at": _timestamps}),
    "acs_system_ids": st.lists(_ids, max_size=3),
    "acs_access_group_ids": st.lists(_ids, max_size=3),
}
_anything = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    _timestamps,
    _phones,
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=4),
    st.dictionaries(st.sampled_from(["starts_at", "ends_at", "other"]), st.text(), max_size=3),
)
_MODELS: list[type[RequestModel]] = [
    AccessSchedule,
    UserIdentityCreate,
    UserIdentityUpdate,
    AcsUserTarget,
    AcsUserCreate,
    AcsUserUpdate,
    LinkAcsUser,
]


def _field_values(name: str) -> st.SearchStrategy[Any]:
    plausible = _plausible.get(name, _ids if name.endswith("_id") else st.text())
    # one_of would flatten _anything's branches and drown the plausible values.
    return st.sampled_from([plausible, plausible, plausible, _anything]).flatmap(lambda s: s)


@pytest.mark.parametrize("model", _MODELS, ids=lambda model: model.__name__)
@settings(
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_input_validates_or_explains(model: type[RequestModel], data: st.DataObject) -> None:
    fields = {name: _field_values(name) for name in model.model_fields}
    body = data.draw(st.fixed_dictionaries({}, optional=fields))
    if data.draw(st.integers(0, 9)) == 0:
        body["unexpected"] = data.draw(_anything)
    try:
        instance = model.model_validate(body)
    except ValidationError as exc:
        errors = field_errors(exc)
        assert errors
        assert all(isinstance(message, str) and message for message in errors.values())
        known = {*model.model_fields, "unexpected", MODEL_ERROR_KEY}
        assert all(key.split(".")[0] in known for key in errors)
    else:
        params = instance.to_params()
        assert json.loads(json.dumps(params)) == params
        assert set(params) <= set(body)
