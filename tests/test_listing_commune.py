"""The commune filter of the listings: read from the URL (INSEE codes of the region), written
back, and answered the same by SQL and by the search index, words included."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from agenda.db import transaction
from agenda.listing.filters import BadFilter, Filters, parse_filters, to_query
from agenda.listing.query import find_event_ids, find_occurrences
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.region import cached_region
from agenda.search import SearchIndex
from agenda.settings import load_settings
from agenda.store.communes import communes_with_events
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
REGION = cached_region(load_settings(env={}).region_file)
TOURS, JOUE, ORLEANS = "37261", "37122", "45234"
WINDOW = (datetime(2026, 11, 20, tzinfo=timezone.utc), datetime(2026, 12, 20, tzinfo=timezone.utc))


def test_communes_round_trip_through_the_query_string():
    args = MultiDict([("commune", TOURS), ("commune", " 37122 "), ("commune", TOURS),
                      ("dept", "37")])
    filters = parse_filters(args, region=REGION)
    assert filters.communes == (TOURS, JOUE) and filters.departments == ("37",)
    assert ("commune", TOURS) in to_query(filters) and ("commune", JOUE) in to_query(filters)
    assert parse_filters(MultiDict(to_query(filters)), region=REGION) == filters
    assert not filters.is_empty


@pytest.mark.parametrize("value, message", [
    ("Tours", "A commune must be given by its INSEE code of five characters, such as 37261 "
              "for Tours: 'TOURS' is not one."),
    ("3726", "A commune must be given by its INSEE code of five characters, such as 37261 "
             "for Tours: '3726' is not one."),
    ("37261; DROP TABLE events", "A commune must be given by its INSEE code of five "
                                 "characters, such as 37261 for Tours: '37261; DRO' is not one."),
    ("37999", "Unknown commune '37999'."),
    ("75056", "The commune Paris (75056) is outside the region."),
    ("2a004", "The commune Ajaccio (2A004) is outside the region."),
])
def test_a_bad_commune_is_refused_with_a_sentence(value, message):
    with pytest.raises(BadFilter) as caught:
        parse_filters({"commune": value}, region=REGION)
    assert caught.value.message == message


def test_at_most_twenty_communes():
    args = MultiDict([("commune", f"37{n:03d}") for n in range(1, 22)])
    with pytest.raises(BadFilter, match="At most 20 values of 'commune' may be given."):
        parse_filters(args, region=REGION)


def event(uid: str, title: str, days: list[int], **location) -> EventRecord:
    starts = [datetime(2026, 11, day, 18, 0, tzinfo=PARIS) for day in days]
    return EventRecord(source_uid=uid, title=title, start=starts[0],
                       end=starts[0] + timedelta(hours=2), location=Location(**location),
                       occurrences=[Occurrence(s, s + timedelta(hours=2)) for s in starts])


RECORDS = [
    event("a", "Atelier vélo", [24], city="Tours", postcode="37000"),
    event("b", "Repair café", [25, 26, 27], city="TOURS CEDEX 1", postcode="37000"),
    event("c", "Atelier couture", [25], city="Joué-lès-Tours"),
    event("d", "Atelier compost", [26], city="Orléans", postcode="45000"),
    event("e", "Forum", [27], city="Châteauroux"),
    event("f", "Webinaire atelier", [28]),
]


@pytest.fixture
def stored(factory, now):
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, RECORDS, now=now, tz=PARIS)
    return sid


@pytest.fixture
def index(settings, factory):
    return SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)


def answer(factory, search, **filters):
    """(titles of the occurrences, distinct event ids, commune facets) for ``filters``."""
    with transaction(factory) as session:
        found = find_occurrences(session, Filters(**filters), window=WINDOW, with_facets=True,
                                 search=search)
        ids = find_event_ids(session, Filters(**filters), window=WINDOW, search=search)
        return ([o.event.title for o in found.occurrences], found.total, ids,
                found.facets.get("communes"))


def test_stored_events_know_their_commune(factory, stored):
    with transaction(factory) as session:
        rows = dict(session.execute(select(Event.title, Event.commune_code)).all())
        assert communes_with_events(session) == sorted({TOURS, JOUE, ORLEANS, "36044"})
    assert rows["Repair café"] == rows["Atelier vélo"] == TOURS
    assert rows["Atelier couture"] == JOUE and rows["Webinaire atelier"] is None


@pytest.mark.parametrize("filters, titles", [
    ({"communes": (TOURS,)}, ["Atelier vélo", "Repair café", "Repair café", "Repair café"]),
    ({"communes": (JOUE,)}, ["Atelier couture"]),
    ({"communes": (TOURS, ORLEANS), "q": "atelier"}, ["Atelier vélo", "Atelier compost"]),
    ({"communes": (JOUE, ORLEANS), "q": "ATELIER"}, ["Atelier couture", "Atelier compost"]),
    ({"communes": (TOURS,), "departments": ("45",)}, []),
    ({"communes": (TOURS,), "q": "compost"}, []),
    ({"communes": (ORLEANS,), "mode": "online"}, []),
    ({"q": "atelier"}, ["Atelier vélo", "Atelier couture", "Atelier compost",
                        "Webinaire atelier"]),
])
def test_the_commune_narrows_the_listing_the_same_through_sql_and_the_index(
        factory, stored, index, filters, titles):
    by_sql = answer(factory, None, **filters)
    by_index = answer(factory, index, **filters)
    assert index.status()["documents"] == len(RECORDS)  # the index did answer
    assert by_sql[0] == titles
    assert by_index == by_sql


def test_the_chosen_communes_are_counted_in_dates(factory, stored, index):
    for search in (None, index):
        _, total, _, communes = answer(factory, search, communes=(TOURS, JOUE))
        assert total == 5 and communes == [(TOURS, 4), (JOUE, 1)]
        assert answer(factory, search)[3] is None  # no commune chosen: no commune facet


def test_a_commune_found_after_indexing_reaches_the_index(factory, stored, index):
    """The gazetteer may tell an event's commune later (``agenda places``) without its
    SEQUENCE changing: a sync still rewrites its document."""
    assert answer(factory, index, communes=(TOURS,))[1] == 4
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.title == "Forum")
                        .values(commune_code=TOURS, commune_name="Tours", department="37"))
    with transaction(factory) as session:
        assert index.sync(session).indexed == 1
    assert answer(factory, index, communes=(TOURS,)) == answer(factory, None, communes=(TOURS,))
    assert "Forum" in answer(factory, index, communes=(TOURS,))[0]


def test_the_index_knows_the_communes_of_the_listed_events_as_sql_does(factory, stored, index,
                                                                         now):
    with transaction(factory) as session:
        index.rebuild(session)
        assert index.commune_codes() == communes_with_events(session) == \
            sorted({TOURS, JOUE, ORLEANS, "36044"})
    with transaction(factory) as session:  # Orléans' only event leaves its source
        upsert_events(session, stored, [r for r in RECORDS if r.source_uid != "d"], now=now,
                      tz=PARIS)
    with transaction(factory) as session:
        index.sync(session)
        assert index.commune_codes() == communes_with_events(session) == \
            sorted({TOURS, JOUE, "36044"})
