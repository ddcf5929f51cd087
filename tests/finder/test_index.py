"""The directory index alone (pure): French words as the events' search reads them, filters,
facets and orders."""

from __future__ import annotations

import pytest

from agenda.finder.documents import Record, actor_record, name_key
from agenda.finder.index import Criteria, DirectoryIndex
from agenda.region import load_region
from agenda.search.analysis import query_words
from agenda.settings import load_settings

RECORDS = [
    Record("actor", "1", "Recyclerie des Coopératives", tags="Réemploi et économie circulaire",
           themes=("reemploi",), department="37", commune="37261", structure="cooperative",
           status="confirmed"),
    Record("actor", "2", "Écolieu du Val", place="Vendôme", description="Vélos et jardins",
           department="41", commune="41269", structure="association", status="to_check"),
    Record("initiative", "a", "Atelier vélo solidaire", themes=("mobilite",), department="37",
           commune="37261", status="active"),
    Record("initiative", "b", "Jardins de la région", themes=("alimentation",), status="project"),
    Record("initiative", "c", "Cœur de quartier", place="Orléans", department="45",
           status="ended"),
]


@pytest.fixture(scope="module")
def index():
    return DirectoryIndex(RECORDS)


def found(index, words: str, criteria: Criteria = Criteria(), relevance=True) -> list[str]:
    selection = index.select(query_words(words), criteria)
    return [index.records[n].title for n in index.ordered(selection.bits, selection,
                                                            relevance=relevance)]


@pytest.mark.parametrize("words, titles", [
    ("coopérative", ["Recyclerie des Coopératives"]),
    ("COOPERATIVES", ["Recyclerie des Coopératives"]),  # case, accents, plural
    ("velo", ["Atelier vélo solidaire", "Écolieu du Val"]),  # title before description
    ("vélos", ["Atelier vélo solidaire", "Écolieu du Val"]),
    ("jardin", ["Jardins de la région", "Écolieu du Val"]),
    ("coeur", ["Cœur de quartier"]),  # ligature
    ("orleans", ["Cœur de quartier"]),  # place
    ("velo jardin", ["Écolieu du Val"]),  # every word must match
    ("le la des", ["Atelier vélo solidaire", "Cœur de quartier", "Écolieu du Val",
                   "Jardins de la région", "Recyclerie des Coopératives"]),  # stop words only
    ("tournevis", []),
])
def test_words_match_as_the_events_search_reads_them(index, words, titles):
    assert found(index, words) == titles


def test_without_words_records_come_by_name_accents_aside(index):
    assert found(index, "") == ["Atelier vélo solidaire", "Cœur de quartier", "Écolieu du Val",
                                "Jardins de la région", "Recyclerie des Coopératives"]
    assert name_key("Écolieu") < name_key("Ed") and name_key("Eco") < name_key("Écolieu")


def test_filters_by_theme_structure_and_status(index):
    assert found(index, "", Criteria(themes=frozenset({"reemploi", "mobilite"}))) == [
        "Atelier vélo solidaire", "Recyclerie des Coopératives"]
    assert found(index, "", Criteria(structures=frozenset({"association"}))) == ["Écolieu du Val"]
    assert found(index, "", Criteria(statuses=frozenset({"project", "ended"}))) == [
        "Cœur de quartier", "Jardins de la région"]


def test_a_department_keeps_the_initiatives_of_the_whole_region(index):
    assert found(index, "", Criteria(departments=frozenset({"37"}))) == [
        "Atelier vélo solidaire", "Jardins de la région", "Recyclerie des Coopératives"]


def test_a_commune_keeps_the_initiatives_of_its_department_without_commune(index):
    extra = DirectoryIndex([*RECORDS, Record("initiative", "d", "Tiers-lieu départemental",
                                             department="37", status="active")])
    tours = Criteria(communes=frozenset({("37261", "37")}))
    assert found(extra, "", tours) == ["Atelier vélo solidaire", "Jardins de la région",
                                       "Recyclerie des Coopératives", "Tiers-lieu départemental"]
    assert found(extra, "", Criteria(communes=frozenset({("41269", "41")}))) == [
        "Écolieu du Val", "Jardins de la région"]


def test_facets_are_counted_from_the_selection(index):
    selection = index.select(query_words("velo"), Criteria())
    assert index.counts(selection.bits, "kind") == {"actor": 1, "initiative": 1}
    assert index.counts(selection.bits, "dept") == {"37": 1, "41": 1}
    everything = index.select((), Criteria()).bits
    assert index.counts(everything, "theme") == {"reemploi": 1, "mobilite": 1, "alimentation": 1}
    # the region-wide initiative counts under each department, as choosing it would list it
    assert index.counts(everything, "dept") == {"37": 3, "41": 2, "45": 2}
    assert index.counts(everything, "status")["to_check"] == 1


def test_the_tier_is_the_weight_of_the_best_field_of_each_word(index):
    selection = index.select(query_words("velo"), Criteria())
    tiers = {index.records[n].title: index.tier_of(n, selection)
             for n in index.ordered(selection.bits, selection, relevance=True)}
    assert tiers == {"Atelier vélo solidaire": 4.0, "Écolieu du Val": 1.0}


def test_an_actor_is_found_by_its_kind_of_structure_in_french():
    region = load_region(load_settings(env={}).region_file)

    class Actor:
        id, name, kind, structure, approvals = 7, "La Ruche", "tiers-lieu", "mutual", ["ESUS"]
        themes, description_text, address = ["reemploi"], "", None
        commune_code, commune_name, department, status = "37261", "Tours", "37", "confirmed"

    index = DirectoryIndex([actor_record(Actor, region)])
    for words in ("mutuelle", "tiers-lieu", "esus", "réemploi", "tours", "indre loire"):
        assert found(index, words) == ["La Ruche"], words
