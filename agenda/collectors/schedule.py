"""When to collect a source next: interval, jitter and exponential backoff (pure)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Callable, NamedTuple

BACKOFF_BASE_MINUTES = 15


def next_run_after_success(now: datetime, interval_minutes: int, *, jitter_seconds: int,
                           rand: Callable[[], float] = random.random) -> datetime:
    """The usual interval, plus a random jitter so that sources don't all fire together."""
    return now + timedelta(minutes=interval_minutes, seconds=jitter_seconds * rand())


def backoff_minutes(failures: int, interval_minutes: int, max_backoff_minutes: int) -> float:
    """Delay after ``failures`` consecutive failures: doubles each time, capped."""
    base = min(interval_minutes, BACKOFF_BASE_MINUTES)
    exponent = min(max(failures, 1) - 1, 32)
    return min(base * (2 ** exponent), max_backoff_minutes)


def next_run_after_failure(now: datetime, failures: int, interval_minutes: int, *,
                           max_backoff_minutes: int, jitter_seconds: int,
                           rand: Callable[[], float] = random.random) -> datetime:
    delay = backoff_minutes(failures, interval_minutes, max_backoff_minutes)
    return now + timedelta(minutes=delay, seconds=jitter_seconds * rand())


def status_after_failure(failures: int, broken_after: int) -> str:
    """``error`` for a failing source, ``broken`` once it has failed too many times in a row."""
    return "broken" if failures >= broken_after else "error"


class FailureHealth(NamedTuple):
    failures: int
    status: str
    next_run_at: datetime


def health_after_failure(now: datetime, previous_failures: int, interval_minutes: int, *,
                         broken_after: int, max_backoff_minutes: int,
                         jitter_seconds: int) -> FailureHealth:
    """One more failure in a row: the count, the status and the next attempt (backed off)."""
    failures = previous_failures + 1
    return FailureHealth(failures, status_after_failure(failures, broken_after),
                         next_run_after_failure(now, failures, interval_minutes,
                                                max_backoff_minutes=max_backoff_minutes,
                                                jitter_seconds=jitter_seconds))
