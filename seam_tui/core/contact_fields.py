"""Phone numbers and email addresses as the API takes them: E.164 and a valid address, each
refusal saying what form is expected (used by the request models in `inputs`)."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# E.164 numbers have at most 15 digits after the "+".
_MAX_E164_DIGITS = 15

_E164_FORM = "use E.164 form with a country code, e.g. +15555550100"
_EMAIL_FORM = "expected a form like jane@example.com"
# Separators people type inside phone numbers; all are dropped.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_PHONE_REASONS = {
    # Local-only numbers lack an area code, so they are not E.164 even though
    # phonenumbers.is_possible_number accepts them.
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "is missing its area code",
    phonenumbers.ValidationResult.TOO_SHORT: "is too short",
    phonenumbers.ValidationResult.TOO_LONG: "is too long",
    phonenumbers.ValidationResult.INVALID_LENGTH: "has the wrong number of digits",
}


def normalize_phone_number(value: str) -> str:
    """Return ``value`` in E.164 form, or raise ``ValueError`` saying what form is expected.

    Only possibility (length for the country) is checked, not validity: Seam's documented
    example numbers (+1 555 555 01xx) are fictional and must be accepted.
    """
    text = value.strip()
    if not text:
        raise ValueError("phone number cannot be empty")
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    digits = compact.removeprefix("+")
    bad = next((char for char in digits if char not in "0123456789"), None)
    if bad is not None:
        raise ValueError(
            f"phone number contains {bad!r}, which is not allowed; {_E164_FORM}"
            " (spaces, dashes, dots and parentheses are ignored)"
        )
    if not compact.startswith("+"):
        raise ValueError(
            "phone number must be in E.164 form with a country code, e.g. +15555550100"
            " (start with + or 00)"
        )
    if len(digits) > _MAX_E164_DIGITS:
        raise ValueError(
            f"phone number has {len(digits)} digits, more than the {_MAX_E164_DIGITS}"
            f" E.164 allows; {_E164_FORM}"
        )
    try:
        number = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException as exc:
        reason = (
            "starts with an unknown country code"
            if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
            else "is not a possible number"
        )
        raise ValueError(f"phone number {reason}; {_E164_FORM}") from None
    result = phonenumbers.is_possible_number_with_reason(number)
    if result != phonenumbers.ValidationResult.IS_POSSIBLE:
        reason = _PHONE_REASONS.get(result, "is not a possible number")
        raise ValueError(
            f"phone number {reason} for country code +{number.country_code}; {_E164_FORM}"
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(value: str) -> str:
    """Return the normalised address, or raise ``ValueError`` with the reason and an example.

    Syntax only: deliverability would need DNS, which forms and tools must not wait on.
    """
    text = value.strip()
    if not text:
        raise ValueError("email address cannot be empty")
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise ValueError(f"email address is not valid: {reason}; {_EMAIL_FORM}") from None
