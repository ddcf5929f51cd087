"""Listings: filters read from the URL and written back; the query honours each of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from agenda.cli.sample_events import sample_records
from agenda.collectors.normalize import with_themes
from agenda.db import transaction
from agenda.listing import query
from agenda.listing.filters import BadFilter, Filters, parse_filters, to_query
from agenda.listing.query import find_event_ids, find_occurrences
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.region import cached_region
from agenda.search import SearchIndex
from agenda.search.answers import Answer
from agenda.settings import load_settings
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
REGION = cached_region(load_settings(env={}).region_file)


def test_filters_round_trip_through_the_query_string():
    args = MultiDict([("q", "  repair   café "), ("from", "2026-11-01"), ("to", "2026-11-30"),
                      ("dept", "45"), ("dept", "37"), ("city", "Tours"), ("theme", "reemploi"),
                      ("source", "3"), ("mode", "online"), ("sort", "relevance")])
    filters = parse_filters(args, region=REGION)
    assert filters.q == "repair café" and filters.departments == ("45", "37")
    assert filters.start == date(2026, 11, 1) and filters.sources == (3,)
    assert parse_filters(MultiDict(to_query(filters)), region=REGION) == filters


@pytest.mark.parametrize("args", [
    {"from": "2026-02-30"}, {"to": "demain"}, {"from": "2026-11-30", "to": "2026-11-01"},
    {"dept": "75"}, {"dept": "'; DROP TABLE"}, {"theme": "inconnu"}, {"source": "abc"},
    {"mode": "both"}, {"sort": "price"}, {"q": "x" * 201}, {"from": "0001-01-01"},
    {"from": "2000-01-01", "to": "2100-01-01"}, {"q": "caf\x00e"}, {"city": "Tours\x1b"},
    {"source": "²"}, {"source": "9" * 5000},
])
def test_bad_filters_are_refused_with_a_sentence(args):
    with pytest.raises(BadFilter) as caught:
        parse_filters(args, region=REGION)
    assert caught.value.message.endswith(".")


def event(uid, title, day, **fields):
    start = datetime(2026, 11, day, 18, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=title, start=start, end=start + timedelta(hours=2),
                       occurrences=[Occurrence(start, start + timedelta(hours=2))], **fields)


@pytest.fixture(params=["sql", "index"])
def answered_by(request, settings, factory):
    """Each listing test runs twice: answered by SQL alone, and through the search index."""
    if request.param == "sql":
        return None
    return SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)


@pytest.fixture
def listed(factory, now, answered_by):
    records = [
        event("a", "Repair café", 24, themes=("reemploi",),
              location=Location(city="Tours", department="37")),
        event("b", "Forum finance solidaire", 25, themes=("finance-solidaire",),
              location=Location(city="Orléans", department="45")),
        event("c", "Webinaire ESS", 26, online_url="https://visio.exemple.org/ess"),
    ]
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, records, now=now, tz=PARIS)
    window = (datetime(2026, 11, 20, tzinfo=timezone.utc), datetime(2026, 12, 1, tzinfo=timezone.utc))

    def titles(**filters):
        with transaction(factory) as session:
            found = find_occurrences(session, Filters(**filters), window=window, with_facets=True,
                                     search=answered_by)
            return [o.event.title for o in found.occurrences], found.facets
    return titles


@pytest.mark.parametrize("filters, expected", [
    ({}, ["Repair café", "Forum finance solidaire", "Webinaire ESS"]),
    ({"departments": ("37",)}, ["Repair café"]),
    ({"city": "orléans"}, ["Forum finance solidaire"]),
    ({"themes": ("reemploi", "finance-solidaire")}, ["Repair café", "Forum finance solidaire"]),
    ({"mode": "online"}, ["Webinaire ESS"]),
    ({"mode": "in_person"}, ["Repair café", "Forum finance solidaire"]),
    ({"q": "forum"}, ["Forum finance solidaire"]),
    ({"q": "REPAIR"}, ["Repair café"]),
    ({"sources": (999,)}, []),
])
def test_each_filter_narrows_the_listing(listed, filters, expected):
    assert listed(**filters)[0] == expected


def test_facets_count_dates_by_department_and_theme(listed):
    _, facets = listed()
    assert dict(facets["departments"]) == {"37": 1, "45": 1}
    assert dict(facets["themes"]) == {"reemploi": 1, "finance-solidaire": 1}


def weekly_in(uid: str, department: str, theme: str, days: list[int]) -> EventRecord:
    starts = [datetime(2026, 11, day, 14, 0, tzinfo=PARIS) for day in days]
    return EventRecord(source_uid=uid, title=f"Atelier {uid}", start=starts[0],
                       end=starts[0] + timedelta(hours=2), themes=(theme,),
                       location=Location(city="Ville", department=department),
                       occurrences=[Occurrence(s, s + timedelta(hours=2)) for s in starts])


@pytest.mark.parametrize("filters, window_days, total, events, departments, themes", [
    ({}, (20, 30), 6, 3, {"41": 4, "45": 1, "37": 1}, {"reemploi": 5, "culture": 1}),
    ({}, (24, 30), 3, 2, {"41": 2, "37": 1}, {"reemploi": 2, "culture": 1}),
    ({"departments": ("41",)}, (20, 30), 4, 1, {"41": 4}, {"reemploi": 4}),
    ({"themes": ("reemploi",)}, (20, 30), 5, 2, {"41": 4, "45": 1}, {"reemploi": 5}),
    ({"departments": ("37",)}, (20, 23), 0, 0, {}, {}),
])
def test_facets_and_total_count_the_same_dates_of_a_series(
        factory, now, answered_by, filters, window_days, total, events, departments, themes):
    """'Loir-et-Cher (41) (4)' beside '6 dates': a weekly workshop met four times counts four
    in its department as in the total, whether SQL or the index answers."""
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, [weekly_in("serie", "41", "reemploi", [21, 23, 25, 27]),
                                     weekly_in("seul", "45", "reemploi", [22]),
                                     weekly_in("autre", "37", "culture", [28])],
                      now=now, tz=PARIS)
    window = tuple(datetime(2026, 11, day, tzinfo=PARIS) for day in window_days)
    with transaction(factory) as session:
        found = find_occurrences(session, Filters(**filters), window=window, with_facets=True,
                                 limit=2, search=answered_by)
    assert (found.total, found.events) == (total, events)
    assert dict(found.facets.get("departments", [])) == departments
    assert dict(found.facets.get("themes", [])) == themes
    assert sum(departments.values()) == found.total  # every event here has a department


@pytest.mark.parametrize("text", ["(", "title:forum AND (", '"', "*", "100%", "a_b", "\\", "x" * 200,
                                  "'; DROP TABLE events; --"])
def test_any_words_give_a_listing(listed, text):
    assert isinstance(listed(q=text)[0], list)


@pytest.fixture(scope="module")
def generated():
    today = datetime(2026, 11, 21).date()
    records = [with_themes(r, REGION) for r in sample_records(400, seed=11, today=today, tz=PARIS)]
    exhibition = date(2026, 11, 1), date(2027, 3, 31)  # longer than any window's start
    instant = datetime(2027, 3, 5, 18, 30, tzinfo=PARIS)  # starts and ends when a window starts
    return records + [
        EventRecord(source_uid="expo", title="Exposition", start=exhibition[0],
                    end=exhibition[1], all_day=True,
                    occurrences=[Occurrence(*exhibition, all_day=True)]),
        EventRecord(source_uid="instant", title="Annonce", start=instant, end=instant,
                    occurrences=[Occurrence(instant, instant)]),
    ]


PARITY = [
    {}, {"departments": ("45",)}, {"departments": ("18", "36")}, {"themes": ("reemploi",)},
    {"themes": ("culture", "habitat")}, {"mode": "online"}, {"mode": "in_person"},
    {"city": "Orléans"}, {"city": "TOURS"}, {"departments": ("37",), "themes": ("reemploi",)},
    {"start": None, "sources": (1,)},
]
WINDOWS = [(datetime(2026, 11, 21, tzinfo=timezone.utc), datetime(2027, 1, 20, tzinfo=timezone.utc)),
           (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2027, 11, 30, tzinfo=timezone.utc)),
           (datetime(2027, 3, 5, 17, 30, tzinfo=timezone.utc),
            datetime(2027, 3, 6, 9, tzinfo=timezone.utc)),
           (datetime(2026, 11, 21, 9, 13, 7, tzinfo=timezone.utc),  # "now" to a Paris midnight
            datetime(2027, 11, 21, 23, tzinfo=timezone.utc)),
           (datetime(2026, 12, 2, 17, 15, tzinfo=timezone.utc),
            datetime(2026, 12, 2, 18, 30, tzinfo=timezone.utc))]


def test_the_index_answers_as_sql_does(generated, factory, settings, now):
    """Whatever the filters and the window: same occurrences, order, totals and facets."""
    with transaction(factory) as session:
        source_id = add_source(session, name="G", url="http://127.0.0.1/g.ics", now=now).id
        upsert_events(session, source_id, generated, now=now, tz=PARIS)
    index = SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)
    for window in WINDOWS:
        for fields in PARITY:
            filters = Filters(**{**fields, "sources": (source_id,)} if "sources" in fields
                              else fields)
            with transaction(factory) as session:
                both = [find_occurrences(session, filters, window=window, with_facets=True,
                                         limit=30, offset=5, search=search)
                        for search in (None, index)]
                ids = [find_event_ids(session, filters, window=window, search=search)
                       for search in (None, index)]
            sql, indexed = both
            assert indexed.total == sql.total, (window, fields)
            assert [o.id for o in indexed.occurrences] == [o.id for o in sql.occurrences]
            assert indexed.facets == sql.facets
            assert indexed.events == sql.events
            assert ids[0] == ids[1]


LIMITS = [0, 1, 2, 17, 100, 399, 403, 1000]


@pytest.mark.parametrize("rows_per_event", [1, 2])
def test_the_first_n_events_are_the_whole_list_cut_to_n(generated, factory, settings, now,
                                                        monkeypatch, rows_per_event):
    """A limit pushed into the index and into SQL picks the same events, in the same order, as
    the unlimited list cut to it, whatever the filters, the words and the window (and whether
    SQL's first rows hold enough events or not: a daily series and events starting at the same
    time open the windows)."""
    monkeypatch.setattr(query, "ROWS_PER_EVENT", rows_per_event)
    first = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
    daily = EventRecord(source_uid="daily", title="Permanence", start=first,
                        end=first + timedelta(hours=1), rrule="FREQ=DAILY;COUNT=30",
                        occurrences=[Occurrence(first + timedelta(days=n),
                                                first + timedelta(days=n, hours=1))
                                     for n in range(30)])
    ties = [EventRecord(source_uid=f"tie-{n}", title=f"Accueil {n}", start=first,
                        end=first + timedelta(hours=1),
                        occurrences=[Occurrence(first, first + timedelta(hours=1))])
            for n in range(8)]  # the same start: ordered by event id
    with transaction(factory) as session:
        source_id = add_source(session, name="G", url="http://127.0.0.1/g.ics", now=now).id
        upsert_events(session, source_id, [*generated, daily, *ties], now=now, tz=PARIS)
    index = SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)
    cases = [Filters(), Filters(departments=("45",)), Filters(themes=("culture", "habitat")),
             Filters(mode="in_person"), Filters(q="atelier"), Filters(q="repair café")]
    for window in WINDOWS[:4]:
        for filters in cases:
            with transaction(factory) as session:
                for search in (None, index):
                    whole = find_event_ids(session, filters, window=window, search=search)
                    for limit in LIMITS:
                        assert find_event_ids(session, filters, window=window, search=search,
                                              limit=limit) == whole[:limit], (window, filters)


def test_events_removed_behind_the_index_back_are_replaced_by_the_next_ones(
        generated, factory, settings, now, monkeypatch):
    """The index still lists events removed since it heard of them: the limited answer asks it
    for more, and the index makes rows only for about as many events as asked."""
    with transaction(factory) as session:
        source_id = add_source(session, name="G", url="http://127.0.0.1/g.ics", now=now).id
        upsert_events(session, source_id, generated, now=now, tz=PARIS)
    index = SearchIndex(settings.instance_path / "search", region=REGION, factory=factory)
    window = WINDOWS[1]
    made = count_rows_made(monkeypatch)
    with transaction(factory) as session:
        before = find_event_ids(session, Filters(), window=window, search=index)
        every_row = len(made)
        gone = before[:40] + before[60:120:3]  # the soonest ones, and some further on
        session.execute(update(Event).where(Event.id.in_(gone)).values(removed_at=now))
    with transaction(factory) as session:
        published = find_event_ids(session, Filters(), window=window)  # SQL knows
        assert set(published) == set(before) - set(gone)
        for limit in (1, 20, 50, 120, len(published), len(published) + 1):
            made.clear()
            assert find_event_ids(session, Filters(), window=window, search=index,
                                  limit=limit) == published[:limit]
            if limit <= 20:  # asked again for more, never for the whole listing
                assert 0 < len(made) < every_row / 3


def count_rows_made(monkeypatch) -> list:
    """Every row of occurrences the index makes from now on (listed in what is returned)."""
    made, rows = [], Answer.rows

    def counted(self):
        for row in rows(self):
            made.append(row)
            yield row
    monkeypatch.setattr(Answer, "rows", counted)
    return made
