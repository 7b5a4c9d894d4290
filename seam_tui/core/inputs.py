"""Request models for the Seam API, validated so every error says what is wrong and how to fix it.

Both front ends (TUI forms and MCP tools) build these models; the service layer sends
``model.to_params()`` as the JSON body. ``field_errors`` turns a ``ValidationError`` into one
message per field, which forms show beside the field and tools hand back to the assistant.

Conventions shared by every model:

* Unknown fields are rejected and surrounding whitespace is stripped from text.
* ``to_params`` sends only the fields the caller set. An explicit ``None`` is sent as JSON
  ``null`` only where the API treats null as "clear" (listed in ``clearable_fields``);
  elsewhere ``None`` means "not given" and is omitted.
* Datetimes without a timezone are taken as UTC and are sent as ISO 8601 with an offset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from seam_tui.core.contact_fields import normalize_email, normalize_phone_number
from seam_tui.visible import quoted

__all__ = [
    "MODEL_ERROR_KEY",
    "AccessSchedule",
    "AcsUserCreate",
    "AcsUserTarget",
    "AcsUserUpdate",
    "LinkAcsUser",
    "RequestModel",
    "UserIdentityCreate",
    "UserIdentityUpdate",
    "field_errors",
    "normalize_email",
    "normalize_phone_number",
]

MAX_NAME_LENGTH = 200
MAX_KEY_LENGTH = 255
MAX_ID_LENGTH = 255
MODEL_ERROR_KEY = ""
"""``field_errors`` key for errors about the request as a whole (e.g. "nothing to change")."""

_DATETIME_FORM = "an ISO 8601 date and time, e.g. 2025-01-31T09:00:00Z"


def nonempty_text(label: str, max_length: int) -> Callable[[str], str]:
    """Build a check that text (already stripped) is non-empty and within ``max_length``."""

    def check(value: str) -> str:
        if not value:
            raise ValueError(f"{label} cannot be empty")
        if len(value) > max_length:
            raise ValueError(f"{label} is {len(value)} characters long; the limit is {max_length}")
        return value

    return check


def _unique(label: str) -> Callable[[list[str]], list[str]]:
    """Build a check that a list of ids names each item once (the API would act twice)."""

    def check(values: list[str]) -> list[str]:
        repeated = sorted(value for value, count in Counter(values).items() if count > 1)
        if repeated:
            listed = ", ".join(quoted(value) for value in repeated)
            raise ValueError(f"{label} listed more than once: {listed}; list each one once")
        return values

    return check


def _assume_utc(value: datetime) -> datetime:
    """Pin naive datetimes to UTC so the API never guesses a timezone."""
    return value if value.utcoffset() is not None else value.replace(tzinfo=UTC)


FullName = Annotated[str, AfterValidator(nonempty_text("full name", MAX_NAME_LENGTH))]
UserIdentityKey = Annotated[str, AfterValidator(nonempty_text("user identity key", MAX_KEY_LENGTH))]
EmailAddress = Annotated[str, AfterValidator(normalize_email)]
PhoneNumber = Annotated[str, AfterValidator(normalize_phone_number)]
UserIdentityId = Annotated[str, AfterValidator(nonempty_text("user identity id", MAX_ID_LENGTH))]
AcsUserId = Annotated[str, AfterValidator(nonempty_text("ACS user id", MAX_ID_LENGTH))]
AcsSystemId = Annotated[str, AfterValidator(nonempty_text("ACS system id", MAX_ID_LENGTH))]
AccessGroupId = Annotated[str, AfterValidator(nonempty_text("access group id", MAX_ID_LENGTH))]
Timestamp = Annotated[datetime, AfterValidator(_assume_utc)]
AccessGroupIds = Annotated[list[AccessGroupId], AfterValidator(_unique("access group id"))]
AcsUserIds = Annotated[list[AcsUserId], AfterValidator(_unique("ACS user id"))]

_MODELS: dict[str, type[RequestModel]] = {}


class RequestModel(BaseModel):
    """Base for request bodies: strict about unknown fields, exact about what gets sent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clearable_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields where an explicit ``None`` is sent as null to clear the value on the server."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _MODELS[cls.__name__] = cls

    def to_params(self) -> dict[str, Any]:
        """Return the JSON body: fields the caller set, with ``None`` only where it clears."""
        params: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name not in self.model_fields_set:
                continue
            value = getattr(self, name)
            if value is None and name not in self.clearable_fields:
                continue
            params[name] = _to_json(value)
        return params


def _to_json(value: object) -> Any:
    if isinstance(value, RequestModel):
        return value.to_params()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


class AccessSchedule(RequestModel):
    """When an ACS user's access starts and ends.

    On create both are optional: no ``starts_at`` means "now" (``None`` is omitted, the API
    has no null for it) and ``ends_at=None`` means "no end".
    """

    clearable_fields: ClassVar[frozenset[str]] = frozenset({"ends_at"})

    starts_at: Timestamp | None = None
    ends_at: Timestamp | None = None

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, ends_at: datetime | None, info: ValidationInfo) -> datetime | None:
        starts_at = info.data.get("starts_at")
        if ends_at is not None and starts_at is not None and ends_at <= starts_at:
            raise ValueError(
                f"ends_at ({ends_at.isoformat()}) must be later than"
                f" starts_at ({starts_at.isoformat()})"
            )
        return ends_at


_IDENTITY_FIELDS = ("full_name", "email_address", "phone_number", "user_identity_key")


class UserIdentityCreate(RequestModel):
    """Body of ``/user_identities/create``."""

    full_name: FullName | None = None
    email_address: EmailAddress | None = None
    phone_number: PhoneNumber | None = None
    user_identity_key: UserIdentityKey | None = None
    acs_system_ids: Annotated[list[AcsSystemId], AfterValidator(_unique("ACS system id"))] = Field(
        default_factory=list
    )

    @model_validator(mode="after")
    def _has_identity(self) -> UserIdentityCreate:
        if all(getattr(self, name) is None for name in _IDENTITY_FIELDS):
            raise ValueError(
                "a user identity needs at least one of full_name, email_address,"
                " phone_number or user_identity_key"
            )
        return self


class UserIdentityUpdate(RequestModel):
    """Body of ``/user_identities/update``; an explicit ``None`` clears that field."""

    clearable_fields: ClassVar[frozenset[str]] = frozenset(_IDENTITY_FIELDS)

    user_identity_id: UserIdentityId
    full_name: FullName | None = None
    email_address: EmailAddress | None = None
    phone_number: PhoneNumber | None = None
    user_identity_key: UserIdentityKey | None = None

    @field_validator(*_IDENTITY_FIELDS, mode="before")
    @classmethod
    def _blank_is_not_clear(cls, value: object, info: ValidationInfo) -> object:
        # A blank form field is ambiguous on an update; say how to clear instead.
        if isinstance(value, str) and not value.strip():
            label = (info.field_name or "value").replace("_", " ")
            raise ValueError(f"{label} cannot be empty; to clear it, send null")
        return value

    @model_validator(mode="after")
    def _has_change(self) -> UserIdentityUpdate:
        if not self.model_fields_set & set(_IDENTITY_FIELDS):
            raise ValueError(
                "nothing to change: give at least one of full_name, email_address,"
                " phone_number or user_identity_key (null clears a value)"
            )
        return self


class AcsUserTarget(RequestModel):
    """Which ACS user an ``/acs/users/*`` call acts on.

    Either ``acs_user_id`` alone, or ``user_identity_id`` with ``acs_system_id`` (the identity's
    ACS user in that system).
    """

    acs_user_id: AcsUserId | None = None
    user_identity_id: UserIdentityId | None = None
    acs_system_id: AcsSystemId | None = None

    @model_validator(mode="after")
    def _one_target(self) -> AcsUserTarget:
        forms = "either acs_user_id alone, or user_identity_id together with acs_system_id"
        by_identity = [
            name
            for name in ("user_identity_id", "acs_system_id")
            if getattr(self, name) is not None
        ]
        if self.acs_user_id is not None:
            if by_identity:
                raise ValueError(
                    f"identify the ACS user by {forms}, not both;"
                    f" remove {' and '.join(by_identity)} or acs_user_id"
                )
        elif not by_identity:
            raise ValueError(f"identify the ACS user by {forms}")
        elif len(by_identity) == 1:
            given = by_identity[0]
            other = "acs_system_id" if given == "user_identity_id" else "user_identity_id"
            raise ValueError(f"{given} also needs {other} (or give acs_user_id instead)")
        return self


class AcsUserCreate(RequestModel):
    """Body of ``/acs/users/create``."""

    acs_system_id: AcsSystemId
    full_name: FullName
    email_address: EmailAddress | None = None
    phone_number: PhoneNumber | None = None
    user_identity_id: UserIdentityId | None = None
    acs_access_group_ids: AccessGroupIds = Field(default_factory=list)
    access_schedule: AccessSchedule | None = None


_ACS_USER_CHANGES = ("full_name", "email_address", "phone_number", "access_schedule")


class AcsUserUpdate(AcsUserTarget):
    """Body of ``/acs/users/update``: a target plus the fields to change.

    Only the schedule can be cleared (``access_schedule=None`` removes it); the API has no
    null for name, email or phone.
    """

    clearable_fields: ClassVar[frozenset[str]] = frozenset({"access_schedule"})

    full_name: FullName | None = None
    email_address: EmailAddress | None = None
    phone_number: PhoneNumber | None = None
    access_schedule: AccessSchedule | None = None

    @field_validator("full_name", "email_address", "phone_number")
    @classmethod
    def _not_clearable(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            raise ValueError(
                f"{info.field_name} cannot be cleared on an ACS user;"
                " leave it out to keep the current value"
            )
        return value

    @field_validator("access_schedule")
    @classmethod
    def _complete_schedule(cls, schedule: AccessSchedule | None) -> AccessSchedule | None:
        if schedule is None:
            return None
        missing = [name for name in ("starts_at", "ends_at") if getattr(schedule, name) is None]
        if missing:
            raise ValueError(
                "access_schedule on an update needs both starts_at and ends_at"
                f" ({' and '.join(missing)} missing); send access_schedule: null to remove it"
            )
        return schedule

    @model_validator(mode="after")
    def _has_change(self) -> AcsUserUpdate:
        if not self.model_fields_set & set(_ACS_USER_CHANGES):
            raise ValueError(
                "nothing to change: give at least one of full_name, email_address,"
                " phone_number or access_schedule (null removes the schedule)"
            )
        return self


class LinkAcsUser(RequestModel):
    """Body of ``/user_identities/add_acs_user`` and ``remove_acs_user``."""

    user_identity_id: UserIdentityId
    acs_user_id: AcsUserId


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Map each failing field to one message a person or an assistant can act on.

    Keys are dotted field paths (``access_schedule.ends_at``); list items report under the
    list (``acs_system_ids``) with the index in the message; errors about the request as a
    whole use ``MODEL_ERROR_KEY`` (``""``). Only the first error per key is kept.
    """
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        names = [part for part in error["loc"] if isinstance(part, str)]
        shown = ""
        for part in error["loc"]:
            if isinstance(part, int):
                shown += f"[{part}]"
            else:
                shown = f"{shown}.{part}" if shown else part
        errors.setdefault(".".join(names), _message(error, shown, exc.title, names))
    return errors


def _message(error: ErrorDetails, shown: str, title: str, names: list[str]) -> str:
    kind = error["type"]
    subject = shown or "the request"
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return f"{shown}: {message}" if shown != ".".join(names) else message
    if kind == "missing":
        return f"{subject} is required"
    if kind == "extra_forbidden":
        allowed = _fields_of(_model_at(title, names[:-1]))
        hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return f"unknown field {shown}{hint}"
    if kind == "model_type":
        fields = _fields_of(_model_at(title, names))
        hint = f" with fields {', '.join(fields)}" if fields else ""
        return f"{subject} must be an object{hint}"
    if kind.startswith("string_"):
        return f"{subject} must be text"
    if kind == "list_type":
        return f"{subject} must be a list"
    if kind.startswith("datetime"):
        return f"{subject} must be {_DATETIME_FORM}"
    return f"{subject}: {error['msg']}"


def _model_at(title: str, names: list[str]) -> type[BaseModel] | None:
    """Find the request model that owns the field at ``names`` inside the model ``title``."""
    model: type[BaseModel] | None = _MODELS.get(title)
    for name in names:
        field = model.model_fields.get(name) if model is not None else None
        if field is None:
            return None
        candidates = (field.annotation, *get_args(field.annotation))
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
    return model


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    return list(model.model_fields) if model is not None else []
