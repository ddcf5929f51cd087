"""Search, on each backend: ranking, facets, removed events, hostile words."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids
from agenda.models import Event
from tests.search.conftest import WINDOW, event, place, sync, titles


def test_the_title_weighs_more_than_the_description(agenda, listing):
    assert titles(listing(q="compostage")) == ["Soirée conviviale", "Atelier compostage"]
    assert titles(listing(q="compostage", sort="relevance")) == ["Atelier compostage",
                                                                 "Soirée conviviale"]


def test_place_organiser_categories_and_theme_labels_are_searched(agenda, listing):
    assert titles(listing(q="ressourcerie blois")) == ["Repair café"] * 3
    assert titles(listing(q="cress")) == ["Forum de l'ESS"]
    assert titles(listing(q="zero dechet")) == ["Atelier compostage"]
    assert titles(listing(q="economie circulaire")) == ["Atelier compostage"] + ["Repair café"] * 3
    assert titles(listing(q="loiret")) == ["Atelier compostage"]  # the department's name


def test_facets_count_dates_by_department_and_theme_as_the_total_does(agenda, listing):
    found = listing()
    assert found.total == 6 and found.events == 4  # the weekly repair café three times
    assert found.facets == {"departments": [("41", 3), ("37", 1), ("45", 1)],
                            "themes": [("reemploi", 4), ("culture", 1), ("mois-ess", 1)]}
    assert listing(q="compostage", departments=("45",)).facets == {
        "departments": [("45", 1)], "themes": [("reemploi", 1)]}


def test_pages_follow_dates_and_count_every_occurrence(agenda, listing):
    first, second = listing(limit=4), listing(limit=4, offset=4)
    assert first.total == second.total == 6
    assert titles(first) == ["Soirée conviviale", "Atelier compostage", "Repair café",
                             "Forum de l'ESS"]
    assert titles(second) == ["Repair café", "Repair café"]
    starts = [o.start_at for o in first.occurrences + second.occurrences]
    assert starts == sorted(starts)


def test_a_removed_event_is_never_shown_even_before_the_index_hears_of_it(agenda, store,
                                                                          listing, search,
                                                                          factory):
    store([event("a", "Soirée conviviale", 21, location=place("Tours", "37")),
           event("b", "Atelier compostage", 25, location=place("Orléans", "45"))])  # c, d gone
    found = listing()
    assert titles(found) == ["Soirée conviviale", "Atelier compostage"]
    with transaction(factory) as session:
        assert find_event_ids(session, Filters(), window=WINDOW, search=search) == [
            ids(session)["a"], ids(session)["b"]]
    sync(factory, search)
    assert search.search(Filters(q="repair"), window=WINDOW).total == 0


def ids(session) -> dict[str, str]:
    return dict(session.execute(select(Event.source_uid, Event.id)).all())


def test_a_changed_event_is_found_by_its_new_words_only(agenda, store, listing, factory, search):
    store([event("c", "Café bricolage", 26, weeks=3, location=place("Blois", "41"))])
    sync(factory, search)
    assert titles(listing(q="repair")) == []
    assert titles(listing(q="bricolage")) == ["Café bricolage"] * 3


@pytest.mark.parametrize("text", [
    "", "*", "(", ")", '"', "title:", "title:repair AND (café", "AND", "OR NOT", '"forum',
    "repair*", "x" * 200, "le la les", "\x00", "%_%", "'; DROP TABLE events; --", "[a TO z]",
    "r", "é", "x" * 5000, " ".join(f"mot{n}" for n in range(5000)), "repair " * 5000,
])
def test_any_words_give_a_listing_never_an_error(agenda, listing, factory, search, text):
    found = listing(q=text, sort="relevance")
    assert found.total == len(found.occurrences)
    with transaction(factory) as session:
        assert isinstance(find_event_ids(session, Filters(q=text), window=WINDOW,
                                         search=search), list)


@pytest.mark.parametrize("text", [
    "(", "le la les", "le la les de des du et au aux " * 500, "!?;:,.()[]{}«»…—'\"" * 300,
])
def test_words_without_any_searchable_term_list_everything(agenda, listing, text):
    assert listing(q=text).total == listing(q=text, sort="relevance").total == 6
    assert titles(listing(q=text)) == titles(listing())


def test_thousands_of_words_are_a_few_words(agenda, listing):
    """A repeated word is one word; at most 8 are searched (analysis.MAX_QUERY_WORDS)."""
    assert titles(listing(q="repair " * 3000)) == ["Repair café"] * 3
    assert titles(listing(q="repair blois " + "introuvable " * 3000)) == []
    assert titles(listing(q="r")) == titles(listing(q="x" * 5000)) == []


def test_an_occurrence_overlapping_the_window_start_is_listed(store, factory, search, listing):
    store([event("long", "Exposition", 10, weeks=1)])  # 10 Nov 18:00-20:00
    sync(factory, search)
    evening = (datetime(2026, 11, 10, 18, 30, tzinfo=timezone.utc),
               datetime(2026, 11, 11, tzinfo=timezone.utc))
    assert titles(listing(window=evening)) == ["Exposition"]
    assert listing(window=(evening[1], WINDOW[1])).total == 0


def test_sources_are_counted_from_the_index(agenda, store, factory, search):
    other = store([event("z", "Fête", 23)], source="T")
    sync(factory, search)
    assert search.source_counts() == {agenda: 4, other: 1}

