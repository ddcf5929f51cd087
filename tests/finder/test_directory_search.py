"""Actors and initiatives found the same way on both backends (the index in memory, SQL on
PostgreSQL): French words, filters, facets and order, on the small directory of
tests/finder/directory.py."""

from __future__ import annotations

import pytest

from agenda.db import transaction
from agenda.models import Initiative
from tests.finder.conftest import every_hit, find
from tests.finder.directory import store_directory
from tests.web.pages import NOW

ALL = ["Ancienne ressourcerie", "Atelier vélo solidaire", "Jardins partagés de la région",
       "Écolieu du Val", "Mutuelle solidaire du Berry", "Recyclerie des Coopératives"]


@pytest.fixture
def directory(factory):
    return store_directory(factory)


def titles(found, directory) -> list[str]:
    names = {str(i): name for name, i in directory.actors.items()}
    initiatives = {"a1": "Atelier vélo solidaire", "b2": "Jardins partagés de la région",
                   "c3": "Ancienne ressourcerie", "d4": "Vélos retirés"}
    return [names[i] if kind == "actor" else initiatives[i] for kind, i in found.hits]


@pytest.mark.parametrize("words, expected", [
    ("vélos", ["Atelier vélo solidaire", "Recyclerie des Coopératives"]),  # title > description
    ("VELO", ["Atelier vélo solidaire", "Recyclerie des Coopératives"]),
    # the actor by its name, the initiatives by their actor's name (place), then by name
    ("coopératives", ["Recyclerie des Coopératives", "Ancienne ressourcerie",
                      "Atelier vélo solidaire", "Jardins partagés de la région"]),
    ("jardin atelier", ["Écolieu du Val"]),  # every word: the description holds both
    ("le la des", ALL),  # stop words only: everything, by name
    ("mutuelle", ["Mutuelle solidaire du Berry"]),  # the kind of structure in French too
    ("bourges", ["Mutuelle solidaire du Berry"]),  # the commune
    ("tournevis", []),
])
def test_words_find_actors_and_initiatives(finder, factory, settings, directory, words,
                                           expected):
    found = find(finder, factory, settings, q=words, kind=["initiative", "actor"])
    assert titles(found, directory) == expected
    assert found.total == len(expected)


def test_without_words_initiatives_then_actors_by_name(finder, factory, settings, directory):
    found = find(finder, factory, settings)
    assert titles(found, directory) == ALL
    assert found.facets["kind"] == {"event": 0, "initiative": 3, "actor": 3}
    # the region-wide initiative counts under every department of the directory
    assert found.facets["dept"] == {"37": 3, "18": 2, "41": 2, "45": 2}
    assert found.facets["theme"] == {"reemploi": 3, "transition-ecologique": 2,
                                     "finance-solidaire": 1}
    assert found.choices == {
        "structure": {"cooperative": 1, "association": 1, "mutual": 1},
        "status": {"active": 1, "project": 1, "ended": 1, "confirmed": 2, "to_check": 1}}


@pytest.mark.parametrize("args, expected", [
    ({"theme": "reemploi"}, ["Ancienne ressourcerie", "Atelier vélo solidaire",
                             "Recyclerie des Coopératives"]),
    ({"dept": "37"}, ["Atelier vélo solidaire", "Jardins partagés de la région",
                      "Recyclerie des Coopératives"]),
    ({"commune": "41269"}, ["Jardins partagés de la région", "Écolieu du Val"]),
    ({"structure": "association"}, ["Écolieu du Val"]),
    ({"status": ["project", "confirmed"]}, ["Jardins partagés de la région",
                                            "Mutuelle solidaire du Berry",
                                            "Recyclerie des Coopératives"]),
    ({"kind": "actor", "theme": ["reemploi", "finance-solidaire"]},
     ["Mutuelle solidaire du Berry", "Recyclerie des Coopératives"]),
    ({"q": "solidaire", "dept": "18"}, ["Mutuelle solidaire du Berry"]),
])
def test_filters(finder, factory, settings, directory, args, expected):
    found = find(finder, factory, settings, **args)
    assert titles(found, directory) == expected


def test_a_commune_keeps_its_departments_initiatives_without_a_commune(finder, factory,
                                                                       settings, directory):
    with transaction(factory) as session:
        session.add(Initiative(id="e5", title="Tiers-lieu départemental", department="37",
                               status="active", created_at=NOW, updated_at=NOW))
    found = find(finder, factory, settings, commune="37261", kind="initiative")
    assert [i for _, i in found.hits] == ["a1", "b2", "e5"]
    assert found.facets["dept"] == {"37": 3, "18": 1, "41": 1, "45": 1}


def test_hidden_actors_and_withdrawn_initiatives_are_never_found(finder, factory, settings,
                                                                 directory):
    assert find(finder, factory, settings, q="attente").total == 0
    assert find(finder, factory, settings, q="retirés").total == 0


def test_pages_and_exports_follow_the_same_order(finder, factory, settings, directory):
    page = find(finder, factory, settings, q="coopérative", offset=1, limit=2)
    assert titles(page, directory) == ["Ancienne ressourcerie", "Atelier vélo solidaire"]
    assert page.total == 4
    hits = every_hit(finder, factory, settings, q="coopérative")
    # an export: kind after kind, each in its page order
    assert [i for _, i in hits[:3]] == ["c3", "a1", "b2"] and hits[3][0] == "actor"
    assert every_hit(finder, factory, settings, limit=2) == [("initiative", "c3"),
                                                             ("initiative", "a1")]
