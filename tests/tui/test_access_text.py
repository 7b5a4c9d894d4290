"""How access reads: relative times, masked codes, paths, windows, and the QR code's drawing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import segno

from seam_tui.core.models import AcsCredential, Device
from seam_tui.core.results_access import AccessPath
from seam_tui.tui.access_text import (
    MASK,
    device_has_issues,
    device_issues,
    path_text,
    relative_time,
    secret_text,
    state_text,
    window_text,
)
from seam_tui.tui.qr import QUIET_ZONE, half_block_rows, qr_matrix

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_relative_time_says_hours_for_a_new_instant_key_and_ago_when_past() -> None:
    assert relative_time(NOW + timedelta(hours=47, minutes=59), NOW) == "in 47 h"
    assert relative_time(NOW + timedelta(minutes=12), NOW) == "in 12 min"
    assert relative_time(NOW + timedelta(days=5), NOW) == "in 5 d"
    assert relative_time(NOW - timedelta(hours=5), NOW) == "5 h ago"


def test_a_pin_code_is_masked_unless_revealed_and_a_card_number_shown() -> None:
    pin = AcsCredential(
        acs_credential_id="c1", acs_system_id="s", access_method="code", code="4821"
    )
    assert str(secret_text(pin, reveal=False)) == MASK
    assert str(secret_text(pin, reveal=True)) == "4821"
    card = AcsCredential(
        acs_credential_id="c2", acs_system_id="s", access_method="card", card_number="A00E0058"
    )
    assert str(secret_text(card, reveal=False)) == "A00E0058"


def test_paths_and_windows_read_as_words() -> None:
    group = AccessPath(kind="access_group", acs_access_group_name="Staff")
    assert path_text(group) == "group Staff"
    key = AccessPath(kind="credential", access_method="mobile_key", acs_credential_id="c")
    phone = AcsCredential(
        acs_credential_id="c", acs_system_id="s", access_method="mobile_key", display_name="iPhone"
    )
    assert path_text(key, phone) == "mobile key · iPhone"
    assert path_text(AccessPath(kind="device_grant")) == "granted directly"
    assert window_text(None, None) == "any time"
    assert window_text(None, NOW) == "until 2026-01-15 12:00"


def test_the_qr_code_keeps_segnos_modules_and_a_four_module_quiet_zone() -> None:
    url = "https://ik.seam.co/AbCdEfGhIj"
    matrix = qr_matrix(url)
    code = segno.make(url, error="l", micro=False)
    size = code.symbol_size(border=QUIET_ZONE)[0]
    assert len(matrix) == size
    assert all(len(row) == size for row in matrix)
    for edge in (*matrix[:QUIET_ZONE], *matrix[-QUIET_ZONE:]):
        assert not any(edge)
    assert not any(row[c] for row in matrix for c in (*range(QUIET_ZONE), *range(-QUIET_ZONE, 0)))
    rows = half_block_rows(matrix)
    assert len(rows) == (size + 1) // 2
    assert set("".join(rows)) <= {" ", "▀", "▄", "█"}


def test_a_low_battery_is_an_issue_and_a_door_with_issues_does_not_just_open_now() -> None:
    low = Device.model_validate({"device_id": "d1", "properties": {"battery_level": 0.15}})
    full = Device.model_validate({"device_id": "d2", "properties": {"battery_level": 0.93}})
    assert str(device_issues(low)) == "battery 15 %"
    assert device_has_issues(low)
    assert str(device_issues(full)) == "—"
    assert not device_has_issues(full)
    assert str(state_text(None, has_issues=True)) == "opens now · has issues"
    assert str(state_text(None)) == "opens now"
    assert str(state_text("ended", has_issues=True)) == "ended"
