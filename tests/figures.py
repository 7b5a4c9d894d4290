"""The figures reliability tests record, gathered into one report at the end of the run.

A test calls `record(section, name=value, ...)`. Under pytest-xdist the tests run in worker
processes, so what a test records travels home on its test report (`user_properties`) and is
merged where the run is reported; without xdist the same path is taken in one process.
`SEAM_TUI_RELIABILITY_FIGURES=path.json` also writes the figures there as JSON.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seam_tui.sandbox.settle_config import SETTLE_AFTER_VAR

FULL = os.environ.get("SEAM_TUI_RELIABILITY_FULL") == "1"
_PROPERTY = "reliability_figures"

FIGURES: dict[str, dict[str, Any]] = {}  # what the run reports
_PENDING: dict[str, dict[str, Any]] = {}  # recorded by the test now running, not yet reported


def record(section: str, **values: Any) -> None:
    """Add figures under `section` (printed at the end of the run); a test whose sandboxes
    settle later (`SEAM_TUI_SANDBOX_SETTLE_AFTER`) files them under a section saying so."""
    settle = os.environ.get(SETTLE_AFTER_VAR)
    if settle:
        section = f"{section} [settling after {settle} s]"
    _PENDING.setdefault(section, {}).update(values)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    if _PENDING:
        report = outcome.get_result()
        report.user_properties.append((_PROPERTY, json.loads(json.dumps(_PENDING, default=str))))
        _PENDING.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for name, value in report.user_properties:
        if name == _PROPERTY:
            for section, values in value.items():
                FIGURES.setdefault(section, {}).update(values)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    mode = "full" if FULL else "ci"
    terminalreporter.write_line(f"mode: {mode}; machine: {machine()}")
    for section, values in FIGURES.items():
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        terminalreporter.write_line(f"{section}: {shown}")
    target = os.environ.get("SEAM_TUI_RELIABILITY_FIGURES")
    if target:
        Path(target).write_text(
            json.dumps({"mode": mode, "machine": machine(), "figures": FIGURES}, indent=2) + "\n",
            encoding="utf-8",
        )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, " + (
        f"Python {platform.python_version()}"
    )
