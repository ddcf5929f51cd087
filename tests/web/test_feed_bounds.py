"""/calendar.ics is bounded whatever is asked: a window around today, a cap on events (the
soonest kept), both stated in the calendar; trivially different query strings share one build;
clients that make the site build feeds beyond their rate get a 429, cached feeds still answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import vobject
from sqlalchemy import delete, func, select

from agenda.db import transaction
from agenda.export.ics_event import series_uid
from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids
from agenda.models import FeedCacheEntry
from agenda.records import EventRecord, Occurrence
from tests.export.collecting import PARIS, Clock, collect, frozen_app, new_source

TODAY = date(2026, 11, 21)  # NOW's day in Paris; the default window: 2026-10-22 .. 2028-05-22


def on(day: date, uid: str, title: str | None = None) -> EventRecord:
    start = datetime(day.year, day.month, day.day, 18, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=title or uid, start=start,
                       end=start + timedelta(hours=1), timezone="Europe/Paris",
                       occurrences=[Occurrence(start, start + timedelta(hours=1))])


def make_client(settings, **overrides):
    app = frozen_app(settings.with_overrides(**overrides), Clock())
    return app, app.test_client()


def titles(body: bytes) -> list[str]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return [e.summary.value for e in getattr(calendar, "vevent_list", [])]


def description(body: bytes) -> str:
    return vobject.readOne(body.decode("utf-8")).contents["x-wr-caldesc"][0].value


def builds(app) -> int:
    return app.extensions["agenda_exports"].shared.builds


@pytest.fixture
def edges(factory):
    """Events just outside and just inside each edge of the default window."""
    collect(factory, new_source(factory), [
        on(date(2026, 10, 20), "too-old"), on(date(2026, 10, 23), "first-day"),
        on(date(2027, 6, 1), "middle"), on(date(2028, 5, 21), "last-day"),
        on(date(2028, 5, 24), "too-far")])


def test_the_default_window_keeps_what_is_inside_and_says_so(settings, engine, edges):
    _, client = make_client(settings)
    body = client.get("/calendar.ics").data
    assert sorted(titles(body)) == ["first-day", "last-day", "middle"]
    assert description(body).endswith(
        "Évènements du 22 octobre 2026 au 22 mai 2028 (au plus 5\u00a0000).")


@pytest.mark.parametrize("query", ["from=2001-01-01", "to=2199-12-31",
                                   "from=2020-01-01&to=2029-01-01", "from=19990101",
                                   "from=2026-10-22&to=2028-05-22"])
def test_dates_beyond_the_window_are_clamped_to_the_same_feed(settings, engine, edges, query):
    app, client = make_client(settings)
    plain = client.get("/calendar.ics")
    asked = client.get(f"/calendar.ics?{query}")
    assert asked.status_code == 200 and asked.data == plain.data
    assert asked.headers["ETag"] == plain.headers["ETag"] and builds(app) == 1


@pytest.mark.parametrize("query", ["from=2020-01-01&to=2026-10-21", "from=2028-05-23",
                                   "from=2030-01-01&to=2030-02-01"])
def test_a_period_outside_the_window_is_an_empty_calendar(settings, engine, edges, query):
    _, client = make_client(settings)
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 200 and titles(response.data) == []
    assert "hors de la fenêtre" in description(response.data)


def test_dates_inside_the_window_are_kept(settings, engine, edges):
    _, client = make_client(settings)
    body = client.get("/calendar.ics?from=2027-01-01&to=2028-12-31").data
    assert sorted(titles(body)) == ["last-day", "middle"]
    assert "Évènements du 1er janvier 2027 au 22 mai 2028" in description(body)


def test_a_narrower_window_from_the_settings(settings, engine, edges):
    _, client = make_client(settings, feed_past_days=0, feed_future_days=300)
    body = client.get("/calendar.ics").data
    assert titles(body) == ["middle"]
    assert "du 21 novembre 2026 au 17 septembre 2027" in description(body)


def test_more_events_than_the_cap_gives_the_cap_the_soonest(settings, engine, factory):
    days = [TODAY + timedelta(days=n) for n in (40, 3, 25, 9, 31, 2, 17, 12)]  # shuffled
    source_id = new_source(factory)
    collect(factory, source_id, [on(d, f"e{d.isoformat()}") for d in days])
    _, client = make_client(settings, feed_max_events=5)
    body = client.get("/calendar.ics").data
    assert sorted(titles(body)) == [f"e{d.isoformat()}" for d in sorted(days)[:5]]
    assert "(au plus 5)" in description(body)
    filtered = client.get(f"/calendar.ics?source={source_id}&to={TODAY + timedelta(days=35)}")
    assert len(titles(filtered.data)) == 5  # filtered feeds too


# --- One cache entry for trivially different query strings -----------------------------------

SAME = ["dept=37&dept=45&theme=reemploi",
        "theme=reemploi&dept=45&dept=37",
        "dept=45&theme=REEMPLOI&dept=37&dept=37&q=&city=&mode=",
        "dept=%2037%20&dept=45&theme=%20reemploi&from=",
        "DEPT=37&dept=37&dept=45&theme=reemploi&theme=reemploi"]


def test_trivially_different_query_strings_share_one_build(settings, engine, factory, edges):
    app, client = make_client(settings)
    answers = [client.get(f"/calendar.ics?{query}") for query in SAME[:4]]
    assert {a.status_code for a in answers} == {200}
    assert len({a.data for a in answers}) == 1 and builds(app) == 1
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(FeedCacheEntry)) == 1


def test_mode_and_dates_spelled_differently_share_one_build(settings, engine, edges):
    app, client = make_client(settings)
    answers = [client.get(f"/calendar.ics?{query}") for query in [
        "mode=online&from=2027-01-01", "mode=ONLINE&from=20270101",
        "mode=Online&from=2027-01-01&to=", "from=2027-01-01&mode=online&mode=online"]]
    assert {a.status_code for a in answers} == {200} and len({a.data for a in answers}) == 1
    assert builds(app) == 1


# --- Rate of builds per client ---------------------------------------------------------------

def test_cache_busting_beyond_the_rate_is_429_while_cached_feeds_answer(settings, engine,
                                                                       edges):
    app, client = make_client(settings, feed_miss_rate_limit="3 per minute")
    days = [TODAY + timedelta(days=n) for n in range(1, 7)]
    answers = [client.get(f"/calendar.ics?from={d}") for d in days]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429, 429]
    refused = answers[3]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    text = refused.get_data(as_text=True).strip()
    assert text.endswith(".") and "3 per minute" in text
    assert builds(app) == 3
    for day in days[:3]:  # already built: never limited
        assert client.get(f"/calendar.ics?from={day}").status_code == 200
    other = app.test_client()  # another address is counted apart
    ok = other.get(f"/calendar.ics?from={days[5]}", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert ok.status_code == 200


def test_a_build_done_by_another_client_is_not_counted(settings, engine, edges):
    app, client = make_client(settings, feed_miss_rate_limit="1 per minute")
    assert client.get("/calendar.ics?dept=37").status_code == 200
    assert client.get("/calendar.ics?dept=45").status_code == 429
    neighbour = {"REMOTE_ADDR": "127.0.0.7"}
    assert client.get("/calendar.ics?dept=45", environ_base=neighbour).status_code == 200
    assert client.get("/calendar.ics?dept=45").status_code == 200  # built now: a hit


def test_a_capped_feed_is_the_soonest_of_the_whole_list_with_or_without_the_index(
        settings, engine, factory):
    """The cap goes down into the index and into SQL: the same bytes either way, holding the
    events of the whole list (by first occurrence in the window) cut to the cap, also when the
    index still lists one of the soonest after its source removed it."""
    source_id = new_source(factory)
    first = datetime(2026, 10, 8, 18, 0, tzinfo=PARIS)  # weekly, from before the window
    weekly = EventRecord(source_uid="weekly", title="weekly", start=first,
                         end=first + timedelta(hours=1), timezone="Europe/Paris",
                         rrule="FREQ=WEEKLY;COUNT=8",
                         occurrences=[Occurrence(first + timedelta(weeks=n),
                                                 first + timedelta(weeks=n, hours=1))
                                      for n in range(8)])
    days = [TODAY + timedelta(days=n) for n in (-29, -10, 3, 3, 9, 40, 200)]
    records = [weekly] + [on(d, f"e{n}-{d}") for n, d in enumerate(days)]
    collect(factory, source_id, records)
    assert_capped_as_the_whole_list(settings, factory, caps=(1, 2, 4, 7), events=8)
    collect(factory, source_id, records[:1] + records[2:])  # the index is not told
    assert_capped_as_the_whole_list(settings, factory, caps=(1, 2, 4), events=7)


def assert_capped_as_the_whole_list(settings, factory, *, caps, events: int) -> None:
    window = (datetime(2026, 10, 21, 22, tzinfo=timezone.utc),
              datetime(2028, 5, 22, 22, tzinfo=timezone.utc))  # Paris days, as the feed's
    with factory() as session:
        whole = find_event_ids(session, Filters(), window=window)
    assert len(whole) == events
    for cap in caps:
        bodies = []
        for search in ("index", None):
            with transaction(factory) as session:
                session.execute(delete(FeedCacheEntry))  # not this cap's (not in its key)
            app, client = make_client(settings, feed_max_events=cap)
            if search is None:
                app.extensions["agenda"].search = None
            bodies.append(client.get("/calendar.ics").data)
            assert (search is None) == (app.extensions["agenda"].search is None
                                        or app.extensions["agenda"].search.status()["live"] is None)
        assert bodies[0] == bodies[1]
        assert uids(bodies[0]) == {series_uid(event_id) for event_id in whole[:cap]}


def uids(body: bytes) -> set[str]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return {e.uid.value for e in getattr(calendar, "vevent_list", [])}
