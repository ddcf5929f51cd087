"""The verdicts of `agenda doctor`, from values (no database): table tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from agenda.operations.checks import (
    ERROR,
    OK,
    WARNING,
    Activity,
    Check,
    SourceDue,
    WhooshState,
    exit_code,
    fingerprint,
    migration_check,
    overdue_check,
    redis_check,
    scheduler_check,
    secret_check,
    when,
    whoosh_check,
)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
TICK = 30


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


@pytest.mark.parametrize(("checks", "code"), [
    ([Check("a", OK, "")], 0),
    ([Check("a", OK, ""), Check("b", WARNING, "")], 0),
    ([Check("a", WARNING, ""), Check("b", ERROR, "")], 1),
])
def test_only_errors_fail(checks, code):
    assert exit_code(checks) == code


@pytest.mark.parametrize(("instant", "said"), [
    (ago(seconds=20), "2026-12-07 09:59 UTC (0 min ago)"),
    (ago(minutes=119), "2026-12-07 08:01 UTC (119 min ago)"),
    (ago(hours=5), "2026-12-07 05:00 UTC (5 h ago)"),
    (ago(days=3), "2026-12-04 10:00 UTC (3 days ago)"),
    (NOW + timedelta(minutes=5), "2026-12-07 10:05 UTC (0 min ago)"),  # a clock ahead
])
def test_instants_are_said_with_how_long_ago(instant, said):
    assert when(instant, NOW) == said


@pytest.mark.parametrize(("current", "status", "words"), [
    ((), ERROR, "no schema yet"),
    (("0019",), OK, "head revision (0019)"),
    (("0018",), ERROR, "revision 0018, this code needs 0019: run `agenda init`"),
    (("0042",), ERROR, "does not know"),
])
def test_migrations(current, status, words):
    check = migration_check(current, ("0019",), {"0017", "0018", "0019"})
    assert check.status == status and words in check.sentence


def whoosh(**changes) -> WhooshState:
    values = {"path": "/i/search", "live": "v2-x", "problem": None, "dirty": None,
              "documents": 10}
    return WhooshState(**{**values, **changes})


@pytest.mark.parametrize(("index", "published", "collecting", "status"), [
    (whoosh(), 10, 0, OK),
    (whoosh(live=None, documents=None), 10, 0, ERROR),
    (whoosh(problem="damaged", documents=None), 10, 0, ERROR),
    (whoosh(dirty="disk full", documents=8), 10, 0, WARNING),
    (whoosh(documents=8), 10, 0, ERROR),
    (whoosh(documents=8), 10, 2, WARNING),  # a collection is indexing right now
])
def test_whoosh_index_against_the_published_events(index, published, collecting, status):
    assert whoosh_check(index, published=published, collecting=collecting).status == status


def activity(**changes) -> Activity:
    values = {"sources": 3, "latest_start": ago(minutes=5), "latest_worker": "w1:12",
              "claimed_by": (), "oldest_due": None}
    return Activity(**{**values, **changes})


@pytest.mark.parametrize(("seen", "status", "words"), [
    (activity(), OK, "by w1:12"),
    (activity(sources=0, latest_start=None), OK, "No enabled source"),
    (activity(latest_start=None), WARNING, "No collection has started yet"),
    (activity(claimed_by=("w2:7",), oldest_due=ago(hours=2)), OK, "claimed by w2:7"),
    # due for less than two ticks and a minute: the next tick takes it
    (activity(latest_start=ago(hours=1), oldest_due=ago(seconds=100)), OK, "latest"),
    (activity(latest_start=ago(hours=1), oldest_due=ago(minutes=10)), ERROR, "agenda worker"),
    (activity(latest_start=None, oldest_due=ago(minutes=10)), ERROR, "no collection ever"),
    # due for long, but a collection started since: the worker is behind, not stopped
    (activity(latest_start=ago(minutes=1), oldest_due=ago(minutes=10)), OK, "latest"),
])
def test_scheduler(seen, status, words):
    check = scheduler_check(seen, now=NOW, tick_seconds=TICK)
    assert check.status == status and words in check.sentence


def test_sources_more_than_one_interval_late_are_named_oldest_first():
    sources = [SourceDue(1, "On time", 60, ago(minutes=59)),
               SourceDue(2, "Never due", 60, None),
               SourceDue(3, "Late", 60, ago(minutes=61)),
               SourceDue(4, "Later", 30, ago(hours=5)),
               SourceDue(5, "Daily, one hour late", 1440, ago(hours=1))]
    check = overdue_check(sources, now=NOW)
    assert check.status == WARNING
    assert check.sentence.startswith("2 of 5 enabled source(s) more than one interval late: "
                                     "[4] Later (due")
    assert "[3] Late" in check.sentence and "On time" not in check.sentence
    many = [SourceDue(i, f"S{i}", 60, ago(hours=3)) for i in range(8)]
    assert overdue_check(many, now=NOW).sentence.endswith(" and 3 more.")
    assert overdue_check(sources[:2], now=NOW).status == OK


@pytest.mark.parametrize(("scheme", "problem", "shared", "status"), [
    ("memory", None, False, OK),
    ("memory", None, True, WARNING),
    ("redis", None, True, OK),
    ("redis", "Connection refused", True, ERROR),
    ("rediss", "timeout", False, ERROR),
    ("redis+sentinel", None, True, WARNING),
    ("memcached", None, True, OK),
])
def test_redis(scheme, problem, shared, status):
    assert redis_check(f"{scheme}://h", scheme, problem, shared_database=shared).status == status


KEY = "5f1e9c0a7b3d2e4f6a8c0b1d3e5f7a9c"


@pytest.mark.parametrize(("key", "instance_key", "shared", "status"), [
    (KEY, None, True, OK),
    ("dev", None, False, ERROR),
    (" Change-Me ", None, True, ERROR),
    ("short but random", None, True, WARNING),
    ("", None, False, OK),  # one machine: a key of its own is right
    ("", KEY, False, OK),
    ("", None, True, WARNING),  # PostgreSQL: several machines must share one
    ("", KEY, True, WARNING),
])
def test_secret_key(key, instance_key, shared, status):
    check = secret_check(key, instance_key=instance_key, instance_file="/i/secret_key",
                         shared_database=shared)
    assert check.status == status
    assert KEY not in check.sentence


def test_a_fingerprint_tells_keys_apart_without_showing_them():
    assert fingerprint(KEY) == fingerprint(KEY) != fingerprint(KEY.upper())
    assert len(fingerprint(KEY)) == 8 and fingerprint(KEY) not in KEY
