"""PostgreSQL's search: what a transaction commits is searched the moment it commits, on every
machine sharing the database (no index stage, no index to keep in sync)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text, update

from agenda.cli import main
from agenda.collectors.refresh import refresh_source
from agenda.db import make_engine, make_session_factory, transaction
from agenda.listing import query
from agenda.listing.filters import Filters
from agenda.listing.query import find_occurrences
from agenda.models import Event
from agenda.search import open_search
from agenda.search.pg import answers, vectors
from agenda.search.pg.backend import PostgresSearch
from agenda.settings import load_settings
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from agenda.web import create_app
from agenda.web.shared import dates
from tests.search.conftest import PARIS, WINDOW, event, place
from tests.store.merged import merge_into
from tests.test_refresh import calendar
from tests.web.pages import NOW


@pytest.fixture
def pg_settings(db_backend, settings, engine):
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    return load_settings(env={}, instance_path=settings.instance_path,
                         database_url=settings.database_url, search_backend="postgresql",
                         allow_private_urls=True, jitter_seconds=0, total_timeout=5.0,
                         connect_timeout=2.0)


@pytest.fixture
def other_machine(pg_settings):
    """A search of another process: its own engine, sessions and search object."""
    engine = make_engine(pg_settings)
    factory = make_session_factory(engine)  # held weakly by the search: kept here
    yield PostgresSearch(region=open_search(pg_settings).region, factory=factory)
    engine.dispose()


def found(search, words: str) -> list[str]:
    hits = search.search(Filters(q=words), window=WINDOW, limit=50)
    return [event_id for event_id, _ in hits.page]


def ids(factory) -> dict[str, str]:
    with transaction(factory) as session:
        return dict(session.execute(select(Event.source_uid, Event.id)).all())


def test_open_search_gives_the_postgresql_search_once_per_database(pg_settings, factory):
    search = open_search(pg_settings, factory)
    assert isinstance(search, PostgresSearch) and search.knows_every_filter
    assert open_search(pg_settings) is search and search.factory is factory


def test_a_commit_is_searched_at_once_by_every_machine(pg_settings, store, factory,
                                                       other_machine):
    store([event("a", "Atelier vélos", 24, location=place("Tours", "37")),
           event("b", "Repair café", 25, location=place("Blois", "41"))])
    known = ids(factory)
    assert found(other_machine, "velo") == [known["a"]]
    assert found(other_machine, "blois") == [known["b"]]
    store([event("a", "Atelier couture", 24, location=place("Tours", "37"))])  # b removed
    assert found(other_machine, "velo") == [] and found(other_machine, "repair") == []
    assert found(other_machine, "couture") == [known["a"]]
    assert other_machine.status()["dirty"] is False


def test_a_row_written_outside_a_session_is_caught_up(pg_settings, store, factory,
                                                       other_machine):
    store([event("a", "Atelier vélos", 24)])
    with factory.kw["bind"].begin() as connection:  # a raw write: no session's hook
        connection.execute(update(Event).values(title="Atelier jardinage"))
    assert found(other_machine, "jardinage") == [] and other_machine.status()["dirty"]
    with transaction(factory) as session:
        assert open_search(pg_settings).catch_up(session).indexed == 1
    assert found(other_machine, "jardinage") == [ids(factory)["a"]]


def test_a_rebuild_recomputes_every_vector(pg_settings, store, factory):
    store([event(f"e{n}", f"Atelier {n}", 24) for n in range(5)])
    search = open_search(pg_settings, factory)
    seen = []
    with transaction(factory) as session:
        report = search.rebuild(session, progress=seen.append)
    assert report.indexed == 5 and seen[-1] == 5
    assert search.search(Filters(q="ateliers"), window=WINDOW).total == 5


def test_the_web_finds_a_commit_at_once(pg_settings, store, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(pg_settings)
    app.config["TESTING"] = True
    client = app.test_client()
    assert "Fête des coopératives" not in client.get("/?q=cooperative").get_data(as_text=True)
    store([event("f", "Fête des coopératives", 24, location=place("Orléans", "45"))])
    page = client.get("/?q=cooperatives").get_data(as_text=True)
    assert "Fête des coopératives" in page
    assert isinstance(app.extensions["agenda"].search, PostgresSearch)  # LIKE has no accents


def test_the_vectors_are_filled_a_chunk_at_a_time(pg_settings, store, factory, monkeypatch):
    monkeypatch.setattr(vectors, "CHUNK", 2)
    store([event(f"e{n}", f"Atelier {n}", 24) for n in range(7)])  # filled before the commit
    search = open_search(pg_settings, factory)
    assert search.search(Filters(q="atelier"), window=WINDOW).total == 7
    assert search.status()["missing"] == 0


def test_reindex_is_seen_by_a_search_that_remembers_answers(pg_settings, store, factory,
                                                            other_machine, monkeypatch):
    """A reindex after the analysis changed: no process answers from what it remembered."""
    store([event(f"e{n}", f"Atelier {n}", 24) for n in range(3)])
    assert len(found(other_machine, "atelier")) == 3
    monkeypatch.setattr(vectors, "word_fields", lambda e, region: {"title": "Changé"})
    env = {"AGENDA_INSTANCE_PATH": str(pg_settings.instance_path),
           "AGENDA_DATABASE_URL": pg_settings.database_url,
           "AGENDA_SEARCH_BACKEND": "postgresql"}
    result = CliRunner().invoke(main, ["reindex"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Search vectors rewritten in PostgreSQL: 3 events" in result.output
    assert found(other_machine, "atelier") == [] and len(found(other_machine, "change")) == 3


def test_filters_the_index_never_knew_are_answered_as_sql_does(pg_settings, store, factory,
                                                               monkeypatch):
    """A source's merged copies: its filter keeps the listed event they were merged into."""
    store([event("forum", "Forum de l'ESS", 24, location=place("Orléans", "45"))])
    cress = store([event("copy", "Forum ESS", 24, location=place("Orléans", "45"))],
                  source="CRESS")
    known = ids(factory)
    merge_into(factory, known["copy"], known["forum"])
    search = open_search(pg_settings, factory)
    with transaction(factory) as session:
        monkeypatch.setattr(query, "_sql_listing", None)  # PostgreSQL's search answers
        by_pg = find_occurrences(session, Filters(q="forum", sources=(cress,)), window=WINDOW,
                                 with_facets=True, search=search)
        monkeypatch.undo()
        by_sql = find_occurrences(session, Filters(q="forum", sources=(cress,)), window=WINDOW,
                                  with_facets=True)
        assert [o.event_id for o in by_pg.occurrences] == [known["forum"]]
        assert [o.event_id for o in by_sql.occurrences] == [known["forum"]]
        assert (by_pg.total, by_pg.events, by_pg.facets) == (by_sql.total, by_sql.events,
                                                             by_sql.facets)


def test_a_failed_search_is_answered_by_sql_in_the_same_transaction(pg_settings, store,
                                                                     factory, monkeypatch):
    """A statement that fails is rolled back to its savepoint: the caller's transaction goes
    on, and the listing is answered from SQL."""
    store([event("a", "Atelier vélos", 24)])
    search = open_search(pg_settings, factory)

    def broken(session, plan, **kwargs):
        session.execute(text("SELECT 1/0"))  # the database refuses it

    monkeypatch.setattr(answers, "totals", broken)
    with transaction(factory) as session:
        found = find_occurrences(session, Filters(q="Atelier"), window=WINDOW, search=search)
        assert [o.event.title for o in found.occurrences] == ["Atelier vélos"]  # LIKE
        assert session.scalar(select(Event.title)) == "Atelier vélos"


def test_a_collection_on_the_postgresql_backend_is_searched_by_the_web(pg_settings, factory,
                                                                       httpserver, now):
    """A real collection (its index stage runs on PostgreSQL's search: nothing to write), then
    a change and a removal, each seen at once by another machine's search."""
    engine = make_engine(pg_settings)
    web_factory = make_session_factory(engine)
    web = PostgresSearch(region=open_search(pg_settings).region, factory=web_factory)
    with transaction(factory) as session:
        source_id = add_source(session, name="Cress", url=httpserver.url_for("/agenda.ics"),
                               now=now).id

    def collect(body: str, minutes: int):
        httpserver.clear()
        httpserver.expect_request("/agenda.ics").respond_with_data(
            body, content_type="text/calendar")
        return refresh_source(factory, source_id, now=now + timedelta(minutes=minutes),
                              settings=pg_settings)

    assert collect(calendar(), 0).new == 2
    assert (len(found(web, "forum regional")), len(found(web, "repair cafe"))) == (1, 1)
    assert collect(calendar(title="Rencontre des coopératives"), 61).updated == 1
    assert (len(found(web, "forum")), len(found(web, "cooperative"))) == (0, 1)
    head, _forum, repair = calendar().split("BEGIN:VEVENT")
    assert collect(head + "BEGIN:VEVENT" + repair, 122).removed == 1
    assert (len(found(web, "cooperative")), len(found(web, "repair"))) == (0, 1)
    engine.dispose()


def test_the_store_writes_each_event_with_the_vector_the_fill_would_give(pg_settings, store,
                                                                         factory):
    """A collection writes each new or changed event once, its vector with it: the vector is
    the one a later fill (``agenda reindex``) would write, so the two never disagree."""
    def vectors_now():
        with transaction(factory) as session:
            return dict(session.execute(select(Event.source_uid, Event.search_vector)).all())

    store([event("a", "Atelier vélos", location=place("Tours", "37"), themes=("reemploi",),
                 categories=("Zéro déchet",), organizer="La Recyclerie",
                 description_text="Réparer ensemble"),
           event("b", "Forum des coopératives", location=place("Orléans", "45"))])
    store([event("a", "Atelier vélos et cœurs", location=place("Tours", "37"),
                 themes=("reemploi",))])  # a changed event (b is removed)
    written = vectors_now()
    assert "coeur" in written["a"] and "velo" in written["a"]
    with transaction(factory) as session:
        session.execute(text("UPDATE events SET search_vector = NULL"))
        vectors.fill_missing(session, open_search(pg_settings).region)
    assert vectors_now() == written
    with transaction(factory) as session:  # written with the row, not updated at commit
        source_id = session.scalar(select(Event.source_id))
        upsert_events(session, source_id, [event("c", "Gratiféria")], now=NOW, tz=PARIS)
        assert session.scalar(select(Event.search_vector).where(Event.source_uid == "c"))
