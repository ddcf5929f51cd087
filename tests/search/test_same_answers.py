"""Both backends give the same answers to the same queries on the same data: the same totals
(dates) and events, facets, pages in date and relevance order, event ids and event counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from agenda.cli.sample_events import sample_records
from agenda.collectors.normalize import with_themes
from agenda.listing.filters import Filters
from agenda.region import cached_region
from agenda.search.pg.backend import PostgresSearch
from tests.search.conftest import PARIS, event, place, sync

TODAY = date(2026, 11, 21)


def window(first: int, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(TODAY + timedelta(days=first), time(), PARIS)
    return start, start + timedelta(days=days)


YEAR, TWO_MONTHS, WEEK, PAST = window(-60, 430), window(0, 60), window(7, 7), window(-60, 60)

QUERIES = [
    Filters(), Filters(q="atelier"), Filters(q="ateliers", sort="relevance"),
    Filters(q="repair café"), Filters(q="repair cafe", sort="relevance"),
    Filters(q="coopératives"), Filters(q="solidaire", sort="relevance"),
    Filters(q="épicerie solidaire", sort="relevance"), Filters(q="vélos"),
    Filters(q="zéro déchet", sort="relevance"), Filters(q="orléans", sort="relevance"),
    Filters(q="tours"), Filters(q="Tours atelier", sort="relevance"),
    Filters(q="économie sociale et solidaire", sort="relevance"),
    Filters(q="forum ess", sort="relevance"), Filters(q="œuvre"), Filters(q="oeuvres"),
    Filters(q="fresque du climat", sort="relevance"), Filters(q="jardin partagé"),
    Filters(q="le la les"), Filters(q="( * ?"), Filters(q="x"), Filters(q="introuvable"),
    Filters(q="mobilité", sort="relevance"), Filters(q="réemploi vélo", sort="relevance"),
    Filters(departments=("45",)), Filters(departments=("37", "41"), q="atelier"),
    Filters(themes=("reemploi",)), Filters(themes=("culture", "mois-ess"), q="forum"),
    Filters(mode="online"), Filters(mode="in_person", q="atelier", sort="relevance"),
    Filters(city="orleans"), Filters(city="ORLÉANS "), Filters(city="Tours", q="café"),
    Filters(communes=("45234", "37261")), Filters(communes=("37261",), q="atelier"),
    Filters(q="atelier", departments=("18",), themes=("alimentation", "reemploi"),
            sort="relevance"),
    Filters(q="café associatif rencontre débat", sort="relevance"),
]


@pytest.fixture
def backends(db_backend, store, factory, whoosh, settings):
    """The same data in the Whoosh index and in PostgreSQL: 400 generated events, a few of
    our own (a weekly one, accents and ligatures), some of them removed since."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    region = cached_region(settings.region_file)
    store([with_themes(r, region) for r in sample_records(400, seed=11, today=TODAY, tz=PARIS)],
          source="Générés")
    ours = [event("w", "Atelier vélo hebdomadaire", 24, weeks=6, location=place("Tours", "37")),
            event("o", "Main-d'œuvre solidaire", 25, location=place("Orléans", "45"),
                  categories=("Économie sociale",)),
            event("r", "Repair café éphémère", 26, description_text="Repair café, atelier.",
                  location=place("Orleans", "45")),
            event("gone", "Atelier disparu", 27, location=place("Blois", "41"))]
    store(ours, source="Nous")
    store(ours[:3], source="Nous")  # "gone" removed by its source
    sync(factory, whoosh)
    return whoosh, PostgresSearch(region=region, factory=factory)


@pytest.mark.parametrize("span", [YEAR, TWO_MONTHS, WEEK, PAST],
                         ids=["year", "two-months", "week", "past"])
def test_both_backends_answer_the_same(backends, span):
    whoosh, pg = backends
    for filters in QUERIES:
        for offset, limit in ((0, 20), (20, 50), (5, 3)):
            assert pg.search(filters, window=span, offset=offset, limit=limit, facets=True) == \
                whoosh.search(filters, window=span, offset=offset, limit=limit, facets=True), \
                (filters, offset)
        for limit in (None, 7):
            assert pg.event_ids(filters, window=span, limit=limit) == whoosh.event_ids(
                filters, window=span, limit=limit), filters
        assert pg.event_counts(filters, window=span) == whoosh.event_counts(
            filters, window=span), filters


def test_both_backends_list_the_same_communes_and_sources(backends):
    whoosh, pg = backends
    assert pg.commune_codes() == whoosh.commune_codes()
    assert pg.source_counts() == whoosh.source_counts()


def test_the_queries_are_not_trivial(backends):
    """The comparison sees relevance orders that are not the date order, several dates per
    event, facets and a city found whatever its spelling."""
    whoosh, _ = backends
    reordered = [f.q for f in QUERIES if f.sort == "relevance" and whoosh.search(
        f, window=YEAR, limit=50).page != whoosh.search(replace(f, sort="date"), window=YEAR,
                                                         limit=50).page]
    assert len(reordered) >= 3, reordered
    everything = whoosh.search(Filters(), window=YEAR, facets=True)
    assert everything.total > everything.events > 300
    assert whoosh.search(Filters(city="orleans"), window=YEAR).events >= 2
