"""Upsert by (source, source UID): idempotent, stable ids, removals marked, never deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event
from agenda.models import Occurrence as OccurrenceRow
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")


def record(uid="evt-1", title="Repair café", start=None, **fields) -> EventRecord:
    start = start or datetime(2026, 11, 28, 14, 0, tzinfo=PARIS)
    end = fields.pop("end", start + timedelta(hours=3))
    fields.setdefault("occurrences", [Occurrence(start, end)])
    return EventRecord(source_uid=uid, title=title, start=start, end=end,
                       location=Location(city="Orléans", postcode="45000", department="45"),
                       **fields)


@pytest.fixture
def source_id(factory, now):
    with transaction(factory) as session:
        return add_source(session, name="Ressourcerie", url="http://127.0.0.1/a.ics",
                          now=now).id


def upsert(factory, source_id, records, now):
    with transaction(factory) as session:
        return upsert_events(session, source_id, records, now=now, tz=PARIS)


def events_of(factory, source_id) -> dict[str, Event]:
    with transaction(factory) as session:
        rows = session.scalars(select(Event).where(Event.source_id == source_id)).all()
        return {e.source_uid: e for e in rows}


def test_new_events_are_inserted_with_their_occurrences(factory, source_id, now):
    counts = upsert(factory, source_id, [record("a"), record("b", title="Forum ESS")], now)
    assert (counts.new, counts.updated, counts.removed) == (2, 0, 0)
    stored = events_of(factory, source_id)
    assert stored["b"].title == "Forum ESS"
    assert stored["a"].start_at == datetime(2026, 11, 28, 13, 0, tzinfo=timezone.utc)
    with transaction(factory) as session:
        assert session.scalar(select(OccurrenceRow.start_at).where(
            OccurrenceRow.event_id == stored["a"].id)) == stored["a"].start_at


def test_collecting_the_same_records_again_changes_nothing(factory, source_id, now):
    upsert(factory, source_id, [record("a")], now)
    before = events_of(factory, source_id)["a"]
    counts = upsert(factory, source_id, [record("a")], now + timedelta(hours=1))
    after = events_of(factory, source_id)["a"]
    assert (counts.new, counts.updated, counts.removed, counts.unchanged) == (0, 0, 0, 1)
    assert (after.id, after.updated_at, after.sequence) == (before.id, before.updated_at, 0)


def test_a_changed_event_keeps_its_id_and_its_sequence_grows(factory, source_id, now):
    upsert(factory, source_id, [record("a")], now)
    first = events_of(factory, source_id)["a"]
    later = now + timedelta(hours=1)
    counts = upsert(factory, source_id, [record("a", title="Repair café (nouvelle salle)")], later)
    changed = events_of(factory, source_id)["a"]
    assert counts.updated == 1
    assert changed.id == first.id
    assert changed.title == "Repair café (nouvelle salle)"
    assert changed.sequence == first.sequence + 1
    assert changed.updated_at == later and changed.created_at == first.created_at


def test_a_vanished_event_is_marked_removed_not_deleted(factory, source_id, now):
    upsert(factory, source_id, [record("a"), record("b")], now)
    counts = upsert(factory, source_id, [record("a")], now + timedelta(hours=1))
    stored = events_of(factory, source_id)
    assert counts.removed == 1
    assert stored["b"].removed_at == now + timedelta(hours=1)
    assert stored["a"].removed_at is None
    # and it comes back, with the same id, if the source publishes it again
    again = upsert(factory, source_id, [record("a"), record("b")], now + timedelta(hours=2))
    assert again.updated == 1
    assert events_of(factory, source_id)["b"].removed_at is None
    assert events_of(factory, source_id)["b"].id == stored["b"].id


def test_a_removed_event_is_not_counted_removed_twice(factory, source_id, now):
    upsert(factory, source_id, [record("a"), record("b")], now)
    upsert(factory, source_id, [record("a")], now + timedelta(hours=1))
    counts = upsert(factory, source_id, [record("a")], now + timedelta(hours=2))
    assert counts.removed == 0
    assert events_of(factory, source_id)["b"].removed_at == now + timedelta(hours=1)


def test_override_is_its_own_event_beside_its_master(factory, source_id, now):
    master = record("serie", rrule="FREQ=WEEKLY;COUNT=3")
    moved = replace(record("serie", title="Permanence (déplacée)"),
                    recurrence_id="2026-12-05T14:00:00+01:00")
    counts = upsert(factory, source_id, [master, moved], now)
    assert counts.new == 2
    with transaction(factory) as session:
        rids = sorted(session.scalars(select(Event.recurrence_id)))
    assert rids == ["", "2026-12-05T14:00:00+01:00"]


def test_recurring_occurrences_roll_with_the_window_without_a_new_sequence(
        factory, source_id, now):
    start = datetime(2026, 11, 2, 18, 0, tzinfo=PARIS)
    weekly = [Occurrence(start + timedelta(weeks=i), start + timedelta(weeks=i, hours=2))
              for i in range(6)]
    upsert(factory, source_id, [record("w", start=start, rrule="FREQ=WEEKLY",
                                       occurrences=weekly[:4])], now)
    upsert(factory, source_id, [record("w", start=start, rrule="FREQ=WEEKLY",
                                       occurrences=weekly[2:])], now + timedelta(days=14))
    event = events_of(factory, source_id)["w"]
    with transaction(factory) as session:
        starts = list(session.scalars(select(OccurrenceRow.start_at)
                                      .where(OccurrenceRow.event_id == event.id)
                                      .order_by(OccurrenceRow.start_at)))
    assert starts == [o.start.astimezone(timezone.utc) for o in weekly[2:]]
    assert event.sequence == 0


def test_all_day_occurrences_keep_their_dates(factory, source_id, now):
    festival = record("fest", start=date(2026, 11, 27), end=date(2026, 11, 30), all_day=True,
                      occurrences=[Occurrence(date(2026, 11, 27), date(2026, 11, 30), True)])
    upsert(factory, source_id, [festival], now)
    with transaction(factory) as session:
        occ = session.scalars(select(OccurrenceRow)).one()
    assert (occ.start_date, occ.end_date, occ.all_day) == (date(2026, 11, 27),
                                                          date(2026, 11, 30), True)
    assert occ.start_at == datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)


def test_long_values_from_sources_are_cut_not_refused(factory, source_id, now):
    long = record("long", title="T" * 2000, organizer="O" * 1000)
    upsert(factory, source_id, [long], now)
    stored = events_of(factory, source_id)["long"]
    assert len(stored.title) == 500 and len(stored.organizer) == 300
