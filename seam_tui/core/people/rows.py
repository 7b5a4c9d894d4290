"""People files: what a row is, and the problems a row or a whole file can have.

Columns are named as the API names the fields; several ids in one cell are separated by spaces.
Every problem names its row (the header is row 1 of a CSV file; a JSON-lines file counts
lines) and its field, and says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

IMPORT_COLUMNS = (
    "full_name",
    "email_address",
    "phone_number",
    "user_identity_key",
    "acs_system_ids",
    "acs_access_group_ids",
    "starts_at",
    "ends_at",
)
"""The columns an import acts on (any may be absent)."""

EXPORT_ONLY_COLUMNS = ("user_identity_id", "acs_user_ids")
"""Columns an export writes that an import reads but does not change (`user_identity_id`
matches a person when offboarding)."""

ALL_COLUMNS = ("user_identity_id", *IMPORT_COLUMNS[:4], *IMPORT_COLUMNS[4:], "acs_user_ids")
MATCH_FIELDS = ("user_identity_key", "email_address", "phone_number")
"""What a person is matched on, in this order (and what makes a re-run find them again)."""

FILE = "file"
"""The `field` of a problem with the file as a whole (encoding, separators, header)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one row (or, `row` 0 / `field` FILE, the file) and how to fix it."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        if self.field == FILE:
            return f"{where} {self.message}"
        return f"{where}, {self.field}: {self.message}"

    @property
    def in_row(self) -> str:
        """The problem where its row is already shown: `email_address: …` (the column named)."""
        return self.message if self.field == FILE else f"{self.field}: {self.message}"


@dataclass(slots=True)
class PersonRow:
    """One person as a file describes them; text is stripped, emails and phones normalised,
    None where the cell is absent or blank."""

    row: int
    full_name: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    user_identity_key: str | None = None
    user_identity_id: str | None = None
    acs_system_ids: tuple[str, ...] = ()
    acs_access_group_ids: tuple[str, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    problems: list[RowProblem] = field(default_factory=list)

    def match_values(self) -> list[tuple[str, str]]:
        """The (field, value) pairs a person is matched on, in matching order."""
        return [(f, v) for f in MATCH_FIELDS if (v := getattr(self, f)) is not None]

    def label(self) -> str:
        """How the row names the person (its name, else what it is matched on)."""
        for value in (self.full_name, self.email_address, self.phone_number):
            if value:
                return value
        return self.user_identity_key or self.user_identity_id or f"row {self.row}"

    def content(self) -> tuple[object, ...]:
        """Everything the row says, to tell a repeated row from a different one."""
        return (
            self.full_name,
            self.email_address,
            self.phone_number,
            self.user_identity_key,
            self.user_identity_id,
            self.acs_system_ids,
            self.acs_access_group_ids,
            self.starts_at,
            self.ends_at,
        )
