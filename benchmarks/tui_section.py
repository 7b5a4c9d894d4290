"""The TUI figures, measured by `benchmarks/tui_bench.py` (imported; each of its measurements
runs in a fresh `python -m benchmarks.tui_bench --child` process on its own temporary sandbox)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks.common import median, p95

TARGET_FIRST_ROWS_S = 1.0
TARGET_SEARCH_MS = 150.0


@dataclass(frozen=True)
class TuiSize:
    """The headline figures at one size."""

    count: int
    first_rows_s: float
    painted_s: float
    search_median_ms: float
    search_p95_ms: float
    rss_start_mib: float
    rss_first_mark_mib: float  # at the first mark while scrolling down
    rss_scrolled_mib: float
    scrolled: int
    rows_held: int


def measure(
    sizes: list[int], searches: int, scroll: int, launches: int
) -> tuple[list[TuiSize], str]:
    """Run tui_bench at each size; return the headline figures and its own markdown report."""
    from benchmarks import tui_bench

    args = argparse.Namespace(
        sizes=",".join(str(n) for n in sizes),
        searches=searches,
        scroll=scroll,
        launches=launches,
        tracemalloc=False,
        child=None,
    )
    saved = dict(os.environ)  # bench_size points this process's SEAM_* at its temp dir
    try:
        results: list[dict[str, Any]] = []
        for count in sizes:
            print(f"  TUI at {count:,} identities…", flush=True, file=sys.stderr)
            results.append(tui_bench.bench_size(count, args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    figures = [_headline(r) for r in results]
    return figures, tui_bench.report(results, args)


def _headline(result: dict[str, Any]) -> TuiSize:
    updated = [s["updated_s"] * 1000 for s in result["searches"]]
    scroll = result["scroll"]
    samples = scroll["samples"]
    # The samples: 0 (first page), marks while scrolling down, then "top" after Up.
    scrolled = samples[-2] if len(samples) >= 2 else samples[-1]
    return TuiSize(
        count=result["count"],
        first_rows_s=median([run["first_rows_s"] for run in result["launches"]]),
        painted_s=median([run["painted_s"] for run in result["launches"]]),
        search_median_ms=median(updated),
        search_p95_ms=p95(updated),
        rss_start_mib=samples[0]["rss_mib"],
        rss_first_mark_mib=samples[1]["rss_mib"] if len(samples) > 2 else samples[0]["rss_mib"],
        rss_scrolled_mib=scrolled["rss_mib"],
        scrolled=scroll["scrolled"],
        rows_held=scroll["rows_after_down"],
    )
