"""seam_tui.crash: scrub() and the crash report writer (no locals, no key, 0600 in 0700)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from seam_tui.crash import (
    REDACTED,
    crash_line,
    record_crash,
    report_text,
    reports_dir,
    scrub,
    write_crash_report,
)
from seam_tui.paths import data_dir
from seam_tui.sandbox.seed import new_api_key, new_personal_access_token

REAL_SHAPED_KEY = "seam_test2ZTo_0mEYQW2TvNDCxG5Atpj85Ffw"
REAL_SHAPED_PAT = "seam_at1_2ZTo0mEYQW2TvNDCxG5Atpj85Ffw"


# ----------------------------------------------------------------------------- scrub


@pytest.mark.parametrize(
    "key",
    [REAL_SHAPED_KEY, REAL_SHAPED_PAT, new_api_key(), new_personal_access_token()],
    ids=["real-shaped key", "real-shaped token", "new sandbox key", "new sandbox token"],
)
def test_scrub_removes_anything_shaped_like_a_key_unasked(key: str) -> None:
    text = f"Authorization: Bearer {key}\nkey={key!r} json={{'k': \"{key}\"}} {key}."
    scrubbed = scrub(text)
    assert key not in scrubbed
    assert key.removeprefix("seam_test").removeprefix("seam_at") not in scrubbed
    assert scrubbed == (
        f"Authorization: Bearer {REDACTED}\nkey='{REDACTED}' json={{'k': \"{REDACTED}\"}} "
        f"{REDACTED}."
    )


def test_new_sandbox_keys_are_always_caught() -> None:
    """The shape test needs a digit, a capital or '-' in the key: every sandbox key has one."""
    for _ in range(2000):
        assert scrub(new_api_key()) == REDACTED
        assert scrub(new_personal_access_token()) == REDACTED


@pytest.mark.parametrize(
    "text",
    [
        'File "/work/main/seam_tui/tui/app.py", line 83, in _describe_workspace',
        "seam_tui.workspaces.resolve.ResolvedWorkspace",
        "seam_tui/tui/screens/workspace_form.py",
        "from seam_tui.workspaces.sandbox_profiles import local_sandbox",
        "seam_tui_workspace_profiles_path",  # an identifier: no digit, capital or '-'
        "seam_test",
        "SEAM_API_KEY=",
        "seam_tui-0.1.0.dist-info/METADATA",
    ],
)
def test_scrub_keeps_module_paths_and_names(text: str) -> None:
    assert scrub(text) == text


def test_scrub_replaces_given_secrets_in_every_spelling() -> None:
    secret = "hunter2 correct\thorse\x07é"  # no key shape: only the given secret finds it
    text = "\n".join([secret, repr(secret), ascii(secret), f'"{secret}"', "hunter2"])
    scrubbed = scrub(text, [secret])
    assert "horse" not in scrubbed
    assert scrubbed.splitlines()[:3] == [REDACTED, f"'{REDACTED}'", f"'{REDACTED}'"]
    assert scrubbed.endswith("hunter2")  # a fragment alone is not the secret


def test_scrub_replaces_a_keys_random_part_alone_and_a_key_with_a_bad_character() -> None:
    key = "seam_testAbc123é456Def789ghi012"
    random_part = key.removeprefix("seam_test")
    assert scrub(f"x {random_part} y", [key]) == f"x {REDACTED} y"
    assert scrub(f"x {key} y") == f"x {REDACTED} y"  # shape alone: é is a letter, caught whole
    assert scrub("seam_test\u200bAbc123456Def789") != "seam_test\u200bAbc123456Def789"


def test_scrub_ignores_empty_and_tiny_secrets() -> None:
    assert scrub("a b c self", ["", None, "a", "abc"]) == "a b c self"


# ----------------------------------------------------------------------------- reports


def fail_with_the_key_in_locals_and_message(key: str) -> None:
    api_key = key
    token = {"secret": key, "headers": {"Authorization": f"Bearer {key}"}}
    raise RuntimeError(f"refused {api_key!r} with {token['headers']}")


def raised(key: str) -> BaseException:
    try:
        try:
            fail_with_the_key_in_locals_and_message(key)
        except RuntimeError as exc:
            raise ValueError("while handling the \x1b[31mfirst\x1b[0m one") from exc
    except ValueError as exc:
        return exc
    raise AssertionError("not raised")


def test_a_report_has_frames_versions_and_time_but_no_locals_and_no_key() -> None:
    key = new_api_key()
    exc = raised(key)
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    path = write_crash_report(exc, secrets=[key], when=when)
    text = path.read_text(encoding="utf-8")

    assert path.parent == reports_dir() == data_dir() / "crash-reports"
    assert path.name.startswith("crash-20250102-030405-")
    assert "time: 2025-01-02T03:04:05+00:00" in text
    assert "seam-tui: 0.1.0" in text
    assert f"Python: {sys.version.split()[0]}" in text
    assert "Textual: 8." in text
    assert "exception: ValueError" in text
    assert "in fail_with_the_key_in_locals_and_message" in text
    assert "raise RuntimeError(f\"refused {api_key!r} with {token['headers']}\")" in text
    assert f'File "{__file__}", line ' in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.index("RuntimeError: refused") < text.index("ValueError: while handling")
    assert f"RuntimeError: refused '{REDACTED}' with {{'Authorization': 'Bearer {REDACTED}'}}" in (
        text
    )
    assert "\x1b" not in text  # control characters are escaped
    assert "\\x1b[31mfirst" in text
    # No locals: neither their names with values nor the key in any form.
    assert "token =" not in text
    assert "'secret'" not in text
    assert key not in text
    assert key.removeprefix("seam_test") not in text


def test_reports_are_0600_in_a_0700_directory_each_a_new_file() -> None:
    exc = raised(new_api_key())
    reports_dir().mkdir(parents=True, mode=0o755)
    os.chmod(reports_dir(), 0o755)  # made loose by someone else: tightened on the next crash
    first = write_crash_report(exc)
    second = write_crash_report(exc, when=datetime.now(UTC))
    assert first != second
    for path in (first, second):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(reports_dir().stat().st_mode) == 0o700
    assert sorted(reports_dir().iterdir()) == sorted([first, second])


def test_the_environment_keys_are_scrubbed_even_if_not_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "not-shaped-like-a-key-at-all-42"  # only the env var says it is a secret
    monkeypatch.setenv("SEAM_PERSONAL_ACCESS_TOKEN", token)
    text = report_text(RuntimeError(f"token {token}"))
    assert token not in text
    assert f"RuntimeError: token {REDACTED}" in text


def test_an_exception_never_raised_and_a_broken_str_still_report() -> None:
    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    text = report_text(Broken())
    assert "(no traceback: the exception was never raised)" in text
    assert "the message could not be read: RuntimeError" in text


def test_the_line_names_the_type_and_the_report_never_the_message() -> None:
    key = new_api_key()
    exc = RuntimeError(f"boom {key}")
    line = record_crash(exc, secrets=[key])
    assert line.startswith("seam-tui crashed (RuntimeError); crash report: ")
    assert "\n" not in line
    assert "boom" not in line
    report = Path(line.split("crash report: ", 1)[1])
    assert report.is_file()
    assert key not in report.read_text(encoding="utf-8")


def test_a_report_that_cannot_be_written_is_said_in_the_line(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the data dir should be")
    line = record_crash(RuntimeError("boom"))
    assert line.startswith("seam-tui crashed (RuntimeError); no crash report could be written (")
    assert "boom" not in line
    assert crash_line(KeyError("x"), None) == (
        "seam-tui crashed (KeyError); no crash report could be written"
    )


def test_the_module_does_not_import_textual() -> None:
    code = (
        "import sys, seam_tui.crash\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
