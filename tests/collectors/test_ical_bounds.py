"""Bounded recurrence expansion: occurrences per series and per source, parse time, work done.

The bombs of issue 8 are fixtures in tests/data/ics/; every test asserts a bound (occurrences
kept, rule steps taken, peak memory of a subprocess under a limit), never a duration.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil import rrule as dateutil_rrule
from icalendar import Calendar, vRecur
from sqlalchemy import func, select

from agenda.collectors import expansion_budget, ical_batches
from agenda.collectors.expansion_budget import ExpansionLimits
from agenda.collectors.ical import parse_ical
from agenda.collectors.normalize import to_utc
from agenda.collectors.refresh import refresh_source
from agenda.collectors.rule_budget import occurrences_between, pace_of
from agenda.db import transaction
from agenda.errors import ParseError
from agenda.models import CollectionRun, Event, Occurrence
from agenda.store.sources import add_source

DATA = Path(__file__).parent.parent / "data" / "ics"
PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
WINDOW = (NOW - timedelta(days=90), NOW + timedelta(days=400))
SECONDS = "rrule_every_second_of_every_day.ics"
MINUTES = "rrule_every_minute_of_every_day.ics"
HOURLY = "two_hundred_endless_hourly_series.ics"


def parse(name: str, **options):
    return parse_ical((DATA / name).read_bytes(), default_tz=PARIS, window=WINDOW, **options)


def instants(record) -> list[datetime]:
    return [to_utc(occurrence.start, PARIS) for occurrence in record.occurrences]


# --- the bound of a rule, before expanding it ------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "per_period"),
    [
        ("FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE="
         + ",".join(map(str, range(60))) + ";BYSECOND=" + ",".join(map(str, range(60))), 86400),
        ("FREQ=HOURLY", 1),
        ("FREQ=DAILY;BYMONTH=1", 1),  # a filter keeps at most everything
        ("FREQ=WEEKLY;BYDAY=MO,WE", 2),
        ("FREQ=MONTHLY;BYDAY=MO", 5),
        ("FREQ=MONTHLY;BYDAY=1MO,-1FR", 2),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", 1),
        ("FREQ=YEARLY;BYMONTH=1,2;BYMONTHDAY=1", 2),
        ("FREQ=YEARLY;BYYEARDAY=1,100,200;BYHOUR=8,9", 6),
        ("FREQ=YEARLY", 1),
    ],
)
def test_occurrences_per_period_come_from_the_rule_alone(rule, per_period):
    assert pace_of(vRecur.from_ical(rule)).per_period == per_period


def test_count_and_until_end_the_bound():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    hourly = pace_of(vRecur.from_ical("FREQ=HOURLY"))
    assert 8760 <= occurrences_between(hourly, start, start, end, PARIS) <= 8762
    assert occurrences_between(pace_of(vRecur.from_ical("FREQ=HOURLY;COUNT=5")),
                               start, start, end, PARIS) == 5
    until = pace_of(vRecur.from_ical("FREQ=HOURLY;UNTIL=20260102T000000Z"))
    assert occurrences_between(until, start, start, end, PARIS) <= 50


# --- the bombs of the issue ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "step"), [(SECONDS, timedelta(seconds=1)),
                                            (MINUTES, timedelta(minutes=1))])
def test_a_rule_of_every_second_or_minute_keeps_its_first_thousand_with_a_warning(name, step):
    result = parse(name)
    [record] = result.events
    starts = instants(record)
    assert len(starts) == 1000
    assert starts[0] >= WINDOW[0] - step
    assert all(b - a == step for a, b in zip(starts, starts[1:]))
    [warning] = [w for w in result.warnings if "repetitions" in w]
    assert "more than 1000 repetitions" in warning
    assert "more than one an hour" in warning
    assert "only the first 1000 are kept" in warning


@pytest.fixture
def rule_steps(monkeypatch):
    """How many occurrences dateutil produced (the work of every expansion)."""
    steps = count()
    original = dateutil_rrule.rrule._iter

    def counted(self):
        for value in original(self):
            next(steps)
            yield value

    monkeypatch.setattr(dateutil_rrule.rrule, "_iter", counted)
    return lambda: next(steps)


@pytest.mark.parametrize("name", [SECONDS, MINUTES, HOURLY])
def test_the_work_of_a_bomb_stops_near_the_budget(name, rule_steps):
    """The second-by-second rule began 600 days before the window: 51 million steps unbounded."""
    result = parse(name)
    assert sum(len(record.occurrences) for record in result.events) <= 20_200
    assert rule_steps() < 100_000


def test_endless_hourly_series_stop_at_the_source_budget():
    result = parse(HOURLY, limits=ExpansionLimits(per_series=1000, per_source=5000))
    sizes = [len(record.occurrences) for record in result.events]
    assert sizes.count(1000) == 5
    assert sizes.count(1) == 195
    assert sum(size for size in sizes if size > 1) <= 5000
    for record in result.events:
        if len(record.occurrences) == 1:
            assert instants(record) == [to_utc(record.start, PARIS)]  # its own date
    assert ("This calendar's repeated events make more than 5000 occurrences in all; 195 of "
            "them keep only their first date.") in result.warnings


def test_past_the_parse_deadline_remaining_series_keep_their_own_dates():
    ticks = count()
    result = parse(HOURLY, limits=ExpansionLimits(max_seconds=2.5),
                   clock=lambda: float(next(ticks)))
    sizes = [len(record.occurrences) for record in result.events]
    assert sizes[:2] == [1000, 1000]
    assert sizes[2:] == [1] * 198
    assert ("Reading this calendar took longer than 2.5 s; 198 repeated events keep only "
            "their first date.") in result.warnings


def test_rdates_share_the_series_budget():
    result = parse("rdate_fifteen_hundred_dates.ics")
    [record] = result.events
    starts = instants(record)
    assert len(starts) == 1000
    assert starts == sorted(starts)
    assert starts[0] == datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # DTSTART, then the RDATEs
    assert any("more than 1000 repetitions" in warning for warning in result.warnings)


# --- normal series are untouched ------------------------------------------------------------


def _reference(name: str) -> dict[str, list[datetime]]:
    """What recurring-ical-events alone makes of the file, unbounded."""
    calendar = Calendar.from_ical((DATA / name).read_bytes())
    found: dict[str, list[datetime]] = {}
    for component in recurring_ical_events.of(calendar).between(*WINDOW):
        found.setdefault(str(component["UID"]), []).append(
            to_utc(component["DTSTART"].dt, PARIS))
    return {uid: sorted(starts) for uid, starts in found.items()}


def _by_uid(result) -> dict[str, list[datetime]]:
    found: dict[str, list[datetime]] = {}
    for record in result.events:
        found.setdefault(record.source_uid, []).extend(instants(record))
    return {uid: sorted(starts) for uid, starts in found.items() if starts}


@pytest.mark.parametrize("work", [expansion_budget.WORK_PER_SERIES, 1])
def test_series_begun_long_ago_are_expanded_as_recurring_ical_events_does(monkeypatch, work):
    """With work=1 every series has its DTSTART moved forward before expansion."""
    monkeypatch.setattr(expansion_budget, "WORK_PER_SERIES", work)
    name = "endless_series_begun_long_ago.ics"
    result = parse(name)
    assert _by_uid(result) == _reference(name)
    assert not [warning for warning in result.warnings if "repetitions" in warning]
    moved = next(r for r in result.events if r.recurrence_id)
    assert instants(moved) == [datetime(2026, 12, 1, 14, 0, tzinfo=UTC)]


@pytest.mark.parametrize("name", ["rrule_exdate_override.ics", "cancelled_override.ics",
                                  "x_wr_timezone_utc_times.ics", "vtimezone_tzid.ics"])
def test_a_normal_series_is_untouched_by_the_budgets(name):
    window = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    body = (DATA / name).read_bytes()
    bounded = parse_ical(body, default_tz=PARIS, window=window)
    unbounded = parse_ical(body, default_tz=PARIS, window=window,
                           limits=ExpansionLimits(10**9, 10**9, 10**9))
    assert [(r.key, r.occurrences) for r in bounded.events] == \
        [(r.key, r.occurrences) for r in unbounded.events]
    assert bounded.warnings == unbounded.warnings


# --- memory, in a subprocess under a limit ---------------------------------------------------


def test_the_bombs_parse_within_a_bounded_address_space():
    script = textwrap.dedent(f"""
        import json, resource
        from datetime import datetime, timedelta, timezone
        from zoneinfo import ZoneInfo
        limit = 1536 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from agenda.collectors.ical import parse_ical
        now = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
        window = (now - timedelta(days=90), now + timedelta(days=400))
        sizes = {{}}
        for name in {[SECONDS, MINUTES, HOURLY]!r}:
            body = open({str(DATA)!r} + "/" + name, "rb").read()
            result = parse_ical(body, default_tz=ZoneInfo("Europe/Paris"), window=window)
            sizes[name] = max(len(record.occurrences) for record in result.events)
        # VmHWM: this process's own peak. Not ru_maxrss, which Linux carries over an exec from
        # the forking process (here the test run, whose size grows through the suite).
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        peak = int(status["VmHWM"].split()[0]) // 1024
        print(json.dumps({{"sizes": sizes, "peak_mb": peak}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["sizes"] == {SECONDS: 1000, MINUTES: 1000, HOURLY: 1000}
    assert report["peak_mb"] < 400


# --- a hostile source beside a good one, collected and stored --------------------------------

GOOD = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Bon//FR\r
BEGIN:VEVENT\r
UID:atelier-hebdo@exemple.fr\r
DTSTAMP:20261101T090000Z\r
DTSTART;TZID=Europe/Paris:20261202T180000\r
DTEND;TZID=Europe/Paris:20261202T200000\r
RRULE:FREQ=WEEKLY;COUNT=10\r
SUMMARY:Atelier vélo\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:forum@exemple.fr\r
DTSTAMP:20261101T090000Z\r
DTSTART;TZID=Europe/Paris:20261127T140000\r
DTEND;TZID=Europe/Paris:20261127T170000\r
SUMMARY:Forum de l'ESS\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _occurrence_counts(factory, source_id) -> dict[str, int]:
    with transaction(factory) as session:
        rows = session.execute(
            select(Event.source_uid, func.count(Occurrence.id))
            .join(Occurrence, Occurrence.event_id == Event.id)
            .where(Event.source_id == source_id).group_by(Event.source_uid))
        return dict(rows.all())


def test_a_hostile_source_beside_a_good_one(httpserver, factory, settings, now):
    httpserver.expect_request("/bombe.ics").respond_with_data(
        (DATA / SECONDS).read_bytes(), content_type="text/calendar")
    httpserver.expect_request("/bon.ics").respond_with_data(GOOD, content_type="text/calendar")
    with transaction(factory) as session:
        bomb = add_source(session, name="Bombe", url=httpserver.url_for("/bombe.ics"),
                          kind="auto", now=now).id
        good = add_source(session, name="Bon", url=httpserver.url_for("/bon.ics"),
                          kind="auto", now=now).id
    hostile = refresh_source(factory, bomb, now=now, settings=settings)
    fine = refresh_source(factory, good, now=now, settings=settings)
    assert (hostile.outcome, hostile.new) == ("ok", 1)
    assert any("only the first 1000 are kept" in w for w in hostile.warnings)
    assert _occurrence_counts(factory, bomb) == {"chaque-seconde@bombe.example": 1000}
    assert (fine.outcome, fine.new, fine.warnings) == ("ok", 2, [])
    assert _occurrence_counts(factory, good) == {"atelier-hebdo@exemple.fr": 10,
                                                 "forum@exemple.fr": 1}
    with transaction(factory) as session:
        run = session.scalars(select(CollectionRun).where(CollectionRun.source_id == bomb)).one()
        assert any("more than 1000 repetitions" in w for w in run.warnings)


# --- big calendars are read in batches ------------------------------------------------------


def test_batches_carry_the_calendar_properties_written_after_the_events(monkeypatch):
    name = "calendar_properties_after_its_events.ics"
    whole = parse(name)
    monkeypatch.setattr(ical_batches, "BATCH_EVENTS", 2)
    batched = parse(name)
    assert [(r.key, r.start, r.occurrences) for r in batched.events] == \
        [(r.key, r.start, r.occurrences) for r in whole.events]
    assert batched.warnings == whole.warnings
    new_york = ZoneInfo("America/New_York")
    utc_single = next(r for r in batched.events if r.source_uid == "unique-utc@exemple.fr")
    assert utc_single.start.tzinfo == new_york  # X-WR-TIMEZONE, written last, applied
    series = [r for r in batched.events if r.source_uid == "hebdo@exemple.fr"]
    assert sorted(start for r in series for start in instants(r)) == [
        datetime(2026, 12, 2, 17, tzinfo=UTC), datetime(2026, 12, 9, 17, tzinfo=UTC),
        datetime(2026, 12, 17, 17, tzinfo=UTC), datetime(2026, 12, 23, 17, tzinfo=UTC)]


def test_a_calendar_cut_short_is_still_reported_when_it_is_big(monkeypatch):
    monkeypatch.setattr(ical_batches, "BATCH_EVENTS", 2)
    body = (DATA / "calendar_properties_after_its_events.ics").read_bytes()
    with pytest.raises(ParseError) as caught:
        parse_ical(body[:-len(b"END:VCALENDAR\n")], default_tz=PARIS, window=WINDOW)
    assert caught.value.code == "parse.truncated"
