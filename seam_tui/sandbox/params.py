"""Request parameter schemas: strict validation with zod's issue texts, and query parsing.

Every endpoint declares its params as a strict object (unknown params are rejected, as the
real API does). GET and DELETE carry params in the query string, serialised the Seam way:
repeated keys for arrays, dotted keys for nested objects, `true`/`false` for booleans, an
empty value for null, and `_strict=true` (which we ignore: we always parse strictly).

Ids are checked as UUIDs: any other string is 400 `invalid_input` ("Invalid uuid"), never a
lookup, so a malformed id never reaches a query.

Every string, in the body or the query (ids, enums and `search` included), is also held to
limits the real API's data never comes near: at most `MAX_STRING_LENGTH` characters, and no
NUL (U+0000), which the real API's Postgres cannot store. Either is a 400 naming the param.
Every other character, control characters included, is kept as sent; a lone surrogate (which
JSON allows but UTF-8 cannot encode) becomes U+FFFD, as a Node service writing UTF-8 would.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from seam_tui.sandbox.envelope import Issue, Path, invalid_input

Kind = Literal[
    "string", "uuid", "email", "datetime", "integer", "number", "boolean", "enum", "array", "object"
]

MAX_STRING_LENGTH = 10_000
NUL_MESSAGE = "String must not contain the NUL character (U+0000)"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# zod's email pattern (v3), which the real API's validation uses.
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$",
    re.IGNORECASE,
)
_JSON_TYPES: dict[Kind, str] = {
    "string": "string",
    "uuid": "string",
    "email": "string",
    "datetime": "string",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
    "enum": "string",
    "array": "array",
    "object": "object",
}


@dataclass(frozen=True)
class Param:
    """One parameter's type and constraints."""

    kind: Kind
    required: bool = False
    nullable: bool = False
    min_length: int = 0
    minimum: int | None = None
    items: Param | None = None
    fields: Mapping[str, Param] = field(default_factory=dict)
    choices: tuple[str, ...] = ()  # the values of an enum
    pattern: re.Pattern[str] | None = None  # a string must match it (zod's `regex`)


Check = Callable[[dict[str, Any]], list[Issue]]


@dataclass(frozen=True)
class Schema:
    """A strict object of params plus cross-param checks (run once the params are valid)."""

    fields: Mapping[str, Param]
    checks: tuple[Check, ...] = ()

    def validate(self, raw: object) -> dict[str, Any]:
        """The valid params (omitted stays omitted, null stays None) or `invalid_input`."""
        issues: list[Issue] = []
        value = _check_object(raw, self.fields, (), issues)
        if not issues:
            for check in self.checks:
                issues.extend(check(value))
        if issues:
            raise invalid_input(issues)
        return value

    def parse_query(self, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
        """Turn query pairs into the JSON-like params the schema expects (not yet validated)."""
        grouped: dict[str, list[str]] = {}
        for key, value in pairs:
            if key != "_strict":
                grouped.setdefault(key, []).append(value)
        result: dict[str, Any] = {}
        for key, values in grouped.items():
            parts = key.split(".")
            spec, target = _locate(self.fields, parts, result)
            leaf = parts[-1]
            if spec is None or target is None:
                result[key] = values[0] if len(values) == 1 else values
            elif spec.kind == "array":
                single_empty = len(values) == 1 and values[0] == ""
                target[leaf] = [] if single_empty else values
            else:
                target[leaf] = _from_text(spec, values[0]) if len(values) == 1 else values
        return result


# Constructors, so schemas read like the API reference.
def string(
    *,
    required: bool = False,
    nullable: bool = False,
    min_length: int = 0,
    pattern: re.Pattern[str] | None = None,
) -> Param:
    return Param(
        "string", required=required, nullable=nullable, min_length=min_length, pattern=pattern
    )


def uuid_param(*, required: bool = False) -> Param:
    return Param("uuid", required=required)


def email(*, nullable: bool = False) -> Param:
    return Param("email", nullable=nullable)


def timestamp(*, required: bool = False, nullable: bool = False) -> Param:
    return Param("datetime", required=required, nullable=nullable)


def integer(*, minimum: int | None = None) -> Param:
    return Param("integer", minimum=minimum)


def number(*, minimum: int | None = None) -> Param:
    """A JSON number that may have a fraction (the reference's `float`)."""
    return Param("number", minimum=minimum)


def boolean() -> Param:
    return Param("boolean")


def enum(choices: tuple[str, ...], *, required: bool = False) -> Param:
    return Param("enum", required=required, choices=choices)


def enum_list(choices: tuple[str, ...]) -> Param:
    return Param("array", items=enum(choices))


def uuid_list() -> Param:
    return Param("array", items=Param("uuid"))


def obj(fields: Mapping[str, Param], *, nullable: bool = False) -> Param:
    return Param("object", nullable=nullable, fields=fields)


def exactly_one(*names: str) -> Check:
    """Require exactly one of the named params (as `one of A | B` in the reference)."""

    def check(params: dict[str, Any]) -> list[Issue]:
        present = [name for name in names if params.get(name) is not None]
        if len(present) == 1:
            return []
        listed = " or ".join(names)
        return [Issue((), f"Must specify exactly one of {listed}")]

    return check


def canonical_time(moment: datetime) -> str:
    """The one timestamp format we store and answer with (sorts as text, ms precision)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _locate(
    fields: Mapping[str, Param], parts: list[str], result: dict[str, Any]
) -> tuple[Param | None, dict[str, Any] | None]:
    """The spec for a dotted key and the dict its value goes into (None if unknown)."""
    target = result
    current: Mapping[str, Param] = fields
    for depth, part in enumerate(parts):
        spec = current.get(part)
        if spec is None:
            return None, None
        if depth == len(parts) - 1:
            return spec, target
        if spec.kind != "object":
            return None, None
        nested = target.setdefault(part, {})
        if not isinstance(nested, dict):
            return None, None
        target, current = nested, spec.fields
    return None, None


def _from_text(spec: Param, text: str) -> Any:
    """A query value as JSON would carry it: empty is null, numbers for number params."""
    if text == "":
        return None
    if spec.kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if spec.kind in ("integer", "number"):
        for number in (int, float):
            try:
                return number(text)
            except ValueError:
                pass
    return text


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _check_object(
    raw: object, fields: Mapping[str, Param], path: Path, issues: list[Issue]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        issues.append(Issue(path, f"Expected object, received {_type_name(raw)}"))
        return {}
    result: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in raw:
            if spec.required:
                issues.append(Issue((*path, name), "Required"))
            continue
        result[name] = _check(raw[name], spec, (*path, name), issues)
    unknown = [key for key in raw if key not in fields]
    if unknown:
        keys = ", ".join(f"'{key}'" for key in unknown)
        issues.append(Issue(path, f"Unrecognized key(s) in object: {keys}"))
    return result


def _check(value: object, spec: Param, path: Path, issues: list[Issue]) -> Any:
    expected = _JSON_TYPES[spec.kind]
    if value is None:
        if not spec.nullable:
            issues.append(Issue(path, f"Expected {expected}, received null"))
        return None
    actual = _type_name(value)
    if actual != expected:
        issues.append(Issue(path, f"Expected {expected}, received {actual}"))
        return value
    if spec.kind == "object":
        return _check_object(value, spec.fields, path, issues)
    if spec.kind == "array":
        assert isinstance(value, list)
        items = spec.items
        assert items is not None
        return [_check(item, items, (*path, index), issues) for index, item in enumerate(value)]
    if spec.kind == "integer":
        return _check_integer(value, spec, path, issues)
    if spec.kind == "number":
        return _check_number(value, spec, path, issues)
    if spec.kind == "boolean":
        return value
    assert isinstance(value, str)
    if len(value) > MAX_STRING_LENGTH:
        issues.append(Issue(path, f"String must contain at most {MAX_STRING_LENGTH} character(s)"))
        return value
    if "\x00" in value:
        issues.append(Issue(path, NUL_MESSAGE))
        return value
    value = _LONE_SURROGATE.sub("\ufffd", value)
    if spec.kind == "enum":
        return _check_enum(value, spec, path, issues)
    return _check_string(value, spec, path, issues)


def _check_integer(value: object, spec: Param, path: Path, issues: list[Issue]) -> Any:
    assert isinstance(value, int | float)
    if isinstance(value, float) and not value.is_integer():
        issues.append(Issue(path, "Expected integer, received float"))
        return value
    if spec.minimum is not None and value < spec.minimum:
        issues.append(Issue(path, f"Number must be greater than or equal to {spec.minimum}"))
    return int(value)


def _check_number(value: object, spec: Param, path: Path, issues: list[Issue]) -> Any:
    assert isinstance(value, int | float)
    if spec.minimum is not None and value < spec.minimum:
        issues.append(Issue(path, f"Number must be greater than or equal to {spec.minimum}"))
    return value


def _check_enum(value: str, spec: Param, path: Path, issues: list[Issue]) -> str:
    if value not in spec.choices:
        expected = " | ".join(f"'{choice}'" for choice in spec.choices)
        issues.append(Issue(path, f"Invalid enum value. Expected {expected}, received '{value}'"))
    return value


def _check_string(value: str, spec: Param, path: Path, issues: list[Issue]) -> str:
    if len(value) < spec.min_length:
        message = f"String must contain at least {spec.min_length} character(s)"
        issues.append(Issue(path, message))
    elif spec.pattern is not None and not spec.pattern.search(value):
        issues.append(Issue(path, "Invalid"))
    elif spec.kind == "uuid" and not _UUID.match(value):
        issues.append(Issue(path, "Invalid uuid"))
    elif spec.kind == "email" and not _EMAIL.match(value):
        issues.append(Issue(path, "Invalid email"))
    elif spec.kind == "datetime":
        moment = _parse_time(value)
        if moment is None:
            issues.append(Issue(path, "Invalid datetime"))
        else:
            return canonical_time(moment)
    return value


def _parse_time(value: str) -> datetime | None:
    """An aware datetime that has a UTC form (year 1-9999 in UTC), else None."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    try:
        moment.astimezone(UTC)  # 9999-12-31T23:00-05:00 has no UTC form: a 400, not a 500
    except OverflowError:
        return None
    return moment
