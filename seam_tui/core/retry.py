"""When to retry a request and how long to wait: exponential backoff that honours Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Reads are retried on 429, 5xx and connection errors; writes only when nothing was applied.

    A write is retried only on 429 (the server refused it unprocessed) or when the connection
    could not be made at all (the request never left); a 5xx, a timeout or a dropped connection
    after sending may have applied it, so it is surfaced, never repeated blindly.
    """

    max_retries: int = 3
    backoff_factor: float = 0.2
    max_backoff: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float | None:
        """Seconds to wait before retry number `attempt` (0-based), or None to give up."""
        if attempt >= self.max_retries:
            return None
        if response is not None:
            advised = retry_after_seconds(response)
            if advised is not None:
                return advised if advised <= self.max_retry_after else None
        base = min(self.max_backoff, self.backoff_factor * 2.0**attempt)
        jitter: float = random.uniform(0.75, 1.25)
        return base * jitter


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (number or HTTP date), or None."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def should_retry_status(status: int, *, is_write: bool) -> bool:
    """Whether an error status is worth another try for this kind of request."""
    if is_write:
        return status == 429
    return status in RETRYABLE_STATUSES
