"""Reading people files: every kind of bad input gets its row, its field and the fix."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from seam_tui.core.people import PeopleFileError, read_people, read_people_file, read_people_text
from seam_tui.core.people.rows import PersonRow


def rows(text: str, name: str = "people.csv") -> list[PersonRow]:
    return list(read_people_text(text, name))


def file_problem(data: bytes, name: str = "people.csv") -> str:
    with pytest.raises(PeopleFileError) as caught:
        list(read_people(io.BytesIO(data), name))
    return str(caught.value)


def test_a_good_csv_row_is_read_normalised() -> None:
    (ada,) = rows(
        "full_name,email_address,phone_number,user_identity_key,acs_system_ids,starts_at\n"
        ' Ada , ADA@Example.com ,+1 (555) 555-0100,ada-1,"s1 s2, s3",2030-01-31T09:00:00\n'
    )
    assert ada.row == 2
    assert ada.full_name == "Ada"
    assert ada.email_address == "ADA@example.com"
    assert ada.phone_number == "+15555550100"
    assert ada.acs_system_ids == ("s1", "s2", "s3")
    assert ada.starts_at is not None
    assert ada.starts_at.utcoffset() is not None
    assert ada.problems == []


def test_a_bom_is_read_and_blank_rows_are_skipped() -> None:
    data = codecs.BOM_UTF8 + b"full_name,email_address\r\nAda,ada@example.com\r\n,\r\n\r\n"
    people = list(read_people(io.BytesIO(data), "x.csv"))
    assert [p.full_name for p in people] == ["Ada"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty; it needs a header row"),
        (b"full_name,email_address\n", "the file has no people in it"),
        (codecs.BOM_UTF16_LE + "full_name\n".encode("utf-16-le"), "is UTF-16 text, not UTF-8"),
        (b"full_name\nAda\nJos\xe9\n", "row 3 is not UTF-8 (byte 0xe9)"),
        (b"full_name;email_address\nAda;a@b.co\n", "row 1 columns are separated by semicolons"),
        (b"Ada,ada@example.com\n", "row 1 has no header: the first row must name the columns"),
        (b"full_name,emial\nAda,x\n", 'row 1, header: unknown column "emial"'),
        (b"full_name,email\nAda,x\n", "did you mean email_address?"),
        (b"full_name,full_name\nAda,Ada\n", "row 1, full_name: appears twice"),
    ],
)
def test_a_file_that_cannot_be_read_says_where_and_how_to_fix_it(
    data: bytes, expected: str
) -> None:
    assert expected in file_problem(data)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PeopleFileError, match="cannot be opened"):
        list(read_people_file(tmp_path / "nope.csv"))


def test_bad_cells_stay_on_their_row_and_field() -> None:
    people = rows(
        "full_name,email_address,phone_number,starts_at,ends_at,acs_system_ids\n"
        "Ada,not-an-email,,,,\n"
        "Bob,,5550100,,,\n"
        "Cy,,,tomorrow,,\n"
        "Di,,,2030-01-02T00:00:00Z,2030-01-01T00:00:00Z,\n"
        "Ed,,,,,s1 s1\n"
        "Fi,,,,,,extra\n"
    )
    found = [(p.row, p.problems[0].field, p.problems[0].message) for p in people]
    assert found[0][:2] == (2, "email_address")
    assert "expected a form like" in found[0][2]
    assert found[1][:2] == (3, "phone_number")
    assert "E.164" in found[1][2]
    assert found[2][:2] == (4, "starts_at")
    assert "ISO 8601" in found[2][2]
    assert found[3][:2] == (5, "ends_at")
    assert "later than starts_at" in found[3][2]
    assert found[4][:2] == (6, "acs_system_ids")
    assert "twice" in found[4][2]
    assert found[5][:2] == (7, "file")
    assert "double quotes" in found[5][2]


def test_json_lines_take_lists_and_name_bad_lines() -> None:
    people = rows(
        '{"full_name": "Ada", "acs_system_ids": ["s1", "s2"]}\n'
        "\n"
        "not json\n"
        '["a list"]\n'
        '{"full_name": "Bo", "emial": "b@x.co"}\n'
        '{"full_name": 5}\n',
        "people.jsonl",
    )
    assert people[0].acs_system_ids == ("s1", "s2")
    assert not people[0].problems
    assert [(p.row, p.problems[0].field) for p in people[1:]] == [
        (3, "file"),
        (4, "file"),
        (5, "emial"),
        (6, "full_name"),
    ]
    assert "is not JSON" in str(people[1].problems[0])
    assert "did you mean email_address?" in people[3].problems[0].message


def test_a_big_file_streams_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write("full_name,email_address\n")
        for i in range(20_000):
            out.write(f"P{i},p{i}@example.com\n")
    people = read_people_file(path)
    first = next(people)
    assert first.row == 2
    assert first.email_address == "p0@example.com"
    assert sum(1 for _ in people) == 19_999
