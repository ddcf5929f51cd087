"""Interval, jitter and exponential backoff capped at 24 h."""

from datetime import datetime, timedelta, timezone

import pytest

from agenda.collectors.schedule import (
    backoff_minutes,
    health_after_failure,
    next_run_after_failure,
    next_run_after_success,
    status_after_failure,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def test_success_waits_the_interval_plus_jitter():
    assert next_run_after_success(NOW, 60, jitter_seconds=120, rand=lambda: 0.0) == \
        NOW + timedelta(minutes=60)
    assert next_run_after_success(NOW, 60, jitter_seconds=120, rand=lambda: 0.5) == \
        NOW + timedelta(minutes=61)


@pytest.mark.parametrize("failures, expected", [
    (1, 15), (2, 30), (3, 60), (4, 120), (6, 480), (7, 960), (8, 1440), (50, 1440), (10_000, 1440),
])
def test_backoff_doubles_and_is_capped_at_a_day(failures, expected):
    assert backoff_minutes(failures, 60, 1440) == expected


def test_backoff_never_starts_above_a_short_interval():
    assert backoff_minutes(1, 5, 1440) == 5


def test_failure_schedules_the_retry_after_the_backoff():
    assert next_run_after_failure(NOW, 3, 60, max_backoff_minutes=1440, jitter_seconds=0) == \
        NOW + timedelta(hours=1)


@pytest.mark.parametrize("failures, status", [(1, "error"), (9, "error"), (10, "broken")])
def test_a_source_failing_too_often_is_broken(failures, status):
    assert status_after_failure(failures, broken_after=10) == status


def test_one_more_failure_counts_backs_off_and_breaks_at_the_limit():
    now = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
    health = health_after_failure(now, 2, 60, broken_after=3, max_backoff_minutes=1440,
                                           jitter_seconds=0)
    assert health == (3, "broken", now + timedelta(minutes=60))
    health = health_after_failure(now, 0, 60, broken_after=3, max_backoff_minutes=1440,
                                           jitter_seconds=0)
    assert health == (1, "error", now + timedelta(minutes=15))
