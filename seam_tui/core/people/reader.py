"""Read a people file (CSV or JSON lines) one row at a time, in constant memory.

A problem with the file as a whole (empty, not UTF-8, UTF-16, semicolons, no header, an unknown
column) raises `PeopleFileError`, naming the row where it was found and the fix; a problem with
one row (a bad email, a date that is not a date) stays on that row, so the others can still be
planned.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import (
    MAX_KEY_LENGTH,
    MAX_NAME_LENGTH,
    nonempty_text,
    normalize_email,
    normalize_phone_number,
)
from seam_tui.core.people.rows import (
    ALL_COLUMNS,
    FILE,
    IMPORT_COLUMNS,
    PersonRow,
    RowProblem,
)
from seam_tui.visible import quoted

Format = Literal["csv", "jsonl"]

_KNOWN = frozenset(ALL_COLUMNS)
# What people call the columns, for "did you mean".
_ALIASES = {
    "email": "email_address",
    "phone": "phone_number",
    "name": "full_name",
    "key": "user_identity_key",
    "systems": "acs_system_ids",
    "groups": "acs_access_group_ids",
}
_ID_SEPARATORS = re.compile(r"[\s,]+")
_EXAMPLE_HEADER = ",".join(IMPORT_COLUMNS[:4])
_SAVE_UTF8 = 'save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")'
_DATETIME_FORM = "an ISO 8601 date and time, e.g. 2025-01-31T09:00:00Z"


class PeopleFileError(SeamError):
    """The file cannot be read as a people file; `problem` says where and how to fix it."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _file_error(row: int, message: str) -> PeopleFileError:
    return PeopleFileError(RowProblem(row, FILE, message))


def detect_format(name: str, head: bytes) -> Format:
    """JSON lines for .jsonl/.ndjson/.json names or a first character `{`, else CSV."""
    if name.lower().endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "jsonl" if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"{") else "csv"


def read_people_file(path: Path) -> Iterator[PersonRow]:
    """The people in the file at `path`, one at a time (see `read_people`)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _file_error(0, f"cannot be opened ({exc.strerror or exc}): {path}") from None
    with handle:
        yield from read_people(handle, path.name)


def read_people_text(text: str, name: str = "") -> Iterator[PersonRow]:
    """The people in `text` (CSV or JSON lines), one at a time."""
    return read_people(io.BytesIO(text.encode("utf-8")), name)


def read_people(stream: IO[bytes], name: str = "") -> Iterator[PersonRow]:
    """The people in `stream`, one at a time; raises PeopleFileError for the file as a whole."""
    head = stream.read(4096)
    if not head.strip(codecs.BOM_UTF8 + b" \t\r\n"):
        raise _file_error(
            0,
            "is empty; it needs a header row naming the columns (e.g. "
            f"{_EXAMPLE_HEADER}) and one row per person",
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _file_error(0, f"is UTF-16 text, not UTF-8; {_SAVE_UTF8}")
    lines = _lines(io.BufferedReader(_Rejoined(head, stream)))
    rows = _jsonl_rows(lines) if detect_format(name, head) == "jsonl" else _csv_rows(lines)
    count = 0
    for person in rows:
        count += 1
        yield person
    if count == 0:
        raise _file_error(0, "has no people in it: add one row per person under the header")


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """The stream's lines, decoded as UTF-8 (a BOM dropped), each with its line ending."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start : exc.start + 1].hex()
            raise _file_error(number, f"is not UTF-8 (byte 0x{byte}); {_SAVE_UTF8}") from None


class _Rejoined(io.RawIOBase):
    """`head` (already read) followed by the rest of `stream`."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# -------------------------------------------------------------------------------- CSV


def _csv_rows(text: Iterator[str]) -> Iterator[PersonRow]:
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = _columns(header)
        for index, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells (spreadsheets leave them)
            person = PersonRow(row=index)
            if len(cells) > len(columns):
                person.problems.append(
                    RowProblem(
                        index,
                        FILE,
                        f"has {len(cells)} cells but the header names {len(columns)} columns; "
                        "put a cell that holds a comma in double quotes",
                    )
                )
            _fill(person, dict(zip(columns, cells, strict=False)))
            yield person
    except csv.Error as exc:
        raise _file_error(reader.line_num, f"is not valid CSV ({exc}); check its quotes") from None


def _columns(header: list[str]) -> list[str]:
    """The header's column names, checked: known, each once, separated by commas."""
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and ";" in names[0]:
        parts = [part.strip() for part in names[0].split(";")]
        if any(part in _KNOWN for part in parts):
            raise _file_error(
                1,
                "columns are separated by semicolons; separate them with commas "
                '(in Excel: save as "CSV UTF-8 (Comma delimited)")',
            )
    if not any(name in _KNOWN for name in names):
        raise _file_error(
            1,
            f"has no header: the first row must name the columns, e.g. {_EXAMPLE_HEADER} "
            f"(found {', '.join(quoted(cell) for cell in header[:4])})",
        )
    seen: set[str] = set()
    for name in names:
        if name not in _KNOWN:
            # The name is the file's (any text): it is named quoted, in the message only.
            raise PeopleFileError(RowProblem(1, "header", _unknown_column(name)))
        if name in seen:
            raise PeopleFileError(
                RowProblem(1, name, "appears twice in the header; keep one column of it")
            )
        seen.add(name)
    return names


def _unknown_column(name: str) -> str:
    if not name:
        return "a column has no name; name it or delete it"
    close = _ALIASES.get(name) or next(
        iter(difflib.get_close_matches(name, [*ALL_COLUMNS, *_ALIASES], n=1, cutoff=0.5)), None
    )
    close = _ALIASES.get(close or "", close)
    hint = f"did you mean {close}? " if close else ""
    return f"unknown column {quoted(name)}; {hint}columns are {', '.join(ALL_COLUMNS)}"


# ------------------------------------------------------------------------- JSON lines


def _jsonl_rows(text: Iterator[str]) -> Iterator[PersonRow]:
    for index, line in enumerate(text, start=1):
        if not line.strip():
            continue
        person = PersonRow(row=index)
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            person.problems.append(RowProblem(index, FILE, f"is not JSON ({exc.msg})"))
            yield person
            continue
        if not isinstance(data, dict):
            person.problems.append(
                RowProblem(index, FILE, 'must be one JSON object per line, e.g. {"full_name": …}')
            )
            yield person
            continue
        values: dict[str, object] = {}
        for key, value in data.items():
            if key not in _KNOWN:
                person.problems.append(RowProblem(index, str(key), _unknown_column(str(key))))
            else:
                values[key] = value
        _fill(person, values)
        yield person


# ------------------------------------------------------------------------ cell values


def _fill(person: PersonRow, values: Mapping[str, object]) -> None:
    """Set `person`'s fields from raw cells, each problem on its field."""
    checks = {
        "full_name": nonempty_text("full name", MAX_NAME_LENGTH),
        "user_identity_key": nonempty_text("user identity key", MAX_KEY_LENGTH),
        "user_identity_id": nonempty_text("user identity id", MAX_KEY_LENGTH),
        "email_address": normalize_email,
        "phone_number": normalize_phone_number,
    }
    for name, check in checks.items():
        text = _text(person, name, values.get(name))
        if text is not None:
            try:
                setattr(person, name, check(text))
            except ValueError as exc:
                person.problems.append(RowProblem(person.row, name, str(exc)))
    person.acs_system_ids = _ids(person, "acs_system_ids", values.get("acs_system_ids"))
    person.acs_access_group_ids = _ids(
        person, "acs_access_group_ids", values.get("acs_access_group_ids")
    )
    person.starts_at = _time(person, "starts_at", values.get("starts_at"))
    person.ends_at = _time(person, "ends_at", values.get("ends_at"))
    if person.starts_at and person.ends_at and person.ends_at <= person.starts_at:
        person.problems.append(
            RowProblem(person.row, "ends_at", "must be later than starts_at; fix either date")
        )


def _text(person: PersonRow, name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        person.problems.append(RowProblem(person.row, name, "must be text (quote it in JSON)"))
        return None
    return value.strip() or None


def _ids(person: PersonRow, name: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        ids = [part for part in _ID_SEPARATORS.split(value.strip()) if part]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        ids = [item.strip() for item in value if item.strip()]
    else:
        person.problems.append(
            RowProblem(person.row, name, "must be ids separated by spaces (or a JSON list)")
        )
        return ()
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        listed = ", ".join(quoted(i) for i in repeated)
        person.problems.append(RowProblem(person.row, name, f"lists {listed} twice; list it once"))
    return tuple(dict.fromkeys(ids))


def _time(person: PersonRow, name: str, value: object) -> datetime | None:
    text = _text(person, name, value)
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        person.problems.append(RowProblem(person.row, name, f"must be {_DATETIME_FORM}"))
        return None
    return when if when.utcoffset() is not None else when.replace(tzinfo=UTC)
