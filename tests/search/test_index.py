"""The search index: ranking, facets, removed events, rebuilds and repairs, hostile words."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.listing import query
from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids
from agenda.models import Event
from agenda.region import cached_region
from agenda.search import IndexBusy, SearchIndex
from tests.search.conftest import WINDOW, event, place, titles


def sync(factory, search, source_id=None):
    with transaction(factory) as session:
        return search.sync(session, source_id)


@pytest.fixture
def agenda(store, factory, search):
    source_id = store([
        event("a", "Soirée conviviale", 21, description_text="On y parlera de compostage.",
              location=place("Tours", "37"), themes=("culture",)),
        event("b", "Atelier compostage", 25, location=place("Orléans", "45"),
              themes=("reemploi",), categories=("Zéro déchet",)),
        event("c", "Repair café", 26, weeks=3, location=place("Blois", "41", "Ressourcerie"),
              themes=("reemploi",)),
        event("d", "Forum de l'ESS", 27, organizer="CRESS Centre-Val de Loire",
              online_url="https://visio.exemple.org/forum", themes=("mois-ess",)),
    ])
    sync(factory, search)
    return source_id


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


def test_a_reader_opened_before_a_change_sees_it(agenda, store, factory, search, settings):
    """Regression: whoosh3's reader(reuse=...) kept deleted documents; we reopen instead."""
    other_process = SearchIndex(search.folder.root, region=cached_region(settings.region_file))
    assert other_process.search(Filters(q="repair"), window=WINDOW).total == 3
    store([event("a", "Soirée conviviale", 21)])
    sync(factory, search)
    assert other_process.search(Filters(q="repair"), window=WINDOW).total == 0
    assert other_process.search(Filters(), window=WINDOW).total == 1


@pytest.mark.parametrize("text", [
    "", "*", "(", ")", '"', "title:", "title:repair AND (café", "AND", "OR NOT", '"forum',
    "repair*", "x" * 200, "le la les", "\x00", "%_%", "'; DROP TABLE events; --", "[a TO z]",
])
def test_any_words_give_a_listing_never_an_error(agenda, listing, factory, text):
    found = listing(q=text, sort="relevance")
    assert found.total == len(found.occurrences)
    with transaction(factory) as session:
        assert isinstance(find_event_ids(session, Filters(q=text), window=WINDOW), list)


def test_words_without_any_searchable_term_list_everything(agenda, listing):
    assert listing(q="(").total == listing(q="le la les").total == listing().total == 6


def test_reindex_rebuilds_a_new_index_from_the_database(agenda, factory, search):
    before = search.status()
    with transaction(factory) as session:
        report = search.rebuild(session)
    after = search.status()
    assert report.indexed == 4 and after["documents"] == 4
    assert after["live"] != before["live"]
    assert not (search.folder.root / before["live"]).exists()


@pytest.mark.parametrize("damage", ["missing folder", "garbage files", "no CURRENT",
                                    "old schema"])
def test_a_damaged_or_missing_index_is_rebuilt_transparently(agenda, listing, search, damage,
                                                             monkeypatch):
    expected, damaged = titles(listing(q="repair")), search.status()["live"]
    monkeypatch.setattr(query, "_sql_listing", None)  # the rebuilt index answers, not SQL
    damage_index(search.folder.root, damage)
    search._views.forget()  # as a fresh process would
    assert titles(listing(q="repair")) == expected == ["Repair café"] * 3
    assert search.status()["documents"] == 4 and search.status()["live"] != damaged


def damage_index(root, damage: str) -> None:
    live = root / (root / "CURRENT").read_text().strip()
    if damage == "missing folder":
        shutil.rmtree(root)
    elif damage == "garbage files":
        for path in live.iterdir():
            if path.is_file() and not path.name.endswith("LOCK"):
                path.write_bytes(b"\x80garbage" * 10)
    elif damage == "no CURRENT":
        (root / "CURRENT").unlink()
    else:
        (root / "CURRENT").write_text("v0-20200101T000000-abcdef\n")


def test_a_big_database_is_answered_from_sql_while_a_thread_rebuilds(agenda, listing, search):
    expected = titles(listing(q="compostage", departments=("45",)))
    search.inline_rebuild_below = 0
    shutil.rmtree(search.folder.root)
    assert titles(listing(q="compostage", departments=("45",))) == expected  # from SQL
    # the rebuild's thread is kept after it ends: joining it never races its end (it used to
    # be cleared to None by the thread itself, so a fast rebuild left nothing to join)
    search.repairing.join(timeout=30)
    assert not search.is_repairing()
    assert search.status()["documents"] == 4


def test_a_busy_index_is_marked_dirty_and_caught_up_later(agenda, store, factory, search):
    _, ix = search.folder.live()
    holder = ix.writer()  # another process writing
    search.write_timeout = 0.1
    store([event("e", "Fête de l'énergie citoyenne", 28)], source="T")
    with pytest.raises(IndexBusy):
        sync(factory, search)
    assert search.folder.is_dirty()
    holder.cancel()
    with transaction(factory) as session:
        report = search.catch_up(session)
    assert report.indexed == 1 and not search.folder.is_dirty()
    assert search.search(Filters(q="energie"), window=WINDOW).total == 1


def test_syncing_an_unchanged_source_writes_nothing(agenda, factory, search):
    generation = search.status()["generation"]
    assert sync(factory, search, agenda).indexed == 0
    assert search.status()["generation"] == generation


def test_the_answer_is_the_same_after_the_segments_merge(agenda, store, factory, search,
                                                         listing):
    for n in range(3):  # small segments, then one merged
        store([event(f"x{n}", f"Atelier numéro {n}", 22)], source=f"X{n}")
        sync(factory, search)
    before = (titles(listing(q="atelier")), listing().facets)
    _, ix = search.folder.live()
    ix.optimize()
    assert search.status()["segments"] == 1
    assert (titles(listing(q="atelier")), listing().facets) == before


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
