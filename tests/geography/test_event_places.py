"""Stored events get their commune: one known by its city alone is found by its department."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_occurrences
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.region import cached_region
from agenda.search import SearchIndex
from agenda.settings import load_settings
from agenda.store.events import put_event, upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
REGION = cached_region(load_settings(env={}).region_file)


@pytest.fixture(params=["sql", "index"])
def answered_by(request, settings, factory):
    """Answered by SQL alone, and through the search index."""
    if request.param == "sql":
        return None
    return SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)


def event(uid: str, location: Location) -> EventRecord:
    start = datetime(2026, 11, 24, 18, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=f"Rencontre {uid}", start=start,
                       end=start + timedelta(hours=2), location=location,
                       occurrences=[Occurrence(start, start + timedelta(hours=2))])


@pytest.fixture
def stored(factory, now):
    records = [
        event("city-only", Location(city="Châteauroux")),
        event("point-only", Location(name="Cathédrale", lat=47.0822, lon=2.3998)),
        event("homonym", Location(city="Saint-Denis")),
        event("nowhere", Location(city="London", postcode="99999", department="99")),
        event("several", Location(postcode="36400", department="36")),
    ]
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, records, now=now, tz=PARIS)
    with transaction(factory) as session:
        rows = session.execute(select(Event.source_uid, Event.commune_code, Event.commune_name,
                                      Event.department)).all()
    return {uid: tuple(values) for uid, *values in rows}


def test_stored_events_carry_their_commune_and_its_department(stored):
    assert stored["city-only"] == ("36044", "Châteauroux", "36")
    assert stored["point-only"] == ("18033", "Bourges", "18")
    assert stored["several"] == (None, None, "36")  # La Châtre and its villages: 36 only
    assert stored["homonym"] == (None, None, None)
    assert stored["nowhere"] == (None, None, None)  # no department rather than a false one


def test_an_event_known_by_its_city_alone_is_in_its_department_filter(stored, factory,
                                                                      answered_by):
    window = (datetime(2026, 11, 20, tzinfo=timezone.utc),
              datetime(2026, 12, 1, tzinfo=timezone.utc))
    with transaction(factory) as session:
        found = find_occurrences(session, Filters(departments=("36",)), window=window,
                                 search=answered_by)
        titles = sorted(o.event.title for o in found.occurrences)
    assert titles == ["Rencontre city-only", "Rencontre several"]


def test_a_changed_place_rewrites_the_event(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="T", url="http://127.0.0.1/t.ics", now=now).id
        upsert_events(session, sid, [event("a", Location(city="Saint-Denis"))], now=now, tz=PARIS)
        counts = upsert_events(session, sid, [event("a", Location(city="Saint-Denis",
                                                                  postcode="93200"))],
                               now=now, tz=PARIS)
        assert counts.updated == 1
        assert session.scalar(select(Event.commune_code).where(Event.source_id == sid)) == "93066"


def test_an_event_published_from_the_form_gets_its_commune(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="Formulaire", url="http://127.0.0.1/f", now=now).id
        event_id = put_event(session, sid, event("form", Location(
            name="Salle des fêtes", postcode="45800", city="St Jean de Braye", department="45")),
            now=now, tz=PARIS)
        row = session.get(Event, event_id)
        assert (row.commune_code, row.commune_name, row.department) == (
            "45284", "Saint-Jean-de-Braye", "45")
        assert row.city == "St Jean de Braye"  # what the person wrote stays
