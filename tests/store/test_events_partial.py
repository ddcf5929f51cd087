"""A partial read (an API's changes since the last one) stores what it holds and removes only
the events the API names as removed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event
from agenda.records import EventRecord
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")


def record(uid: str, title: str = "Atelier") -> EventRecord:
    start = datetime(2026, 12, 5, 14, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=title, start=start, end=start + timedelta(hours=2))


def published(factory, source_id) -> set[str]:
    with transaction(factory) as session:
        return set(session.scalars(select(Event.source_uid).where(
            Event.source_id == source_id, Event.removed_at.is_(None))))


def store(factory, source_id, records, now, **partial):
    with transaction(factory) as session:
        return upsert_events(session, source_id, records, now=now, tz=PARIS, **partial)


def test_a_partial_read_removes_only_what_the_api_names(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="OA", url="https://oa.example/x", now=now).id
    store(factory, sid, [record("a"), record("b"), record("c")], now)
    later = now + timedelta(hours=1)
    counts = store(factory, sid, [record("c", "Atelier (nouvel horaire)")], later,
                   remove_missing=False, removed_uids=["b", "unknown"])
    assert (counts.new, counts.updated, counts.removed) == (0, 1, 1)
    assert published(factory, sid) == {"a", "c"}


def test_an_event_named_removed_but_read_again_stays(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="OA", url="https://oa.example/x", now=now).id
    store(factory, sid, [record("a")], now)
    counts = store(factory, sid, [record("a", "Revenu")], now, remove_missing=False,
                   removed_uids=["a"])
    assert counts.removed == 0 and published(factory, sid) == {"a"}


def test_the_default_still_removes_what_a_full_read_no_longer_holds(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="ICS", url="https://a.example/x.ics", now=now).id
    store(factory, sid, [record("a"), record("b")], now)
    counts = store(factory, sid, [record("a")], now + timedelta(hours=1))
    assert counts.removed == 1 and published(factory, sid) == {"a"}


def test_removed_uids_reach_every_override_of_a_series(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="OA", url="https://oa.example/x", now=now).id
    override = record("s")
    override.recurrence_id = datetime(2026, 12, 12, 13, tzinfo=timezone.utc).isoformat()
    store(factory, sid, [record("s"), override, record("t")], now)
    counts = store(factory, sid, [], now, remove_missing=False, removed_uids=["s"])
    assert counts.removed == 2 and published(factory, sid) == {"t"}
