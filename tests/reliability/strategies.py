"""Hypothesis strategies for hostile input: each value comes with what a correct validator must
conclude about it (VALID, INVALID or UNKNOWN), so a test can check that an invalid field is
named in the error, not just that some error was raised.

The valid generators are built by hand (not `st.emails()`), so "valid" means valid for the
documented rules: a name is 1-200 characters after stripping, an email is `local@domain.tld`
in ASCII, a phone is a possible number in E.164 with separators allowed.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st

Verdict = Literal["valid", "invalid", "unknown"]
VALID: Verdict = "valid"
INVALID: Verdict = "invalid"
UNKNOWN: Verdict = "unknown"


@dataclass(frozen=True)
class Value:
    value: Any
    verdict: Verdict


def tagged(strategy: st.SearchStrategy[Any], verdict: Verdict) -> st.SearchStrategy[Value]:
    return strategy.map(lambda v: Value(v, verdict))


# Whitespace as Python's str.strip() sees it. pydantic's str_strip_whitespace (Rust's trim)
# agrees except on the separators U+001C-U+001F, which it keeps: `model_strip` says what the
# models see, and the TUI strips with Python's rules before that.
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u3000"
_KEPT_BY_PYDANTIC = frozenset("\x1c\x1d\x1e\x1f")


def model_strip(text: str) -> str:
    """`text` as the request models strip it."""
    chars = "".join(c for c in set(text) if c.isspace() and c not in _KEPT_BY_PYDANTIC)
    return text.strip(chars) if chars else text


# Text people really paste: accents, CJK, RTL, emoji with joiners, combining marks, controls.
UNICODE_SAMPLES = (
    "José Álvarez",
    "Zoë Ødegård",
    "李小龙",
    "محمد الأحمد",
    "שלום עליכם",
    "👩‍👩‍👧‍👦 Family",
    "Ñandú 🦩",
    "e\u0301\u0301\u0301 combining",
    "Null\x00Byte",
    "Tab\tand\nnewline",
    "\u202eRTL override",
    "Zero\u200bwidth",
    "O'Brien-Smith",
    "Robert'); DROP TABLE user_identities;--",
    "<script>alert(1)</script>",
    "%s%n%x{0}{name}",
)

# Text that a display could run: Rich/Textual markup (with click actions), terminal escapes
# (OSC title, clipboard and link, CSI, C1) and characters that reorder or hide text. Every
# front end must show it literally (issue 11), and every validator judge it as plain text.
MARKUP_SAMPLES = (
    "Jane [contractor] Doe",
    "[temp] Alice",
    "[b]bold[/b]",
    "[/]",
    "x [/b]",
    "[red]unclosed",
    "[@click=app.quit]Quit[/]",
    "[@click=screen.confirm]OK[/]",
    "[link=https://evil.example]click[/link]",
    "\\[escaped]",
)
CONTROL_SAMPLES = (
    "\x1b]0;pwned-title\x07",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J",
    "\x1b[31mred\x1b[0m",
    "\x9b2J",
    "\x9d0;t\x9c",
    "\x07\x08\x7f",
    "\u2066isolate\u2069",
    "\ufeff\u2060\u200d",
    "\U000e0041\U000e0042",
)
any_text = st.text(max_size=40)
hostile_text = st.one_of(
    st.sampled_from(MARKUP_SAMPLES + CONTROL_SAMPLES),
    st.builds(
        lambda tag, body: f"[{tag}]{body}[/{tag}]",
        st.sampled_from(["b", "red", "@click=app.quit", "link=https://evil.example", ""]),
        any_text,
    ),
    st.builds(
        lambda before, sequence, after: before + sequence + after,
        any_text,
        st.sampled_from(CONTROL_SAMPLES + MARKUP_SAMPLES),
        any_text,
    ),
    st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=8),
)
unicode_text = st.one_of(st.sampled_from(UNICODE_SAMPLES), hostile_text, any_text)
blank = st.text(alphabet=WHITESPACE, max_size=6)


def huge(min_size: int, max_size: int = 20_000) -> st.SearchStrategy[str]:
    """Long text without making hypothesis draw every character."""
    return st.builds(
        lambda chunk, size: (chunk * (size // len(chunk) + 1))[:size],
        st.text(min_size=1, max_size=8).filter(lambda s: s.strip() == s and s.strip() != ""),
        st.integers(min_size, max_size),
    )


def _name_verdict(text: str) -> Verdict:
    stripped = model_strip(text)
    return VALID if 0 < len(stripped) <= 200 else INVALID


names = st.one_of(
    unicode_text,
    blank,
    huge(201),
    huge(190, 210),  # either side of the 200-character limit
).map(lambda s: Value(s, _name_verdict(s)))

keys = st.one_of(unicode_text, blank, huge(256, 2000)).map(
    lambda s: Value(s, VALID if 0 < len(model_strip(s)) <= 255 else INVALID)
)

_local = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)
valid_emails = st.builds(
    lambda a, sep, b, domain, tld: f"{a}{sep}{b}@{domain}.{tld}",
    _local,
    st.sampled_from(["", ".", "+", "_", "-"]),
    _local,
    st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10),
    st.sampled_from(["com", "org", "net", "io", "co.uk"]),
)
malformed_emails = st.one_of(
    st.sampled_from(
        [
            "jane.example.com",
            "jane@",
            "@example.com",
            "jane@@example.com",
            "jane doe@example.com",
            "jane@example",
            "jane..doe@example.com",
            ".jane@example.com",
            "jane@-example.com",
            "jane@exa mple.com",
            "<jane@example.com>",
            "jane@example.com\x00",
        ]
    ),
    st.builds(lambda s: s.replace("@", "") or "x", any_text),
    st.builds(lambda n: f"{'a' * n}@example.com", st.integers(255, 2000)),  # over 254 in all
)
emails = st.one_of(
    tagged(valid_emails, VALID),
    tagged(malformed_emails, INVALID),
    tagged(st.builds(lambda v, pad: pad + v + pad, valid_emails, blank), VALID),
    tagged(unicode_text, UNKNOWN),
    # A local part over RFC 5321's 64 octets: email-validator accepts it unless strict.
    tagged(st.builds(lambda n: f"{'a' * n}@example.com", st.integers(65, 200)), UNKNOWN),
)

_separators = st.sampled_from(["", " ", "-", ".", "(", ")"])
valid_phones = st.one_of(
    # +1 NXX NXX XXXX: possible for NANP whatever the digits.
    st.builds(
        lambda prefix, area, sep, rest: f"{prefix}1{sep}{area}{sep}{rest[:3]}{sep}{rest[3:]}",
        st.sampled_from(["+", "00"]),
        st.integers(200, 999).map(str),
        _separators,
        st.text(alphabet=string.digits, min_size=7, max_size=7),
    ),
    # +44 20 XXXX XXXX (London).
    st.builds(
        lambda sep, rest: f"+44{sep}20{sep}{rest[:4]}{sep}{rest[4:]}",
        _separators,
        st.text(alphabet=string.digits, min_size=8, max_size=8),
    ),
)
malformed_phones = st.one_of(
    st.sampled_from(
        [
            "555-0100",
            "4155550199",
            "+",
            "+1",
            "+1 23",
            "+999 123 456 789",
            "+1 415 555 0199 ext 2",
            "+1-415-555-CALL",
            "+1 415 555 0199 0199 0199",
            "++14155550199",
            "+１４１５５５５０１９９",  # full-width digits
            "+٤١٥٥٥٥٠١٩٩",  # Arabic-Indic digits
            "tel:+14155550199",
        ]
    ),
    st.text(alphabet=string.digits, min_size=16, max_size=40).map(lambda d: "+" + d),
    st.text(alphabet=string.ascii_letters + "#*", min_size=1, max_size=20),
)
phones = st.one_of(
    tagged(valid_phones, VALID),
    tagged(malformed_phones, INVALID),
    tagged(any_text, UNKNOWN),
)

wrong_types = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
uuids = st.uuids().map(str)
ids = st.one_of(
    tagged(uuids, VALID),
    tagged(st.one_of(unicode_text, huge(256, 1000)), UNKNOWN),
    blank.map(lambda s: Value(s, INVALID if not model_strip(s) else UNKNOWN)),
)

valid_times = st.builds(
    lambda y, mo, d, h, mi, z: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00{z}",
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["Z", "+00:00", "-05:00", "+05:30", ""]),
)
malformed_times = st.one_of(
    st.sampled_from(
        [
            "tomorrow",
            "2025-13-01T00:00:00Z",
            "2025-02-30 09:00",
            "31/01/2025 09:00",
            "2025-01-01T25:00:00Z",
            "2025-01-01T09:00:00+25:00",
            "",
        ]
    ),
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=10),
)
# Well-formed, at the edges of the calendar: some have no UTC form at all.
edge_times = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59",
    ]
)
times = st.one_of(
    tagged(valid_times, VALID),
    tagged(malformed_times, INVALID),
    tagged(edge_times, UNKNOWN),
)


def with_wrong_type(values: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    """Mostly `values`, sometimes a value of the wrong JSON type (always invalid)."""
    return st.one_of(values, tagged(wrong_types, INVALID))


extra_keys = st.text(min_size=1, max_size=12)
